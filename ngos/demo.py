"""Demo organisations: 44 of every kind and status across Tehran's districts; idempotent.

Every row is looked up by a stable key (registration number, title) before it
is created, so running ``seed_demo`` again adds nothing.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import Role, User
from core.persian import to_persian_digits
from ngos.models import (
    Availability,
    FieldOfActivity,
    LicenceIssuer,
    Meeting,
    Membership,
    Opportunity,
    Organization,
    OrganizationActivity,
    OrganizationKind,
    OrganizationStatus,
    Plan,
    PlanStatus,
    StatusChange,
    VolunteerProfile,
)
from places.models import City, District

COUNT = 44
MANAGERS = 8
KIND_NAMES = {
    OrganizationKind.NGO: ["انجمن حمایت از", "کانون", "سمن"],
    OrganizationKind.CHARITY: ["خیریه", "بنیاد نیکوکاری", "مؤسسه خیریه"],
    OrganizationKind.JIHADI_GROUP: ["گروه جهادی", "قرارگاه جهادی", "گروه داوطلب"],
    OrganizationKind.BENEFACTORS_ASSEMBLY: ["مجمع خیرین", "مجمع خیرین مدرسه‌ساز", "مجمع خیرین سلامت"],
}
SUBJECTS = ["کودکان کار", "سالمندان", "بانوان سرپرست خانوار", "محیط زیست", "معلولان", "آموزش", "سلامت", "ورزش"]
PLACES = ["امید", "مهر", "نور", "بهار", "آفتاب", "سپیده", "همدلی", "نیک‌اندیشان", "یاس", "ارغوان", "سرو"]
# Mostly verified, so the public directory is full; every status appears.
STATUSES = [OrganizationStatus.VERIFIED] * 6 + [
    OrganizationStatus.SUBMITTED,
    OrganizationStatus.DRAFT,
    OrganizationStatus.REJECTED,
    OrganizationStatus.SUSPENDED,
    OrganizationStatus.SUBMITTED,
]
KINDS = list(OrganizationKind)
FIELDS = list(FieldOfActivity)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _manager(i: int) -> User:
    phone = f"+98912100{i:04d}"
    user, created = User.objects.get_or_create(
        phone=phone,
        defaults={
            "display_name": f"مدیر سمن {to_persian_digits(i)}",
            "role": Role.ORG_MANAGER,
            "mobile_verified_at": timezone.now(),
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _organization(i: int, city: City, districts: list[District], managers: list[User]) -> Organization:
    registration = f"{1400 + i % 5}{i:04d}"
    existing = Organization.objects.filter(registration_number_normalized=registration).first()
    if existing:
        return existing
    kind = KINDS[i % len(KINDS)]
    status = STATUSES[i % len(STATUSES)]
    today = timezone.localdate()
    # A few licences expire soon or have expired, so the reminders and badges show.
    expiry_days = {0: -20, 5: 6, 9: 25}.get(i % 12, 200 + 15 * i)
    name = (
        f"{KIND_NAMES[kind][i % 3]} {SUBJECTS[i % len(SUBJECTS)]} {PLACES[i % len(PLACES)]} {to_persian_digits(i + 1)}"
    )
    organization = Organization(
        city=city,
        kind=kind,
        name=name,
        registration_number=registration,
        licence_number=f"{to_persian_digits(i + 100)}/{to_persian_digits(1400 + i % 5)}",
        licence_issuer=list(LicenceIssuer)[i % 4],
        licence_issued_on=today - dt.timedelta(days=700),
        licence_expires_on=today + dt.timedelta(days=expiry_days),
        managing_director=f"{['زهرا', 'علی', 'مریم', 'حسین', 'فاطمه', 'رضا'][i % 6]} {PLACES[(i + 3) % len(PLACES)]}ی",
        board_members="سارا احمدی\nمحمد کریمی\nنرگس موسوی",
        address=f"تهران، منطقه {to_persian_digits(districts[0].number)}، خیابان {PLACES[i % len(PLACES)]}",
        phone=f"021-{55000000 + i}",
        website=f"https://ngo{i + 1}.example.org/",
        summary=f"فعالیت در حوزهٔ {SUBJECTS[i % len(SUBJECTS)]} در منطقه {to_persian_digits(districts[0].number)}",
        description="این تشکل با کمک داوطلبان محله برنامه‌های آموزشی، حمایتی و فرهنگی برگزار می‌کند.",
        status=status,
        review_note={
            OrganizationStatus.REJECTED: "شماره ثبت با مدارک ارسالی هم‌خوانی ندارد.",
            OrganizationStatus.SUSPENDED: "گزارش عملکرد سالانه ارسال نشده است.",
        }.get(status, ""),
        verified_at=timezone.now() if status in (OrganizationStatus.VERIFIED, OrganizationStatus.SUSPENDED) else None,
        created_by=managers[0],
    )
    organization.licence_document.save(f"demo-licence-{i}.pdf", ContentFile(PDF), save=False)
    organization.save()
    organization.districts.set(districts)
    organization.neighborhoods.set(districts[0].neighborhoods.all()[:2])
    for code in {FIELDS[i % len(FIELDS)], FIELDS[(i * 5 + 2) % len(FIELDS)]}:
        OrganizationActivity.objects.create(organization=organization, code=code)
    for manager in managers:
        Membership.objects.get_or_create(organization=organization, user=manager)
    StatusChange.objects.create(organization=organization, to_status=OrganizationStatus.DRAFT, actor=managers[0])
    if status != OrganizationStatus.DRAFT:
        StatusChange.objects.create(
            organization=organization,
            from_status=OrganizationStatus.DRAFT,
            to_status=status,
            note=organization.review_note,
        )
    return organization


def seed(stdout) -> None:
    city = City.objects.filter(slug="tehran").first() or City.objects.order_by("id").first()
    districts = list(District.objects.filter(city=city).order_by("number")) if city else []
    if not districts:
        stdout.write("Organisations: no geography, skipped.")
        return
    managers = [_manager(i) for i in range(1, MANAGERS + 1)]
    organizations = []
    for i in range(COUNT):
        served = [districts[i % len(districts)], districts[(i + 7) % len(districts)]]
        organizations.append(_organization(i, city, served, [managers[i % MANAGERS]]))
    verified = [o for o in organizations if o.status == OrganizationStatus.VERIFIED]
    _plans(verified[:9])  # three wait for review, two are under review
    _meetings(city, districts[0], managers[0])
    _volunteers(verified[:6], districts)
    added = _follows(verified, managers)
    stdout.write(f"Follows of organisations: {added} new.")
    stdout.write(
        f"Organisations: {Organization.objects.count()} (managers sign in as 09121000001…"
        f"09121000{MANAGERS:03d} / {DEMO_PASSWORD})."
    )


def _plans(organizations: list[Organization]) -> None:
    statuses = [PlanStatus.SUBMITTED, PlanStatus.UNDER_REVIEW, PlanStatus.ACCEPTED, PlanStatus.RETURNED]
    for i, organization in enumerate(organizations):
        title = f"طرح {['پاک‌سازی بوستان', 'کلاس سوادآموزی', 'کارگاه مهارت', 'جشنواره محله'][i % 4]} {organization.name}"
        if Plan.objects.filter(organization=organization, title=title).exists():
            continue
        status = statuses[i % len(statuses)]
        plan = Plan.objects.create(
            organization=organization,
            title=title[:200],
            description="برنامهٔ پیشنهادی با مشارکت ساکنان محله و داوطلبان تشکل.",
            estimated_budget=(i + 1) * 250_000_000,
            status=status,
            review_comment="برآورد هزینه را به تفکیک اقلام بفرستید." if status == PlanStatus.RETURNED else "",
            reviewed_at=timezone.now() if status in (PlanStatus.ACCEPTED, PlanStatus.RETURNED) else None,
            submitted_by=organization.memberships.first().user if organization.memberships.exists() else None,
        )
        plan.target_neighborhoods.set(organization.neighborhoods.all()[:2])


def _meetings(city: City, district: District, creator: User) -> None:
    now = timezone.now()
    Meeting.objects.get_or_create(
        city=city,
        title="نشست ماهانهٔ هم‌اندیشی سمن‌ها و خیریه‌ها",
        defaults={
            "starts_at": (now + dt.timedelta(days=12)).replace(hour=14, minute=0, second=0, microsecond=0),
            "place": "سالن همایش شهرداری، طبقهٔ دوم",
            "agenda": "۱. گزارش طرح‌های ماه گذشته\n۲. تبادل تجربه در جذب داوطلب\n۳. برنامهٔ مشترک ماه آینده",
        },
    )
    Meeting.objects.get_or_create(
        city=city,
        title=f"نشست سمن‌های منطقه {to_persian_digits(district.number)}",
        defaults={
            "district": district,
            "starts_at": (now - dt.timedelta(days=18)).replace(hour=10, minute=0, second=0, microsecond=0),
            "place": "سرای محله",
            "agenda": "هماهنگی طرح‌های تابستانی",
            "minutes": "مقرر شد فهرست داوطلبان تا پایان ماه به شهرداری منطقه اعلام شود.",
            "minutes_published_at": now - dt.timedelta(days=17),
        },
    )


def _follows(organizations: list[Organization], managers: list[User]) -> int:
    """The demo citizen follows two verified organisations; a few managers follow one they do not run."""
    from notifications.services import subscribe

    if not organizations:
        return 0
    follows = [(manager, organizations[(i + 3) % len(organizations)]) for i, manager in enumerate(managers[:4])]
    citizen = User.objects.filter(phone="+989120000002").first()
    if citizen is not None:
        follows += [(citizen, organization) for organization in organizations[:2]]
    return sum(subscribe(user=user, target=organization) for user, organization in follows)


def _volunteers(organizations: list[Organization], districts: list[District]) -> None:
    today = timezone.localdate()
    titles = ["کمک در توزیع بستهٔ معیشتی", "آموزش ریاضی به کودکان", "پاک‌سازی بوستان محله", "همراهی با سالمندان"]
    for i, organization in enumerate(organizations):
        title = titles[i % len(titles)]
        Opportunity.objects.get_or_create(
            organization=organization,
            title=title,
            defaults={
                "description": "به چند داوطلب خوش‌برخورد و منظم نیاز داریم.",
                "date": today + dt.timedelta(days=7 + i * 3),
                "place": f"منطقه {to_persian_digits(organization.districts.first().number)}",
                "district": organization.districts.first(),
                "places": 3 + i,
            },
        )
    citizen = User.objects.filter(phone="+989120000002").first()
    if citizen and not VolunteerProfile.objects.filter(user=citizen).exists():
        profile = VolunteerProfile.objects.create(
            user=citizen, skills="کمک‌های اولیه، آموزش کودکان", availability=Availability.WEEKENDS
        )
        profile.districts.set(districts[:2])
