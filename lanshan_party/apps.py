from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LanshanPartyConfig(AppConfig):
    name = "lanshan_party"
    verbose_name = _("Accounts and audit")

    def ready(self) -> None:
        # Deployment checks; login / logout / failed-login audit; integer `in` lookups that drop out-of-range ids.
        from lanshan_party import checks, lookups, registry, signals  # noqa: F401

        # Every app's reminder sweeps, demo data and page figures (its reminders.py, demo.py and dashboard.py).
        registry.autodiscover()
