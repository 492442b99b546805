import pytest
from django.core.exceptions import ValidationError

from accounts.validators import normalize_mobile, normalize_national_code


@pytest.mark.parametrize(
    "raw",
    [
        "09121234567",
        "9121234567",
        "+989121234567",
        "989121234567",
        "00989121234567",
        "۰۹۱۲۱۲۳۴۵۶۷",
        "٠٩١٢١٢٣٤٥٦٧",
        "0912 123 4567",
        "0912-123-4567",
        "+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷",
    ],
)
def test_every_common_spelling_of_a_mobile_number_is_one_canonical_form(raw):
    assert normalize_mobile(raw) == "+989121234567"


@pytest.mark.parametrize(
    "raw",
    ["", "0912123456", "091212345678", "02188776655", "08121234567", "+449121234567", "abc", "۰۹۱۲۱۲۳۴۵۶x"],
)
def test_invalid_mobile_numbers_are_rejected_with_a_message(raw):
    with pytest.raises(ValidationError) as error:
        normalize_mobile(raw)
    assert error.value.code == "invalid_mobile"


@pytest.mark.parametrize("raw", ["0084575948", "0013542419", "۰۰۸۴۵۷۵۹۴۸", "4608968882", "0499370899"])
def test_valid_national_codes(raw):
    assert normalize_national_code(raw) == raw.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))


@pytest.mark.parametrize("raw", ["0084575949", "1111111111", "0000000000", "123456789", "12345678901", "abcdefghij"])
def test_invalid_national_codes(raw):
    with pytest.raises(ValidationError) as error:
        normalize_national_code(raw)
    assert error.value.code == "invalid_national_code"


def test_deploy_check_wants_its_own_identity_key_and_a_real_sms_gateway(settings):
    from accounts.identity import check_identity_settings

    settings.IDENTITY_HASH_KEY = settings.SECRET_KEY
    settings.SMS_BACKEND = "console"
    assert [m.id for m in check_identity_settings(None)] == ["accounts.W001", "accounts.W002"]
    settings.IDENTITY_HASH_KEY = "a-key-of-its-own"
    settings.SMS_BACKEND = "http"
    assert check_identity_settings(None) == []
