"""Bidi controls never reach a text or JSON column, whichever door the row comes through.

Every model of the apps ``core.text`` cleans is introspected: each
Char/Text/JSON field is written through ``Model.save()``; the bulk services
(imports, the audit trail's bulk entries) are fed the same characters; and an
AST scan finds every ``bulk_create`` in app code and requires its function to
clean the rows with ``clean_instance``, since ``bulk_create`` sends no signal.
"""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from core import text
from core.audit import log_action, log_actions
from core.models import AuditEntry
from places.importing import GeographyRow
from places.models import Neighborhood
from places.services import geography_import
from projects.models import PhaseChange, Project
from projects.services.catalogue import projects_import_bulk
from tests import factories
from tests.security.scene import build_world

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"
CONTROLS = text.BIDI_CONTROLS


def _has_controls(value) -> bool:
    if isinstance(value, str):
        return not CONTROLS.isdisjoint(value)
    if isinstance(value, dict):
        return any(_has_controls(k) or _has_controls(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_controls(v) for v in value)
    return False


def _cleaned_models() -> list[type[models.Model]]:
    labels = sorted(text._CLEANED_APPS)
    assert {"accounts", "places", "neighborhoods", "ngos", "projects", "notifications", "core"} <= set(labels)
    return [m for label in labels for m in apps.get_app_config(label).get_models() if not m._meta.proxy]


def _text_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
        and not f.primary_key
        and f.name != "password"
    ]


def _hostile(field: models.Field):
    if isinstance(field, models.JSONField):
        return {f"k{RLO}": [f"{RLO}v", {"deep": f"w{LRI}x{PDI}"}], "n": 1}
    value = f"{RLO}exe.pdf{PDF}"
    return value[: field.max_length] if field.max_length else value


def _new_row(model: type[models.Model]) -> models.Model:
    """A row of ``model`` for the scene's gaps: required links to the scene's first rows, plain values elsewhere."""
    values = {}
    for f in model._meta.concrete_fields:
        if (
            (f.primary_key and not f.is_relation)
            or f.null
            or f.has_default()
            or getattr(f, "auto_now", False)
            or getattr(f, "auto_now_add", False)
        ):
            continue
        if f.is_relation:
            taken = set(model._default_manager.values_list(f.attname, flat=True)) if f.one_to_one else set()
            values[f.name] = f.related_model._default_manager.exclude(pk__in=taken).order_by("pk").first()
        elif isinstance(f, models.BooleanField):
            values[f.name] = False
        elif f.choices:
            values[f.name] = f.choices[0][0]
        elif isinstance(f, models.DateTimeField):
            values[f.name] = timezone.now()
        elif isinstance(f, models.DateField):
            values[f.name] = timezone.localdate()
        elif isinstance(f, models.IntegerField | models.DecimalField | models.FloatField):
            values[f.name] = 1
        elif isinstance(f, models.FileField):
            values[f.name] = "x.png"
        elif isinstance(f, models.CharField | models.TextField):
            values[f.name] = "x"
    with transaction.atomic():
        return model._default_manager.create(**values)


def _save(row: models.Model) -> models.Model:
    """A plain ``save()``; an append-only row (the audit trail) is saved as a new one."""
    if isinstance(row, AuditEntry):
        row.pk = None
        row._state.adding = True
    row.save()
    return row


@pytest.mark.django_db
def test_every_text_and_json_field_of_every_model_is_cleaned_on_save(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    world = build_world(with_files=True)
    log_action(actor=None, action="test.seed", target=world.project, changes={"phase": ["a", "b"]})
    failures, without_rows, checked = [], [], 0
    for model in _cleaned_models():
        fields = _text_fields(model)
        if not fields:
            continue
        row = model._default_manager.order_by("pk").first()
        if row is None:
            try:
                row = _new_row(model)
            except Exception as exc:  # noqa: BLE001 - reported below with the model's name
                without_rows.append(f"{model._meta.label}: {exc}")
                continue
        for field in fields:
            setattr(row, field.attname, _hostile(field))
        row = _save(row)
        stored = model._default_manager.get(pk=row.pk)
        for field in fields:
            checked += 1
            if _has_controls(getattr(stored, field.attname)):
                failures.append(f"{model._meta.label}.{field.name}: {getattr(stored, field.attname)!r}")
    assert not without_rows, (
        f"models the sweep cannot make a row of (add one to tests/security/scene.py): {without_rows}"
    )
    assert not failures, "\n".join(failures)
    assert checked > 50


@pytest.mark.django_db
def test_bulk_services_clean_every_row():
    """The importers and the audit trail's bulk entries, fed bidi controls, store none."""
    staff = factories.UserFactory(is_superuser=True, is_staff=True)
    district = factories.DistrictFactory()
    city = district.city

    summary = geography_import(
        rows=[
            GeographyRow(
                row=1,
                city=city,
                district_number=district.number + 50,
                district_name=f"منطقه {RLO}تازه",
                area=f"ناحیه {LRI}یک{PDI}",
                neighborhood=f"محله {RLO}نو",
                latitude=Decimal("35.7"),
                longitude=Decimal("51.4"),
            )
        ],
        actor=staff,
        source=f"file{RLO}.csv",
    )
    assert summary.neighborhoods_created == 1
    hood = Neighborhood.objects.select_related("area__district").get(name__contains="نو")
    assert not _has_controls(hood.name + hood.area.name + hood.area.district.name)

    project = factories.ProjectFactory.build(district=district, title=f"پروژه {RLO}گپ", description=f"{LRI}شرح")
    projects_import_bulk(actor=staff, projects=[(project, [])], note=f"یادداشت {RLO}")
    stored = Project.objects.get(pk=project.pk)
    assert not _has_controls([stored.title, stored.description, stored.title_normalized])
    assert not _has_controls(list(PhaseChange.objects.filter(project=stored).values_list("note", flat=True)))

    entries = log_actions(
        actor=staff,
        action="test.bulk",
        targets=[stored],
        note=f"{RLO}note",
        changes={"title": [f"{RLO}old", {"nested": [f"x{LRI}"]}]},
    )
    for entry in AuditEntry.objects.filter(pk__in=[e.pk for e in entries]):
        assert not _has_controls([entry.note, entry.changes, entry.target_repr])
    for entry in AuditEntry.objects.all():
        assert not _has_controls([entry.note, entry.changes, entry.target_repr]), entry.action


# Modules whose bulk_create rows are generated by the portal itself, never from outside text.
GENERATED_ROWS = {"projects/demo/__init__.py": "seed_demo's invented rows, from fixed word lists"}


def _bulk_create_calls(tree: ast.AST):
    """(function name, line, whether that function calls clean_instance) for each bulk_create call."""
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        calls = [n for n in ast.walk(function) if isinstance(n, ast.Call)]
        cleans = any(
            (isinstance(c.func, ast.Name) and c.func.id == "clean_instance")
            or (isinstance(c.func, ast.Attribute) and c.func.attr == "clean_instance")
            for c in calls
        )
        for call in calls:
            if isinstance(call.func, ast.Attribute) and call.func.attr == "bulk_create":
                yield function.name, call.lineno, cleans


def test_every_bulk_create_in_app_code_cleans_its_rows():
    root = Path(settings.BASE_DIR)
    labels = sorted(text._CLEANED_APPS) + ["civic_portal"]
    found, unclean = 0, []
    for label in labels:
        for path in sorted((root / label).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if "/migrations/" in relative or relative in GENERATED_ROWS:
                continue
            for function, line, cleans in _bulk_create_calls(ast.parse(path.read_text(), relative)):
                found += 1
                if not cleans:
                    unclean.append(f"{relative}:{line} in {function}()")
    assert found >= 5, found  # the scan sees the importers and the audit trail
    assert not unclean, "bulk_create without clean_instance on its rows:\n" + "\n".join(unclean)
