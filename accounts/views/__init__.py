"""The accounts pages: sign-up, sign-in, password, profile (``pages``) and the one-time code steps (``codes``)."""

from accounts.views.codes import admin_login, change_number, otp_request, otp_verify, password_reset_by_code
from accounts.views.pages import (
    LoginView,
    PasswordChangeView,
    PasswordResetView,
    delete_account,
    export_my_data,
    profile,
    residency_verify_view,
    sign_out_everywhere,
    signup,
)

__all__ = [
    "LoginView",
    "PasswordChangeView",
    "PasswordResetView",
    "admin_login",
    "change_number",
    "delete_account",
    "export_my_data",
    "otp_request",
    "otp_verify",
    "password_reset_by_code",
    "profile",
    "residency_verify_view",
    "sign_out_everywhere",
    "signup",
]
