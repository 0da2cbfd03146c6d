from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LanshanPartyConfig(AppConfig):
    name = "lanshan_party"
    verbose_name = _("Accounts and audit")

    def ready(self) -> None:
        from lanshan_party import checks, signals  # noqa: F401  (deployment checks; login / logout / failed-login audit)
        from lanshan_party import lookups  # noqa: F401  (integer `in` lookups that drop out-of-range ids)
