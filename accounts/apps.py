from axes import apps as axes_apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from core import text

        text.clean_app(self.label)
        from core.audit import register_action_labels

        register_action_labels(
            {
                "user.access_changed": _("Role or access changed"),
                "user.signed_out_everywhere": _("Signed out on every device"),
                "api_token.issued": _("API token issued"),
                "api_token.revoked": _("API token revoked"),
                "lockout.cleared": _("Sign-in lockout cleared"),
                "user.deleted_self": _("Account deleted by its owner"),
                "user.home_changed": _("Home neighbourhood changed"),
                "user.early_move_allowed": _("Earlier change of home allowed"),
                "user.residency_verified": _("Residency confirmed"),
                "census_list.uploaded": _("Census list uploaded"),
                "user.signed_up_by_code": _("Account made with an SMS code"),
                "user.mobile_verified": _("Mobile number confirmed by SMS"),
                "user.number_reclaimed": _("Unconfirmed account handed to the owner of its number"),
                "user.number_changed": _("Mobile number changed"),
                "user.password_reset_by_code": _("Password reset with an SMS code"),
            }
        )
        # The kernel's admin base and the geography below this app ask the staff scope decided here.
        from accounts import permissions
        from core import scope

        scope.register(
            is_staff_member=permissions.is_staff_member,
            scope_to_districts=permissions.scope_to_districts,
            can_act_in_district=permissions.can_act_in_district,
            can_act_in_any_district=permissions.can_act_in_any_district,
        )
        # The deploy checks of the identity key and the SMS gateway.
        # A citizen's export starts with the account itself; the apps above add their sections.
        from accounts import (
            identity,  # noqa: F401
            personal_data,
        )

        personal_data.register_own_sections()


class SignInGuardConfig(axes_apps.AppConfig):
    """django-axes (sign-in lockouts and the sign-in log) under a Persian name, its records named in Persian.

    Listed in ``INSTALLED_APPS`` in place of ``axes``; its label stays ``axes``.
    """

    default = False
    verbose_name = _("Sign-in guard")

    def ready(self) -> None:
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        from core.jalali import jalali_date_string
        from core.persian import localize_digits

        def who(row) -> str:
            # What was typed at the sign-in; a number in the digits of the page.
            name = row.username or "—"
            return name if any("a" <= c.lower() <= "z" for c in name) else localize_digits(name)

        def when(row) -> str:
            return jalali_date_string(row.attempt_time, with_time=True)

        AccessAttempt.__str__ = lambda row: str(_("Sign-in attempts of %(user)s") % {"user": who(row)})
        AccessLog.__str__ = lambda row: str(_("Sign-in of %(user)s, %(time)s") % {"user": who(row), "time": when(row)})
        AccessFailureLog.__str__ = lambda row: str(
            _("Failed sign-in of %(user)s, %(time)s") % {"user": who(row), "time": when(row)}
        )
