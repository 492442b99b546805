"""The notifications app knows no other domain app: they hand it their events and followable kinds.

It may use Django, the shared kernel and accounts; the apps that raise events
and own the things people follow register them from their ``ready()``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import notifications

FORBIDDEN = {"projects", "ngos", "neighborhoods", "places"}
APP = Path(notifications.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "import_module" and node.args:
            if isinstance(node.args[0], ast.Constant):
                names.add(node.args[0].value)
    return names


def test_no_module_of_notifications_imports_another_domain_app():
    offending = {
        f"{path.relative_to(APP.parent)}: {module}"
        for path in APP.rglob("*.py")
        for module in _imported_modules(path)
        if module.split(".")[0] in FORBIDDEN
    }
    assert not offending, sorted(offending)


def test_its_templates_link_to_no_other_domain_app():
    templates = APP.parent / "templates" / "notifications"
    offending = [
        str(path)
        for path in templates.rglob("*.html")
        for app in FORBIDDEN
        if f"'{app}:" in path.read_text(encoding="utf-8") or f'"{app}:' in path.read_text(encoding="utf-8")
    ]
    assert not offending
