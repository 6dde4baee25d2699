"""The joint protocol's reportable kinds and the steps agreed for each, as every force starts.

A force edits its own copy (its "other" kinds agreed with its schools, and the wording of
the steps) in the product; these are only the starting point, loaded by a data migration for
the forces that exist and by a signal for each new force.
"""

# Steps every kind shares, in the protocol's order.
PRESERVE_EVIDENCE = (
    "Keep the evidence where you can: leave things where they are, keep the physical evidence "
    "safe and write down who saw what, in their words, as soon as possible."
)
CONTINUITY = (
    "Exhibits and their continuity come first: put each item in a bag or envelope, write down "
    "who found it, who has held it since and where it is kept, and hand it to the officer."
)
WHO_TO_TELL = (
    "Staff tell the headteacher or a designated lead, who reports it here at once. The school's "
    "officer is told now; when they are not on site and it cannot wait, call the control room "
    "on 101, or 999 in an emergency."
)
MINOR_CRIME = (
    "Minor crime is usually dealt with out of school hours, once the details are taken and the "
    "evidence gathered."
)
ARRESTS = (
    "Arrests at school are for serious matters only. Otherwise the officer arranges to speak "
    "to the pupil and their parents away from school."
)
RESTORATIVE = (
    "Where it is proper, a restorative informal resolution comes first: it is always written "
    "down and needs the agreement of the victim and their parents, staff, and the pupil "
    "responsible and their parents."
)

# key, name, urgent (tell the reporter to call 999 or the control room now), extra steps.
KINDS = [
    (
        "assault_with_injury",
        "Assault with injury",
        True,
        [
            "Look after the injured person first: first aid, and an ambulance if it is needed.",
            PRESERVE_EVIDENCE,
            WHO_TO_TELL,
            RESTORATIVE,
            ARRESTS,
        ],
    ),
    (
        "robbery",
        "Robbery",
        True,
        [
            "Make sure the victim is safe and write down what was taken and a description of "
            "the people who took it.",
            PRESERVE_EVIDENCE,
            WHO_TO_TELL,
            ARRESTS,
        ],
    ),
    (
        "sexual_assault",
        "Sexual assault",
        True,
        [
            "Follow your safeguarding procedure: the designated safeguarding lead makes the "
            "referral to children's social care as well as reporting it here.",
            "Do not question the pupils involved in detail and do not examine anyone: listen, "
            "write down what was said in their words, and leave the interview to the police.",
            PRESERVE_EVIDENCE,
            WHO_TO_TELL,
        ],
    ),
    (
        "weapon",
        "Weapon seized or found",
        True,
        [
            "Do not put anyone at risk to take a weapon. If it is safe, move it out of reach, "
            "handle it as little as possible and keep it locked away until the officer takes it.",
            CONTINUITY,
            WHO_TO_TELL,
            ARRESTS,
        ],
    ),
    (
        "drugs",
        "Drugs seized or found",
        False,
        [
            "Do not test or taste anything. Put the substance in a sealed bag or envelope, with "
            "a witness, and keep it locked away until the officer takes it.",
            CONTINUITY,
            WHO_TO_TELL,
            MINOR_CRIME,
        ],
    ),
]

# The "other" kinds a headteacher and officer often agree to report; a force adds or retires its own.
OTHER_KINDS = [
    ("criminal_damage", "Criminal damage", False, [PRESERVE_EVIDENCE, WHO_TO_TELL, MINOR_CRIME]),
    ("theft", "Theft", False, [PRESERVE_EVIDENCE, WHO_TO_TELL, MINOR_CRIME, RESTORATIVE]),
    (
        "online_harm",
        "Online harm, such as sharing nude images",
        False,
        [
            "Do not view, copy, print or forward the images or messages. Take the device, switch "
            "it off and keep it locked away for the officer.",
            CONTINUITY,
            WHO_TO_TELL,
        ],
    ),
]


def install_defaults(force, *, kind_model, step_model) -> int:
    """Give a force the default kinds and their steps, once; return how many kinds were added.
    Takes the model classes so that the data migration can pass its historical ones."""
    added = 0
    specs = [(*spec, True) for spec in KINDS] + [(*spec, False) for spec in OTHER_KINDS]
    for order, (key, name, urgent, steps, in_protocol) in enumerate(specs):
        kind, created = kind_model.objects.get_or_create(
            force_id=force.pk,
            key=key,
            defaults={
                "name": name,
                "is_urgent": urgent,
                "in_protocol": in_protocol,
                "order": order,
            },
        )
        if created:
            added += 1
            step_model.objects.bulk_create(
                step_model(kind=kind, order=number, text=text)
                for number, text in enumerate(steps, start=1)
            )
    return added
