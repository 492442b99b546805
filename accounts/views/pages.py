from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import personal_data
from accounts.forms import (
    DeleteAccountForm,
    LoginForm,
    PasswordResetRequestForm,
    ProfileForm,
    ResidencyVerifyForm,
    SignUpForm,
)
from accounts.lockout import login_allowed
from accounts.models import User
from accounts.otp import OtpTooMany
from accounts.permissions import may_delete_own_account
from accounts.residency import home_change_after, residency_verify
from accounts.services import (
    STAFF_DELETION_REFUSED,
    pending_sign_up,
    user_delete_self,
    user_sign_out_everywhere,
    user_update_profile,
)
from accounts.views.codes import CodeAfterPassword, refused, start_flow
from core.ratelimit import hit
from core.web import add_service_errors, safe_next, too_many, within_limit


@require_http_methods(["GET", "POST"])
def signup(request):
    # The page that sent the visitor to sign up, so they land back where they were.
    next_url = safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "accounts:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        if not within_limit(request, "signup"):
            context = {"form": form, "next": next_url}
            return too_many(request, "signup", template="accounts/signup.html", context=context, form=form)
        if form.is_valid():
            # No account exists until a code proves the number: the form waits in the session meanwhile.
            data = form.cleaned_data
            extra = {"sign_up": pending_sign_up(data)}
            try:
                return start_flow(request, "sign_up", data["phone"], next_url=next_url, extra=extra)
            except OtpTooMany as exc:
                context = {"form": form, "next": next_url}
                return refused(request, exc, template="accounts/signup.html", context=context, form=form)
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


class LoginView(CodeAfterPassword, auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not login_allowed(request, request.POST.get("username")):
            form = self.get_form()
            context = self.get_context_data(form=form)
            return too_many(request, "login_account", template=self.template_name, context=context, form=form)
        return super().post(request, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    html_email_template_name = "accounts/email/password_reset.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    form_class = PasswordResetRequestForm

    def post(self, request, *args, **kwargs):
        email = (request.POST.get("email") or "").strip().lower()
        by_account = hit("password_reset_account", email) if "@" in email else True
        if not within_limit(request, "password_reset") or not by_account:
            form = self.get_form()
            return too_many(request, "password_reset", template=self.template_name, context={"form": form}, form=form)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if form.mobile is None:
            return super().form_valid(form)
        # A mobile number: a code to it, then a new password (accounts.views.codes).
        try:
            return start_flow(self.request, "reset", form.mobile)
        except OtpTooMany as exc:
            context = self.get_context_data(form=form)
            return refused(self.request, exc, template=self.template_name, context=context, form=form)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change the password; an account that has none yet (made by an SMS code) just chooses one."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def get_form_class(self):
        return super().get_form_class() if self.request.user.has_usable_password() else SetPasswordForm


def _profile_context(request, *, form=None, residency_form=None) -> dict:
    # Read again: a refused form has already written its values onto request.user.
    me = User.objects.select_related("home_neighborhood__district").get(pk=request.user.pk)
    return {
        "form": form or ProfileForm(instance=me),
        "me": me,
        "residency_form": residency_form or ResidencyVerifyForm(),
        "home_change_after": home_change_after(me),
    }


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user_update_profile(
                user=request.user,
                display_name=data["display_name"],
                email=data.get("email"),
                national_code=data.get("national_code"),
                home_neighborhood=data.get("home_neighborhood"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", _profile_context(request, form=form))


@login_required
@require_POST
def residency_verify_view(request):
    """Check the citizen's home against the city's census (``RESIDENCY_VERIFIERS``); a few tries an hour."""
    form = ResidencyVerifyForm(request.POST)
    if not within_limit(request, "residency_verify"):
        context = _profile_context(request, residency_form=form)
        return too_many(request, "residency_verify", template="accounts/profile.html", context=context, form=form)
    if form.is_valid():
        try:
            confirmed = residency_verify(user=request.user, national_code=form.cleaned_data["national_code"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if confirmed:
                messages.success(request, _("Your residency in your home neighbourhood is now confirmed."))
                return redirect("accounts:profile")
            form.add_error(
                "national_code",
                _(
                    "We could not confirm that the person with this national code lives in your home "
                    "neighbourhood. Check the code, or ask your district office to confirm your residency."
                ),
            )
    return render(request, "accounts/profile.html", _profile_context(request, residency_form=form), status=400)


@login_required
@require_POST
def sign_out_everywhere(request):
    """End every API token and every other session; this browser stays signed in."""
    user_sign_out_everywhere(user=request.user)
    update_session_auth_hash(request, request.user)
    messages.success(request, _("You have been signed out everywhere else, and your API tokens are revoked."))
    return redirect("accounts:profile")


@login_required
@require_GET
def export_my_data(request):
    """The citizen's own data as a JSON file to keep (the same document as ``GET /api/v1/me/export/``)."""
    if not within_limit(request, "account_export"):
        return too_many(request, "account_export")
    body = json.dumps(personal_data.export_for(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(body.encode(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="my-data-{timezone.localdate():%Y%m%d}.json"'
    response["Cache-Control"] = "private, no-store"  # a person's number and national code: no copy on the way
    return response


def _deletion_refusals(user) -> list[str]:
    """What stands in the way, shown before the person types anything (the service checks again)."""
    if not may_delete_own_account(user):
        return [str(STAFF_DELETION_REFUSED)]
    return personal_data.deletion_blockers(user)


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    """Confirm, then delete the account through ``user_delete_self``; this browser is signed out."""
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_delete_self(user=request.user)
        except PermissionDenied as refused:
            form.add_error(None, str(refused))
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            logout(request)
            messages.success(request, _("Your account has been deleted. Your comments stay, under “deleted user”."))
            return redirect("home")
    refusals = [] if form.is_bound else _deletion_refusals(request.user)
    return render(request, "accounts/delete_account.html", {"form": form, "refusals": refusals})
