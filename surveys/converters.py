import re

from django.conf import settings


class SurveyLanguageConverter:
    """A language of the participant survey (settings.SURVEY_LANGUAGES)."""

    regex = "|".join(re.escape(code) for code, _name, _direction in settings.SURVEY_LANGUAGES)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
