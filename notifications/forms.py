from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.events import Channel, user_events
from notifications.models import DigestFrequency


def field_name(event: str, channel: str) -> str:
    return f"{event}__{channel}"


class PreferencesForm(forms.Form):
    """One checkbox per event and channel it offers, and the summary frequency."""

    digest = forms.ChoiceField(
        label=_("Emails"),
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
        help_text=_("Urgent messages, such as decisions about your organisation, are always sent right away."),
    )

    def __init__(self, *args, preferences: dict[str, dict[str, bool]], digest: str, **kwargs) -> None:
        kwargs.setdefault("initial", {})["digest"] = digest
        super().__init__(*args, **kwargs)
        for event in user_events():
            for channel, enabled in preferences[event.key].items():
                self.fields[field_name(event.key, channel)] = forms.BooleanField(
                    label=f"{event.label}: {Channel(channel).label}", required=False, initial=enabled
                )

    def rows(self) -> list[dict]:
        """Events grouped as the page shows them: a table of events × channels."""
        groups: dict[str, list] = {}
        for event in user_events():
            cells = []
            for channel in Channel.values:
                name = field_name(event.key, channel)
                cells.append(self[name] if name in self.fields else None)
            groups.setdefault(str(event.group), []).append({"label": event.label, "cells": cells})
        return [{"title": title, "events": events} for title, events in groups.items()]

    def choices(self) -> dict[str, dict[str, bool]]:
        result: dict[str, dict[str, bool]] = {}
        for name, value in self.cleaned_data.items():
            if "__" in name:
                event, channel = name.split("__", 1)
                result.setdefault(event, {})[channel] = bool(value)
        return result
