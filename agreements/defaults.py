"""The agreement wording every new force starts with; a force edits it in the product.

Each template is a list of sections. A section's text may hold placeholders in braces,
filled when an agreement is prepared: {school}, {force}, {officer}, {officer_role}
and {review_period}. A paragraph whose lines start with "- " is a list.
Optional sections are the protocol parts a force may leave out of an agreement.
"""

from django.db import transaction

PURPOSE = {
    "key": "purpose",
    "heading": "Why we are making this agreement",
    "body": (
        "{force} and {school} agree to work together so that pupils, staff and families "
        "feel safe in and around the school, and so that problems are spotted and dealt "
        "with early.\n\n"
        "Together we aim for:\n"
        "- reassurance: the school knows who its police contact is and gets a quick, "
        "sensible answer when it asks for help;\n"
        "- relationships: young people meet officers in positive settings and trust them "
        "more;\n"
        "- risk and information: concerns about pupils and the area around the school are "
        "shared lawfully and acted on."
    ),
}

GUIDANCE = {
    "key": "guidance",
    "heading": "What this agreement is read with",
    "body": (
        "Both parties follow the national and local guidance that applies to schools and "
        "police, in particular:\n"
        "- the school's behaviour policy and the Department for Education's advice on "
        "behaviour and discipline;\n"
        "- the advice on searching, screening and confiscation, and on the use of "
        "reasonable force;\n"
        "- the national crime recording and counting rules;\n"
        "- Keeping Children Safe in Education and the local safeguarding partnership's "
        "procedures;\n"
        "- the local information sharing charter;\n"
        "- the force's advice on when a school should call the police."
    ),
}

SCHOOL_DUTIES = {
    "key": "school",
    "heading": "What {school} will do",
    "body": (
        "- sign this agreement and the information sharing agreement that goes with it;\n"
        "- name a member of the senior leadership team as the link with {officer};\n"
        "- tell staff, parents and carers about the partnership and what it is for;\n"
        "- raise concerns about pupils through its usual safeguarding route first;\n"
        "- record incidents and behaviour on the school's own systems;\n"
        "- give the officer somewhere to work and meet people when they are in school;\n"
        "- meet the neighbourhood policing team's managers once a term to review how the "
        "partnership is going."
    ),
}

LINE_MANAGEMENT = {
    "key": "line_management",
    "heading": "Who manages the officer",
    "body": (
        "The officer stays a member of {force} at all times and is managed by a police "
        "sergeant, not by the school. The school raises any concern about the officer's "
        "work with that sergeant."
    ),
    "optional": True,
}

INFORMATION = {
    "key": "information_sharing",
    "heading": "Sharing information",
    "body": (
        "Personal information is shared only where the law allows it, including under "
        "section 115 of the Crime and Disorder Act 1998, and only as much as is needed. "
        "The information sharing agreement attached to this memorandum sets out how."
    ),
    "optional": True,
}

FINANCE = {
    "key": "finance",
    "heading": "Money",
    "body": (
        "The universal service is free to every school. Where the school asks for more "
        "than its tier offers, {force} may agree a charge with the school in writing "
        "before the work starts."
    ),
    "optional": True,
}

LOCAL = {
    "key": "local_arrangements",
    "heading": "Local arrangements",
    "body": (
        "The officer will normally visit on the days agreed with the school's senior link. "
        "Any other arrangement particular to {school} is written here before the "
        "agreement is sent."
    ),
    "optional": True,
    "local": True,
}

TRAINING = {
    "key": "training",
    "heading": "Training",
    "body": (
        "The officer may take part in the school's safeguarding training, and the school "
        "may invite police colleagues to staff briefings on local risks."
    ),
    "optional": True,
}

HEALTH_AND_SAFETY = {
    "key": "health_and_safety",
    "heading": "Health and safety",
    "body": (
        "The school tells the officer about its fire and evacuation plan and any hazard on "
        "site. The officer follows the school's visitor and safeguarding procedures."
    ),
    "optional": True,
}

RISK_DOCUMENTS = {
    "key": "risk_documents",
    "heading": "Documents the school supplies",
    "body": (
        "On request the school gives {force} a copy of:\n"
        "- its risk assessment for officers working on site;\n"
        "- its fire plan;\n"
        "- its certificate of employer's and public liability insurance."
    ),
    "optional": True,
}

REVIEW = {
    "key": "review",
    "heading": "Reviewing and ending this agreement",
    "body": (
        "This is a living agreement. It starts when the last party has signed it and is "
        "reviewed within {review_period} of that day, or sooner when the risks around the "
        "school change. Either party may end it at any time by telling the other, with a "
        "reason."
    ),
}


def _police_duties(contact_sentence: str, extra: list[str]) -> dict:
    items = [
        contact_sentence,
        "keep the school informed about policing issues in the area that affect its pupils;",
        "advise staff on which incidents should be reported to the police and how;",
        "balance engagement and enforcement, using restorative approaches where they fit;",
        "take part in case conferences and multi-agency meetings about pupils when asked;",
        "share intelligence with the school where it is lawful and needed to keep pupils safe;",
        "patrol near the school at the start and end of the day when risks call for it;",
        *extra,
    ]
    return {
        "key": "police",
        "heading": "What {force} will do",
        "body": "\n".join(f"- {item}" for item in items),
    }


NAMED_OFFICER = {
    "kind": "named_officer",
    "title": "Memorandum of Understanding: named neighbourhood officer",
    "sections": [
        PURPOSE,
        _police_duties(
            "name {officer}, {officer_role}, as the school's police contact, with cover when "
            "they are away;",
            ["offer the school targeted safety-education inputs in line with force priorities."],
        ),
        SCHOOL_DUTIES,
        GUIDANCE,
        LINE_MANAGEMENT,
        INFORMATION,
        FINANCE,
        LOCAL,
        TRAINING,
        HEALTH_AND_SAFETY,
        RISK_DOCUMENTS,
        REVIEW,
    ],
}

SAFER_SCHOOLS_OFFICER = {
    "kind": "safer_schools_officer",
    "title": "Memorandum of Understanding: Safer Schools officer",
    "sections": [
        PURPOSE,
        _police_duties(
            "give the school a dedicated Safer Schools officer, {officer}, working within the "
            "school at least once a week;",
            [
                "work with pupils one to one and in small groups, and in classrooms and "
                "assemblies, alongside school staff.",
            ],
        ),
        SCHOOL_DUTIES,
        GUIDANCE,
        LINE_MANAGEMENT,
        INFORMATION,
        FINANCE,
        LOCAL,
        TRAINING,
        HEALTH_AND_SAFETY,
        RISK_DOCUMENTS,
        REVIEW,
    ],
}

INFORMATION_SHARING_AGREEMENT = {
    "kind": "isa",
    "title": "Information sharing agreement",
    "sections": [
        {
            "key": "isa_purpose",
            "heading": "What is shared and why",
            "body": (
                "{force} and {school} share information about pupils and the area around the "
                "school to prevent crime, protect young people from harm and support their "
                "education."
            ),
        },
        {
            "key": "isa_basis",
            "heading": "The legal basis",
            "body": (
                "Sharing relies on the parties' public tasks and safeguarding duties, on "
                "section 115 of the Crime and Disorder Act 1998, and on the data protection "
                "law of the United Kingdom."
            ),
        },
        {
            "key": "isa_how",
            "heading": "How information is shared",
            "body": (
                "- only the information needed for the purpose, and no more;\n"
                "- by secure email or in person, never on personal devices;\n"
                "- recorded by the receiving party with the reason and the date;\n"
                "- kept no longer than the purpose needs, then securely destroyed."
            ),
        },
        {
            "key": "isa_breaches",
            "heading": "If something goes wrong",
            "body": (
                "A party that loses or wrongly discloses shared information tells the other "
                "party's data protection officer within one working day."
            ),
        },
    ],
}

DEFAULT_TEMPLATES = (NAMED_OFFICER, SAFER_SCHOOLS_OFFICER, INFORMATION_SHARING_AGREEMENT)


def install_default_templates(force) -> int:
    """Give a force the shipped templates of each kind it lacks, published; return how many."""
    from .models import AgreementSettings, AgreementTemplate

    added = 0
    with transaction.atomic():
        AgreementSettings.objects.get_or_create(force=force)
        for spec in DEFAULT_TEMPLATES:
            if AgreementTemplate.objects.filter(force=force, kind=spec["kind"]).exists():
                continue
            AgreementTemplate.objects.create(
                force=force,
                kind=spec["kind"],
                version=1,
                title=spec["title"],
                sections=[dict(section) for section in spec["sections"]],
                is_published=True,
            )
            added += 1
    return added
