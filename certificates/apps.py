from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Activity certificates")

    def ready(self) -> None:
        from certificates import signals  # noqa: F401  keeps each certificate's organizations in step with its member
