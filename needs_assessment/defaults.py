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

# What the school supplies each term (partnership's termly figures fill them, noted "supplied
# by the school"): evidence beside the measured criteria, with no thresholds until a force
# sets some. The factor each belongs to in each shipped framework.
SCHOOL_SUPPLIED = [
    {
        "key": "school_truancy_percent",
        "name": "Unauthorised absence (truancy) last term, supplied by the school",
        "unit": "%",
        "maximum": 100,
        "factors": {"three-tier": "attendance", "five-level": "truancy"},
    },
    {
        "key": "school_absence_percent",
        "name": "Total absence last term, supplied by the school",
        "unit": "%",
        "maximum": 100,
        "factors": {"three-tier": "attendance", "five-level": "absence"},
    },
    {
        "key": "school_exclusions",
        "name": "Exclusions (fixed-term and permanent) last term, supplied by the school",
        "unit": "exclusions",
        "factors": {"three-tier": "attendance", "five-level": "exclusions"},
    },
    {
        "key": "school_incidents",
        "name": "Incidents of crime or disorder in school last term, supplied by the school",
        "unit": "incidents",
        "factors": {"three-tier": "location", "five-level": "incidents"},
    },
    {
        "key": "school_bullying_reports",
        "name": "Reports of bullying or victimisation last term, supplied by the school",
        "unit": "reports",
        "factors": {"three-tier": "high_risk", "five-level": "safety"},
    },
    {
        "key": "school_results_percent",
        "name": "Pupils reaching grade 4 or above in English and maths, supplied by the school",
        "unit": "%",
        "maximum": 100,
        "factors": {"three-tier": "demographics", "five-level": "results"},
    },
]
SCHOOL_SUPPLIED_HELP = "Filled in from the figures the school supplies each term."


def school_supplied_indicators(framework_key: str) -> list[dict]:
    """The school-supplied indicators as a framework spec lists them."""
    return [
        {
            "key": item["key"],
            "name": item["name"],
            "unit": item["unit"],
            "maximum": item.get("maximum"),
            "factor": item["factors"].get(framework_key),
            "help_text": SCHOOL_SUPPLIED_HELP,
        }
        for item in SCHOOL_SUPPLIED
    ]


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

G, F = "guidance", "force"

# What the partnership sets out to change, measured where the framework has an indicator.
AIMS = [
    {
        "key": "offending",
        "better": "lower",
        "name": "Reduce offending by pupils",
        "direction": "reduce",
        "indicator": "offending_percent",
    },
    {
        "key": "truancy",
        "better": "lower",
        "name": "Reduce truancy",
        "direction": "reduce",
        "indicator": "truancy_decile",
    },
    {
        "key": "exclusions",
        "better": "lower",
        "name": "Reduce exclusions",
        "direction": "reduce",
        "indicator": "exclusions_decile",
    },
    {
        "key": "attendance",
        "better": "lower",
        "name": "Improve attendance",
        "direction": "improve",
        "indicator": "absence_decile",
    },
    {
        "key": "results",
        "better": "higher",
        "name": "Improve results",
        "direction": "improve",
        "indicator": "gcse_decile",
    },
    {
        "key": "safety",
        "better": "higher",
        "name": "Improve how safe pupils, staff and parents feel",
        "direction": "improve",
        "indicator": "feel_safe_percent",
    },
    {
        "key": "crime",
        "better": "lower",
        "name": "Reduce crime, anti-social behaviour and victimisation among young people",
        "direction": "reduce",
        "indicator": "incidents_per_week",
    },
    {
        "key": "confidence",
        "better": "higher",
        "name": "Improve confidence in the police and partners",
        "direction": "improve",
        "indicator": "",
    },
]

# What a partnership at levels 1 to 4 has in place, in the guidance's order.
PARTNERSHIP_EXPECTATIONS = [
    ("steering_group", "A strategic steering group with the other agencies"),
    ("information_sharing", "An information sharing protocol, signed by the partners"),
    (
        "action_plan",
        "A multi-agency action plan with objectives, percentage targets and a strategy to reach a lower level",
    ),
    (
        "management_group",
        "A local management group: the school's link from senior leadership, a senior leadership representative, the officer and the officer's line manager",
    ),
    ("behaviour_team", "The officer is part of the school's behaviour-improvement team"),
    ("police_data", "The police collate crime around the school and offenders on the roll"),
    (
        "school_data",
        "The school supplies its absence, truancy, exclusion and results figures and collects how safe people feel",
    ),
    (
        "targeted_group",
        "A group of young people named by a multi-agency panel, each with an action plan built on their risk and protective factors",
    ),
    ("restorative", "Restorative approaches used across the whole school"),
]
CITIZENSHIP_EXPECTATION = (
    "citizenship",
    "A citizenship programme delivered with the school's officer, PCSO or police staff",
)


def _criteria(*texts, source=G):
    return [{"text": text, "source": source} for text in texts]


FIVE_LEVEL = {
    "key": "five-level",
    "name": "Five intervention levels (national guidance)",
    "description": (
        "Levels 1 (the most support) to 5 (a high-achieving school with very little crime), "
        "placed mostly from measured criteria and agreed with each school."
    ),
    "rule_summary": (
        "Level 1 when more than a tenth of the roll has offended or any criterion reaches its "
        "Level 1 mark (highest tenth of schools for absence, lowest tenth for results, special "
        "measures and so on). Level 2 when more than one in twenty has offended, the school is "
        "failing, or three criteria are in the worst national quarter. Level 3 when more than "
        "one in fifty has offended or two criteria are in the worst quarter. Level 4 with one "
        "criterion of concern. Level 5 otherwise."
    ),
    "levels": [
        {
            "key": "level-5",
            "name": "Level 5",
            "rank": 1,
            "colour": "green",
            "description": "A high-achieving school with very little crime.",
            "criteria": _criteria(
                "Truancy, total absence and exclusions are at acceptable levels",
                "The school achieves well",
                "There is very little crime at or around the school",
            ),
            "resources": "A schools officer, PCSOs or police staff, delivering a citizenship programme.",
        },
        {
            "key": "level-4",
            "name": "Level 4",
            "rank": 2,
            "colour": "turquoise",
            "min_factors": 1,
            "description": "One sign of concern: rising absence, offending or calls to the police.",
            "criteria": _criteria(
                "Truancy or total absence in the highest quarter of schools nationally",
                "More crime and disorder reports in the school's log than before",
                "Exclusions are low (the guidance lists this among the signs at this level)",
                "How safe pupils and staff feel gives cause for concern",
                "A rising number of offenders on the roll",
                "More calls to the police about the school",
            ),
            "resources": "A part-time officer or a PCSO.",
        },
        {
            "key": "level-3",
            "name": "Level 3",
            "rank": 3,
            "colour": "yellow",
            "key_factors": ["offending"],
            "min_factors": 2,
            "description": "Several signs in the worst national quarter, or offending above one in fifty.",
            "criteria": _criteria(
                "Truancy, absence, exclusions or results in the worst quarter of schools nationally",
                "More than 2% of the roll has offended",
                "Some concern in the local community",
            ),
            "resources": "A full-time officer who also has other duties, and staff seconded from other agencies.",
        },
        {
            "key": "level-2",
            "name": "Level 2",
            "rank": 4,
            "colour": "orange",
            "key_factors": ["offending", "special_measures"],
            "min_factors": 3,
            "description": "Serious problems: the Level 1 signs at the quarter mark, offending above one in twenty, or a failing school.",
            "criteria": _criteria(
                "Truancy or total absence in the highest quarter of schools nationally",
                "Many exclusions",
                "GCSE results in the lowest quarter nationally",
                "Many pupils and staff do not feel safe",
                "More than 5% of the roll has offended",
                "Many crime and disorder reports in the school's log (a weekly average over six months)",
                "An area of high crime and anti-social behaviour",
                "A high turnover of pupils or staff",
                "A failing school",
                "Concern in the local community",
            ),
            "resources": "A full-time officer based at the school and not available for other duties, and staff seconded from other agencies.",
        },
        {
            "key": "level-1",
            "name": "Level 1",
            "rank": 5,
            "colour": "red",
            "key_factors": ["offending", "special_measures"],
            "min_factors": 1,
            "description": "The most support: serious, widespread problems in the school and around it.",
            "criteria": _criteria(
                "Truancy or total absence in the highest tenth of schools nationally",
                "Many exclusions",
                "GCSE results in the lowest tenth nationally",
                "Many pupils and staff do not feel safe",
                "More than 10% of the roll has offended",
                "Many crime and disorder reports in the school's log (a weekly average over six months)",
                "An area of high crime and anti-social behaviour",
                "A high turnover of pupils or staff",
                "The school is in special measures",
                "A high level of concern in the local community",
            ),
            "resources": "A full-time officer based at the school and not available for other duties, one or more full-time project workers, an administrator, and staff seconded from other agencies.",
        },
    ],
    "factors": [
        {
            "key": "truancy",
            "name": "Truancy (unauthorised absence)",
            "descriptors": {
                "level-1": "In the highest tenth of schools nationally.",
                "level-2": "In the highest quarter of schools nationally.",
                "level-4": "In the highest quarter of schools nationally.",
                "level-5": "At an acceptable level.",
            },
        },
        {
            "key": "absence",
            "name": "Total absence",
            "descriptors": {
                "level-1": "In the highest tenth of schools nationally.",
                "level-2": "In the highest quarter of schools nationally.",
                "level-4": "In the highest quarter of schools nationally.",
                "level-5": "At an acceptable level.",
            },
        },
        {
            "key": "exclusions",
            "name": "Exclusions",
            "descriptors": {
                "level-1": "Many pupils excluded.",
                "level-2": "Many pupils excluded.",
                "level-4": "Few exclusions, alongside other signs of concern.",
                "level-5": "At an acceptable level.",
            },
        },
        {
            "key": "results",
            "name": "GCSE results",
            "descriptors": {
                "level-1": "In the lowest tenth of schools nationally.",
                "level-2": "In the lowest quarter of schools nationally.",
                "level-5": "A high-achieving school.",
            },
        },
        {
            "key": "offending",
            "name": "Pupils who have offended",
            "descriptors": {
                "level-1": "More than 10% of the roll.",
                "level-2": "More than 5% of the roll.",
                "level-3": "More than 2% of the roll.",
                "level-4": "The number of offenders on the roll is rising.",
            },
        },
        {
            "key": "incidents",
            "name": "Crime and disorder in the school log",
            "descriptors": {
                "level-1": "Many reports a week, averaged over six months.",
                "level-2": "Many reports a week, averaged over six months.",
                "level-4": "More reports than before.",
                "level-5": "Very little crime.",
            },
        },
        {
            "key": "area",
            "name": "Crime and anti-social behaviour around the school",
            "descriptors": {
                "level-1": "An area of high crime and anti-social behaviour.",
                "level-2": "An area of high crime and anti-social behaviour.",
            },
        },
        {
            "key": "turnover",
            "name": "Turnover of pupils or staff",
            "descriptors": {
                "level-1": "High turnover of pupils or staff.",
                "level-2": "High turnover of pupils or staff.",
            },
        },
        {
            "key": "special_measures",
            "name": "Special measures or a failing school",
            "descriptors": {
                "level-1": "The school is in special measures.",
                "level-2": "A failing school.",
            },
        },
        {
            "key": "safety",
            "name": "How safe pupils and staff feel",
            "descriptors": {
                "level-1": "Many pupils and staff do not feel safe.",
                "level-2": "Many pupils and staff do not feel safe.",
                "level-4": "Perceptions of safety give cause for concern.",
            },
        },
        {
            "key": "local_concern",
            "name": "Concern in the local community",
            "descriptors": {
                "level-1": "A high level of local concern.",
                "level-2": "Local concern.",
                "level-3": "Some local concern.",
            },
        },
        {
            "key": "calls_to_police",
            "name": "Calls to the police about the school",
            "descriptors": {"level-4": "Calls to the police are increasing."},
        },
    ],
    "indicators": [
        {
            "key": "truancy_decile",
            "name": "Unauthorised absence: national decile (10 = highest)",
            "unit": "decile",
            "factor": "truancy",
            "minimum": 1,
            "maximum": 10,
            "source": F,
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
            "source": F,
            "thresholds": [
                {"level": "level-1", "at_least": 10},
                {"level": "level-2", "at_least": 8},
            ],
        },
        {
            "key": "exclusions_decile",
            "name": "Exclusions: national decile (10 = highest)",
            "unit": "decile",
            "factor": "exclusions",
            "minimum": 1,
            "maximum": 10,
            "source": F,
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
            "source": F,
            "thresholds": [{"level": "level-1", "below": 2}, {"level": "level-2", "below": 4}],
        },
        {
            "key": "offending_percent",
            "name": "Share of the roll that has offended",
            "unit": "%",
            "factor": "offending",
            "maximum": 100,
            "source": G,
            "thresholds": [
                {"level": "level-1", "above": 10},
                {"level": "level-2", "above": 5},
                {"level": "level-3", "above": 2},
            ],
        },
        {
            "key": "offenders_change",
            "name": "Change in offenders on the roll since last year",
            "unit": "pupils",
            "factor": "offending",
            "minimum": -1000,
            "source": F,
            "thresholds": [{"level": "level-4", "above": 0}],
        },
        {
            "key": "incidents_per_week",
            "name": "Crime and disorder reports a week (six-month average)",
            "unit": "a week",
            "computed_from": "incidents_per_week",
            "factor": "incidents",
            "source": F,
            "thresholds": [{"level": "level-1", "above": 5}, {"level": "level-2", "above": 2}],
        },
        {
            "key": "area_crime_decile",
            "name": "Crime and ASB around the school: force decile (10 = highest)",
            "unit": "decile",
            "factor": "area",
            "minimum": 1,
            "maximum": 10,
            "source": F,
            "thresholds": [
                {"level": "level-1", "at_least": 10},
                {"level": "level-2", "at_least": 8},
            ],
        },
        {
            "key": "pupil_turnover_percent",
            "name": "Pupils joining or leaving during the year",
            "unit": "%",
            "factor": "turnover",
            "maximum": 100,
            "source": F,
            "thresholds": [{"level": "level-1", "above": 20}, {"level": "level-2", "above": 12}],
        },
        {
            "key": "staff_turnover_percent",
            "name": "Staff leaving during the year",
            "unit": "%",
            "factor": "turnover",
            "maximum": 100,
            "source": F,
            "thresholds": [{"level": "level-1", "above": 25}, {"level": "level-2", "above": 15}],
        },
        {
            "key": "special_measures",
            "name": "Inspection: 2 = special measures, 1 = failing school, 0 = neither",
            "unit": "",
            "factor": "special_measures",
            "maximum": 2,
            "source": G,
            "thresholds": [
                {"level": "level-1", "at_least": 2},
                {"level": "level-2", "at_least": 1},
            ],
        },
        {
            "key": "feel_safe_percent",
            "name": "Pupils and staff who say they feel safe",
            "unit": "%",
            "factor": "safety",
            "maximum": 100,
            "source": F,
            "thresholds": [
                {"level": "level-1", "below": 50},
                {"level": "level-2", "below": 75},
                {"level": "level-4", "below": 85},
            ],
        },
        {
            "key": "calls_change_percent",
            "name": "Change in calls to the police about the school since last year",
            "unit": "%",
            "factor": "calls_to_police",
            "minimum": -100,
            "source": F,
            "thresholds": [{"level": "level-4", "above": 0}],
        },
    ],
    "offers": {
        "level-1": {
            "contact": "A full-time officer for the school alone",
            "contact_role": "sso",
            "frequency": "weekly",
            "offer": "A full-time officer based at the school and not available for other duties, with full-time project workers, an administrator and staff seconded from other agencies.",
        },
        "level-2": {
            "contact": "A full-time officer for the school alone",
            "contact_role": "sso",
            "frequency": "weekly",
            "offer": "A full-time officer based at the school and not available for other duties, with staff seconded from other agencies.",
        },
        "level-3": {
            "contact": "A full-time officer who also has other duties",
            "contact_role": "sso",
            "frequency": "per_term",
            "engagements_per_term": 6,
            "offer": "A full-time officer who also has other duties, with staff seconded from other agencies.",
        },
        "level-4": {
            "contact": "A part-time officer or a PCSO",
            "contact_role": "neighbourhood",
            "frequency": "per_term",
            "engagements_per_term": 3,
            "offer": "A part-time officer or a PCSO.",
        },
        "level-5": {
            "contact": "A schools officer, a PCSO or police staff",
            "contact_role": "",
            "frequency": "per_term",
            "engagements_per_term": 1,
            "offer": "A schools officer, PCSOs or police staff delivering a citizenship programme.",
        },
    },
    "aims": [{**aim, "source": G} for aim in AIMS],
    "expectations": [
        *(
            {
                "key": key,
                "text": text,
                "source": G,
                "levels": ["level-1", "level-2", "level-3", "level-4"],
            }
            for key, text in PARTNERSHIP_EXPECTATIONS
        ),
        {
            "key": CITIZENSHIP_EXPECTATION[0],
            "text": CITIZENSHIP_EXPECTATION[1],
            "source": G,
            "levels": ["level-5"],
        },
    ],
}

THREE_TIER_MEASURES = {
    "offending": "offending_percent",
    "exclusions": "permanent_exclusions",
    "attendance": "persistent_absence_percent",
    "crime": "incidents_per_week",
    # No indicator of the matrix measures it: the school's safety survey does.
    "safety": "feel_safe_percent",
}
# The three tiers are one force's operating model: the guidance's aims carry over (measured
# where the matrix has an indicator); its expectations are the force's own starting points
# for Enhanced and Complex schools.
THREE_TIER["aims"] = [
    {**aim, "indicator": THREE_TIER_MEASURES.get(aim["key"], ""), "source": G} for aim in AIMS
]
THREE_TIER["expectations"] = [
    {"key": key, "text": text, "source": F, "levels": ["enhanced", "complex"]}
    for key, text in PARTNERSHIP_EXPECTATIONS
]

THREE_TIER["indicators"] += school_supplied_indicators(THREE_TIER["key"])
FIVE_LEVEL["indicators"] += school_supplied_indicators(FIVE_LEVEL["key"])

DEFAULT_FRAMEWORKS = (THREE_TIER, FIVE_LEVEL)
PHASE_GROUPS = ("secondary", "primary")


def _models(get_model=None):
    """Return the framework's model classes: the current ones, or a migration's."""
    names = ("Framework", "Level", "Factor", "Descriptor", "Indicator", "ServiceOffer", "Aim")
    if get_model is None:
        from . import models

        return {name: getattr(models, name) for name in (*names, "Expectation")}
    return {name: get_model("needs_assessment", name) for name in (*names, "Expectation")}


@transaction.atomic
def install_framework(force, spec: dict, *, chosen: bool = False, version=1, get_model=None):
    """Create a version of a framework for a force from a spec above, unless it has it."""
    m = _models(get_model)
    existing = m["Framework"].objects.filter(force=force, key=spec["key"], version=version).first()
    if existing is not None:
        return existing
    framework = m["Framework"].objects.create(
        force=force,
        key=spec["key"],
        version=version,
        name=spec["name"],
        description=spec["description"],
        rule_summary=spec["rule_summary"],
        is_chosen=chosen,
    )
    sync_framework(framework, spec, get_model=get_model)
    return framework


def sync_framework(framework, spec: dict, *, get_model=None):
    """Bring a framework version's levels, factors, indicators, offers, aims and expectations
    to the spec, by their keys; what the spec does not name is left as it is."""
    m = _models(get_model)
    framework.name, framework.description = spec["name"], spec["description"]
    framework.rule_summary = spec["rule_summary"]
    framework.save()
    levels = {}
    for item in spec["levels"]:
        levels[item["key"]], _ = m["Level"].objects.update_or_create(
            framework=framework,
            key=item["key"],
            defaults={
                "name": item["name"],
                "rank": item["rank"],
                "colour": item.get("colour", "grey"),
                "description": item.get("description", ""),
                "key_factors": item.get("key_factors", []),
                "min_factors": item.get("min_factors"),
                "lifted_by_higher": item.get("lifted_by_higher", False),
                "criteria": item.get("criteria", []),
                "resources": item.get("resources", ""),
                "resources_source": "guidance" if item.get("resources") else "force",
            },
        )
    factors = {}
    for order, item in enumerate(spec["factors"]):
        factors[item["key"]], _ = m["Factor"].objects.update_or_create(
            framework=framework, key=item["key"], defaults={"name": item["name"], "order": order}
        )
        for level_key, text in item.get("descriptors", {}).items():
            m["Descriptor"].objects.update_or_create(
                factor=factors[item["key"]], level=levels[level_key], defaults={"text": text}
            )
    for order, item in enumerate(spec["indicators"]):
        m["Indicator"].objects.update_or_create(
            framework=framework,
            key=item["key"],
            defaults={
                "factor": factors.get(item.get("factor")),
                "name": item["name"],
                "unit": item.get("unit", ""),
                "help_text": item.get("help_text", ""),
                "minimum": item.get("minimum", 0),
                "maximum": item.get("maximum"),
                "thresholds": item.get("thresholds", []),
                "thresholds_source": item.get("source", "force"),
                "order": order,
                "computed_from": item.get("computed_from", ""),
            },
        )
    for level_key, offers in spec["offers"].items():
        per_phase = offers if "secondary" in offers else dict.fromkeys(PHASE_GROUPS, offers)
        for phase_group, offer in per_phase.items():
            m["ServiceOffer"].objects.update_or_create(
                level=levels[level_key],
                phase_group=phase_group,
                defaults={
                    "framework": framework,
                    "contact": offer["contact"],
                    "contact_role": offer.get("contact_role", ""),
                    "frequency": offer["frequency"],
                    "engagements_per_term": offer.get("engagements_per_term", 1),
                    "uses_force_enhanced_number": offer.get("uses_force_enhanced_number", False),
                    "offer": offer["offer"],
                    "education_inputs": offer.get("education_inputs", ""),
                    "promise_source": "force",
                },
            )
    add_aims_and_expectations(framework, spec, get_model=get_model)
    return framework


def add_aims_and_expectations(framework, spec: dict, *, get_model=None):
    """Give a framework version the spec's aims and expectations, by their keys."""
    m = _models(get_model)
    levels = {level.key: level for level in m["Level"].objects.filter(framework=framework)}
    for order, item in enumerate(spec.get("aims", [])):
        m["Aim"].objects.update_or_create(
            framework=framework,
            key=item["key"],
            defaults={
                "name": item["name"],
                "direction": item["direction"],
                "indicator_key": item.get("indicator", ""),
                "lower_is_better": item.get("better", "lower") == "lower",
                "source": item.get("source", "force"),
                "order": order,
            },
        )
    for order, item in enumerate(spec.get("expectations", [])):
        expectation, _ = m["Expectation"].objects.update_or_create(
            framework=framework,
            key=item["key"],
            defaults={"text": item["text"], "source": item["source"], "order": order},
        )
        expectation.levels.set([levels[key] for key in item["levels"] if key in levels])


def install_default_frameworks(force):
    """Give a force both shipped frameworks, the three-tier one chosen unless it chose already."""
    from .models import Framework

    has_chosen = Framework.objects.filter(force=force, is_chosen=True).exists()
    for spec in DEFAULT_FRAMEWORKS:
        install_framework(force, spec, chosen=not has_chosen and spec is THREE_TIER)
