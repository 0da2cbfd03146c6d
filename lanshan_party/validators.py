"""Password validators of our own, registered in AUTH_PASSWORD_VALIDATORS next to Django's."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class NotBlankPasswordValidator:
    """Refuses a password of only spaces, tabs or other blanks: long enough for the length rule, yet no secret."""

    def validate(self, password: str, user: Any = None) -> None:
        if not password.strip():
            raise ValidationError(
                _("The password cannot be only spaces or tabs. Type letters, digits or symbols."),
                code="password_blank",
            )

    def get_help_text(self) -> str:
        return _("Your password cannot be only spaces or tabs.")
