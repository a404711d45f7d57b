"""The survey's own catalogues (uk, ru, ar): complete for what they hold, compiled, current."""

import gettext
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
SURVEY_ONLY = [code for code, _n, _d in settings.SURVEY_LANGUAGES if code not in ("lv", "en")]


def _key(entry):
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


@pytest.mark.parametrize("lang", SURVEY_ONLY)
def test_every_survey_string_is_translated_and_compiled(lang):
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    with open(LOCALE / lang / "LC_MESSAGES" / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in po:
        if entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr
        elif not entry.msgid_plural:
            assert compiled.gettext(entry.msgid) == entry.msgstr


@pytest.mark.parametrize("lang", SURVEY_ONLY)
def test_the_survey_catalogues_hold_the_same_strings_as_the_site(lang):
    """Each is a current subset of the Latvian catalogue, and all hold the same strings."""
    site = {_key(e) for e in polib.pofile(str(LOCALE / "lv" / "LC_MESSAGES" / "django.po"))}
    own = {_key(e) for e in polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))}
    first = {_key(e) for e in polib.pofile(str(LOCALE / "uk" / "LC_MESSAGES" / "django.po"))}
    assert own <= site
    assert own == first
