"""What staff see of a possible campaign on a project's and a budgeting round's admin page.

Two signs, from ``projects.selectors.campaign_signals``: how many supports
(ballots) came from accounts created shortly before they were cast, and the
sign-up networks (keyed labels, never addresses) that many of those accounts
came from. Neither proves anything; both tell staff where to look.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.persian import format_number
from projects import conf
from projects.selectors import CampaignSignals


@dataclass(frozen=True)
class Wording:
    new_accounts: str
    networks: str
    no_networks: str


SUPPORTS = Wording(
    new_accounts=_(
        "%(new)s of %(total)s supports were cast by accounts created less than 24 hours before they supported."
    ),
    networks=_("Sign-up networks from which at least %(min)s supporting accounts were created:"),
    no_networks=_("No sign-up network has %(min)s or more supporting accounts."),
)
BALLOTS = Wording(
    new_accounts=_("%(new)s of %(total)s ballots were cast by accounts created less than 24 hours before they voted."),
    networks=_("Sign-up networks from which at least %(min)s voting accounts were created:"),
    no_networks=_("No sign-up network has %(min)s or more voting accounts."),
)
NETWORK_NOTE = _("A network is a keyed label of the address an account was created from; the address is not kept.")


def _accounts(count: int) -> str:
    return ngettext("%(count)s account", "%(count)s accounts", count) % {"count": format_number(count)}


def render(signals: CampaignSignals, wording: Wording) -> str:
    """The two signs as a short block of HTML, numbers in Persian digits."""
    least = format_number(conf.network_min_accounts())
    first = format_html(
        "<p>{}</p>",
        wording.new_accounts % {"new": format_number(signals.by_new_accounts), "total": format_number(signals.total)},
    )
    if not signals.networks:
        return first + format_html("<p>{}</p>", wording.no_networks % {"min": least})
    rows = format_html_join(
        "",
        '<li><code dir="ltr">{}</code>: {}</li>',
        ((label, _accounts(count)) for label, count in signals.networks),
    )
    return first + format_html(
        '<p>{}</p><ul class="campaign-networks">{}</ul><p class="help">{}</p>',
        wording.networks % {"min": least},
        rows,
        NETWORK_NOTE,
    )
