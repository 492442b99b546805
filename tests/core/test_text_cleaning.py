"""Bidi controls are stripped from text and JSON columns by every door, including the audit trail."""

import pytest

from core.audit import log_action
from core.models import AuditEntry
from core.text import clean_instance, clean_text, clean_value
from tests.factories import UserFactory

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"

pytestmark = pytest.mark.django_db


def test_audit_changes_json_is_cleaned_at_every_depth():
    user = UserFactory()
    entry = log_action(
        actor=user,
        action="test.change",
        target=user,
        note=f"{RLO}fdp.exe{PDF}",
        changes={"title": [f"{RLO}old", f"new{LRI}x{PDI}"], f"k{RLO}": {"deep": [f"{RLO}y"]}},
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.note == "fdp.exe"
    assert stored.changes == {"title": ["old", "newx"], "k": {"deep": ["y"]}}


def test_clean_instance_prepares_rows_for_bulk_writes_that_send_no_signal():
    user = UserFactory.build(display_name=f"{RLO}name")
    clean_instance(user)
    assert user.display_name == "name"


def test_clean_value_leaves_numbers_and_clean_text_untouched():
    value = {"a": 1, "b": [2.5, None, True], "c": "ی"}
    assert clean_value(value) == value


def test_clean_text_drops_controls_and_folds_blank_lines():
    assert clean_text(f" a{RLO}b\x00\r\n\r\n\r\n\r\nc ") == "ab\n\nc"


def test_control_characters_go_too_but_tabs_and_line_breaks_stay():
    user = UserFactory(display_name="a\x00b\x07c\x1bd\x7fe")
    user.refresh_from_db()
    assert user.display_name == "abcde"
    assert clean_value({"k\x00": ["x\ty\nz\r", "\x0b"]}) == {"k": ["x\ty\nz\r", ""]}
