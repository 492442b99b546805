import pytest


@pytest.mark.django_db
def test_home_is_persian_rtl_with_navigation(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl">' in html
    for label in ("پروژه‌ها", "تشکل‌ها", "محلات"):
        assert label in html
    assert "/static/js/htmx.min.js" in html
    assert "/static/css/portal.css" in html
    assert "cdn" not in html.lower()


@pytest.mark.django_db
def test_language_switcher_turns_the_page_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Projects" in html


@pytest.mark.django_db
def test_unknown_page_gets_a_persian_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "صفحه پیدا نشد" in response.content.decode()


def test_self_hosted_assets_are_committed():
    from pathlib import Path

    static = Path(__file__).resolve().parents[2] / "static"
    assert (static / "fonts/vazirmatn/Vazirmatn-Regular.woff2").stat().st_size > 10_000
    assert (static / "js/htmx.min.js").read_text().startswith("var htmx")


@pytest.mark.django_db
def test_an_english_browser_still_gets_persian_until_the_visitor_switches(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="fa" dir="rtl">' in html
