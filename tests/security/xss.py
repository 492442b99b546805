"""The XSS corpus and the check that a page keeps it inert.

Every payload sets ``window.__xss`` if a browser ever runs it, so the browser
test can ask the page itself; the server-side check parses the HTML the way a
browser would and reports any element, attribute or URL that came from a
payload and would run.
"""

from __future__ import annotations

from html.parser import HTMLParser

MARK = "__xss"

# Each one alone fits the shortest free-text field it is written into (40 characters and up).
PAYLOADS: dict[str, str] = {
    "script": "<script>window.__xss=1</script>",
    "img_onerror": '"><img src=x onerror=window.__xss=1>',
    "attr_break": "' autofocus onfocus=window.__xss=1 x='",
    "svg_onload": "<svg onload=window.__xss=1></svg>",
    "javascript_url": '<a href="javascript:window.__xss=1">ok</a>',
    "iframe_srcdoc": '<iframe srcdoc="<script>window.__xss=1</script>">',
    "template": "{{ request.user.password }}{% debug %}{{ 7|add:1 }}",
    "bidi": "\u202eevil.exe\u202c \u2066iso\u2069 \u202bx\u202a",
}

# Bidi controls that reorder text around them (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI).
BIDI_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))

# What a page would show if the template payload were evaluated as a template.
TEMPLATE_EVALUATED = ("pbkdf2_sha256$", "argon2$", "sql_queries", "{'csrf_token'")

_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "poster", "background"}


class _ActiveContentFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)
        if tag == "script":
            self._in_script = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and MARK in data:
            self.problems.append(f"script runs payload: {data.strip()[:80]!r}")

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and MARK in value:
                self.problems.append(f"<{tag} {name}={value[:60]!r}>")
            elif name in _URL_ATTRIBUTES and (
                MARK in value and ("javascript:" in value.replace(" ", "").lower() or "<script" in value.lower())
            ):
                self.problems.append(f"<{tag} {name}={value[:60]!r}>")
            elif name == "autofocus" and tag not in {"input", "textarea", "select", "button"}:
                self.problems.append(f"<{tag} autofocus> from a broken attribute")


def active_content(html: str) -> list[str]:
    """The places where a payload would run in ``html``; empty when the page is safe."""
    finder = _ActiveContentFinder()
    finder.feed(html)
    finder.close()
    problems = finder.problems
    problems += [f"template evaluated: {marker}" for marker in TEMPLATE_EVALUATED if marker in html]
    return problems


def assert_inert(html: str, where: str = "") -> None:
    problems = active_content(html)
    assert not problems, f"active payload on {where}: {problems}"
