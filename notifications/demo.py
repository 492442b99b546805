"""Demo inbox entries for the demo citizen, so the badge and inbox have something to show."""

from __future__ import annotations

from accounts.models import User
from notifications.services import notify

DEMO_CITIZEN = "+989120000002"

DEMO_EVENTS = [
    (
        "demo-reply",
        "comment_replied",
        {"actor": "کارشناس منطقه ۱", "project": "بوستان محله", "excerpt": "ممنون از پیشنهادتان."},
    ),
    ("demo-phase", "project_phase_changed", {"project": "بوستان محله", "phase": "در حال اجرا"}),
    (
        "demo-round",
        "budgeting_round_opened",
        {"round": "بودجه‌ریزی ۱۴۰۵", "district": "منطقه ۱", "closes_on": "۱۴۰۵/۰۳/۳۱"},
    ),
]


def seed(stdout) -> None:
    citizen = User.objects.filter(phone=DEMO_CITIZEN).first()
    if citizen is None:
        return
    written = 0
    for key, event, context in DEMO_EVENTS:
        written += len(notify(event=event, recipients=[citizen], context=context, url="/projects/", dedupe_key=key))
    stdout.write(f"Notifications: {written} new for the demo citizen.")
