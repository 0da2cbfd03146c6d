from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InflowConfig(AppConfig):
    name = "inflow"
    verbose_name = _("Inflow members")
