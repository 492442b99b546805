"""Demo projects for a local run: a few hundred across phases, districts and categories.

Built with bulk inserts so ``seed_demo`` stays fast, and skipped entirely when
the demo budgeting round already exists, so running it twice adds nothing. Ideas waiting for
review come from ``projects.demo.ideas``.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.identity import network_key, person_key
from accounts.models import Role, User
from core.persian import to_persian_digits
from places.models import City, CityParticipationSettings, Neighborhood
from projects import events
from projects.demo.ideas import seed_ideas
from projects.demo.texts import (
    ABUSIVE_COMMENTS,
    COMMENTS,
    REPLIES,
    TITLES,
    UNITS,
    seed_flagged_words,
)
from projects.models import (
    Ballot,
    BudgetingCycle,
    BudgetingRound,
    Comment,
    CommentFlag,
    CommentStatus,
    FlagReason,
    IdeaRound,
    Phase,
    PhaseChange,
    Project,
    ProjectUpdate,
    ProposerKind,
    RoundStatus,
    Support,
)

DEMO_ROUND_TITLE = "بودجه‌ریزی مشارکتی منطقه ۱ — ۱۴۰۵"
DEMO_SECOND_ROUND_TITLE = "بودجه‌ریزی مشارکتی منطقه ۲ — ۱۴۰۵"
DEMO_CYCLE_TITLE = "بودجه‌ریزی مشارکتی مناطق ۱ و ۲ — ۱۴۰۵"
PROJECT_COUNT = 300
CITIZEN_COUNT = 40

PHASE_WEIGHTS = [
    (Phase.PROPOSED, 30),
    (Phase.UNDER_REVIEW, 20),
    (Phase.APPROVED, 15),
    (Phase.IN_EXECUTION, 20),
    (Phase.COMPLETED, 10),
    (Phase.REJECTED, 5),
]
PHASE_PATH = [Phase.PROPOSED, Phase.UNDER_REVIEW, Phase.APPROVED, Phase.IN_EXECUTION, Phase.COMPLETED]


def _citizens(hoods: list[Neighborhood]) -> list[User]:
    phones = [f"+98935000{i:04d}" for i in range(CITIZEN_COUNT)]
    existing = set(User.objects.filter(phone__in=phones).values_list("phone", flat=True))
    password = make_password(DEMO_PASSWORD)
    now = timezone.now()
    User.objects.bulk_create(
        [
            User(
                phone=phone,
                display_name=f"شهروند {to_persian_digits(i + 1)}",
                role=Role.CITIZEN,
                password=password,
                home_neighborhood=hoods[i % len(hoods)],
                home_since=now - dt.timedelta(days=200),
                mobile_verified_at=now,
                # Long-standing accounts: only the campaign below looks new on the staff's pages.
                date_joined=now - dt.timedelta(days=200 + i),
            )
            for i, phone in enumerate(phones)
            if phone not in existing
        ]
    )
    return list(User.objects.filter(phone__in=phones).select_related("home_neighborhood").order_by("phone"))


def _history(project: Project, rng: random.Random, created: dt.datetime) -> list[PhaseChange]:
    if project.phase == Phase.REJECTED:
        path = [Phase.PROPOSED, Phase.UNDER_REVIEW, Phase.REJECTED]
    else:
        path = PHASE_PATH[: PHASE_PATH.index(project.phase) + 1]
    changes, at, previous = [], created, ""
    for phase in path:
        changes.append(PhaseChange(project=project, from_phase=previous, to_phase=phase, changed_at=at))
        previous = phase
        at += dt.timedelta(days=rng.randint(5, 40))
    return changes


def seed(stdout) -> None:
    seed_flagged_words(stdout)
    _seed_catalogue(stdout)
    _seed_follows_and_inbox(stdout)
    _seed_campaign(stdout)
    seed_ideas(stdout)


# A visible campaign for the staff's signs (projects/admin/campaigns.py): accounts made from one
# network in the last day, each supporting one project and voting for it minutes after sign-up.
CAMPAIGN_ACCOUNTS = 12
CAMPAIGN_ADDRESS = "203.0.113.7"  # a documentation address: only its keyed label is stored


def _seed_campaign(stdout) -> None:
    budgeting_round = BudgetingRound.objects.filter(title=DEMO_ROUND_TITLE).first()
    target = budgeting_round.eligible_projects.order_by("id").first() if budgeting_round else None
    phones = [f"+98936000{i:04d}" for i in range(CAMPAIGN_ACCOUNTS)]
    if target is None or User.objects.filter(phone__in=phones).exists():
        return
    hood = target.neighborhoods.order_by("id").first()
    now = timezone.now()
    password = make_password(DEMO_PASSWORD)
    joined = [now - dt.timedelta(hours=20) + dt.timedelta(minutes=30 * i) for i in range(CAMPAIGN_ACCOUNTS)]
    accounts = User.objects.bulk_create(
        User(
            phone=phone,
            display_name=f"حساب تازه {to_persian_digits(i + 1)}",
            role=Role.CITIZEN,
            password=password,
            home_neighborhood=hood,
            home_since=joined[i],
            mobile_verified_at=joined[i],
            date_joined=joined[i],
            signup_network=network_key(CAMPAIGN_ADDRESS),
        )
        for i, phone in enumerate(phones)
    )
    cast = [joined[i] + dt.timedelta(minutes=5) for i in range(CAMPAIGN_ACCOUNTS)]
    Support.objects.bulk_create(
        Support(project=target, user=user, voter_key=person_key(user.phone), district=hood.district, created_at=cast[i])
        for i, user in enumerate(accounts)
    )
    ballots = Ballot.objects.bulk_create(
        Ballot(
            round=budgeting_round,
            cycle_id=budgeting_round.cycle_id,
            voter=user,
            voter_key=person_key(user.phone),
            district=hood.district,
            created_at=cast[i],
            updated_at=cast[i],
        )
        for i, user in enumerate(accounts)
    )
    Ballot.projects.through.objects.bulk_create(
        Ballot.projects.through(ballot_id=ballot.pk, project_id=target.pk) for ballot in ballots
    )
    Project.objects.filter(pk=target.pk).update(support_count=target.supports.count())
    stdout.write(f"Campaign: {CAMPAIGN_ACCOUNTS} new accounts from one network support «{target.title}».")


DEMO_CITIZEN_PHONE = "+989120000002"


def _seed_follows_and_inbox(stdout) -> None:
    """Demo citizens follow a few projects, and the demo citizen's inbox has something to show.

    Safe to run again: a follow is recorded once, and each inbox entry has a dedupe key.
    """
    from notifications.services import notify, subscribe

    projects = list(Project.objects.select_related("district").order_by("id")[:24])
    if not projects:
        return
    citizen = User.objects.filter(phone=DEMO_CITIZEN_PHONE).first()
    follows = [
        (user, projects[(i * 5 + k) % len(projects)])
        for i, user in enumerate(_existing_citizens()[:10])
        for k in range(2)
    ]
    if citizen is not None:
        follows += [(citizen, project) for project in projects[:3]]
    added = sum(subscribe(user=user, target=project) for user, project in follows)
    inbox = 0
    budgeting_round = BudgetingRound.objects.filter(title=DEMO_ROUND_TITLE).select_related("district").first()
    if citizen is not None:
        followed = projects[0]
        rows = [
            (
                "demo-reply",
                events.COMMENT_REPLIED,
                followed,
                {"actor": "کارشناس منطقه ۱", "project": followed.title, "excerpt": "ممنون از پیشنهادتان."},
            ),
            ("demo-phase", events.PROJECT_PHASE_CHANGED, followed, {"project": followed.title, "phase": "در حال اجرا"}),
        ]
        if budgeting_round is not None:
            context = {
                "round": budgeting_round.title,
                "district": budgeting_round.district.name,
                "closes_on": budgeting_round.closes_on,
            }
            rows.append(("demo-round", events.BUDGETING_ROUND_OPENED, budgeting_round, context))
        for key, event, target, context in rows:
            url = reverse("projects:round", args=[target.pk]) if target is budgeting_round else None
            written = notify(event=event, recipients=[citizen], target=target, context=context, url=url, dedupe_key=key)
            inbox += len(written)
    stdout.write(f"Follows of projects: {added} new; notifications: {inbox} new for the demo citizen.")


def _existing_citizens() -> list[User]:
    phones = [f"+98935000{i:04d}" for i in range(CITIZEN_COUNT)]
    return list(User.objects.filter(phone__in=phones).select_related("home_neighborhood").order_by("phone"))


def _seed_catalogue(stdout) -> None:
    if BudgetingRound.objects.filter(title=DEMO_ROUND_TITLE).exists():
        stdout.write("Projects: demo data already present.")
        return
    city = City.objects.filter(slug="tehran").first()
    hoods = list(Neighborhood.objects.filter(district__city=city).select_related("district").order_by("id"))
    if city is None or not hoods:
        stdout.write("Projects: no geography, skipped.")
        return
    rng = random.Random(1404)
    now = timezone.now()
    today = timezone.localdate()
    CityParticipationSettings.objects.get_or_create(city=city, defaults={"flags_to_hide": 3})
    citizens = _citizens(hoods)

    phases = [p for p, _w in PHASE_WEIGHTS]
    weights = [w for _p, w in PHASE_WEIGHTS]
    projects, links = [], []
    for i in range(PROJECT_COUNT):
        hood = hoods[(i * 7) % len(hoods)]
        template, category = TITLES[i % len(TITLES)]
        phase = rng.choices(phases, weights)[0]
        start = today + dt.timedelta(days=rng.randint(-400, 120))
        project = Project(
            title=template.format(hood=hood.name),
            description=(
                f"این طرح برای محله {hood.name} تعریف شده است. "
                "هدف آن بهبود کیفیت زندگی ساکنان و پاسخ به نیازی است که در نشست‌های محله مطرح شد."
            ),
            category=category,
            district=hood.district,
            budget=rng.randint(5, 400) * 10_000_000,
            responsible_unit=rng.choice(UNITS),
            proposer_kind=rng.choice(list(ProposerKind)),
            phase=phase,
            progress={Phase.COMPLETED: 100, Phase.IN_EXECUTION: rng.randint(5, 95)}.get(phase, 0),
            start_date=start,
            end_date=start + dt.timedelta(days=rng.randint(60, 540)),
            created_at=now - dt.timedelta(days=rng.randint(1, 500), minutes=i),
        )
        project.refresh_search_fields()
        projects.append(project)
        links.append(hood)
    Project.objects.bulk_create(projects)
    Project.neighborhoods.through.objects.bulk_create(
        [
            Project.neighborhoods.through(project_id=p.pk, neighborhood_id=h.pk)
            for p, h in zip(projects, links, strict=True)
        ]
    )
    PhaseChange.objects.bulk_create([c for p in projects for c in _history(p, rng, p.created_at)])
    ProjectUpdate.objects.bulk_create(
        ProjectUpdate(
            project=p,
            text=f"پیشرفت فیزیکی طرح به {p.progress} درصد رسید. عملیات اجرایی طبق برنامه ادامه دارد.",
            created_at=p.created_at + dt.timedelta(days=30),
        )
        for p in projects
        if p.phase in (Phase.IN_EXECUTION, Phase.COMPLETED)
    )

    supports = []
    for p in projects:
        if p.phase in (Phase.PROPOSED, Phase.UNDER_REVIEW):
            for user in rng.sample(citizens, rng.randint(0, 25)):
                supports.append(
                    Support(
                        project=p,
                        user=user,
                        voter_key=person_key(user.phone),
                        district_id=user.home_neighborhood.district_id if user.home_neighborhood else None,
                        # Spread over the last weeks, as real supports come in, so activity charts read true.
                        created_at=now - dt.timedelta(days=rng.randint(0, 40), minutes=rng.randint(0, 1439)),
                    )
                )
    Support.objects.bulk_create(supports)

    comments = []
    for p in projects[:90]:
        for user in rng.sample(citizens, rng.randint(1, 5)):
            status = rng.choices([CommentStatus.PUBLISHED, CommentStatus.PENDING, CommentStatus.HIDDEN], [80, 15, 5])[0]
            comments.append(
                Comment(
                    project=p,
                    author=user,
                    text=rng.choice(COMMENTS),
                    status=status,
                    published_at=p.created_at if status == CommentStatus.PUBLISHED else None,
                    created_at=p.created_at + dt.timedelta(days=rng.randint(1, 20)),
                    open_flag_count=3 if status == CommentStatus.HIDDEN else 0,
                )
            )
    comments += [
        Comment(
            project=p,
            author=user,
            text=text,
            status=CommentStatus.PENDING,
            auto_flagged=True,
            created_at=p.created_at + dt.timedelta(days=2),
        )
        for p, user, text in zip(projects[90:], citizens, ABUSIVE_COMMENTS, strict=False)
    ]
    Comment.objects.bulk_create(comments)
    replies = [
        Comment(
            project_id=c.project_id,
            parent=c,
            author=rng.choice(citizens),
            text=rng.choice(REPLIES),
            status=CommentStatus.PUBLISHED,
            published_at=c.created_at + dt.timedelta(hours=3),
            created_at=c.created_at + dt.timedelta(hours=3),
        )
        for c in comments[::4]
        if c.status == CommentStatus.PUBLISHED
    ]
    replies += [  # waiting for a moderator: an approval tells the parent's author after the undo delay
        Comment(project_id=c.project_id, parent=c, author=rng.choice(citizens), text=rng.choice(REPLIES))
        for c in comments[2::12]
        if c.status == CommentStatus.PUBLISHED
    ]
    Comment.objects.bulk_create(replies)
    hidden = [c for c in comments if c.status == CommentStatus.HIDDEN]
    CommentFlag.objects.bulk_create(
        CommentFlag(comment=c, user=user, reason=FlagReason.INSULT)
        for c in hidden
        for user in [u for u in citizens if u.pk != c.author_id][:3]
    )

    support_counts = dict(
        Support.objects.filter(project__in=projects).values_list("project_id").annotate(n=Count("id"))
    )
    comment_counts = dict(
        Comment.objects.filter(project__in=projects, status=CommentStatus.PUBLISHED)
        .values_list("project_id")
        .annotate(n=Count("id"))
    )
    for p in projects:
        p.support_count = support_counts.get(p.pk, 0)
        p.comment_count = comment_counts.get(p.pk, 0)
    Project.objects.bulk_update(projects, ["support_count", "comment_count"], batch_size=500)

    # Two districts' rounds opened together in one cycle: one ballot per citizen across both.
    cycle = BudgetingCycle.objects.create(city=city, title=DEMO_CYCLE_TITLE)
    districts = list(dict.fromkeys(hood.district for hood in hoods))[:2]
    for district, title in zip(districts, (DEMO_ROUND_TITLE, DEMO_SECOND_ROUND_TITLE), strict=False):
        eligible = [
            p for p in projects if p.district_id == district.pk and p.phase in (Phase.PROPOSED, Phase.UNDER_REVIEW)
        ][:8]
        budgeting_round = BudgetingRound.objects.create(
            cycle=cycle,
            district=district,
            title=title,
            description=f"ساکنان {district.name} تعیین می‌کنند بودجه امسال صرف کدام طرح‌ها شود.",
            total_budget=max(sum(p.budget for p in eligible) // 2, 1),
            opens_on=today - dt.timedelta(days=3),
            closes_on=today + dt.timedelta(days=27),
            status=RoundStatus.OPEN,
            opened_at=now,
        )
        budgeting_round.eligible_projects.set(eligible)
    IdeaRound.objects.get_or_create(
        city=city,
        title="فراخوان ایده‌های محله‌ای ۱۴۰۵",
        defaults={
            "description": "ایده‌های خود را برای بهتر شدن محله بفرستید.",
            "opens_on": today - dt.timedelta(days=10),
            "closes_on": today + dt.timedelta(days=50),
        },
    )
    stdout.write(
        f"Projects: {len(projects)} projects, {len(comments) + len(replies)} comments, "
        f"{len(supports)} supports, 2 open budgeting rounds in one cycle."
    )
