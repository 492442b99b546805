"""Forms of the neighbourhood pages: a trustee files a need, staff move it along."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from neighborhoods.models import NeedCategory, NeedReport, NeedStatus


class NeedReportForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=NeedCategory.choices)
    title = forms.CharField(
        label=_("Title"), max_length=160, help_text=_("One line, e.g. “No street lights on Golestan alley”.")
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Where exactly, since when, and how many residents it affects."),
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text=_("A JPEG or PNG picture of the problem."),
    )

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError(_("Write a short title."), code="required")
        return title


class NeedStatusForm(forms.Form):
    """The next steps a report may take are the only choices offered."""

    status = forms.ChoiceField(label=_("New status"), choices=())
    agency = forms.CharField(
        label=_("Responsible agency"),
        max_length=160,
        required=False,
        help_text=_("Required when referring the report."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The reporter sees this note in the report's history."),
    )

    def __init__(self, *args, report: NeedReport, **kwargs):
        kwargs.setdefault("initial", {"agency": report.agency})
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(value, NeedStatus(value).label) for value in report.next_statuses]
