"""Residency: where a citizen lives, how often they may move, and how a declared home is confirmed.

``home`` moves a home (one door for profile page, API and admin) and holds
the staff decisions; ``verifiers`` is the interface a city plugs a census
check into; ``census`` reads the list a city uploads.
"""

from accounts.residency.census import census_list_delete, census_list_replace, read_census_file
from accounts.residency.home import (
    home_change_after,
    home_cooldown_error,
    residency_allow_early_move,
    residency_mark_verified,
    user_set_home,
)
from accounts.residency.verifiers import (
    CensusListVerifier,
    ResidencyVerifier,
    national_code_key,
    residency_verifiers,
    residency_verify,
)

__all__ = [
    "CensusListVerifier",
    "ResidencyVerifier",
    "census_list_delete",
    "census_list_replace",
    "home_change_after",
    "home_cooldown_error",
    "national_code_key",
    "read_census_file",
    "residency_allow_early_move",
    "residency_mark_verified",
    "residency_verifiers",
    "residency_verify",
    "user_set_home",
]
