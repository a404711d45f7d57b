import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator, RegexValidator
from django.utils.translation import gettext_lazy as _

# Names are one line of text: a line break or other control character in them breaks e-mail
# subjects and headers, and has no business in a name.
single_line = RegexValidator(
    r"^[^\x00-\x1f\x7f]*\Z",
    message=_("Use one line of text, without line breaks or control characters."),
    code="control_characters",
)

# Text that may span lines (evidence, comments, notes): tabs and line breaks are fine, other
# control characters are not (PostgreSQL refuses NUL, and the rest is nothing a reader can see).
multi_line = RegexValidator(
    r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*\Z",
    message=_("Remove the control characters from the text (only line breaks and tabs may stay)."),
    code="control_characters",
)


def refuse_control_characters(text: str) -> None:
    """ValidationError when `text` holds a control character other than tab or a line break."""
    multi_line(text)


class RefusesControlCharacters:
    """Form mixin: every text field refuses control characters with a message of ours.

    One line for ordinary fields, several (tabs and line breaks allowed) for text areas. It
    replaces Django's own NUL check, which ours includes, so a field shows one message.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field, forms.CharField):
                continue
            validators = [
                validator
                for validator in field.validators
                if not isinstance(validator, ProhibitNullCharactersValidator)
                and getattr(validator, "code", None) != "control_characters"
            ]
            ours = multi_line if isinstance(field.widget, forms.Textarea) else single_line
            field.validators = [ours, *validators]


def refuse_format_characters(text: str) -> None:
    """ValidationError when `text` holds an invisible format character (Unicode category Cf:
    bidirectional controls such as U+202E, zero-width spaces and joiners), which can make a
    name read backwards or hide part of it."""
    if any(unicodedata.category(character) == "Cf" for character in text):
        raise ValidationError(
            _("Remove the invisible formatting characters (such as direction marks)."),
            code="format_characters",
        )
