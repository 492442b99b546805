"""The accounts tests send their codes in-process (see ``eager_tasks``)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _eager(eager_tasks):
    """Without this a test run with REDIS_URL set would publish codes into the shared ``otp`` queue."""
