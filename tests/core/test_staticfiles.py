"""``collectstatic`` for production: hashed names, with django-jalali's incomplete theme tolerated."""

from __future__ import annotations

from pathlib import Path

import django_jalali
from django.core.files.storage import FileSystemStorage

from core.staticfiles import ManifestStaticStorage

JALALI_THEME = "admin/jquery.ui.datepicker.jalali/themes/base/"


def post_process_errors(sources: Path, target: Path, prefix: str = "") -> dict[str, Exception]:
    """What ``collectstatic`` does with these files (copy, hash, rewrite references); the errors by file."""
    source = FileSystemStorage(location=sources)
    storage = ManifestStaticStorage(location=target, base_url="/static/")
    paths = {}
    for file in sources.rglob("*"):
        if file.is_file() and str(file.relative_to(sources)).startswith(prefix):
            name = file.relative_to(sources).as_posix()
            with source.open(name) as content:
                storage.save(name, content)
            paths[name] = (source, name)
    results = storage.post_process(paths)
    return {name: processed for name, _hashed, processed in results if isinstance(processed, Exception)}


def test_django_jalali_theme_collects_although_its_css_names_images_it_does_not_ship(tmp_path):
    sources = Path(django_jalali.__file__).parent / "static"
    assert post_process_errors(sources, tmp_path, prefix=JALALI_THEME) == {}
    hashed = ManifestStaticStorage(location=tmp_path, base_url="/static/").stored_name(
        f"{JALALI_THEME}jquery-ui.min.css"
    )
    assert hashed != f"{JALALI_THEME}jquery-ui.min.css"  # hashed, so it can be cached for ever


def test_a_missing_file_named_by_our_own_css_still_fails_the_build(tmp_path):
    sources = tmp_path / "src"
    (sources / "css").mkdir(parents=True)
    (sources / "css" / "broken.css").write_text("body { background: url(../img/missing.png); }")
    errors = post_process_errors(sources, tmp_path / "out")
    assert list(errors) == ["css/broken.css"]
    assert "img/missing.png" in str(errors["css/broken.css"])


def test_every_file_the_portal_ships_in_static_collects(tmp_path):
    """`collectstatic` on a server (make upgrade) fails on one reference to a file that is not shipped."""
    sources = Path(__file__).resolve().parents[2] / "static"
    assert post_process_errors(sources, tmp_path) == {}
