import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Names are one line of text: a line break or other control character in them breaks e-mail
# subjects and headers, and has no business in a name.
single_line = RegexValidator(
    r"^[^\x00-\x1f\x7f]*\Z",
    message=_("Use one line of text, without line breaks or control characters."),
    code="control_characters",
)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def refuse_control_characters(text: str) -> None:
    """Refuse text holding a NUL or another control character (tab and line breaks are fine):
    PostgreSQL cannot store a NUL, and none of them belongs in what people write."""
    if _CONTROL.search(text):
        raise ValidationError(
            _(
                "The text contains a control character that cannot be saved. "
                "Remove it and try again."
            ),
            code="control_characters",
        )
