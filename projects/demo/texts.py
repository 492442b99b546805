"""The fixed word lists the demo's projects and comments are made from, and each demo city's flagged words.

``civic_portal.scale`` draws on them for the benchmark data, and
``manage.py moderation_false_holds`` reads the comments as a sample of what citizens write.
"""

from __future__ import annotations

from core.persian import normalize
from places.models import City
from projects.models import Category, FlaggedWord

TITLES = [
    ("بهسازی پیاده‌روهای محله {hood}", Category.URBAN_DEVELOPMENT),
    ("نوسازی نمای سرای محله {hood}", Category.URBAN_DEVELOPMENT),
    ("ساماندهی ایستگاه اتوبوس {hood}", Category.TRANSPORT),
    ("ایمن‌سازی تقاطع اصلی {hood}", Category.TRANSPORT),
    ("احداث بوستان محله‌ای {hood}", Category.GREEN_SPACE),
    ("کاشت درخت در بلوار {hood}", Category.GREEN_SPACE),
    ("راه‌اندازی کتابخانه محله {hood}", Category.CULTURE),
    ("برگزاری جشنواره فرهنگی {hood}", Category.CULTURE),
    ("ساخت زمین ورزشی روباز {hood}", Category.SPORT),
    ("تجهیز ایستگاه ورزش صبحگاهی {hood}", Category.SPORT),
    ("مرکز نگهداری روزانه سالمندان {hood}", Category.SOCIAL_SERVICES),
    ("خانه سلامت محله {hood}", Category.HEALTH),
    ("نصب روشنایی معابر {hood}", Category.SAFETY),
    ("جمع‌آوری پسماند خشک در {hood}", Category.OTHER),
]
UNITS = ["معاونت شهرسازی منطقه", "معاونت خدمات شهری", "سازمان بوستان‌ها و فضای سبز", "معاونت اجتماعی و فرهنگی"]
COMMENTS = [
    "این طرح برای محله ما واقعاً لازم است.",
    "لطفاً زمان‌بندی اجرا را دقیق‌تر اعلام کنید.",
    "پیشنهاد می‌کنم نظر ساکنان کوچه‌های فرعی هم پرسیده شود.",
    "بودجه این طرح کمی زیاد به نظر می‌رسد.",
    "از پیگیری شهرداری سپاسگزارم.",
    "آیا برای دسترسی افراد دارای معلولیت هم فکری شده است؟",
    # Ordinary complaints in the words citizens use: none of them may wait for a moderator.
    "سطل آشغال سر کوچه سه روز است خالی نشده و بو می‌دهد.",
    "کثافت کوچه را گرفته، لطفاً رفتگر بیشتری بفرستید.",
    "چراغ‌های پارک خراب است و شب‌ها کسی جرئت نمی‌کند از آنجا رد شود.",
    "آسفالت خیابان بعد از حفاری خراب شده و ماشین‌ها آسیب می‌بینند.",
    "کنار ایستگاه اتوبوس پر از زباله و آشغال است.",
    "نیمکت‌های بوستان شکسته و آب‌خوری هم خراب است.",
    "جوی آب پر از لجن و کثافت شده و پشه می‌آید.",
    "آدرس را در اطلاعیه عوضی نوشته‌اند؛ لطفاً اصلاح کنید.",
]
# Held back by the built-in list: insults that have no place in a comment.
ABUSIVE_COMMENTS = [
    "مسئولان بی‌شرف فقط حرف می‌زنند.",
    "خفه شو و برو کارت را درست انجام بده.",
    "این پیمانکار آشغال عوضی هیچ کاری نکرده.",
    "مرتیکه فکر کرده ما نمی‌فهمیم.",
]
# Each demo city's own words: one on both lists, one on Tehran's only (seed_demo).
CITY_FLAGGED_WORDS = {
    "tehran": ["رانت‌خوار", "زمین‌خوار"],
    "kashan": ["رانت‌خوار", "دزد بیت‌المال"],
}
REPLIES = ["موافقم.", "من هم همین نظر را دارم.", "به نظرم بهتر است مرحله‌به‌مرحله اجرا شود."]


def seed_flagged_words(stdout) -> None:
    """A few words on each demo city's own list; Kashan also holds comments with the built-in list."""
    count = 0
    for slug, words in CITY_FLAGGED_WORDS.items():
        city = City.objects.filter(slug=slug).first()
        if city is None:
            continue
        for word in words:
            FlaggedWord.objects.get_or_create(city=city, word_normalized=normalize(word), defaults={"word": word})
            count += 1
    stdout.write(f"Flagged words: {count} on the demo cities' own lists.")
