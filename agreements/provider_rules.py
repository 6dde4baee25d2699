"""Who may see, prepare, sign and end provider agreements.

The force's education coordinators prepare them and sign for the partnership; the partner's
own people sign for it and read only their own; prevention managers and administrators read
them all and may end one; schools and officers have no part in them.
"""

import rules

from accounts.rules import in_users_force, is_admin, is_coordinator, is_manager, is_partner


@rules.predicate
def is_its_provider(user, agreement):
    """True for the partner's own people, once it is sent."""
    if agreement is None:
        return True
    return (
        agreement.provider_id == user.organisation_id and agreement.state != agreement.State.DRAFT
    )


@rules.predicate
def provider_is_draft(user, agreement):
    return agreement is None or agreement.state == agreement.State.DRAFT


@rules.predicate
def provider_waits_for_partner(user, agreement):
    return agreement is None or agreement.state == agreement.State.SENT


@rules.predicate
def provider_may_end(user, agreement):
    return agreement is None or agreement.state in {
        agreement.State.SENT,
        agreement.State.ACTIVE,
    }


@rules.predicate
def provider_is_sealed(user, agreement):
    return agreement is None or agreement.is_sealed


runs_the_partnership = is_coordinator | is_manager | is_admin
reads_it = (runs_the_partnership & in_users_force) | (is_partner & is_its_provider)

rules.add_perm("agreements.list_provider_agreements", runs_the_partnership | is_partner)
# Those whose work it is see it in the menu; managers and administrators reach it from the
# agreements page.
rules.add_perm("agreements.provider_agreements_in_nav", is_coordinator | is_partner)
rules.add_perm("agreements.view_provider_agreement", reads_it)
rules.add_perm("agreements.prepare_provider_agreement", is_coordinator)
rules.add_perm(
    "agreements.send_provider_agreement", is_coordinator & in_users_force & provider_is_draft
)
rules.add_perm(
    "agreements.sign_provider_agreement",
    is_partner & is_its_provider & provider_waits_for_partner,
)
# The partner due to sign may ask for changes instead: it goes back to the coordinator.
rules.add_perm(
    "agreements.request_provider_changes",
    is_partner & is_its_provider & provider_waits_for_partner,
)
# Either party may end it: the partnership's coordinators and managers, or the partner.
rules.add_perm(
    "agreements.end_provider_agreement",
    (((is_coordinator | is_manager) & in_users_force) | (is_partner & is_its_provider))
    & provider_may_end,
)
rules.add_perm("agreements.download_provider_pdf", reads_it & provider_is_sealed)
