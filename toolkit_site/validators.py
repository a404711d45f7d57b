from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Names are one line of text: a line break or other control character in them breaks e-mail
# subjects and headers, and has no business in a name.
single_line = RegexValidator(
    r"^[^\x00-\x1f\x7f]*\Z",
    message=_("Use one line of text, without line breaks or control characters."),
    code="control_characters",
)
