"""Running the real migrations back and forth in a test, and leaving the database at the latest state."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets):
    """Migrate the test database to ``targets``; the historical apps of that state, for writing old-style rows."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def latest_migrations_afterwards():
    """Later migrations must be applied again for the tests that follow."""
    yield
    migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())
