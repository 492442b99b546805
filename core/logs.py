"""Secrets never reach the logs: the token parts of a URL are blanked before a line is written.

Links in emails must carry their secret in the URL (a password-reset token,
an unsubscribe token), so the first request of such a link shows it in
every access log and in Django's own "Bad Request: /…" lines. The routes
that carry one are found in the URL resolver (a parameter named ``token``,
``uidb64``, ``key`` or ``signature``), so a new one is covered without a
change here; ``redact`` blanks those parts wherever such a path appears in
a line. ``RedactSecretsFilter`` applies it to Django's log records and
``GunicornLogger`` to gunicorn's access log (``logger_class`` in
gunicorn.conf.py).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from gunicorn.glogging import Logger

SECRET_PARAMETERS = frozenset({"token", "uidb64", "key", "signature"})
REDACTED = "[redacted]"
_GROUP = re.compile(r"\(\?P<(\w+)>")


def _route_regexes(resolver, prefix: str = ""):
    """The full regex of every route, namespaced ones included (each namespace has a resolver of its own)."""
    for _name, entries in resolver.reverse_dict.lists():
        for _possibilities, regex, _defaults, _converters in entries:
            yield prefix + regex.removeprefix("^")
    for namespace_prefix, namespace_resolver in resolver.namespace_dict.values():
        yield from _route_regexes(namespace_resolver, prefix + namespace_prefix.removeprefix("^"))


@lru_cache(maxsize=1)
def secret_routes() -> tuple[re.Pattern, ...]:
    """One pattern per route with a secret parameter, matching its path anywhere in a line."""
    from django.urls import get_resolver

    patterns = {
        "/" + regex.removesuffix(r"\Z").removesuffix("$")
        for regex in _route_regexes(get_resolver())
        if SECRET_PARAMETERS & set(_GROUP.findall(regex))
    }
    return tuple(re.compile(pattern) for pattern in sorted(patterns))


def redact(text: str) -> str:
    """``text`` with the secret parameters of every secret-carrying path in it replaced by ``[redacted]``."""
    if not text:
        return text
    for pattern in secret_routes():
        text = pattern.sub(lambda match: _blank(match), text)
    return text


def _blank(match: re.Match) -> str:
    found, start = match.group(0), match.start()
    for name, value in match.groupdict().items():
        if name in SECRET_PARAMETERS and value:
            begin, end = match.span(name)
            found = found[: begin - start] + REDACTED + found[end - start :]
            start += len(value) - len(REDACTED)
    return found


class RedactSecretsFilter(logging.Filter):
    """Blanks URL secrets in a record's message (and its arguments) before any handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


class GunicornLogger(Logger):
    """gunicorn's logger, with URL secrets blanked in the request line, path, query and referrer of each access line."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "q", "f", "{referer}i"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms
