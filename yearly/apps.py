from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YearlyConfig(AppConfig):
    name = "yearly"
    verbose_name = _("The year's duties")
