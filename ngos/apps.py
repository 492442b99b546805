from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NgosConfig(AppConfig):
    name = "ngos"
    verbose_name = _("Organisations")
