"""Demo ideas in the city's open idea round: most wait for review, so the staff's buttons have work; idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import Role, User
from projects.models import Idea, IdeaRound, IdeaStatus

IDEAS = (
    ("کتابخانهٔ کوچک در ایستگاه اتوبوس", "قفسه‌ای کوچک برای امانت کتاب میان ساکنان در ایستگاه اصلی محله."),
    ("سایه‌بان برای زمین بازی کودکان", "زمین بازی در تابستان آفتاب‌گیر است؛ سایه‌بان پارچه‌ای پیشنهاد می‌شود."),
    ("بازارچهٔ محصولات خانگی آخر هفته", "بازارچه‌ای در حیاط سرای محله برای فروش محصولات خانگی ساکنان."),
    ("شیب‌راه برای ورودی سرای محله", "ورودی سرای محله پله دارد و برای ویلچر و کالسکه دشوار است."),
    ("نقاشی دیوارهای کوچهٔ مدرسه", "دیوارهای کوچهٔ مدرسه با مشارکت دانش‌آموزان نقاشی شود."),
)
# Four wait for review (the queue), one was returned with its reason.
STATUSES = (IdeaStatus.SUBMITTED,) * 4 + (IdeaStatus.RETURNED,)


def seed_ideas(stdout) -> None:
    """Ideas by demo citizens for their own neighbourhoods, submitted over the last days (oldest first in the queue)."""
    idea_round = IdeaRound.objects.order_by("id").first()
    if idea_round is None or Idea.objects.filter(round=idea_round, title=IDEAS[0][0]).exists():
        return
    authors = list(
        User.objects.filter(role=Role.CITIZEN, home_neighborhood__district__city_id=idea_round.city_id)
        .select_related("home_neighborhood")
        .order_by("id")[: len(IDEAS)]
    )
    now = timezone.now()
    for index, ((title, description), author) in enumerate(zip(IDEAS, authors, strict=False)):
        status = STATUSES[index]
        Idea.objects.create(
            round=idea_round,
            author=author,
            neighborhood=author.home_neighborhood,
            title=title,
            description=description,
            status=status,
            review_reason="پروژهٔ مشابهی در این محله در دست اجراست." if status == IdeaStatus.RETURNED else "",
            reviewed_at=now if status == IdeaStatus.RETURNED else None,
            created_at=now - dt.timedelta(days=len(IDEAS) - index),
        )
    stdout.write(f"Ideas: {Idea.objects.filter(round=idea_round).count()} in «{idea_round.title}».")
