"""No page, API view, serializer or admin module writes to the database itself: services do.

The modules are read as source (``ast``), so a ``.save()`` added to a view or
an admin action fails here before review. A call on a form or serializer
(``form.save(commit=False)``) counts too: the rows it builds are the
service's to save. ``ALLOWED`` names the few calls with a write-like name
that touch no database, each with the reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Every app of the portal and the project package (each has an ``apps.py``), so a new app is scanned too.
PACKAGES = sorted(path.parent.name for path in ROOT.glob("*/apps.py"))
# Modules (or packages) whose names start with these are doors: they call services, never write.
DOORS = ("views", "api", "serializers", "admin")
WRITES = frozenset(
    {
        "save",
        "save_m2m",
        "create",
        "bulk_create",
        "bulk_update",
        "update",
        "delete",
        "get_or_create",
        "update_or_create",
        # many-to-many writes: relation.set / add / remove / clear
        "set",
        "add",
        "remove",
        "clear",
    }
)

# (module path, the call as written) -> why it is not a database write.
ALLOWED: dict[tuple[str, str], str] = {
    ("core/api/keyset.py", "cache.set"): "keeps a list's count in the cache, not the database",
}


def door_modules() -> list[Path]:
    modules = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT / package).with_suffix("").parts
            if "migrations" not in parts and any(part.startswith(DOORS) for part in parts):
                modules.append(path)
    return modules


def direct_writes(source: str) -> list[tuple[int, str]]:
    """(line, call) for every call of a write-like method in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES:
            found.append((node.lineno, ast.unparse(node.func)))
    return sorted(found)


def test_the_doors_are_all_scanned():
    assert {"accounts", "civic_portal", "core", "neighborhoods", "ngos", "notifications", "places", "projects"} <= set(
        PACKAGES
    )
    scanned = {str(path.relative_to(ROOT)) for path in door_modules()}
    for module in (
        "accounts/admin/users.py",
        "accounts/admin/residency.py",
        "accounts/api/me.py",
        "accounts/api/auth.py",
        "core/admin/__init__.py",
        "core/admin/audit.py",
        "civic_portal/views.py",
        "neighborhoods/admin/houses.py",
        "places/admin.py",
        "neighborhoods/api/serializers.py",
        "neighborhoods/views.py",
        "ngos/admin/club.py",
        "ngos/api/serializers.py",
        "ngos/views/manage.py",
        "projects/admin/projects.py",
        "projects/api/views.py",
        "notifications/admin.py",
    ):
        assert module in scanned


def test_the_scan_finds_writes_on_models_querysets_and_forms():
    source = (
        "def view(request, form, project):\n"
        "    project.save()\n"
        "    Project.objects.filter(pk=1).update(title='x')\n"
        "    Comment.objects.get_or_create(project=project)\n"
        "    row = form.save(commit=False)\n"
        "    context = {}\n"
        "    context |= {'a': 1}\n"
    )
    assert [call for _line, call in direct_writes(source)] == [
        "project.save",
        "Project.objects.filter(pk=1).update",
        "Comment.objects.get_or_create",
        "form.save",
    ]


def test_no_view_api_serializer_or_admin_module_writes_directly():
    found = []
    for path in door_modules():
        module = str(path.relative_to(ROOT))
        for line, call in direct_writes(path.read_text()):
            if (module, call) not in ALLOWED:
                found.append(f"{module}:{line}: {call}(...) — call the app's service instead")
    assert not found, "\n".join(found)
