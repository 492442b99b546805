"""Browser journeys; the fixtures live in tests/browser.py."""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
