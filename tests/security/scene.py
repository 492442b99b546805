"""One world the attacker tests play in: two people of every role and one record of every kind.

``first`` people own the records (citizen wrote the comment, manager runs the
organisation, trustee sits on the board, staff serve the district); ``other``
people have the same role and own the same kind of record elsewhere, so they
are the intruders of the IDOR sweep. Every person has a known mobile number,
email address and national code for the privacy crawl.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import api_token_issue
from neighborhoods.models import Announcement
from ngos.models import ManagerInvitation, OrganizationStatus, PlanStatus
from notifications.models import Channel
from projects.models import Project
from tests import factories


def national_code(seed: int) -> str:
    """A valid 10-digit national code (its check digit computed) different for every seed."""
    body = f"{(seed * 7919 + 1234567) % 10**9:09d}"
    total = sum(int(body[i]) * (10 - i) for i in range(9))
    remainder = total % 11
    return body + str(remainder if remainder < 2 else 11 - remainder)


PEOPLE = (
    "citizen",
    "other_citizen",
    "manager",
    "other_manager",
    "trustee",
    "other_trustee",
    "staff",
    "other_staff",
    "admin",
    "co_manager",
)


@dataclass
class Secret:
    """What must never show up on a page about someone else."""

    phone: str  # +989…
    email: str
    national_code: str


@dataclass
class World:
    people: dict[str, User]
    secrets: dict[str, Secret]
    objects: dict[str, models.Model] = field(default_factory=dict)

    def __getattr__(self, name: str):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None


@functools.cache
def _password_hash() -> str:
    """``factories.PASSWORD`` hashed once: hashing it for every person would dominate the test time."""
    return make_password(factories.PASSWORD)


def _person(index: int, name: str, *, role: str = Role.CITIZEN, districts=(), **extra) -> tuple[User, Secret]:
    secret = Secret(
        phone=f"+98935{index:03d}{4711 + index:04d}",
        email=f"{name.replace('_', '.')}.{index}@private-mail.test",
        national_code=national_code(index + 11),
    )
    user = User.objects.create(
        phone=secret.phone,
        email=secret.email,
        national_code=secret.national_code,
        display_name=f"{name} {factories.HOSTILE}",
        role=role,
        is_superuser=role == Role.CITY_ADMIN,
        password=_password_hash(),
        mobile_verified_at=timezone.now(),  # people proved their numbers, as factory citizens do
        **extra,
    )
    if districts:
        user.staff_districts.set(districts)
    return user, secret


def build_world(*, with_files: bool = False) -> World:
    """Create the world. ``with_files`` also writes a decree scan, a licence scan and a plan attachment
    (needs PRIVATE_MEDIA_ROOT in tmp)."""
    district = factories.DistrictFactory()
    other_district = factories.DistrictFactory(city=district.city)
    city = district.city
    neighborhood = factories.NeighborhoodFactory(area=factories.AreaFactory(district=district))
    other_neighborhood = factories.NeighborhoodFactory(area=factories.AreaFactory(district=other_district))

    people: dict[str, User] = {}
    secrets: dict[str, Secret] = {}
    for index, name in enumerate(PEOPLE):
        extra: dict = {}
        if name in ("citizen", "other_citizen", "trustee", "manager"):
            extra["home_neighborhood"] = neighborhood
        if name in ("other_trustee", "other_manager"):
            extra["home_neighborhood"] = other_neighborhood
        if name == "staff":
            extra.update(role=Role.DISTRICT_STAFF, districts=[district])
        if name == "other_staff":
            extra.update(role=Role.DISTRICT_STAFF, districts=[other_district])
        if name == "admin":
            extra.update(role=Role.CITY_ADMIN)
        people[name], secrets[name] = _person(index, name, **extra)
    p = people

    world = World(people=people, secrets=secrets)
    o = world.objects
    o.update(
        city=city,
        district=district,
        other_district=other_district,
        neighborhood=neighborhood,
        other_neighborhood=other_neighborhood,
        area=neighborhood.area,
    )
    o["resident"] = p["citizen"]  # as district staff see them in the Residents admin
    o["house"] = factories.NeighborhoodHouseFactory(neighborhood=neighborhood)
    o["board"] = factories.TrusteeBoardFactory(neighborhood=neighborhood)
    o["other_board"] = factories.TrusteeBoardFactory(neighborhood=other_neighborhood)
    o["trusteeship"] = factories.TrusteeshipFactory(board=o["board"], user=p["trustee"])
    o["other_trusteeship"] = factories.TrusteeshipFactory(board=o["other_board"], user=p["other_trustee"])
    if with_files:
        o["trusteeship"].decree_file.save("decree.pdf", ContentFile(factories.PDF_BYTES))
    o["need"] = factories.NeedReportFactory(neighborhood=neighborhood, reporter=p["trustee"])
    o["other_need"] = factories.NeedReportFactory(neighborhood=other_neighborhood, reporter=p["other_trustee"])
    o["announcement"] = Announcement.objects.create(
        district=district, neighborhood=neighborhood, audience="both", title="اطلاعیه", body="متن", status="awaiting"
    )

    # organisations
    o["organization"] = factories.VerifiedOrganizationFactory(
        city=city, districts=[district], neighborhoods=[neighborhood], managers=[p["manager"]]
    )
    o["draft"] = factories.OrganizationFactory(city=city, districts=[district], managers=[p["manager"]])
    o["other_organization"] = factories.VerifiedOrganizationFactory(
        city=city, districts=[other_district], managers=[p["other_manager"]]
    )
    o["suspended"] = factories.VerifiedOrganizationFactory(
        city=city, districts=[district], managers=[p["manager"]], status=OrganizationStatus.SUSPENDED
    )
    o["second_membership"] = factories.MembershipFactory(organization=o["organization"], user=p["co_manager"])
    o["invitation"] = ManagerInvitation.objects.create(
        organization=o["organization"], phone=p["citizen"].phone, invited_by=p["manager"]
    )
    o["plan"] = factories.PlanFactory(organization=o["organization"], target_neighborhoods=[neighborhood])
    o["returned_plan"] = factories.PlanFactory(
        organization=o["organization"], target_neighborhoods=[neighborhood], status=PlanStatus.RETURNED
    )
    o["accepted_plan"] = factories.PlanFactory(
        organization=o["organization"], target_neighborhoods=[neighborhood], status=PlanStatus.ACCEPTED
    )
    if with_files:
        o["organization"].licence_document.save("licence.pdf", ContentFile(factories.PDF_BYTES))
        o["plan"].attachment.save("plan.pdf", ContentFile(factories.PDF_BYTES))
    o["meeting"] = factories.MeetingFactory(city=city, district=district)
    o["opportunity"] = factories.OpportunityFactory(organization=o["organization"], places=20)
    for name in ("citizen", "other_citizen"):
        factories.VolunteerProfileFactory(user=p[name], districts=[district])
    o["volunteer_profile"] = p["citizen"].volunteer_profile
    o["application"] = factories.ApplicationFactory(opportunity=o["opportunity"], volunteer=p["citizen"])

    # projects and participation
    o["project"] = factories.ProjectFactory(district=district, neighborhoods=[neighborhood])
    o["other_project"] = factories.ProjectFactory(district=other_district, neighborhoods=[other_neighborhood])
    o["comment"] = factories.CommentFactory(project=o["project"], author=p["citizen"])
    o["reply"] = factories.CommentFactory(project=o["project"], author=p["other_citizen"], parent=o["comment"])
    o["flag"] = factories.CommentFlagFactory(comment=o["reply"], user=p["citizen"])
    Project.objects.filter(pk=o["project"].pk).update(comment_count=2)
    o["update"] = factories.ProjectUpdateFactory(project=o["project"])
    o["phase_change"] = factories.PhaseChangeFactory(project=o["project"])
    factories.SupportFactory(project=o["project"], user=p["citizen"])
    factories.SubscriptionFactory(user=p["citizen"], target=o["project"])
    o["round"] = factories.BudgetingRoundFactory(district=district, eligible_projects=[o["project"]])
    o["ballot"] = factories.BallotFactory(round=o["round"], voter=p["citizen"], projects=[o["project"]])
    o["idea_round"] = factories.IdeaRoundFactory(city=city)
    o["idea"] = factories.IdeaFactory(round=o["idea_round"], neighborhood=neighborhood, author=p["citizen"])

    # notifications (an inbox entry each for the two citizens)
    project_type = ContentType.objects.get_for_model(o["project"])
    for name in ("notification", "other_notification"):
        o[name] = factories.NotificationFactory(
            recipient=p["citizen" if name == "notification" else "other_citizen"],
            channel=Channel.IN_APP,
            url=o["project"].get_absolute_url(),
            target_type=project_type,
            target_id=o["project"].pk,
        )
    o["email_notification"] = factories.NotificationFactory(
        recipient=p["citizen"], channel=Channel.EMAIL, url=o["project"].get_absolute_url()
    )
    o["api_token"], _key = api_token_issue(user=p["citizen"], name="phone")
    return world


# --- free-text fields ---------------------------------------------------------
# Text that is not free text: validated identifiers, numbers, secrets, machine data.
NOT_FREE_TEXT = {
    "password",
    "phone",
    "email",
    "national_code",
    "slug",
    "url",
    "website",
    "dedupe_key",
    "last_error",
    "event",
    "key",
    "prefix",
    "digest",
}


def free_text_fields(model: type[models.Model]) -> list[models.Field]:
    """Editable Char/Text fields people type into (no choices, no derived ``*_normalized`` twins)."""
    result = []
    for f in model._meta.concrete_fields:
        if not isinstance(f, (models.CharField, models.TextField)) or isinstance(f, models.EmailField):
            continue
        if f.choices or not f.editable or f.primary_key or f.name in NOT_FREE_TEXT:
            continue
        if f.name.endswith("_normalized") or f.name in ("search_text",):
            continue
        result.append(f)
    return result


def fill_free_text(world: World, payloads: list[str], *, shift: int = 0) -> dict[str, list[str]]:
    """Write the payloads into every free-text field of every record of the world, people included.

    A field gets as many payloads as fit in it, starting at a different one
    for each field (and each ``shift``), so the short fields see every vector
    over a few shifts. Written with ``update()`` so the text reaches the
    database as an attacker would want it, whatever cleaning the services do on
    the way in: pages must be safe even for rows that came in through an import
    or an old release. Returns the fields written, per model label.
    """
    written: dict[str, list[str]] = {}
    seen: set[tuple[type, int]] = set()
    instances = list(world.objects.values()) + list(world.people.values()) + list(_related(world))
    counter = shift
    for obj in instances:
        if not isinstance(obj, models.Model) or (type(obj), obj.pk) in seen:
            continue
        seen.add((type(obj), obj.pk))
        values = {}
        for f in free_text_fields(type(obj)):
            values[f.name] = _pack(payloads, counter, f.max_length)
            counter += 1
        if values:
            type(obj)._default_manager.filter(pk=obj.pk).update(**values)
            written.setdefault(obj._meta.label, sorted(values))
    return written


def _pack(payloads: list[str], start: int, limit: int | None) -> str:
    """Payloads from ``start`` on (wrapping round), as many as fit in ``limit`` characters."""
    chosen: list[str] = []
    for i in range(len(payloads)):
        candidate = payloads[(start + i) % len(payloads)]
        if limit is not None and len(" ".join([*chosen, candidate])) > limit:
            break
        chosen.append(candidate)
    return " ".join(chosen) if chosen else payloads[start % len(payloads)][:limit]


def _related(world: World):
    from ngos.models import Membership

    yield from Membership.objects.filter(organization__in=[world.organization, world.other_organization])
