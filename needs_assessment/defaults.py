"""The two frameworks every new force starts with; forces change them in the product.

THREE_TIER is the Universal / Enhanced / Complex matrix with four factors. FIVE_LEVEL is
the national guidance's five intervention levels, rated mostly from numbers. Thresholds
the guidance leaves open (incidents a week, sense of safety) are starting points for a
force to set.
"""

from django.db import transaction

# Crime and ASB near the school, from police.uk (localcrime.evidence fills them when an
# assessment starts): the location factor's evidence, apart from the incidents the school
# reported. The thresholds are starting points for the force to set for itself.
LOCAL_CRIME_PER_WEEK = {
    "key": "local_crime_per_week",
    "name": (
        "Crime and ASB reported within the school's radius, a week "
        "(six-month average), from police.uk"
    ),
    "unit": "a week",
    "factor": "location",
    "help_text": (
        "Filled in from police.uk street-level crime when the assessment starts. "
        "Starting points for the force to set: Enhanced above 5 a week, Complex above 15."
    ),
    "thresholds": [{"level": "complex", "above": 15}, {"level": "enhanced", "above": 5}],
}
LOCAL_CRIME_PER_1000_PUPILS = {
    "key": "local_crime_per_1000_pupils",
    "name": "Crime and ASB within the school's radius in a year, per 1,000 pupils, from police.uk",
    "unit": "per 1,000",
    "factor": "location",
    "help_text": (
        "Filled in from police.uk street-level crime when the assessment starts. "
        "Evidence only until the force sets thresholds for it."
    ),
}

THREE_TIER = {
    "key": "three-tier",
    "name": "Three tiers: Universal, Enhanced, Complex",
    "description": "Each school is rated on four factors and placed in one of three tiers.",
    "rule_summary": (
        "Complex when high-risk issues are rated Complex, or any two factors are. "
        "Enhanced when location is rated Enhanced or Complex, any two factors are rated "
        "Enhanced or above, or any one factor is rated Complex. Otherwise Universal."
    ),
    "levels": [
        {
            "key": "universal",
            "name": "Universal",
            "rank": 1,
            "colour": "green",
            "description": "The service every school receives.",
        },
        {
            "key": "enhanced",
            "name": "Enhanced",
            "rank": 2,
            "colour": "yellow",
            "key_factors": ["location"],
            "min_factors": 2,
            "lifted_by_higher": True,
            "description": "Pupils are made more vulnerable by crime or anti-social behaviour around the school.",
        },
        {
            "key": "complex",
            "name": "Complex",
            "rank": 3,
            "colour": "red",
            "key_factors": ["high_risk"],
            "min_factors": 2,
            "description": "Known risks of knife crime, county lines, child exploitation or violent extremism.",
        },
    ],
    "factors": [
        {
            "key": "location",
            "name": "Location: deprivation, crime and anti-social behaviour",
            "descriptors": {
                "universal": "The area around the school has low levels of deprivation, crime and anti-social behaviour.",
                "enhanced": "The area has moderate deprivation or crime, or serious offences happen locally.",
                "complex": "Many pupils are known youth offenders, weapons have been found on site, or pupils are involved in drugs supply or county lines.",
            },
        },
        {
            "key": "attendance",
            "name": "Attendance and exclusion",
            "descriptors": {
                "universal": "Unauthorised absence and exclusions are low.",
                "enhanced": "Permanent exclusions are above the national average or the local target.",
                "complex": "The school runs specialist teaching for excluded children.",
            },
        },
        {
            "key": "high_risk",
            "name": "High-risk issues: exploitation, county lines, radicalisation, weapons",
            "descriptors": {
                "universal": "No pupils are known to be involved or at risk.",
                "enhanced": "Some pupils are known to be involved in, or at risk of, these harms.",
                "complex": "Several pupils are linked to these harms, with many young offenders among them.",
            },
        },
        {
            "key": "demographics",
            "name": "Free school meals, SEND and attainment",
            "descriptors": {
                "universal": "Few pupils take free school meals and attainment is in line with the national average.",
                "enhanced": "More pupils than usual take free school meals or have SEND, and attainment is below average.",
                "complex": "A large share of pupils take free school meals or have SEND, and attainment is well below average.",
            },
        },
    ],
    "indicators": [
        {
            "key": "fsm_percent",
            "name": "Pupils eligible for free school meals",
            "unit": "%",
            "factor": "demographics",
            "maximum": 100,
        },
        {
            "key": "send_percent",
            "name": "Pupils with special educational needs or disabilities",
            "unit": "%",
            "factor": "demographics",
            "maximum": 100,
        },
        {
            "key": "persistent_absence_percent",
            "name": "Pupils persistently absent",
            "unit": "%",
            "factor": "attendance",
            "maximum": 100,
        },
        {
            "key": "permanent_exclusions",
            "name": "Permanent exclusions in the last year",
            "unit": "pupils",
            "factor": "attendance",
        },
        {
            "key": "incidents_per_week",
            "name": "Crime and disorder reports a week (six-month average)",
            "unit": "a week",
            "computed_from": "incidents_per_week",
            "factor": "location",
        },
        {
            "key": "offending_percent",
            "name": "Share of the roll known to have offended",
            "unit": "%",
            "factor": "high_risk",
            "maximum": 100,
        },
        {
            "key": "deprivation_decile",
            "name": "Deprivation decile of the school's area (1 = most deprived)",
            "unit": "decile",
            "factor": "location",
            "minimum": 1,
            "maximum": 10,
        },
        LOCAL_CRIME_PER_WEEK,
        LOCAL_CRIME_PER_1000_PUPILS,
    ],
    "offers": {
        "complex": {
            "secondary": {
                "contact": "A dedicated Safer Schools officer",
                "contact_role": "sso",
                "frequency": "weekly",
                "offer": "A Safer Schools officer based in the school, there at least once a week.",
            },
            "primary": {
                "contact": "A dedicated Safer Schools officer",
                "contact_role": "sso",
                "frequency": "weekly",
                "offer": "A Safer Schools officer based in the school, there at least once a week.",
            },
        },
        "enhanced": {
            "secondary": {
                "contact": "A named neighbourhood officer, with the Safer Schools team",
                "contact_role": "neighbourhood",
                "frequency": "per_term",
                "uses_force_enhanced_number": True,
                "offer": "A named neighbourhood officer in regular contact, working with a Safer Schools officer on 1:1, small-group and classroom work.",
            },
            "primary": {
                "contact": "The Safer Schools team",
                "contact_role": "",
                "frequency": "per_term",
                "uses_force_enhanced_number": True,
                "offer": "Targeted advice and support from the Safer Schools team, and diversionary activities.",
            },
        },
        "universal": {
            "secondary": {
                "contact": "A named neighbourhood officer",
                "contact_role": "neighbourhood",
                "frequency": "per_term",
                "engagements_per_term": 1,
                "offer": "A named neighbourhood officer in touch at least once a term.",
                "education_inputs": "Safety-education inputs on weapons, child exploitation and sexting, in line with the force's priorities.",
            },
            "primary": {
                "contact": "A named neighbourhood officer",
                "contact_role": "neighbourhood",
                "frequency": "per_term",
                "engagements_per_term": 1,
                "offer": "A named neighbourhood officer in touch at least once a term.",
                "education_inputs": "Safety-education inputs on weapons, child exploitation and sexting, in line with the force's priorities.",
            },
        },
    },
}

FIVE_LEVEL = {
    "key": "five-level",
    "name": "Five intervention levels (national guidance)",
    "description": "Levels 1 (most support) to 5 (a high-achieving school with little crime), mostly from measured criteria.",
    "rule_summary": (
        "Level 1 when more than 10% of the roll has offended or any criterion is in the worst "
        "national decile (highest absence, lowest results and so on). Level 2 when more than 5% "
        "has offended or three criteria are in the worst national quartile. Level 3 with two "
        "criteria in the worst quartile, level 4 with one. Level 5 otherwise."
    ),
    "levels": [
        {
            "key": "level-5",
            "name": "Level 5",
            "rank": 1,
            "colour": "green",
            "description": "A high-achieving school with little crime: a schools officer or PCSO runs a citizenship programme.",
        },
        {
            "key": "level-4",
            "name": "Level 4",
            "rank": 2,
            "colour": "turquoise",
            "min_factors": 1,
            "description": "One criterion is in the highest national quartile.",
        },
        {
            "key": "level-3",
            "name": "Level 3",
            "rank": 3,
            "colour": "yellow",
            "min_factors": 2,
            "description": "Two criteria are in the highest national quartile.",
        },
        {
            "key": "level-2",
            "name": "Level 2",
            "rank": 4,
            "colour": "orange",
            "key_factors": ["offending"],
            "min_factors": 3,
            "description": "More than 5% of the roll has offended, or three criteria are in the highest quartile.",
        },
        {
            "key": "level-1",
            "name": "Level 1",
            "rank": 5,
            "colour": "red",
            "key_factors": ["offending"],
            "min_factors": 1,
            "description": "More than 10% of the roll has offended, or a criterion is in the worst national decile.",
        },
    ],
    "factors": [
        {"key": "truancy", "name": "Truancy (unauthorised absence)"},
        {"key": "absence", "name": "Total absence"},
        {"key": "results", "name": "GCSE results"},
        {"key": "offending", "name": "Pupils who have offended"},
        {"key": "incidents", "name": "Crime and disorder in the school log"},
        {"key": "special_measures", "name": "Special measures"},
        {"key": "safety", "name": "Pupils' and staff's sense of safety"},
    ],
    "indicators": [
        {
            "key": "truancy_decile",
            "name": "Unauthorised absence: national decile (10 = highest)",
            "unit": "decile",
            "factor": "truancy",
            "minimum": 1,
            "maximum": 10,
            "thresholds": [
                {"level": "level-1", "at_least": 10},
                {"level": "level-2", "at_least": 8},
            ],
        },
        {
            "key": "absence_decile",
            "name": "Total absence: national decile (10 = highest)",
            "unit": "decile",
            "factor": "absence",
            "minimum": 1,
            "maximum": 10,
            "thresholds": [
                {"level": "level-1", "at_least": 10},
                {"level": "level-2", "at_least": 8},
            ],
        },
        {
            "key": "gcse_decile",
            "name": "GCSE results: national decile (1 = lowest)",
            "unit": "decile",
            "factor": "results",
            "minimum": 1,
            "maximum": 10,
            "thresholds": [{"level": "level-1", "below": 2}, {"level": "level-2", "below": 4}],
        },
        {
            "key": "offending_percent",
            "name": "Share of the roll that has offended",
            "unit": "%",
            "factor": "offending",
            "maximum": 100,
            "thresholds": [{"level": "level-1", "above": 10}, {"level": "level-2", "above": 5}],
        },
        {
            "key": "incidents_per_week",
            "name": "Crime and disorder reports a week (six-month average)",
            "unit": "a week",
            "computed_from": "incidents_per_week",
            "factor": "incidents",
            "thresholds": [{"level": "level-1", "above": 5}, {"level": "level-2", "above": 2}],
        },
        {
            "key": "special_measures",
            "name": "In special measures (1 = yes, 0 = no)",
            "unit": "",
            "factor": "special_measures",
            "maximum": 1,
            "thresholds": [{"level": "level-2", "at_least": 1}],
        },
        {
            "key": "feel_safe_percent",
            "name": "Pupils and staff who say they feel safe",
            "unit": "%",
            "factor": "safety",
            "maximum": 100,
            "thresholds": [{"level": "level-1", "below": 50}, {"level": "level-2", "below": 75}],
        },
    ],
    "offers": {
        "level-1": {
            "contact": "A dedicated Safer Schools officer",
            "contact_role": "sso",
            "frequency": "weekly",
            "offer": "A Safer Schools officer based in the school, there at least once a week.",
        },
        "level-2": {
            "contact": "A Safer Schools officer",
            "contact_role": "sso",
            "frequency": "per_term",
            "engagements_per_term": 6,
            "offer": "A Safer Schools officer working with the school every couple of weeks.",
        },
        "level-3": {
            "contact": "A named neighbourhood officer",
            "contact_role": "neighbourhood",
            "frequency": "per_term",
            "engagements_per_term": 3,
            "offer": "A named neighbourhood officer in touch several times a term.",
        },
        "level-4": {
            "contact": "A named neighbourhood officer",
            "contact_role": "neighbourhood",
            "frequency": "per_term",
            "engagements_per_term": 1,
            "offer": "A named neighbourhood officer in touch at least once a term.",
        },
        "level-5": {
            "contact": "A schools officer or PCSO",
            "contact_role": "",
            "frequency": "per_term",
            "engagements_per_term": 1,
            "offer": "A schools officer or PCSO delivering a citizenship programme.",
        },
    },
}

DEFAULT_FRAMEWORKS = (THREE_TIER, FIVE_LEVEL)
PHASE_GROUPS = ("secondary", "primary")


@transaction.atomic
def install_framework(force, spec: dict, *, chosen: bool = False):
    """Create version 1 of a framework for a force from a spec above, unless it has one."""
    from .models import Descriptor, Factor, Framework, Indicator, Level, ServiceOffer

    existing = Framework.objects.filter(force=force, key=spec["key"]).first()
    if existing is not None:
        return existing
    framework = Framework.objects.create(
        force=force,
        key=spec["key"],
        name=spec["name"],
        description=spec["description"],
        rule_summary=spec["rule_summary"],
        is_chosen=chosen,
    )
    levels = {}
    for item in spec["levels"]:
        levels[item["key"]] = Level.objects.create(
            framework=framework,
            key=item["key"],
            name=item["name"],
            rank=item["rank"],
            colour=item.get("colour", "grey"),
            description=item.get("description", ""),
            key_factors=item.get("key_factors", []),
            min_factors=item.get("min_factors"),
            lifted_by_higher=item.get("lifted_by_higher", False),
        )
    factors = {}
    for order, item in enumerate(spec["factors"]):
        factors[item["key"]] = factor = Factor.objects.create(
            framework=framework, key=item["key"], name=item["name"], order=order
        )
        for level_key, text in item.get("descriptors", {}).items():
            Descriptor.objects.create(factor=factor, level=levels[level_key], text=text)
    for order, item in enumerate(spec["indicators"]):
        Indicator.objects.create(
            framework=framework,
            factor=factors.get(item.get("factor")),
            key=item["key"],
            name=item["name"],
            unit=item.get("unit", ""),
            help_text=item.get("help_text", ""),
            minimum=item.get("minimum", 0),
            maximum=item.get("maximum"),
            thresholds=item.get("thresholds", []),
            order=order,
            computed_from=item.get("computed_from", ""),
        )
    for level_key, offers in spec["offers"].items():
        per_phase = offers if "secondary" in offers else dict.fromkeys(PHASE_GROUPS, offers)
        for phase_group, offer in per_phase.items():
            ServiceOffer.objects.create(
                framework=framework,
                level=levels[level_key],
                phase_group=phase_group,
                contact=offer["contact"],
                contact_role=offer.get("contact_role", ""),
                frequency=offer["frequency"],
                engagements_per_term=offer.get("engagements_per_term", 1),
                uses_force_enhanced_number=offer.get("uses_force_enhanced_number", False),
                offer=offer["offer"],
                education_inputs=offer.get("education_inputs", ""),
            )
    return framework


def install_default_frameworks(force):
    """Give a force both shipped frameworks, the three-tier one chosen unless it chose already."""
    from .models import Framework

    has_chosen = Framework.objects.filter(force=force, is_chosen=True).exists()
    for spec in DEFAULT_FRAMEWORKS:
        install_framework(force, spec, chosen=not has_chosen and spec is THREE_TIER)
