"""Password rules beyond Django's defaults."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class CharacterClassValidator:
    """Require letters and digits: the seed system's 000000 must never be possible again."""

    def validate(self, password, user=None):
        if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
            raise ValidationError(
                _("The password must contain both letters and digits."),
                code="password_character_classes",
            )

    def get_help_text(self):
        return _("Your password must contain both letters and digits.")
