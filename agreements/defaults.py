"""The agreement wording every new force starts with; a force edits it in the product.

Each template is a list of sections. A section's text may hold placeholders in braces,
filled when an agreement is prepared: {school}, {force}, {officer}, {officer_role}
and {review_period}. A paragraph whose lines start with "- " is a list.
Optional sections are the protocol parts a force may leave out of an agreement.
"""

from django.db import transaction

from .provider_defaults import PROVIDER_AGREEMENT

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

AIMS = {
    "key": "aims",
    "heading": "Aims and objectives",
    "body": (
        "The partnership works towards a safer school and a safer area around it. Together "
        "{force} and {school} aim to:\n"
        "- prevent and reduce bullying, in school and online;\n"
        "- reduce substance misuse and the harm it does;\n"
        "- keep the school site and its pupils, staff and visitors secure;\n"
        "- improve attendance and reduce truancy;\n"
        "- help pupils through the move between schools and into adult life;\n"
        "- teach pupils to resolve conflict without violence;\n"
        "- encourage good citizenship and confidence in the police."
    ),
}

REPORTING = {
    "key": "reporting",
    "heading": "What staff report to the police, and how",
    "body": (
        "Staff report to the headteacher or a named lead, who passes the report to {officer}, "
        "or to the police control room when the officer is not there:\n"
        "- assaults that cause an injury;\n"
        "- robbery;\n"
        "- sexual assault;\n"
        "- weapons or drugs seized or found on the school site.\n\n"
        "The headteacher and the officer agree which other crimes the school reports. A "
        "report from a third party is accepted, with full details of the incident and of the "
        "people involved.\n\n"
        "Staff keep the evidence where they can: physical evidence and the names of "
        "witnesses. Exhibits and their continuity come first: they are kept safe, not handled "
        "more than needed, and handed to the officer with a note of who held them and when."
    ),
}

ARRESTS = {
    "key": "arrests",
    "heading": "Arrests at school",
    "body": (
        "Minor crime is usually dealt with out of school hours, once details are taken and "
        "evidence gathered. A pupil is arrested at school only for a serious matter, and the "
        "officer tells the headteacher or a senior member of staff before doing so unless "
        "that would put someone at risk."
    ),
}

SEARCHES = {
    "key": "searches",
    "heading": "Searching pupils",
    "body": (
        "When the officer searches a pupil:\n"
        "- a member of staff assists;\n"
        "- the school tells the pupil's parents or carers;\n"
        "- the officer makes a stop and search record, gives a copy to the pupil and sends "
        "one for the pupil's school file.\n\n"
        "Searches by school staff follow the school's own policy and the national advice on "
        "searching, screening and confiscation."
    ),
}

UNIFORM = {
    "key": "uniform",
    "heading": "Uniform and protective equipment",
    "body": (
        "The officer wears police uniform and carries the protective equipment the force "
        "issues, unless their supervisor agrees otherwise for a particular activity."
    ),
}

ACCESS = {
    "key": "access",
    "heading": "Access to the school's grounds",
    "body": (
        "The school gives the officer access to its grounds and, where the work needs it, "
        "to restricted areas, following the school's visitor and safeguarding procedures. "
        "The officer does not enter a classroom while a lesson is being taught unless "
        "invited by a member of staff, except in an emergency."
    ),
}

OTHER_OFFICERS = {
    "key": "other_officers",
    "heading": "Other officers at the school",
    "body": (
        "Other officers who come to the school, on neighbourhood duty or to investigate, "
        "announce themselves at reception and tell the school why they are there. {officer} "
        "owns incidents at the school and is the point of contact for other police teams "
        "investigating there."
    ),
}

CRIME_RECORDING = {
    "key": "crime_recording",
    "heading": "Recording crime",
    "body": (
        "Crime reported by the school is recorded under the national crime recording rules. "
        "Both parties work with a presumption against criminalising children where that is "
        "right: the response fits the harm done and the young person's needs."
    ),
}

RESTORATIVE = {
    "key": "restorative",
    "heading": "Informal resolution",
    "body": (
        "Where it is proper, a restorative informal resolution comes first. It is always "
        "written down, and used only with the agreement of the victim and their parents or "
        "carers, of teaching staff, and of the young person responsible and their parents or "
        "carers. Where it fails or does not fit, the lowest fitting legal response follows."
    ),
}

OFFICER_ROLES = {
    "key": "officer_roles",
    "heading": "The officer's four roles",
    "body": (
        "The officer works in the four nationally recognised roles:\n"
        "- law: preventing and dealing with crime in and around the school;\n"
        "- educator: helping to teach pupils about safety, the law and citizenship;\n"
        "- advisor: advising staff, pupils and parents on safety and on the law;\n"
        "- role model: showing young people a positive picture of the police."
    ),
}

PROGRAMME = {
    "key": "programme",
    "heading": "The programme of activity",
    "body": (
        "{officer} agrees a programme of activity each year with the headteacher, the lead "
        "teachers and the governors, fitted to the school's needs and the area's risks, and "
        "reviews it with them as the year goes on."
    ),
}

DISPUTES = {
    "key": "disputes",
    "heading": "Settling disagreements",
    "body": (
        "A disagreement about this agreement or the work under it is settled between the "
        "school's senior link and the officer's sergeant, the two leads of the partnership. "
        "If they cannot settle it, the headteacher and the neighbourhood inspector meet to "
        "do so."
    ),
}

DIRECTION = {
    "key": "direction",
    "heading": "Working within the school",
    "body": (
        "Within the school the officer follows the reasonable direction of the headteacher "
        "on the school's routines and activities, while staying under police command for "
        "all policing decisions."
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
        "- the force's advice on when a school should call the police.\n\n"
        "Where to read them:\n"
        "- https://www.gov.uk/government/publications/behaviour-in-schools--2\n"
        "- https://www.gov.uk/government/publications/searching-screening-and-confiscation\n"
        "- https://www.gov.uk/government/publications/use-of-reasonable-force-in-schools\n"
        "- https://www.gov.uk/government/publications/counting-rules-for-recorded-crime\n"
        "- https://www.gov.uk/government/publications/keeping-children-safe-in-education--2\n"
        "- https://www.gov.uk/government/publications/when-to-call-the-police--2"
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
        AIMS,
        _police_duties(
            "name {officer}, {officer_role}, as the school's police contact, with cover when "
            "they are away;",
            [
                "work with pupils one to one and in small groups when the school and the "
                "officer agree it will help;",
                "offer the school targeted safety-education inputs in line with force priorities.",
            ],
        ),
        SCHOOL_DUTIES,
        REPORTING,
        ARRESTS,
        SEARCHES,
        UNIFORM,
        ACCESS,
        OTHER_OFFICERS,
        CRIME_RECORDING,
        RESTORATIVE,
        OFFICER_ROLES,
        PROGRAMME,
        DISPUTES,
        DIRECTION,
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
        AIMS,
        _police_duties(
            "give the school a dedicated Safer Schools officer, {officer}, working within the "
            "school at least once a week;",
            [
                "work with pupils one to one and in small groups, and in classrooms and "
                "assemblies, alongside school staff.",
            ],
        ),
        SCHOOL_DUTIES,
        REPORTING,
        ARRESTS,
        SEARCHES,
        UNIFORM,
        ACCESS,
        OTHER_OFFICERS,
        CRIME_RECORDING,
        RESTORATIVE,
        OFFICER_ROLES,
        PROGRAMME,
        DISPUTES,
        DIRECTION,
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

DEFAULT_TEMPLATES = (
    NAMED_OFFICER,
    SAFER_SCHOOLS_OFFICER,
    INFORMATION_SHARING_AGREEMENT,
    PROVIDER_AGREEMENT,
)


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
