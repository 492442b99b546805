"""Migration operations that exist only on PostgreSQL.

A trigram GIN index lets ``LIKE '%term%'`` on a normalised search column use
an index instead of reading every row. SQLite has no such index, so there the
operation does nothing and the same query scans (same answers, only slower).
The model state never changes, so ``makemigrations --check`` stays clean.
"""

from __future__ import annotations

from django.db import migrations


def _quote(schema_editor, name: str) -> str:
    return schema_editor.quote_name(name)


def trigram_index(table: str, column: str, name: str) -> migrations.RunPython:
    """``CREATE INDEX name ON table USING gin (column gin_trgm_ops)`` on PostgreSQL only."""

    def forwards(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {_quote(schema_editor, name)} ON {_quote(schema_editor, table)} "
            f"USING gin ({_quote(schema_editor, column)} gin_trgm_ops)"
        )

    def backwards(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {_quote(schema_editor, name)}")

    return migrations.RunPython(forwards, backwards, elidable=False)
