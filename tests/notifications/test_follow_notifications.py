"""Every kind of follow notifies, recipient by recipient.

For each happening (a service call of the projects or organisations app) and
each kind of thing whose followers hear of it, the tests check who is told:
a follower (in the portal, by email, or by SMS as they chose), nobody who
follows something else, one message for someone who follows two things the
happening touches, nothing for the person who acted, nothing after unfollowing;
and that the number of queries does not grow with the followers.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ngos.models.choices import PlanStatus
from ngos.services import meeting_schedule, opportunity_post
from notifications.events import Channel
from notifications.models import Notification
from notifications.services import preferences_update, subscribe, unsubscribe
from projects.models import Phase
from projects.services import (
    idea_accept,
    project_change_phase,
    project_create,
    project_create_from_plan,
    project_post_update,
)
from tests import factories

pytestmark = pytest.mark.django_db
_emails = itertools.count()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    """One district with two neighbourhoods, another district, projects and organisations in both."""

    district: object
    other_district: object
    neighborhood: object
    neighborhood2: object
    project: object
    far_project: object
    organization: object
    organization2: object
    far_organization: object
    staff: object
    manager: object
    extra: dict = field(default_factory=dict)


def build_world() -> World:
    district = factories.DistrictFactory()
    other_district = factories.DistrictFactory(city=district.city)
    neighborhood = factories.NeighborhoodFactory(area=factories.AreaFactory(district=district))
    neighborhood2 = factories.NeighborhoodFactory(area=neighborhood.area)
    far = factories.NeighborhoodFactory(area=factories.AreaFactory(district=other_district))
    manager = factories.UserFactory()

    def organization(districts, managers=()):
        return factories.VerifiedOrganizationFactory(city=district.city, districts=districts, managers=list(managers))

    return World(
        district=district,
        other_district=other_district,
        neighborhood=neighborhood,
        neighborhood2=neighborhood2,
        project=factories.ProjectFactory(district=district, neighborhoods=[neighborhood]),
        far_project=factories.ProjectFactory(district=other_district, neighborhoods=[far]),
        organization=organization([district], [manager]),
        organization2=organization([district]),
        far_organization=organization([other_district]),
        staff=factories.StaffFactory(districts=[district]),
        manager=manager,
    )


@dataclass(frozen=True)
class Happening:
    name: str
    act: Callable[[World], None]
    actor: Callable[[World], object]
    # kind → (the followed object the happening touches, the event its followers get)
    told: dict[str, tuple[Callable[[World], object], str]]
    # kind → an object of that kind the happening does not touch
    untouched: dict[str, Callable[[World], object]]
    # two touched objects someone follows both of, and the one event they get
    doubles: tuple[tuple[Callable[[World], object], Callable[[World], object], str], ...] = ()


def _phase_change(w: World) -> None:
    project_change_phase(project=w.project, actor=w.staff, to_phase=Phase.UNDER_REVIEW)


def _update(w: World) -> None:
    project_post_update(project=w.project, actor=w.staff, text="پیمانکار طرح انتخاب شد")


def _new_project(w: World) -> None:
    project_create(actor=w.staff, title="بوستان تازهٔ محله", district=w.district, neighborhoods=[w.neighborhood])


def _opportunity(w: World) -> None:
    opportunity_post(
        actor=w.manager,
        organization=w.organization,
        title="پاک‌سازی بوستان",
        description="به چند داوطلب نیاز داریم.",
        date=timezone.localdate() + dt.timedelta(days=5),
        place="بوستان محله",
        places=4,
    )


def _meeting(w: World) -> None:
    meeting_schedule(
        actor=w.staff,
        city=w.district.city,
        district=w.district,
        title="نشست هم‌اندیشی تشکل‌ها",
        starts_at=timezone.now() + dt.timedelta(days=3),
        place="سرای محله",
        agenda="تجربه‌ها",
    )


def _plan_to_project(w: World) -> None:
    plan = factories.PlanFactory(
        organization=w.organization, target_neighborhoods=[w.neighborhood], status=PlanStatus.ACCEPTED
    )
    project_create_from_plan(plan=plan, actor=w.staff)


def _project(w):
    return w.project


def _neighborhood(w):
    return w.neighborhood


def _district(w):
    return w.district


def _organization(w):
    return w.organization


def _staff(w):
    return w.staff


PLACES_UNTOUCHED = {"neighborhood": lambda w: w.neighborhood2, "district": lambda w: w.other_district}

HAPPENINGS = [
    Happening(
        "phase change of a project",
        _phase_change,
        _staff,
        told={"project": (_project, "project_phase_changed")},
        untouched={"project": lambda w: w.far_project},
    ),
    Happening(
        "official update of a project",
        _update,
        _staff,
        told={
            "project": (_project, "project_update_posted"),
            "neighborhood": (_neighborhood, "place_project_update_posted"),
            "district": (_district, "place_project_update_posted"),
        },
        untouched={"project": lambda w: w.far_project, **PLACES_UNTOUCHED},
        doubles=(
            (_project, _neighborhood, "project_update_posted"),
            (_project, _district, "project_update_posted"),
            (_neighborhood, _district, "place_project_update_posted"),
        ),
    ),
    Happening(
        "new project in a place",
        _new_project,
        _staff,
        told={
            "neighborhood": (_neighborhood, "place_project_created"),
            "district": (_district, "place_project_created"),
        },
        untouched=PLACES_UNTOUCHED,
        doubles=((_neighborhood, _district, "place_project_created"),),
    ),
    Happening(
        "volunteer call of an organisation",
        _opportunity,
        lambda w: w.manager,
        told={"organization": (_organization, "organization_opportunity_posted")},
        untouched={"organization": lambda w: w.organization2},
    ),
    Happening(
        "meeting for an organisation",
        _meeting,
        _staff,
        told={"organization": (_organization, "organization_meeting_scheduled")},
        untouched={"organization": lambda w: w.far_organization},
        doubles=((_organization, lambda w: w.organization2, "organization_meeting_scheduled"),),
    ),
    Happening(
        "plan of an organisation accepted as a project",
        _plan_to_project,
        _staff,
        told={
            "organization": (_organization, "organization_plan_became_project"),
            "neighborhood": (_neighborhood, "place_project_created"),
            "district": (_district, "place_project_created"),
        },
        untouched={"organization": lambda w: w.organization2, **PLACES_UNTOUCHED},
        doubles=(
            (_organization, _neighborhood, "organization_plan_became_project"),
            (_neighborhood, _district, "place_project_created"),
        ),
    ),
]
CASES = [(h, kind) for h in HAPPENINGS for kind in h.told]
IDS = [f"{h.name} / {kind}" for h, kind in CASES]
DOUBLES = [(h, double) for h in HAPPENINGS for double in h.doubles]
DOUBLE_IDS = [f"{h.name} / {d[2]} #{i}" for i, (h, d) in enumerate(DOUBLES)]


@pytest.fixture
def w() -> World:
    return build_world()


def _follower(**extra):
    return factories.UserFactory(email=f"follower{next(_emails)}@example.org", **extra)


def _received(user) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(recipient=user).values_list("event", "channel"))


def _act(happening: Happening, w: World, capture) -> None:
    with capture(execute=True):
        happening.act(w)


@pytest.mark.parametrize(("happening", "kind"), CASES, ids=IDS)
def test_a_follower_gets_an_inbox_row_and_an_email_by_default(w, happening, kind, django_capture_on_commit_callbacks):
    target, event = happening.told[kind]
    follower = _follower()
    subscribe(user=follower, target=target(w))
    _act(happening, w, django_capture_on_commit_callbacks)

    assert _received(follower) == sorted([(event, Channel.IN_APP), (event, Channel.EMAIL)])
    row = Notification.objects.get(recipient=follower, channel=Channel.IN_APP)
    assert row.url.startswith("/") and row.subject
    [email] = [message for message in mail.outbox if message.to == [follower.email]]
    assert email.subject == row.subject


@pytest.mark.parametrize(("happening", "kind"), CASES, ids=IDS)
def test_a_follower_who_chose_sms_gets_an_sms_and_no_email(
    w, happening, kind, sms_gateway, django_capture_on_commit_callbacks
):
    target, event = happening.told[kind]
    follower = _follower()
    preferences_update(user=follower, choices={event: {Channel.SMS: True, Channel.EMAIL: False}})
    subscribe(user=follower, target=target(w))
    _act(happening, w, django_capture_on_commit_callbacks)

    assert _received(follower) == sorted([(event, Channel.IN_APP), (event, Channel.SMS)])
    assert not [message for message in mail.outbox if message.to == [follower.email]]
    [sms] = [message for message in sms_gateway.accepted_messages() if message["to"] == follower.phone]
    subject = Notification.objects.get(recipient=follower, channel=Channel.IN_APP).subject
    assert sms["text"].startswith(subject)


@pytest.mark.parametrize(("happening", "kind"), CASES, ids=IDS)
def test_who_follows_something_else_of_that_kind_is_not_told(w, happening, kind, django_capture_on_commit_callbacks):
    follower = _follower()
    subscribe(user=follower, target=happening.told[kind][0](w))
    bystander = _follower()
    subscribe(user=bystander, target=happening.untouched[kind](w))
    _act(happening, w, django_capture_on_commit_callbacks)

    assert _received(follower)  # the happening did tell its followers
    assert _received(bystander) == []


@pytest.mark.parametrize(("happening", "kind"), CASES, ids=IDS)
def test_the_actor_is_not_told_of_their_own_act(w, happening, kind, django_capture_on_commit_callbacks):
    target, event = happening.told[kind]
    actor = happening.actor(w)
    follower = _follower()
    for user in (actor, follower):
        subscribe(user=user, target=target(w))
    _act(happening, w, django_capture_on_commit_callbacks)

    assert (event, Channel.IN_APP) in _received(follower)
    assert not Notification.objects.filter(recipient=actor, event=event).exists()


@pytest.mark.parametrize(("happening", "kind"), CASES, ids=IDS)
def test_after_unfollowing_nothing_comes(w, happening, kind, django_capture_on_commit_callbacks):
    target = happening.told[kind][0](w)
    former = _follower()
    subscribe(user=former, target=target)
    unsubscribe(user=former, target=target)
    _act(happening, w, django_capture_on_commit_callbacks)

    assert _received(former) == []


@pytest.mark.parametrize(("happening", "double"), DOUBLES, ids=DOUBLE_IDS)
def test_following_two_touched_things_gives_one_notification(w, happening, double, django_capture_on_commit_callbacks):
    first, second, event = double
    follower = _follower()
    subscribe(user=follower, target=first(w))
    subscribe(user=follower, target=second(w))
    _act(happening, w, django_capture_on_commit_callbacks)

    assert _received(follower) == sorted([(event, Channel.IN_APP), (event, Channel.EMAIL)])
    assert len([message for message in mail.outbox if message.to == [follower.email]]) == 1


def test_the_managers_invited_to_a_meeting_are_not_told_twice(w, django_capture_on_commit_callbacks):
    """A manager of an invited organisation who follows another one gets the invitation only."""
    subscribe(user=w.manager, target=w.organization2)
    _act(HAPPENINGS[4], w, django_capture_on_commit_callbacks)
    assert {event for event, _channel in _received(w.manager)} == {"meeting_scheduled"}


def test_an_accepted_ideas_author_hears_of_it_once(w, django_capture_on_commit_callbacks):
    """The author of an idea that becomes a project in a neighbourhood they follow: one message."""
    author = _follower()
    neighbour = _follower()
    for user in (author, neighbour):
        subscribe(user=user, target=w.neighborhood)
    idea = factories.IdeaFactory(neighborhood=w.neighborhood, author=author)
    with django_capture_on_commit_callbacks(execute=True):
        idea_accept(idea=idea, actor=w.staff)
    assert {event for event, _channel in _received(author)} == {"idea_accepted"}
    assert {event for event, _channel in _received(neighbour)} == {"place_project_created"}


def test_inactive_followers_are_not_told(w, django_capture_on_commit_callbacks):
    gone = _follower()
    subscribe(user=gone, target=w.project)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    _act(HAPPENINGS[1], w, django_capture_on_commit_callbacks)
    assert _received(gone) == []


@pytest.mark.parametrize("happening", HAPPENINGS, ids=[h.name for h in HAPPENINGS])
def test_recipients_cost_the_same_queries_for_few_and_many_followers(happening):
    """Followers are found with a fixed number of queries: none per follower or per target."""

    def measure(followers_per_kind: int) -> tuple[int, int]:
        w = build_world()
        for target, _event in happening.told.values():
            for _ in range(followers_per_kind):
                subscribe(user=_follower(), target=target(w))
        with CaptureQueriesContext(connection) as ctx:
            happening.act(w)
        told = Notification.objects.filter(channel=Channel.IN_APP, recipient__email__startswith="follower")
        return len(ctx.captured_queries), told.count()

    measure(1)  # warm the content-type cache, as on a running site
    few, told_few = measure(2)
    many, told_many = measure(12)
    assert told_many - told_few > told_few  # the second world really told more people
    assert few == many, f"{few} queries with 2 followers per kind, {many} with 12"


def _accepted_plan(w: World):
    return factories.PlanFactory(
        organization=w.organization, target_neighborhoods=[w.neighborhood], status=PlanStatus.ACCEPTED
    )


def test_the_staff_api_door_of_plan_to_project_notifies(w, api_client):
    follower = _follower()
    subscribe(user=follower, target=w.organization)
    api_client.force_authenticate(w.staff)
    assert api_client.post(f"/api/v1/plans/{_accepted_plan(w).pk}/project/").status_code == 201
    assert ("organization_plan_became_project", Channel.IN_APP) in _received(follower)


def test_the_admin_action_door_of_plan_to_project_notifies(w, client):
    follower = _follower()
    subscribe(user=follower, target=w.neighborhood)
    plan = _accepted_plan(w)
    client.force_login(w.staff, backend="accounts.backends.PhoneOrEmailBackend")
    response = client.post("/admin/ngos/plan/", {"action": "create_project", "_selected_action": [plan.pk]})
    assert response.status_code == 302
    assert ("place_project_created", Channel.IN_APP) in _received(follower)


def test_notification_text_is_cleaned_like_every_other_column(w, django_capture_on_commit_callbacks):
    """Rows go in with bulk_create (no pre_save), yet a bidi override typed into an update never reaches them."""
    follower = _follower()
    subscribe(user=follower, target=w.project)
    with django_capture_on_commit_callbacks(execute=True):
        project_post_update(project=w.project, actor=w.staff, text="متن \u202eexe.pdf\u202c")

    rows = Notification.objects.filter(recipient=follower)
    assert rows.count() == 2
    for row in rows:
        assert "\u202e" not in row.subject + row.body and "\u202c" not in row.subject + row.body
    [email] = [message for message in mail.outbox if message.to == [follower.email]]
    assert "\u202e" not in email.body
