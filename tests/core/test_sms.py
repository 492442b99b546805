"""The SMS layer: the file backend a developer and the tests read codes from."""

from __future__ import annotations

import io

from django.core.management import call_command

from core.sms import FileSmsGateway, get_sms_gateway, read_sms_file
from tests.sms import SmsDir


def test_file_backend_writes_one_file_per_message_number_first_then_the_text(tmp_path):
    gateway = FileSmsGateway(tmp_path / "sms")
    gateway.send(to="+989121112233", text="کد ورود شما: 123456\nاین کد را به کسی ندهید.", reference="r1")
    gateway.send(to="+989351112233", text="دومی", reference="r2")
    files = sorted((tmp_path / "sms").iterdir())
    assert [file.suffix for file in files] == [".sms", ".sms"]
    assert files[0].read_text(encoding="utf-8") == "+989121112233\nکد ورود شما: 123456\nاین کد را به کسی ندهید.\n"
    # Names sort by the time they were written.
    assert [read_sms_file(file)[0] for file in files] == ["+989121112233", "+989351112233"]
    box = SmsDir(tmp_path / "sms")
    assert [message.text for message in box.to("۰۹۳۵ ۱۱۱ ۲۲۳۳")] == ["دومی"]
    assert box.last_code("09121112233", timeout=0) == "123456"


def test_settings_choose_the_backend(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path)
    assert isinstance(get_sms_gateway(), FileSmsGateway)
    assert get_sms_gateway().path == tmp_path


def test_seed_demo_says_where_codes_appear(settings, db, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(settings.BASE_DIR / "var" / "sms")
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "SMS codes: var/sms/" in out.getvalue()
