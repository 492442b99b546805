"""One of each helper: the kernel module is the only place that does it.

Each rule reads every module of the portal (not tests, not migrations) and
names the files that do the thing themselves, so a copy written in an app
fails here rather than drifting from the kernel's answer.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework import permissions

from core.api.throttles import WriteThrottleMixin

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {"tests", "migrations", "node_modules", "static", "templates", "locale", "docs"}


@cache
def _modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if any(part.startswith(".") or part in SKIP_DIRS for part in relative.parts[:-1]):
            continue
        found[relative.as_posix()] = ast.parse(path.read_text(encoding="utf-8"))
    return found


def _imports(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _strings(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def _names(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            yield node.id
        elif isinstance(node, ast.Attribute):
            yield node.attr
        elif isinstance(node, ast.alias):
            yield node.name.rsplit(".", 1)[-1]


def _defines_throttle(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and "Throttle" in node.name:
            return True
        if isinstance(node, ast.FunctionDef) and node.name == "get_throttles":
            return True
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        for target in targets:
            if isinstance(target, ast.Name) and target.id == "throttle_scope":
                return True
            if isinstance(target, ast.Attribute) and target.attr == "throttle_scope":
                return True
    return False


RULES: dict[str, tuple[Callable[[ast.Module], bool], set[str]]] = {
    # The calendar: conversion in core.jalali; core.forms only borrows django-jalali's admin picker files.
    "imports jdatetime": (lambda t: any(m.split(".")[0] == "jdatetime" for m in _imports(t)), {"core/jalali.py"}),
    "imports django_jalali": (
        lambda t: any(m.split(".")[0] == "django_jalali" for m in _imports(t)),
        {"core/forms.py"},
    ),
    "names a Jalali month": (lambda t: bool({"فروردین", "Farvardin"} & set(_strings(t))), {"core/jalali.py"}),
    # Persian digits and number formatting: core.persian.
    "spells out the Persian digits": (lambda t: any("۰۱۲۳۴۵۶۷۸۹" in s for s in _strings(t)), {"core/persian.py"}),
    "formats thousands with intcomma": (lambda t: "intcomma" in set(_names(t)), {"core/persian.py"}),
    # The web helpers: core.web.
    "reads the HX-Request header": (
        lambda t: "HX-Request" in set(_strings(t)),
        {"core/web.py", "core/pagecache.py"},  # the page cache keys on the raw header
    ),
    "sends people to sign in": (lambda t: "redirect_to_login" in set(_names(t)), {"core/web.py"}),
    "sets Retry-After": (lambda t: "Retry-After" in set(_strings(t)), {"core/web.py"}),
    "unpacks a ValidationError by field": (
        lambda t: bool({"error_dict", "message_dict"} & set(_names(t))),
        {"core/web.py", "core/api/errors.py"},  # forms, and the API's error body
    ),
    # The API's write throttle: core.api.throttles.
    "defines a throttle": (_defines_throttle, {"core/api/throttles.py"}),
}


@pytest.mark.parametrize("rule", RULES, ids=list(RULES))
def test_only_the_kernel_module_does_it(rule):
    check, allowed = RULES[rule]
    doers = {name for name, tree in _modules().items() if check(tree)}
    assert doers - allowed == set(), f"{rule}: use the kernel's helper instead"
    assert doers, f"nobody {rule}: the rule no longer tests anything"


def _api_views() -> Iterator[tuple[str, type, set[str]]]:
    """(route, view class, HTTP methods that write) for every /api/v1/ route."""

    def walk(patterns, prefix: str) -> Iterator[tuple[str, object]]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), entry.callback

    for route, callback in walk(get_resolver().url_patterns, ""):
        view_class = getattr(callback, "cls", None)
        if not route.startswith("api/v1/") or view_class is None:
            continue
        actions = getattr(callback, "actions", None)
        if actions is not None:
            methods = set(actions)
        else:
            methods = {m for m in view_class.http_method_names if hasattr(view_class, m)}
        yield route, view_class, {m.upper() for m in methods} - set(permissions.SAFE_METHODS)


def test_every_api_write_meets_the_one_write_throttle():
    views = list(_api_views())
    writers = {view.__name__ for _, view, unsafe in views if unsafe}
    assert {"ProjectViewSet", "OrganizationViewSet", "NeedReportViewSet", "TokenView", "NotificationViewSet"} <= writers
    unthrottled = [
        f"{view.__name__} ({route})"
        for route, view, unsafe in views
        if unsafe and not issubclass(view, WriteThrottleMixin)
    ]
    assert unthrottled == []


def test_actions_with_a_limit_of_their_own_exist():
    """A misspelt action in ``own_limit_actions`` would escape both limits."""
    for _, view, _unsafe in _api_views():
        for name in getattr(view, "own_limit_actions", ()):
            assert callable(getattr(view, name, None)), f"{view.__name__}.{name}"
