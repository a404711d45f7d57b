"""Django's password validators with messages of our own.

Django's Latvian puts its plural forms in the wrong order ("vismaz 8 rakstzīmei") and a field's
name where Latvian needs another case ("pārāk līdzīga lietotājvārds"). The rules are Django's;
only the words are ours (settings.AUTH_PASSWORD_VALIDATORS).
"""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "This password is too short: it needs at least %(min_length)d character.",
            "This password is too short: it needs at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self):
        return ngettext(
            "At least %(min_length)d character.",
            "At least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("This password is too similar to your name or e-mail address.")

    def get_help_text(self):
        return _("It may not resemble your name or e-mail address.")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return _("This password is one of the most common ones. Choose another.")

    def get_help_text(self):
        return _("It may not be a commonly used password.")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self):
        return _("This password has only digits. Add letters or other characters.")

    def get_help_text(self):
        return _("It may not be digits only.")
