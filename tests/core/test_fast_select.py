"""The list filters' selects are rendered in Python, so they must stay exactly what Django's templates render."""

from __future__ import annotations

import pytest
from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from core.filterfields import FastSelect
from projects.filters import ProjectFilter
from projects.models import Project
from tests import factories
from tests.factories.core import HOSTILE, HOSTILE_LONG

CHOICES = [
    ("", "---------"),
    (1, HOSTILE),
    ("a&b", HOSTILE_LONG),
    (None, _("Neighbourhood")),
    ("1", "duplicate of one"),
]


@pytest.mark.parametrize("value", [None, "", 1, "1", "a&b", "missing", ["a&b"]])
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {"id": "id_n"},
        {"id": 'x"><script>', "required": True, "disabled": False, "data-x": "<&>", "aria-none": None},
    ],
)
def test_fast_select_renders_what_django_renders(value, attrs):
    expected = forms.Select(choices=CHOICES, attrs={"class": "c<"}).render('n"<', value, attrs)
    rendered = FastSelect(choices=CHOICES, attrs={"class": "c<"}).render('n"<', value, attrs)
    assert rendered == expected
    assert "<script>" not in rendered


def test_fast_select_marks_only_the_first_matching_option_selected():
    html = FastSelect(choices=CHOICES).render("n", "1")
    assert html.count(" selected") == 1
    assert '<option value="1" selected>' in html


def test_fast_select_falls_back_to_django_for_groups_and_non_text_labels():
    grouped = [("g", [(1, "one"), (2, "two")]), (3, "three")]
    assert FastSelect(choices=grouped).render("n", 2) == forms.Select(choices=grouped).render("n", 2)
    numeric = [(1, 1000), (2, 2)]
    assert FastSelect(choices=numeric).render("n", 1) == forms.Select(choices=numeric).render("n", 1)


@pytest.mark.django_db
def test_project_filter_neighbourhood_select_matches_django_and_shows_the_choice(neighborhood):
    factories.NeighborhoodFactory(area=neighborhood.area)
    data = {"neighborhood": str(neighborhood.pk)}
    form = ProjectFilter(data, queryset=Project.objects.all()).form
    field = form["neighborhood"]
    html = str(field)
    django_html = forms.Select(choices=field.field.choices).render(
        field.html_name, field.value(), field.build_widget_attrs({"id": field.auto_id})
    )
    assert html == django_html
    assert f'<option value="{neighborhood.pk}" selected>' in html
    assert html.count("<option") == 1 + len(field.field.rows())


@pytest.mark.django_db
def test_list_filters_show_renamed_places_at_once(client, citizen, neighborhood):
    """Workers keep the filters' place rows between requests; a rename by staff shows on the next page."""
    client.force_login(citizen, backend="accounts.backends.PhoneOrEmailBackend")
    for url in ("/projects/", "/organizations/"):
        assert escape(neighborhood.name) in client.get(url).content.decode()
    neighborhood.name = "محله تازه‌نام"
    neighborhood.save()
    district = neighborhood.district
    district.name = "منطقه تازه‌نام"
    district.save()
    added = factories.NeighborhoodFactory(area=neighborhood.area, name="محله تازه‌ساز")
    projects_html = client.get("/projects/").content.decode()
    assert f'<option value="{neighborhood.pk}">محله تازه‌نام — منطقه تازه‌نام</option>' in projects_html
    assert f'<option value="{added.pk}">محله تازه‌ساز — منطقه تازه‌نام</option>' in projects_html
    directory_html = client.get(f"/organizations/?neighborhood={added.pk}").content.decode()
    assert f'<option value="{neighborhood.pk}">محله تازه‌نام</option>' in directory_html
    assert f'<option value="{added.pk}" selected>محله تازه‌ساز</option>' in directory_html
