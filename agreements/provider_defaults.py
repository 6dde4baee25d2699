"""The shipped wording of a provider agreement: the partnership and an education partner.

Placeholders: {force}, {provider}, {coordinator}, {review_period}. The section marked "local"
is replaced by what this partner delivers, as the coordinator writes it for the agreement.
"""

PROVIDER_AGREEMENT = {
    "kind": "provider",
    "title": "Provider agreement: safety education in schools",
    "sections": [
        {
            "key": "provider_purpose",
            "heading": "Purpose",
            "body": (
                "{force} runs a safer schools partnership with the schools of its area. Its "
                "partners keep delivering safety education to schools, co-ordinated through "
                "the partnership: one catalogue of sessions that schools choose and book in a "
                "few steps, and one evaluation of their impact that every partner sees.\n\n"
                "This agreement is between the partnership, for which {coordinator} signs as "
                "its education coordinator, and {provider}, an education partner. It says what "
                "{provider} delivers, the standards it keeps, and what the partnership does in "
                "return."
            ),
        },
        {
            "key": "provider_delivers",
            "heading": "What {provider} delivers",
            "local": True,
            "body": (
                "- the sessions {provider} publishes in the partnership's catalogue, for the "
                "year groups, in the formats, for the length, number of pupils and cost shown "
                "there;\n"
                "- on the dates it offers there, to the schools that book them."
            ),
        },
        {
            "key": "provider_safeguarding",
            "heading": "Safeguarding checks",
            "body": (
                "- everyone who delivers a session for {provider} has an enhanced Disclosure "
                "and Barring Service (DBS) check suitable for work with children, renewed at "
                "least every three years, and {provider} keeps a record of each check;\n"
                "- {provider} names a safeguarding lead and shows the partnership its records "
                "of checks and training when asked;\n"
                "- deliverers bring photographic identification, sign in at the school's "
                "reception and follow the school's safeguarding procedures;\n"
                "- a member of the school's staff stays in the room throughout; deliverers are "
                "never alone with a pupil unless the school has agreed it beforehand;\n"
                "- a concern about a child is told to the school's designated safeguarding lead "
                "the same day, in person or by telephone, and followed up in writing."
            ),
        },
        {
            "key": "provider_quality",
            "heading": "Age-appropriate inputs, vetted by the school",
            "body": (
                "- each session is written for the key stage and year groups it is offered to, "
                "and for pupils with special educational needs where the school asks;\n"
                "- {provider} sends the school the session plan and materials at least ten "
                "working days before the date; the school checks them and may ask for "
                "changes or cancel the booking without charge;\n"
                "- sessions do not rely on shock tactics, graphic images or scare stories, and "
                "give pupils sources of help they can use;\n"
                "- what is taught agrees with the school's relationships, sex and health "
                "education and personal, social, health and economic (PSHE) curriculum; the "
                "school's teachers remain responsible for it."
            ),
        },
        {
            "key": "provider_bookings",
            "heading": "Bookings and delivery",
            "body": (
                "- {provider} keeps its sessions and dates in the catalogue up to date;\n"
                "- it accepts or declines a booking within five working days;\n"
                "- it cancels only when it must, with as much notice as it can give and never "
                "less than five working days except in an emergency, and offers another date."
            ),
        },
        {
            "key": "provider_evaluation",
            "heading": "Evaluation shared with the partnership",
            "body": (
                "- the school evaluates each session through the partnership's service: "
                "whether it was delivered, suitable for the pupils' age, useful, and the "
                "pupils' confidence before and after;\n"
                "- {provider} sees the evaluations of its own sessions, and every partner sees "
                "the partnership's results, so that together they learn what works;\n"
                "- {provider} shares with the partnership any evaluation of its own, and acts "
                "on what the evaluations show;\n"
                "- no evaluation names a pupil."
            ),
        },
        {
            "key": "provider_data",
            "heading": "Data protection",
            "body": (
                "- each party is a controller of the personal data it holds, under the UK "
                "General Data Protection Regulation and the Data Protection Act 2018;\n"
                "- {provider} receives only what it needs to deliver a session: the school, "
                "the year group, the number of pupils and any access needs; it does not ask "
                "for pupils' names;\n"
                "- the contact details of school staff are used only to arrange and deliver "
                "sessions, kept securely and deleted when no longer needed;\n"
                "- a party that loses or wrongly discloses personal data tells the other "
                "within one working day."
            ),
        },
        {
            "key": "provider_partnership",
            "heading": "What the partnership does",
            "body": (
                "- lists {provider}'s sessions in the catalogue and shows schools that "
                "{provider} has a current provider agreement;\n"
                "- passes on the topics schools ask for that nobody offers yet;\n"
                "- sends schools confirmations and reminders of their bookings;\n"
                "- tells {provider} when the force's priorities for safety education change."
            ),
        },
        {
            "key": "provider_review",
            "heading": "Review and ending",
            "body": (
                "This agreement is reviewed at least every {review_period}; it stops being "
                "current at its review date unless renewed. Either party may end it at any "
                "time by telling the other in writing. When it ends, {provider}'s sessions "
                "leave the catalogue; bookings already made are delivered or cancelled with "
                "notice, as the school prefers."
            ),
        },
        {
            "key": "provider_guidance",
            "heading": "The guidance it is read with",
            "body": (
                "- Keeping children safe in education (Department for Education): "
                "https://www.gov.uk/government/publications/keeping-children-safe-in-education--2\n"
                "- DBS checks (Disclosure and Barring Service): "
                "https://www.gov.uk/government/organisations/disclosure-and-barring-service\n"
                "- Relationships, sex and health education (Department for Education): "
                "https://www.gov.uk/government/publications/relationships-education-relationships-and-sex-education-rse-and-health-education\n"
                "- UK GDPR guidance (Information Commissioner's Office): "
                "https://ico.org.uk/for-organisations/uk-gdpr-guidance-and-resources/"
            ),
        },
    ],
}
