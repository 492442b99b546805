"""Admin forms with the rules people trip over: decree scans, overlapping terms, status steps."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from core.admin.lifecycle import ChosenOrTypedForm, choice_or_text
from core.persian import normalize
from core.uploads import DOCUMENT_KINDS, validate_upload
from neighborhoods.models import NeedReport, NeedStatus, Trusteeship
from neighborhoods.services import check_status_change


class TrusteeshipForm(forms.ModelForm):
    class Meta:
        model = Trusteeship
        fields = (
            "board",
            "user",
            "member_name",
            "category",
            "decree_number",
            "decree_date",
            "decree_issuer",
            "decree_file",
            "term_start",
            "term_end",
        )
        help_texts = {"decree_file": _("PDF, JPEG or PNG. Only staff of the board's district can open it.")}

    def clean_decree_file(self):
        scan = self.cleaned_data.get("decree_file")
        if isinstance(scan, UploadedFile):
            return validate_upload(scan, kinds=DOCUMENT_KINDS)
        return scan


class TrusteeshipInlineFormSet(BaseInlineFormSet):
    """Terms entered together on one board page may not overlap for one person either."""

    def clean(self):
        super().clean()
        seen: list[tuple[tuple, object, object]] = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if form.errors or data.get("DELETE"):
                continue
            start, end = data.get("term_start"), data.get("term_end")
            if not start or not end:
                continue
            user = data.get("user")
            person = ("user", user.pk) if user else ("name", normalize(data.get("member_name", "")))
            if any(p == person and start <= e and end >= s for p, s, e in seen):
                form.add_error(
                    "term_start",
                    _("Another term of this person on this page overlaps this one; terms may not overlap."),
                )
            seen.append((person, start, end))


class NeedReportAdminForm(forms.ModelForm):
    """Staff choose the report's next status; the choices offered are the allowed steps."""

    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The reporter sees this note in the report's history."),
    )

    class Meta:
        model = NeedReport
        fields = ("status", "agency")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status_changed = False
        current = self.instance.status
        allowed = [current, *self.instance.next_statuses]
        self.fields["status"].choices = [(value, NeedStatus(value).label) for value in allowed]

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status is None:
            return cleaned
        self.status_changed = status != self.instance.status
        if self.status_changed:
            check_status_change(report=self.instance, status=status, agency=cleaned.get("agency"))
        elif cleaned.get("agency", "") != self.instance.agency or cleaned.get("note"):
            raise ValidationError({"status": _("Choose the report's next status to record a new agency or a note.")})
        return cleaned


# --- the decision buttons on a report's page (core.admin.lifecycle) ----------------------------
# The agencies most reports go to, by their official names; any other may be typed in.
AGENCIES = (
    _("Tehran Water and Wastewater Company"),
    _("Greater Tehran Electricity Distribution Company"),
    _("Tehran Parks and Green Space Organisation"),
    _("Deputy for Transport and Traffic"),
    _("Deputy for Urban Planning and Architecture"),
    _("Deputy for Social and Cultural Affairs"),
)
DECLINE_REASONS = (
    _("This need is outside the municipality's remit."),
    _("The same need has already been reported."),
    _("There is no budget for it this year."),
)


class _WithNote(ChosenOrTypedForm):
    note = forms.CharField(
        label=_("Note for the reporter (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


ReferForm = choice_or_text(
    "agency",
    AGENCIES,
    choice_label=_("Responsible agency"),
    text_label=_("or write the agency's name"),
    missing=_("Name the agency the report is referred to."),
    base=_WithNote,
    textarea=False,
)
DeclineForm = choice_or_text(
    "reason",
    DECLINE_REASONS,
    choice_label=_("Usual reasons"),
    text_label=_("or write the reason"),
    missing=_("Write the reason or choose one from the list; the reporter will see it."),
)
