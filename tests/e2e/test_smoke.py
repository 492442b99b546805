"""The browser harness itself: Chromium renders the Persian home page from the live server."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_renders_right_to_left_in_persian(page):
    page.goto("/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "fa"
    assert page.js_errors == []
