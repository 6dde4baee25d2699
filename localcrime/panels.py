"""The local-crime section of the school page and the tiers the map colours schools by."""

from django.db.models import OuterRef, Subquery

from schools.models import School
from schools.panels import list_filters

from .figures import school_figures
from .models import LoadedMonth, LocalCrimeSettings

# Colours of tiers, highest first (GOV.UK red, orange, yellow, green, blue), and of none.
TIER_COLOURS = ("#d4351c", "#f47738", "#ffdd00", "#00703c", "#1d70b8", "#912b88")
NOT_ASSESSED = ("none", "Not assessed", "#505a5f")


def school_panel(request, school):
    """Crime near the school and in its LSOA: for the police side and the school's own staff."""
    user = request.user
    if not (
        user.has_perm("localcrime.view_local_crime")
        or school.organisation_id == user.organisation_id
    ):
        return None
    if hasattr(school, "localcrime_radius_m"):  # read with the school (page_annotations)
        figures = school_figures(school, latest=school.localcrime_latest_month)
        radius_m = (
            school.localcrime_radius_m or LocalCrimeSettings(force_id=school.force_id).radius_m
        )
    else:
        figures = school_figures(school)
        radius_m = LocalCrimeSettings.of(school.force_id).radius_m
    return {"school": school, "crime": figures, "radius_m": radius_m}


def page_annotations(request) -> dict:
    """The force's latest loaded month and radius, read with the school page's school."""
    force = OuterRef("force_id")
    return {
        "localcrime_latest_month": Subquery(
            LoadedMonth.objects.filter(force_id=force).order_by("-month").values("month")[:1]
        ),
        "localcrime_radius_m": Subquery(
            LocalCrimeSettings.objects.filter(force_id=force).order_by("pk").values("radius_m")[:1]
        ),
    }


def tiers_of(user, school_ids) -> dict:
    """Return {school id: (tier key, tier name, colour)} by the tier filter needs_assessment
    registers on the school list (so this app imports nothing to its right)."""
    tier_filter = next((f for f in list_filters() if f.name == "tier"), None)
    tiers = dict.fromkeys(school_ids, NOT_ASSESSED)
    if tier_filter is None:
        return tiers
    levels = [(key, name) for key, name in tier_filter.choices(user) if key != "none"]
    schools = School.objects.filter(pk__in=school_ids)
    for position, (key, name) in enumerate(levels):
        colour = TIER_COLOURS[min(position, len(TIER_COLOURS) - 1)]
        in_tier = (
            tier_filter.apply(schools, key, user=user)
            if tier_filter.with_user
            else tier_filter.apply(schools, key)
        )
        for school_id in in_tier.values_list("pk", flat=True):
            tiers[school_id] = (key, name, colour)
    return tiers


def tier_legend(user) -> list[tuple[str, str]]:
    tier_filter = next((f for f in list_filters() if f.name == "tier"), None)
    levels = (
        [name for key, name in tier_filter.choices(user) if key != "none"] if tier_filter else []
    )
    legend = [
        (name, TIER_COLOURS[min(position, len(TIER_COLOURS) - 1)])
        for position, name in enumerate(levels)
    ]
    return [*legend, (NOT_ASSESSED[1], NOT_ASSESSED[2])]
