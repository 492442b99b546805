from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import LoginForm, ProfileForm, SignUpForm
from accounts.lockout import login_allowed
from accounts.services import user_register, user_update_profile
from core.ratelimit import client_ip, hit


def _too_many(request, template: str, form, **context) -> object:
    form.add_error(None, _("Too many attempts. Please wait a while and try again."))
    return render(request, template, {"form": form, **context}, status=429)


def _next_url(request) -> str:
    """The page that sent the visitor to sign up, so they land back where they were; only our own pages."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


@require_http_methods(["GET", "POST"])
def signup(request):
    next_url = _next_url(request)
    if request.user.is_authenticated:
        return redirect(next_url or "accounts:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        if not hit("signup", client_ip(request)):
            return _too_many(request, "accounts/signup.html", form, next=next_url)
        if form.is_valid():
            data = form.cleaned_data
            user = user_register(
                phone=data["phone"],
                password=data["password1"],
                display_name=data["display_name"],
                email=data.get("email"),
                national_code=data.get("national_code"),
                home_neighborhood=data.get("home_neighborhood"),
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
            form.add_error(None, _("Too many attempts. Please wait a while and try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    html_email_template_name = "accounts/email/password_reset.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        if not hit("password_reset", client_ip(request)):
            return _too_many(request, self.template_name, self.get_form())
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
