"""Forms of the public pages; each hands its cleaned data to a service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BoundedModelMultipleChoiceField
from places.models import Neighborhood
from projects import conf
from projects.models import FlagReason


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        max_length=2000,
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].max_length = conf.comment_max_length()
        self.fields["text"].widget.attrs["maxlength"] = conf.comment_max_length()


class CommentEditForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}))


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=FlagReason.choices)
    note = forms.CharField(label=_("Details (optional)"), max_length=300, required=False)


class BallotForm(forms.Form):
    projects = BoundedModelMultipleChoiceField(
        label=_("Projects"), queryset=None, widget=forms.CheckboxSelectMultiple, required=True
    )

    def __init__(self, *args, eligible, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = eligible
        self.fields["projects"].error_messages["required"] = _("Choose at least one project.")


class NeighborhoodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Neighborhood) -> str:
        return f"{obj.name} — {obj.district.name}"


class IdeaForm(forms.Form):
    neighborhood = NeighborhoodChoiceField(label=_("Neighbourhood"), queryset=Neighborhood.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}))
    photo = forms.ImageField(label=_("Photo (optional)"), required=False)
    latitude = forms.DecimalField(
        label=_("Latitude (optional)"), required=False, max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    longitude = forms.DecimalField(
        label=_("Longitude (optional)"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
    )

    def __init__(self, *args, city_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighborhood"].queryset = (
            Neighborhood.objects.filter(district__city_id=city_id)
            .select_related("district")
            .order_by("district__number", "name")
        )


class ReasonForm(forms.Form):
    """The reason staff give when they reject or return something; its author sees it."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


# The usual reasons a moderator rejects a comment for, offered in the queue's row (the author reads the label).
REJECT_REASONS = (FlagReason.INSULT, FlagReason.SPAM, FlagReason.PERSONAL_DATA, FlagReason.OFF_TOPIC)


class CommentRejectForm(forms.Form):
    """Reject one comment from its queue row: a usual reason from the list, or one typed in."""

    reason_choice = forms.ChoiceField(
        label=_("Reason"),
        required=False,
        choices=[("", _("Choose a reason…")), *((reason.value, reason.label) for reason in REJECT_REASONS)],
    )
    reason_text = forms.CharField(label=_("or write another reason"), required=False, max_length=500)

    def clean(self):
        data = super().clean()
        typed = (data.get("reason_text") or "").strip()
        chosen = data.get("reason_choice")
        if typed:
            data["reason"] = typed
        elif chosen:
            data["reason"] = str(FlagReason(chosen).label)
        else:
            raise forms.ValidationError(_("Give the reason for rejecting the comment; its author will see it."))
        return data
