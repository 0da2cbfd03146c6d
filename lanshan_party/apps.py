from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LanshanPartyConfig(AppConfig):
    name = "lanshan_party"
    verbose_name = _("Accounts and audit")

    def ready(self) -> None:
        from lanshan_party import signals  # noqa: F401  (login / logout / failed-login audit)
