from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfserviceConfig(AppConfig):
    name = "selfservice"
    verbose_name = _("Members find their organization")

    def ready(self) -> None:
        from lanshan_party import notifications
        from selfservice.actions import compose_link_message

        # A personal link goes to a member, who has no account: the outbox asks us for the address and the text when
        # it sends, so the phone is decrypted only there and the token never sits in the outbox in clear.
        notifications.COMPOSERS[LINK_KEY_PREFIX] = compose_link_message


LINK_KEY_PREFIX = "personal-link"
