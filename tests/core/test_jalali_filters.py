import datetime as dt
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import translation


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_nowruz_is_first_of_farvardin_in_persian_digits():
    with translation.override("fa"):
        assert render("{{ d|jdate }}", d=dt.date(2024, 3, 20)) == "۱ فروردین ۱۴۰۳"
        assert render('{{ d|jdate:"numeric" }}', d=dt.date(1979, 2, 11)) == "۱۳۵۷/۱۱/۲۲"


def test_datetime_is_shown_in_tehran_time():
    # 21:00 UTC on 19 March is 00:30 on 20 March in Tehran: already the new year.
    moment = dt.datetime(2024, 3, 19, 21, 0, tzinfo=ZoneInfo("UTC"))
    with translation.override("fa"):
        assert render("{{ d|jdatetime }}", d=moment) == "۱ فروردین ۱۴۰۳، ۰۰:۳۰"


def test_english_pages_keep_ascii_digits_and_jalali_calendar():
    with translation.override("en"):
        assert render("{{ d|jdate }}", d=dt.date(2024, 3, 20)) == "1 Farvardin 1403"
        assert render("{{ n|fa_number }}", n=1250000) == "1,250,000"


def test_numbers_get_persian_digits_and_separators():
    with translation.override("fa"):
        assert render("{{ n|fa_number }}", n=1250000) == "۱٬۲۵۰٬۰۰۰"
        assert render("{{ n|fa_digits }}", n="صفحه 3") == "صفحه ۳"
        assert render("{{ d|jdate }}{{ n|fa_number }}", d=None, n=None) == ""
