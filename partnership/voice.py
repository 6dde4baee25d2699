"""The school's own data and voice: its figures each term, and the anonymous safety survey."""

import hashlib
import io
import secrets
from decimal import Decimal

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from accounts import audit
from needs_assessment.services import assessment_supply_values

from .models import SchoolFigures, Survey, SurveyAnswer

DEVICE_COOKIE = "ssp_survey_device"


# Which of the assessment's indicators each of the school's figures fills.
FIGURE_INDICATORS = {
    "unauthorised_absence_percent": "school_truancy_percent",
    "total_absence_percent": "school_absence_percent",
    "exclusions": "school_exclusions",
    "incidents": "school_incidents",
    "bullying_reports": "school_bullying_reports",
    "results_percent": "school_results_percent",
}


def figures_as_indicator_values(row: SchoolFigures) -> dict:
    """{indicator key: (value, note)} of one term's figures, noted as supplied by the school."""
    note = f"Supplied by the school: its figures for the {row.term}"
    return {
        key: (Decimal(getattr(row, name)), note)
        for name, key in FIGURE_INDICATORS.items()
        if getattr(row, name) is not None
    }


def latest_figures_supplied(school, keys) -> dict:
    """The needs assessment's supplier: the school's latest termly figures, for the keys asked."""
    wanted = set(keys) & set(FIGURE_INDICATORS.values())
    if not wanted:
        return {}
    row = SchoolFigures.objects.filter(school=school).select_related("term").first()
    if row is None:
        return {}
    return {k: v for k, v in figures_as_indicator_values(row).items() if k in wanted}


@transaction.atomic
def figures_submit(*, school, term, by, request=None, **figures) -> SchoolFigures:
    """Record (or correct) the school's figures for the term; the change is audited. The
    latest term's figures go into the assessment being prepared, marked supplied by the
    school (each term's row is the history)."""
    row = SchoolFigures.objects.filter(school=school, term=term).first()
    before = {k: getattr(row, k) for k in figures} if row else {}
    row = row or SchoolFigures(school=school, term=term)
    for name, value in figures.items():
        setattr(row, name, value)
    row.submitted_by = by
    row.full_clean()
    row.save()
    audit.record(
        "partnership.figures.supplied",
        actor=by,
        target=row,
        request=request,
        changes={k: [before.get(k), v] for k, v in figures.items()},
    )
    latest = SchoolFigures.objects.filter(school=school).first()
    if latest.pk == row.pk:
        try:
            assessment_supply_values(
                school=school, values=figures_as_indicator_values(row), by=by, request=request
            )
        except ValidationError as error:  # outside the force's range for the indicator
            field_of = {key: name for name, key in FIGURE_INDICATORS.items()}
            raise ValidationError(
                {field_of.get(k, NON_FIELD_ERRORS): v for k, v in error.message_dict.items()}
            ) from None
    return row


@transaction.atomic
def survey_open(*, school, term, by, request=None) -> Survey:
    survey, created = Survey.objects.get_or_create(
        school=school,
        term=term,
        defaults={"token": secrets.token_urlsafe(16), "opened_by": by},
    )
    if created:
        audit.record("partnership.survey.opened", actor=by, target=survey, request=request)
    return survey


def device_key(survey: Survey, device: str) -> str:
    """A one-way key for the device: answers cannot be traced back to a cookie or a person."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{survey.pk}:{device}".encode()).hexdigest()


def survey_answer(*, survey: Survey, device: str, respondent: str, feels_safe: str, bullied: bool):
    """Record one anonymous answer; a device that has answered this survey is refused."""
    if survey.closed:
        raise ValidationError("This survey has closed.")
    answer = SurveyAnswer(
        survey=survey,
        device=device_key(survey, device),
        respondent=respondent,
        feels_safe=feels_safe,
        bullied=bullied,
    )
    answer.full_clean(exclude=["device"])
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError:
        raise ValidationError("This device has already answered this survey.") from None
    return answer


def has_answered(survey: Survey, device: str | None) -> bool:
    return bool(device) and survey.answers.filter(device=device_key(survey, device)).exists()


def survey_results(survey: Survey) -> dict:
    """Counts and shares: who answered, how many feel safe (safe or mostly safe), bullied."""
    rows = (
        survey.answers.values("respondent")
        .annotate(
            n=Count("pk"),
            safe=Count("pk", filter=Q(feels_safe__in=["yes", "mostly"])),
            bullied=Count("pk", filter=Q(bullied=True)),
        )
        .order_by()
    )
    labels = dict(SurveyAnswer.Respondent.choices)
    groups = [
        {
            "label": labels[row["respondent"]],
            "n": row["n"],
            "safe_percent": round(100 * row["safe"] / row["n"]),
            "bullied_percent": round(100 * row["bullied"] / row["n"]),
        }
        for row in rows
    ]
    total = sum(g["n"] for g in groups)
    safe = sum(row["safe"] for row in rows)
    return {
        "total": total,
        "safe_percent": round(100 * safe / total) if total else None,
        "groups": groups,
    }


def qr_svg(url: str) -> str:
    """The link as an SVG QR code the school can print or show on a screen."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]
