"""Forms of the organisation pages. They validate input; the services write."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from core.forms import BoundedMultipleChoiceField, JalaliDateField, PickerSelectMultiple
from core.uploads import DOCUMENT_KINDS, IMAGE_KINDS, validate_upload
from ngos.models import (
    Availability,
    FieldOfActivity,
    Organization,
    Plan,
    RsvpResponse,
    VolunteerProfile,
)
from ngos.services import find_duplicates
from places.forms import district_picker, neighborhood_picker
from places.models import City, District, Neighborhood


def clean_upload(value, kinds):
    """A safe copy of a new upload, ``False`` to clear, or ``None`` for "unchanged"."""
    if value is False:
        return False
    if isinstance(value, UploadedFile):
        return validate_upload(value, kinds=kinds)
    return None


def neighborhoods_of(city_id: int | None):
    return Neighborhood.objects.filter(district__city_id=city_id)


class _SectionForm(forms.ModelForm):
    """A part of the organisation record; duplicates are checked here for a clear message."""

    def validate_unique(self):
        """Uniqueness is on normalised columns, checked in ``clean`` and by the service."""

    def _duplicates(self, **identity) -> None:
        instance = self.instance
        errors = find_duplicates(
            city=identity.get("city") or instance.city,
            name=identity.get("name", ""),
            registration_number=identity.get("registration_number", ""),
            licence_issuer=identity.get("licence_issuer", ""),
            licence_number=identity.get("licence_number", ""),
            exclude_pk=instance.pk,
        )
        for field, message in errors.items():
            if field in self.fields:
                self.add_error(field, message)


class OrganizationBasicForm(_SectionForm):
    class Meta:
        model = Organization
        fields = (
            "city",
            "kind",
            "name",
            "registration_number",
            "managing_director",
            "board_members",
            "summary",
            "description",
        )
        widgets = {
            "registration_number": forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
            "board_members": forms.Textarea(attrs={"rows": 4}),
            "summary": forms.Textarea(attrs={"rows": 2, "maxlength": 300}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["city"]
        else:
            self.fields["city"].queryset = City.objects.order_by("name")
            cities = list(self.fields["city"].queryset[:2])
            if len(cities) == 1:
                self.fields["city"].initial = cities[0].pk

    def clean(self):
        data = super().clean()
        if data.get("name") and data.get("registration_number") and (self.instance.pk or data.get("city")):
            self._duplicates(city=data.get("city"), name=data["name"], registration_number=data["registration_number"])
        return data


class LicenceForm(_SectionForm):
    licence_issued_on = JalaliDateField(label=_("Licence issue date"))
    licence_expires_on = JalaliDateField(label=_("Licence expiry date"))

    class Meta:
        model = Organization
        fields = ("licence_issuer", "licence_number", "licence_issued_on", "licence_expires_on", "licence_document")
        widgets = {"licence_number": forms.TextInput(attrs={"dir": "ltr"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["licence_issuer"].required = True
        self.fields["licence_number"].required = True
        self.fields["licence_document"].required = not self.instance.licence_document
        self.fields["licence_document"].widget = forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"})

    def clean_licence_document(self):
        return clean_upload(self.cleaned_data.get("licence_document"), DOCUMENT_KINDS)

    def clean(self):
        data = super().clean()
        issued, expires = data.get("licence_issued_on"), data.get("licence_expires_on")
        if issued and expires and expires < issued:
            self.add_error("licence_expires_on", _("The expiry date must be after the issue date."))
        if data.get("licence_number") and data.get("licence_issuer"):
            self._duplicates(licence_issuer=data["licence_issuer"], licence_number=data["licence_number"])
        return data


class AreasForm(_SectionForm):
    activities = BoundedMultipleChoiceField(
        label=_("Fields of activity"), choices=FieldOfActivity.choices, widget=PickerSelectMultiple
    )

    class Meta:
        model = Organization
        fields = ("districts", "neighborhoods")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        city_id = self.instance.city_id
        self.fields["districts"] = district_picker(
            District.objects.filter(city_id=city_id), label=self.fields["districts"].label
        )
        self.fields["neighborhoods"] = neighborhood_picker(
            neighborhoods_of(city_id),
            required=False,
            label=_("Neighbourhoods served"),
            help_text=_("Optional. Their districts are added to the districts served."),
        )
        if self.instance.pk:
            self.fields["activities"].initial = list(self.instance.activities.values_list("code", flat=True))


class ContactsForm(_SectionForm):
    website = forms.URLField(
        label=_("Website"), required=False, assume_scheme="https", widget=forms.URLInput(attrs={"dir": "ltr"})
    )

    class Meta:
        model = Organization
        fields = ("address", "phone", "email", "website", "logo")
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
            "email": forms.EmailInput(attrs={"dir": "ltr"}),
        }
        help_texts = {"phone": _("Seen only by staff and the organisation's managers.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["address"].required = True
        self.fields["logo"].widget = forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png"})

    def clean_logo(self):
        return clean_upload(self.cleaned_data.get("logo"), IMAGE_KINDS)


SECTIONS: dict[str, tuple[type[forms.ModelForm], str]] = {
    "basic": (OrganizationBasicForm, _("Basic data")),
    "licence": (LicenceForm, _("Licence")),
    "areas": (AreasForm, _("Fields and areas")),
    "contacts": (ContactsForm, _("Contacts")),
}
SECTION_ORDER = list(SECTIONS)


def section_changes(form: forms.ModelForm) -> dict:
    """What a section form asks the service to change (files only when a new one came)."""
    changes = {name: form.cleaned_data[name] for name in form.fields if name != "city"}
    for name in ("licence_document", "logo"):
        if name in changes and changes[name] is None:
            del changes[name]
    return changes


class InviteForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number of the new manager"),
        max_length=20,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
        help_text=_("They will see the invitation after signing in with this number."),
    )


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ("title", "description", "target_neighborhoods", "estimated_budget", "attachment")
        widgets = {"estimated_budget": forms.NumberInput(attrs={"dir": "ltr", "min": 0})}

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_neighborhoods"] = neighborhood_picker(
            neighborhoods_of(organization.city_id), label=_("Target neighbourhoods")
        )
        self.fields["attachment"].widget = forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"})

    def clean_attachment(self):
        return clean_upload(self.cleaned_data.get("attachment"), DOCUMENT_KINDS) or None


class RsvpForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Organisation"))
    response = forms.ChoiceField(choices=RsvpResponse.choices, label=_("Answer"), widget=forms.RadioSelect)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class VolunteerProfileForm(forms.ModelForm):
    class Meta:
        model = VolunteerProfile
        fields = ("skills", "districts", "availability", "note")
        widgets = {"skills": forms.Textarea(attrs={"rows": 3}), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["districts"]
        self.fields["districts"] = district_picker(
            District.objects.all(), label=field.label, required=field.required, help_text=field.help_text
        )
        self.fields["availability"].choices = Availability.choices


class OpportunityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea)
    date = JalaliDateField(label=_("Date"))
    place = forms.CharField(label=_("Place"), max_length=300)
    places = forms.IntegerField(label=_("Number of places"), min_value=1, max_value=1000)
    district = forms.ModelChoiceField(queryset=District.objects.none(), required=False, label=_("District"))

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(city_id=organization.city_id).order_by("number")


class ApplyForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the organisation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
