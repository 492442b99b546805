"""The staff pages people work in all day pass axe: the dashboard, the moderation queue, the project form.

Each page is scanned at a desk's 1280 px and at a tablet's 768 px for
serious and critical violations (touch targets of 24 px included), and must
not scroll sideways or cut anything off; the queue is filled with long,
unbroken comment text, which has to wrap inside its row.
"""

from __future__ import annotations

import pytest

from projects.models import CommentStatus, FlaggedWord
from tests import factories
from tests.e2e.journeys import sign_in
from tests.e2e.test_accessibility import axe_problems, layout_problems

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fast_passwords", "sms_delivery")]

WIDTHS = (1280, 768)
PAGES = (
    ("staff dashboard", "/admin/"),
    ("moderation queue", "/admin/projects/moderationqueueitem/"),
)
PROJECT_FORM = (("new project form", "/admin/projects/project/add/"),)
LONG_WORD = "بدون‌فاصله" * 30


def _work_to_do(district) -> None:
    """A queue with what makes rows wide: long text, an unbroken word, a link, flags and a flagged word."""
    project = factories.ProjectFactory(district=district, title="بازسازی بوستان " * 6)
    factories.CommentFactory(project=project, text="نیمکت‌ها شکسته است. " * 40, status=CommentStatus.PENDING)
    factories.CommentFactory(project=project, text=LONG_WORD, status=CommentStatus.PENDING, published_at=None)
    factories.CommentFactory(
        project=project, text="https://example.org/" + "a" * 120, status=CommentStatus.HIDDEN, open_flag_count=3
    )
    FlaggedWord.objects.create(word="احمق", city=district.city)
    factories.CommentFactory(
        project=project, text="مدیر این طرح احمق است", status=CommentStatus.PENDING, auto_flagged=True
    )


@pytest.mark.parametrize(
    "pages",
    [
        PAGES,
        PROJECT_FORM,
    ],
    ids=["dashboard and queue", "project form"],
)
def test_staff_pages_have_no_serious_axe_violation_and_fit_the_screen(page, pages):
    district = factories.DistrictFactory()
    _work_to_do(district)
    admin = factories.CityAdminFactory()
    sign_in(page, admin, "/admin/")

    problems: dict[str, list[str]] = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in pages:
            response = page.goto(url)
            assert response.status == 200, f"{name}: HTTP {response.status}"
            found = axe_problems(page) + layout_problems(page)
            if page.js_errors:
                found.append(f"JavaScript errors: {page.js_errors}")
                page.js_errors.clear()
            if found:
                problems[f"{name} at {width} px ({url})"] = found
    assert problems == {}, "\n".join(f"{where}:\n    " + "\n    ".join(found) for where, found in problems.items())
