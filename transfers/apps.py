from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "transfers"
    verbose_name = _("Transfers of the organizational relationship")

    def ready(self) -> None:
        from transfers import checks  # noqa: F401  (registers the validity setting's check)
