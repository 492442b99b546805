from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from core import text

        text.clean_app(self.label)
        # The kernel's admin base and the geography below this app ask the staff scope decided here.
        from accounts import permissions
        from core import scope

        scope.register(
            is_staff_member=permissions.is_staff_member,
            scope_to_districts=permissions.scope_to_districts,
            can_act_in_district=permissions.can_act_in_district,
            can_act_in_any_district=permissions.can_act_in_any_district,
        )
        # A citizen's export starts with the account itself; the apps above add their sections.
        from accounts import personal_data

        personal_data.register_own_sections()
