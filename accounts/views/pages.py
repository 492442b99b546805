from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import LoginForm, ProfileForm, SignUpForm
from accounts.lockout import login_allowed
from accounts.services import user_register, user_sign_out_everywhere, user_update_profile
from core.ratelimit import client_ip, hit
from core.web import safe_next, too_many, within_limit


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
            data = form.cleaned_data
            user = user_register(
                phone=data["phone"],
                password=data["password1"],
                display_name=data["display_name"],
                email=data.get("email"),
                national_code=data.get("national_code"),
                home_neighborhood=data.get("home_neighborhood"),
                address=client_ip(request),
            )
            login(request, user, backend="accounts.backends.PhoneOrEmailBackend")
            messages.success(request, _("Welcome! Your account has been created."))
            return redirect(next_url or "accounts:profile")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


class LoginView(auth_views.LoginView):
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

    def post(self, request, *args, **kwargs):
        email = (request.POST.get("email") or "").strip().lower()
        by_account = hit("password_reset_account", email) if email else True
        if not within_limit(request, "password_reset") or not by_account:
            form = self.get_form()
            return too_many(request, "password_reset", template=self.template_name, context={"form": form}, form=form)
        return super().post(request, *args, **kwargs)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user_update_profile(
            user=request.user,
            display_name=data["display_name"],
            email=data.get("email"),
            national_code=data.get("national_code"),
            home_neighborhood=data.get("home_neighborhood"),
        )
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_POST
def sign_out_everywhere(request):
    """End every API token and every other session; this browser stays signed in."""
    user_sign_out_everywhere(user=request.user)
    update_session_auth_hash(request, request.user)
    messages.success(request, _("You have been signed out everywhere else, and your API tokens are revoked."))
    return redirect("accounts:profile")
