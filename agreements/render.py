"""One rendering of an agreement for the page and the PDF.

The content people sign is rendered once, from the template's sections with the
placeholders filled, and frozen with its SHA-256 when the agreement is sent. The page
and the PDF both show that frozen content through agreements/_document.html, followed
by the signatures; the PDF adds a certificate page with the timeline.
"""

import re

from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import in_sentence

from .appendix import service_appendix
from .documents import schedule_for
from .models import Agreement, AgreementSettings, AgreementTemplate
from .signing import document_context as document_context_of
from .signing import latest_version, render_pdf

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(text: str, values: dict) -> str:
    """Replace each {name} with its value; leave unknown names as they are."""
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)


def blocks_of(body: str) -> list[dict]:
    """Split a section's text into paragraphs and lists (lines starting with "- ")."""
    blocks: list[dict] = []
    for chunk in re.split(r"\n\s*\n", body.strip()):
        for line in (line.strip() for line in chunk.splitlines()):
            if not line:
                continue
            kind = "ul" if line.startswith("- ") else "p"
            last = blocks[-1] if blocks and blocks[-1].get("chunk") is chunk else None
            if kind == "ul":
                if last is None or last["kind"] != "ul":
                    last = {"kind": "ul", "items": [], "chunk": chunk}
                    blocks.append(last)
                last["items"].append(line[2:])
            else:
                if last is None or last["kind"] != "p":
                    last = {"kind": "p", "text": "", "chunk": chunk}
                    blocks.append(last)
                last["text"] = f"{last['text']} {line}".strip()
    return [{k: v for k, v in block.items() if k != "chunk"} for block in blocks]


def placeholders(agreement: Agreement) -> dict:
    officer = agreement.named_officer
    months = AgreementSettings.for_force(agreement.force).review_months
    return {
        "school": agreement.school.name,
        "force": agreement.force.name,
        "officer": officer.display_name,
        "officer_role": in_sentence(officer.get_role_display()),
        "review_period": "12 months" if months == 12 else f"{months} months",
    }


def sections_of(
    template: AgreementTemplate, values: dict, *, left_out=(), local_arrangements=""
) -> list[dict]:
    """Return the template's sections, filled, without those left out."""
    sections = []
    for section in template.sections:
        if section.get("optional") and section.get("key") in left_out:
            continue
        body = section.get("body", "")
        if section.get("local") and local_arrangements.strip():
            body = local_arrangements
        sections.append(
            {
                "key": section.get("key", ""),
                "heading": fill(section.get("heading", ""), values),
                "blocks": blocks_of(fill(body, values)),
            }
        )
    return sections


def content_context(agreement: Agreement, *, today=None) -> dict:
    values = placeholders(agreement)
    context = {
        "agreement": agreement,
        "school": agreement.school,
        "force": agreement.force,
        "officer": agreement.named_officer,
        "dated": today or timezone.localdate(),
        "title": agreement.template.title,
        "sections": sections_of(
            agreement.template,
            values,
            left_out=agreement.left_out,
            local_arrangements=agreement.local_arrangements,
        ),
    }
    # The documents both sides attach, by name and SHA-256: frozen with the content.
    context["documents"] = schedule_for(agreement)
    # The school's tier and service, as they stand today: frozen with the rest at sending.
    context["service"] = service_appendix(agreement.school, today=context["dated"])
    if agreement.isa_template_id:
        context["isa_title"] = agreement.isa_template.title
        context["isa_sections"] = sections_of(agreement.isa_template, values)
    return context


def render_content_html(agreement: Agreement, *, today=None) -> str:
    """Return the agreement's content as signed: the part frozen and hashed."""
    return render_to_string("agreements/_content.html", content_context(agreement, today=today))


def document_context(agreement: Agreement, version=None) -> dict:
    """Return what agreements/_document.html needs: the content and the signatures."""
    if version is None:
        version = latest_version(agreement)
    context = document_context_of(agreement, version, preview=render_content_html)
    context["sequence"] = agreement.signing_sequence()
    return context


def render_agreement_pdf(agreement: Agreement) -> bytes:
    """Render the signed agreement, its signatures and a certificate page as a PDF."""
    return render_pdf("agreements/agreement_pdf.html", document_context(agreement))
