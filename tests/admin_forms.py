"""What a browser would post from an admin form, read from the page, so tests change one field at a time."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormValues(HTMLParser):
    """Collects what a browser would submit from the admin's change form (``id="<model>_form"``)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._in_form = False
        self._done = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("id") or "").endswith("_form") and not self._done:
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form = False
            self._done = True


def admin_form_data(client, url: str) -> dict:
    """The values an admin form at ``url`` would post unchanged (management forms included)."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    parser = _FormValues()
    parser.feed(response.content.decode())
    data = {}
    for key, values in parser.data.items():
        if key == "csrfmiddlewaretoken" or not values:  # a list with nothing chosen sends nothing
            continue
        data[key] = values if len(values) > 1 else values[0]
    return data
