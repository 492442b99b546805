"""Bulk import of projects from CSV or XLSX: every row checked, all or nothing, each file once.

``rows`` reads and checks the rows and imports them; ``submission`` takes one
upload (refuses a repeat, imports a small file now, queues a large one). See
docs/projects-import.md.
"""

from projects.importing.rows import (
    COLUMNS,
    HEADERS,
    ImportResult,
    Progress,
    RowError,
    parse_date_value,
    project_import,
    read_rows,
    validate_rows,
)
from projects.importing.submission import Submission, earlier_import, submit_import

__all__ = [
    "COLUMNS",
    "HEADERS",
    "ImportResult",
    "Progress",
    "RowError",
    "Submission",
    "earlier_import",
    "parse_date_value",
    "project_import",
    "read_rows",
    "submit_import",
    "validate_rows",
]
