import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import translation

from core.api.fields import JalaliField, jalali_text


def test_jalali_twin_uses_ascii_digits_in_every_language():
    with translation.override("fa"):
        assert jalali_text(dt.date(2024, 8, 2)) == "1403/05/12"
    assert jalali_text(None) is None


def test_jalali_twin_of_a_moment_is_in_tehran_time():
    moment = dt.datetime(2024, 3, 19, 21, 0, tzinfo=ZoneInfo("UTC"))
    assert JalaliField().to_representation(moment) == "1403/01/01 00:30"
