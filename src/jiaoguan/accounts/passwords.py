"""Password strength as the 等保 rules ask: mixed character classes, not only length."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class LengthValidator:
    """At least `min_length` characters (Django's own message lacks a Chinese translation)."""

    def __init__(self, min_length: int = 10):
        self.min_length = min_length

    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(self.get_help_text(), code="password_too_short")

    def get_help_text(self) -> str:
        return _("The password must have at least %(count)d characters.") % {"count": self.min_length}


class CharacterClassValidator:
    """At least three of: lower-case letters, upper-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        classes = [
            any(c in string.ascii_lowercase for c in password),
            any(c in string.ascii_uppercase for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _(
            "The password must mix at least three of: lower-case letters, upper-case letters, "
            "digits and symbols."
        )
