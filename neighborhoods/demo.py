"""Demo data: neighbourhood houses, trustee boards and need reports in Tehran's demo neighbourhoods.

Everything here is synthetic: people, decrees and needs are made up for the
demo. The geography comes first (``places.demo``). Safe to run again: every
row is found by a stable key before it is created.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core.persian import to_persian_digits
from neighborhoods.models import (
    NeedCategory,
    NeedReport,
    NeedReportStatusChange,
    NeedStatus,
    NeighborhoodHouse,
    TrusteeBoard,
    TrusteeCategory,
    Trusteeship,
)
from places.models import City, Neighborhood

DEMO_TRUSTEE_PHONE = "09120000010"

# Synthetic people: first names and family names combined, never real persons.
FIRST_NAMES = ["علی", "مریم", "حسین", "زهرا", "رضا", "فاطمه", "مهدی", "سارا", "محمد", "نرگس"]
FAMILY_NAMES = ["احمدی", "رضایی", "کریمی", "موسوی", "حسینی", "نوری", "جعفری", "صادقی", "قاسمی"]
NEEDS = [
    (NeedCategory.WATER, "افت فشار آب در ساعات عصر", NeedStatus.REPORTED, ""),
    (NeedCategory.ROADS, "چاله‌های خیابان اصلی محله", NeedStatus.REFERRED, "معاونت حمل‌ونقل و ترافیک منطقه"),
    (NeedCategory.GREEN_SPACE, "نبود نیمکت و سایه‌بان در بوستان محله", NeedStatus.IN_PROGRESS, "سازمان بوستان‌ها"),
    (NeedCategory.ELECTRICITY, "خاموشی چراغ‌های کوچه‌ها", NeedStatus.RESOLVED, "شرکت توزیع برق"),
    (NeedCategory.SOCIAL, "نیاز به کلاس‌های آموزشی برای نوجوانان", NeedStatus.DECLINED, ""),
]
PATH = {
    NeedStatus.REPORTED: [],
    NeedStatus.REFERRED: [NeedStatus.REFERRED],
    NeedStatus.IN_PROGRESS: [NeedStatus.REFERRED, NeedStatus.IN_PROGRESS],
    NeedStatus.RESOLVED: [NeedStatus.REFERRED, NeedStatus.IN_PROGRESS, NeedStatus.RESOLVED],
    NeedStatus.DECLINED: [NeedStatus.DECLINED],
}


def _person(index: int) -> str:
    return f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {FAMILY_NAMES[(index // len(FIRST_NAMES)) % len(FAMILY_NAMES)]}"


def seed(stdout) -> None:
    city = City.objects.get(slug="tehran")
    seed_boards(stdout, city)
    seed_announcements(stdout, city)


def _demo_trustee():
    """One synthetic trustee who can sign in and file needs for the first board."""
    from accounts.demo import DEMO_PASSWORD
    from accounts.models import Role, User

    user, created = User.objects.get_or_create(
        phone="+98" + DEMO_TRUSTEE_PHONE[1:],
        defaults={"display_name": "عضو نمونهٔ هیئت امنا", "role": Role.TRUSTEE, "mobile_verified_at": timezone.now()},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user, DEMO_PASSWORD


def seed_boards(stdout, city: City) -> None:
    """Houses and boards for every sixth neighbourhood, with members (some terms ended) and needs."""
    today = timezone.localdate()
    trustee, password = _demo_trustee()
    places = list(Neighborhood.objects.filter(district__city=city).select_related("district").order_by("id")[::6])
    categories = list(TrusteeCategory.values)
    for index, place in enumerate(places):
        NeighborhoodHouse.objects.get_or_create(
            neighborhood=place,
            defaults={
                "name": f"سرای محله {place.name}",
                "address": f"{place.district.name}، خیابان {place.name}، پلاک {to_persian_digits(10 + index)}",
                "phone": f"021-5500{1000 + index}",
                "opening_hours": "شنبه تا پنجشنبه، ۸ تا ۲۰",
            },
        )
        board, created = TrusteeBoard.objects.get_or_create(
            neighborhood=place, defaults={"formed_on": dt.date(2022, 4, 21)}
        )
        if not created:
            continue
        for seat in range(5):
            start = today - dt.timedelta(days=400 + 30 * seat)
            Trusteeship.objects.create(
                board=board,
                user=trustee if index == 0 and seat == 0 else None,
                member_name="" if index == 0 and seat == 0 else _person(index * 5 + seat),
                category=categories[(index + seat) % len(categories)],
                decree_number=f"{1401 + seat % 3}/{index + 1}/{seat + 1}",
                decree_date=start - dt.timedelta(days=10),
                decree_issuer=f"شهردار {place.district.name}",
                term_start=start,
                term_end=start + dt.timedelta(days=4 * 365),
            )
        # A member whose term has ended stays on record.
        Trusteeship.objects.create(
            board=board,
            member_name=_person(index * 5 + 7),
            category=TrusteeCategory.LOCAL_ELITE,
            decree_number=f"1398/{index + 1}/9",
            decree_date=dt.date(2019, 4, 1),
            decree_issuer=f"شهردار {place.district.name}",
            term_start=dt.date(2019, 4, 10),
            term_end=dt.date(2022, 4, 9),
        )
        # Only the first board has a demo account; other reports show no reporter, as if the account were gone.
        _seed_needs(place, index, trustee if index == 0 else None)
    stdout.write(
        f"Boards: {TrusteeBoard.objects.count()} with {Trusteeship.objects.count()} members; "
        f"{NeedReport.objects.count()} need reports."
    )
    stdout.write(f"Trustee login (files needs for {places[0].name}): {DEMO_TRUSTEE_PHONE} / {password}")
    seed_follows(stdout, trustee, places)


DEMO_CITIZEN_PHONE = "+989120000002"


def seed_follows(stdout, trustee, places: list[Neighborhood]) -> None:
    """The demo trustee follows two board neighbourhoods and two districts, the demo citizen their home ones.

    Running again adds nothing.
    """
    from accounts.models import User
    from notifications.services import subscribe

    districts = list(dict.fromkeys(place.district for place in places))[:2]
    follows = [(trustee, place) for place in places[:2]] + [(trustee, district) for district in districts]
    citizen = User.objects.filter(phone=DEMO_CITIZEN_PHONE).select_related("home_neighborhood__district").first()
    if citizen is not None and citizen.home_neighborhood is not None:
        follows += [(citizen, citizen.home_neighborhood), (citizen, citizen.home_neighborhood.district)]
    added = sum(subscribe(user=user, target=target) for user, target in follows)
    stdout.write(f"Follows of neighbourhoods and districts: {added} new.")


def _seed_needs(place: Neighborhood, index: int, reporter) -> None:
    for offset in range(2):
        category, title, status, agency = NEEDS[(index + offset) % len(NEEDS)]
        reported_at = timezone.now() - dt.timedelta(days=20 + 7 * offset + index % 10)
        report = NeedReport.objects.create(
            neighborhood=place,
            reporter=reporter,
            category=category,
            title=title,
            description=f"{title} در محله {place.name}. این گزارش نمونه است.",
            status=status,
            agency=agency,
            created_at=reported_at,
            status_changed_at=reported_at + dt.timedelta(days=len(PATH[status])),
        )
        NeedReportStatusChange.objects.create(
            report=report, actor=reporter, to_status=NeedStatus.REPORTED, created_at=reported_at
        )
        previous = NeedStatus.REPORTED
        for step, next_status in enumerate(PATH[status], start=1):
            NeedReportStatusChange.objects.create(
                report=report,
                from_status=previous,
                to_status=next_status,
                agency=agency,
                created_at=reported_at + dt.timedelta(days=step),
            )
            previous = next_status


ANNOUNCEMENTS = [
    # (whole district?, audience, title, text)
    (
        False,
        "both",
        "قطعی آب در روز پنجشنبه",
        "به اطلاع ساکنان محترم می‌رساند آب محله روز پنجشنبه از ساعت ۹ تا ۱۳ به‌دلیل تعویض لوله‌های اصلی قطع است. "
        "لطفاً آب مورد نیاز را از پیش ذخیره کنید.",
    ),
    (
        True,
        "followers",
        "جلسهٔ هم‌اندیشی بودجه‌ریزی مشارکتی منطقه",
        "جلسهٔ هم‌اندیشی دربارهٔ پروژه‌های پیشنهادی منطقه روز شنبه ساعت ۱۷ در سرای محله برگزار می‌شود. "
        "حضور همهٔ علاقه‌مندان آزاد است.",
    ),
]
PENDING_TITLE = "طرح ترافیکی تازهٔ خیابان‌های منطقه"


def seed_announcements(stdout, city: City) -> None:
    """Two sent announcements (one to the demo citizen's neighbourhood, one district-wide) and one held for approval.

    The sent ones go through the service, so the demo citizen finds them in the inbox;
    the held one stands for a large audience the demo has too few people for. Running again adds nothing.
    """
    from accounts.demo import DEMO_USERS
    from accounts.models import User
    from neighborhoods.models import Announcement, AnnouncementStatus
    from neighborhoods.permissions import can_announce_in
    from neighborhoods.services.announcements import announcement_create

    staff = User.objects.filter(phone="+98" + DEMO_USERS[0][0][1:]).first()
    admin = User.objects.filter(phone="+989120000000").first()
    citizen = User.objects.filter(phone=DEMO_CITIZEN_PHONE).select_related("home_neighborhood__district").first()
    place = citizen.home_neighborhood if citizen is not None else None
    if place is None or admin is None:
        return
    author = staff if staff is not None and can_announce_in(staff, place.district_id) else admin
    for whole_district, audience, title, text in ANNOUNCEMENTS:
        if Announcement.objects.filter(title=title).exists():
            continue
        target = {"district": place.district} if whole_district else {"neighborhood": place}
        announcement_create(actor=author, audience=audience, title=title, body=text, **target)
    if not Announcement.objects.filter(title=PENDING_TITLE).exists():
        Announcement.objects.create(
            district=place.district,
            audience="both",
            title=PENDING_TITLE,
            body="از شنبهٔ آینده ورود خودروهای شخصی به خیابان‌های اطراف بازار محله در ساعت‌های ۷ تا ۱۰ ممنوع است.",
            status=AnnouncementStatus.AWAITING_APPROVAL,
            author=author,
            recipient_count=1240,
            sms_count=415,
        )
    stdout.write(f"Announcements: {Announcement.objects.count()} (one awaiting a system administrator's approval).")
