from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.otp import CODE_LENGTH, clean_code
from accounts.validators import normalize_mobile, normalize_national_code
from core.persian import normalize
from places.models import Neighborhood


class NeighborhoodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Neighborhood) -> str:
        return f"{obj.name} — {obj.district.name}"


def _neighborhood_field() -> NeighborhoodChoiceField:
    return NeighborhoodChoiceField(
        queryset=Neighborhood.objects.select_related("district").order_by("district__number", "name"),
        required=False,
        label=_("Home neighbourhood"),
        help_text=_("Some decisions are open only to residents of a district."),
    )


class _PersonalDataMixin:
    """Shared cleaning for the optional email and national code."""

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip().lower()
        if not email:
            return None
        others = User.objects.filter(email=email)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(_("An account with this email address already exists."))
        return email

    def clean_national_code(self):
        value = (self.cleaned_data.get("national_code") or "").strip()
        if not value:
            return None
        code = normalize_national_code(value)
        others = User.objects.filter(national_code=code)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(_("This national code is already registered."))
        return code


class SignUpForm(_PersonalDataMixin, BaseUserCreationForm):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        help_text=_("e.g. 09121234567; Persian digits are fine."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "dir": "ltr"}),
    )
    # No national code here: the form waits in the session until the SMS code comes back, and a
    # national code is kept nowhere but on the account; the profile takes it once the account exists.

    class Meta:
        model = User
        fields = ("phone", "display_name", "email", "home_neighborhood")
        widgets = {"email": forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_neighborhood"] = _neighborhood_field()
        self.fields["email"].help_text = _("Optional. Used for password reset and notifications.")

    def clean_phone(self) -> str:
        phone = normalize_mobile(self.cleaned_data["phone"])
        if User.objects.filter(phone=phone).exists():
            raise ValidationError(_("An account with this mobile number already exists."))
        return phone


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Mobile number or email"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "dir": "ltr", "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("The mobile number or email and password do not match."),
        "inactive": _("This account is inactive."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # AuthenticationForm sizes the box for USERNAME_FIELD (a 13-character mobile
        # number); browsers would cut an email address short at that length.
        self.fields["username"].max_length = 254
        self.fields["username"].widget.attrs["maxlength"] = 254


class WriteOnlyInput(forms.TextInput):
    """A box that never writes the stored or typed value back into the page (a national code, a code)."""

    def format_value(self, value):
        return None


class ProfileForm(_PersonalDataMixin, forms.ModelForm):
    # Written, never shown again, not even to its owner: a page over someone's shoulder cannot leak it.
    national_code = forms.CharField(
        label=_("National code"),
        max_length=12,
        required=False,
        help_text=_("Optional. Never shown to anyone else."),
        widget=WriteOnlyInput(attrs={"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}),
    )

    class Meta:
        model = User
        fields = ("display_name", "email", "national_code", "home_neighborhood")
        widgets = {"email": forms.EmailInput(attrs={"dir": "ltr"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_neighborhood"] = _neighborhood_field()
        self.fields["home_neighborhood"].initial = self.instance.home_neighborhood_id
        if self.instance.national_code:
            self.fields["national_code"].help_text = _(
                "Your national code is on file and is never shown. To replace it, type the new one; "
                "leave the box empty to keep it."
            )

    def clean_national_code(self):
        # The box is never filled in, so an empty one keeps the code on file.
        if not (self.cleaned_data.get("national_code") or "").strip():
            return self.instance.national_code
        return super().clean_national_code()


class ResidencyVerifyForm(forms.Form):
    """The national code a citizen types to have their residency checked; it is not kept by the check."""

    national_code = forms.CharField(
        label=_("National code"),
        max_length=20,
        help_text=_("Checked against the city's list of residents of your neighbourhood; not saved by this check."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}),
    )

    def clean_national_code(self) -> str:
        return normalize_national_code(self.cleaned_data["national_code"])


def _mobile_field(label=None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Mobile number"),
        max_length=20,
        help_text=_("e.g. 09121234567; Persian digits are fine."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "dir": "ltr"}),
    )


class MobileForm(forms.Form):
    """The number a code is sent to, in any spelling people type."""

    mobile = _mobile_field()

    def clean_mobile(self) -> str:
        return normalize_mobile(self.cleaned_data["mobile"])


class NewNumberForm(MobileForm):
    """A signed-in account's new number: not its current one, not another account's."""

    mobile = _mobile_field(_("New mobile number"))

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_mobile(self) -> str:
        phone = super().clean_mobile()
        if phone == self.user.phone:
            raise ValidationError(_("This is already your mobile number."))
        if User.objects.filter(phone=phone).exclude(pk=self.user.pk).exists():
            raise ValidationError(_("An account with this mobile number already exists."))
        return phone


class CodeInput(forms.TextInput):
    """A code box that never writes a typed code back into the page."""

    def format_value(self, value):
        return None


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        help_text=_("The 6-digit code in the SMS; Persian digits are fine."),
        widget=CodeInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "dir": "ltr", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code = clean_code(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH:
            raise ValidationError(_("Enter the 6-digit code from the SMS."))
        return code


class PasswordResetRequestForm(PasswordResetForm):
    """Django's reset form, taking a mobile number too: ``mobile`` is set when one was given."""

    email = forms.CharField(
        label=_("Email or mobile number"),
        max_length=254,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "username"}),
    )
    mobile: str | None = None

    def clean_email(self) -> str:
        value = self.cleaned_data["email"].strip()
        if "@" in value:
            validate_email(value)
            return value
        try:
            self.mobile = normalize_mobile(value)
        except ValidationError:
            raise ValidationError(_("Enter your email address or your mobile number, such as 09121234567.")) from None
        return value


# The word a citizen types to confirm that their account should go.
DELETE_CONFIRMATION_WORD = _("delete")


class DeleteAccountForm(forms.Form):
    """Deleting an account cannot be undone: the person types a word, so a stray click does nothing."""

    confirm = forms.CharField(label=_("Confirmation"), max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].help_text = _("Type «%(word)s» to confirm.") % {"word": DELETE_CONFIRMATION_WORD}

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"]
        if normalize(value) != normalize(str(DELETE_CONFIRMATION_WORD)):
            raise ValidationError(
                _("Type «%(word)s» exactly to confirm.") % {"word": DELETE_CONFIRMATION_WORD}, code="not_confirmed"
            )
        return value
