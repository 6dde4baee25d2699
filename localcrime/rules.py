"""Who may load street-level crime, set how it is counted, and read the figures and map."""

import rules

from accounts.rules import is_admin, is_manager, is_police_side

rules.add_perm("localcrime.import_street_crime", is_admin | is_manager)
rules.add_perm("localcrime.manage_settings", is_admin | is_manager)
rules.add_perm("localcrime.view_local_crime", is_police_side)
