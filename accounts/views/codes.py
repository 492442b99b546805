"""Pages where a one-time SMS code is asked for and typed, for every flow that needs one.

A flow starts on another page (sign-in by code, sign-up, password reset, a
new number, a staff member's password) and waits in the session: its kind,
the number, the account, where to go next, and for a sign-up the form's data
with the password already hashed. The code itself is never stored there. The
code page finishes whichever flow the session holds.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import CodeForm, MobileForm, NewNumberForm
from accounts.models import OtpPurpose, User
from accounts.otp import OtpError, OtpRefused, OtpTooMany, needs_code_after_password
from accounts.services import (
    otp_change_number,
    otp_confirm_number,
    otp_password_reset,
    otp_password_set,
    otp_send,
    otp_sign_in,
    otp_sign_up,
    otp_staff_sign_in,
)
from accounts.validators import local_mobile
from core.ratelimit import client_ip, hit
from core.web import safe_next, too_many
from places.models import Neighborhood

FLOW_KEY = "otp_flow"
RESET_KEY = "otp_password_reset"
# A flow left longer than this starts again from its first page.
FLOW_SECONDS = 15 * 60
# After the code, this long to choose the new password.
RESET_SECONDS = 10 * 60
BACKEND = "accounts.backends.PhoneOrEmailBackend"

PURPOSES = {
    "sign_in": OtpPurpose.SIGN_IN,
    "confirm": OtpPurpose.SIGN_IN,
    "sign_up": OtpPurpose.SIGN_IN,
    "reset": OtpPurpose.PASSWORD_RESET,
    "change_number": OtpPurpose.CHANGE_NUMBER,
    "staff": OtpPurpose.STAFF_SIGN_IN,
}
# Flows whose codes belong to an account that already proved itself (signed in, or its password).
OWN_ACCOUNT = {"confirm", "change_number", "staff"}


@dataclass
class Flow:
    kind: str
    phone: str
    user: int | None = None
    next: str = ""
    started: float = field(default_factory=time.time)
    extra: dict = field(default_factory=dict)


def start_flow(
    request: HttpRequest,
    kind: str,
    phone: str,
    *,
    user: User | None = None,
    next_url: str = "",
    extra: dict | None = None,
    reuse_live: bool = False,
) -> HttpResponse:
    """Send the flow's code and lead to the code page; ``OtpTooMany`` when the number must wait."""
    flow = Flow(kind=kind, phone=phone, user=user.pk if user else None, next=next_url, extra=extra or {})
    _send(request, flow, reuse_live=reuse_live)
    request.session[FLOW_KEY] = asdict(flow)
    return redirect("accounts:otp_verify")


def _send(request: HttpRequest, flow: Flow, *, reuse_live: bool = False) -> None:
    owner = User.objects.get(pk=flow.user) if flow.kind in OWN_ACCOUNT else None
    # A staff code follows a right password: a municipal office behind one address is not held to the
    # per-address code limit, which is there for strangers asking codes for numbers.
    address = None if flow.kind == "staff" else client_ip(request)
    otp_send(phone=flow.phone, purpose=PURPOSES[flow.kind], user=owner, address=address, reuse_live=reuse_live)


def _flow(request: HttpRequest) -> Flow | None:
    """The flow waiting in this session, if it is recent and still this visitor's."""
    data = request.session.get(FLOW_KEY)
    try:
        flow = Flow(**data) if data else None
    except TypeError:
        flow = None
    if flow is None or time.time() - flow.started > FLOW_SECONDS or flow.kind not in PURPOSES:
        return None
    signed_in_as = request.user.pk if request.user.is_authenticated else None
    if flow.kind in ("confirm", "change_number") and flow.user != signed_in_as:
        return None
    return flow


def _end_flow(request: HttpRequest) -> None:
    request.session.pop(FLOW_KEY, None)


def refused(request: HttpRequest, exc: OtpError, *, template: str, context: dict, form=None) -> HttpResponse:
    """HTTP 429 on the page the form was on, with the reason and Retry-After."""
    return too_many(request, wait=exc.wait, template=template, context=context, form=form, message=exc.message)


def masked(phone: str) -> str:
    """Enough of a number for its owner to recognise it: ۰۹۱۲***۴۵۶۷.

    Stars, not bullets: in Persian type a bullet looks like the digit zero (۰).
    """
    local = local_mobile(phone)
    return f"{local[:4]}***{local[-4:]}"


@require_http_methods(["GET", "POST"])
def otp_request(request: HttpRequest) -> HttpResponse:
    """Sign in (or up) with a code instead of a password; signed in, confirm one's own number."""
    next_url = safe_next(request)
    user = request.user
    template = "accounts/otp_request.html"
    if user.is_authenticated:
        if user.mobile_verified:
            return redirect(next_url or "accounts:profile")
        context = {"next": next_url, "own_number": masked(user.phone)}
        if request.method == "POST":
            try:
                return start_flow(request, "confirm", user.phone, user=user, next_url=next_url)
            except OtpTooMany as exc:
                return refused(request, exc, template=template, context=context)
        return render(request, template, context)
    form = MobileForm(request.POST or None)
    context = {"form": form, "next": next_url}
    if request.method == "POST" and form.is_valid():
        try:
            return start_flow(request, "sign_in", form.cleaned_data["mobile"], next_url=next_url)
        except OtpTooMany as exc:
            return refused(request, exc, template=template, context=context, form=form)
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    flow = _flow(request)
    if flow is None:
        _end_flow(request)
        messages.info(request, _("Please ask for a code first."))
        return redirect("accounts:login" if not request.user.is_authenticated else "accounts:profile")
    template = "accounts/otp_verify.html"
    resend = request.method == "POST" and "resend" in request.POST
    form = CodeForm(request.POST if request.method == "POST" and not resend else None)
    minutes = max(1, settings.OTP_CODE_SECONDS // 60)
    context = {"form": form, "flow": flow.kind, "number": masked(flow.phone), "minutes": minutes}
    if resend:
        try:
            _send(request, flow)
        except OtpTooMany as exc:
            return refused(request, exc, template=template, context=context)
        messages.success(request, _("A new code has been sent."))
        return redirect("accounts:otp_verify")
    if request.method == "POST" and form.is_valid():
        # Tries of codes count as sign-in attempts of the address (the code itself dies after five).
        if not hit("login_ip", client_ip(request)):
            return too_many(request, "login_ip", template=template, context=context, form=form)
        try:
            return FINISH[flow.kind](request, flow, form.cleaned_data["code"])
        except OtpRefused as exc:
            _end_flow(request)
            form.add_error(None, exc.message)
            context["ended"] = True
        except OtpError as exc:
            if exc.status == 429:
                return refused(request, exc, template=template, context=context, form=form)
            form.add_error("code", exc.message)
    return render(request, template, context)


def _sign_in(request: HttpRequest, flow: Flow, code: str) -> HttpResponse:
    result = otp_sign_in(phone=flow.phone, code=code, address=client_ip(request))
    _end_flow(request)
    login(request, result.user, backend=BACKEND)
    if result.created:
        messages.success(request, _("Welcome! Your account has been created."))
        messages.info(request, _("Choose the name shown next to your comments here in your profile."))
        return redirect(flow.next or "accounts:profile")
    if result.reclaimed:
        _say_reclaimed(request)
    else:
        messages.success(request, _("You are signed in."))
    return redirect(flow.next or settings.LOGIN_REDIRECT_URL)


def _say_reclaimed(request: HttpRequest) -> None:
    messages.warning(
        request,
        _(
            "An account had been made with this mobile number without confirming it. It is yours now: "
            "its password and email address were removed and every other session and API token was ended. "
            "Please check your profile and choose a new password."
        ),
    )


def _confirm(request: HttpRequest, flow: Flow, code: str) -> HttpResponse:
    otp_confirm_number(user=request.user, code=code)
    _end_flow(request)
    messages.success(request, _("Your mobile number is confirmed."))
    return redirect(flow.next or "accounts:profile")


def _sign_up(request: HttpRequest, flow: Flow, code: str) -> HttpResponse:
    data = dict(flow.extra["sign_up"])
    neighborhood_id = data.pop("home_neighborhood", None)
    home = Neighborhood.objects.filter(pk=neighborhood_id).first() if neighborhood_id else None
    user = otp_sign_up(code=code, home_neighborhood=home, address=client_ip(request), **data)
    _end_flow(request)
    login(request, user, backend=BACKEND)
    messages.success(request, _("Welcome! Your account has been created."))
    return redirect(flow.next or "accounts:profile")


def _reset(request: HttpRequest, flow: Flow, code: str) -> HttpResponse:
    result = otp_password_reset(phone=flow.phone, code=code)
    _end_flow(request)
    request.session[RESET_KEY] = {"user": result.user.pk, "at": time.time()}
    if result.reclaimed:
        _say_reclaimed(request)
    return redirect("accounts:password_reset_by_code")


def _change_number(request: HttpRequest, flow: Flow, code: str) -> HttpResponse:
    otp_change_number(user=request.user, phone=flow.phone, code=code)
    _end_flow(request)
    messages.success(request, _("Your mobile number has been changed."))
    return redirect("accounts:profile")


def _staff(request: HttpRequest, flow: Flow, code: str) -> HttpResponse:
    user = User.objects.filter(pk=flow.user, is_active=True).first()
    if user is None:
        raise OtpRefused(_("This account is inactive."))
    otp_staff_sign_in(user=user, code=code)
    _end_flow(request)
    login(request, user, backend=flow.extra.get("backend") or BACKEND)
    return redirect(flow.next or settings.LOGIN_REDIRECT_URL)


FINISH = {
    "sign_in": _sign_in,
    "confirm": _confirm,
    "sign_up": _sign_up,
    "reset": _reset,
    "change_number": _change_number,
    "staff": _staff,
}


@require_http_methods(["GET", "POST"])
def password_reset_by_code(request: HttpRequest) -> HttpResponse:
    """The new password, chosen once a code proved the account's number."""
    state = request.session.get(RESET_KEY) or {}
    user = None
    if state and time.time() - state.get("at", 0) <= RESET_SECONDS:
        user = User.objects.filter(pk=state.get("user"), is_active=True).first()
    if user is None:
        request.session.pop(RESET_KEY, None)
        messages.info(request, _("Please ask for a new code."))
        return redirect("accounts:password_reset")
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        otp_password_set(user=user, password=form.cleaned_data["new_password1"])
        request.session.pop(RESET_KEY, None)
        return redirect("accounts:password_reset_complete")
    return render(request, "accounts/password_reset_confirm.html", {"form": form, "validlink": True})


@login_required
@require_http_methods(["GET", "POST"])
def change_number(request: HttpRequest) -> HttpResponse:
    """A new number is used only once a code sent to it comes back."""
    form = NewNumberForm(request.POST or None, user=request.user)
    template = "accounts/change_number.html"
    if request.method == "POST" and form.is_valid():
        try:
            return start_flow(request, "change_number", form.cleaned_data["mobile"], user=request.user)
        except OtpTooMany as exc:
            return refused(request, exc, template=template, context={"form": form}, form=form)
    return render(request, template, {"form": form})


class CodeAfterPassword:
    """Staff and admins: the right password sends a code and leads to the code page, without signing in."""

    def form_valid(self, form):
        user = form.get_user()
        if not needs_code_after_password(user):
            return super().form_valid(form)
        try:
            return start_flow(
                self.request,
                "staff",
                user.phone,
                user=user,
                next_url=self.get_success_url(),
                extra={"backend": getattr(user, "backend", BACKEND)},
                reuse_live=True,
            )
        except OtpTooMany as exc:
            context = self.get_context_data(form=form)
            return refused(self.request, exc, template=self.template_name, context=context, form=form)


class AdminLoginView(CodeAfterPassword, auth_views.LoginView):
    template_name = "admin/login.html"
    authentication_form = AdminAuthenticationForm


def admin_login(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
    """``admin.site.login`` with the code step: Django's builds a plain LoginView that would sign staff in."""
    site = admin.site
    if request.method == "GET" and site.has_permission(request):
        return redirect("admin:index")
    context = {
        **site.each_context(request),
        "title": _("Log in"),
        "subtitle": None,
        "app_path": request.get_full_path(),
        "username": request.user.get_username(),
    }
    if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
        context[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=site.name)
    context = {**context, **(extra_context or {})}
    request.current_app = site.name
    return AdminLoginView.as_view(extra_context=context)(request)
