"""Read rendered pages as a tree: tests assert on ids, `data-` hooks, links and form fields,
not on substrings of the HTML. Wording goes through the catalogue (`lv`), never a literal."""

import xml.etree.ElementTree as ET

import tinyhtml5
from django.utils import translation

SVG = "{http://www.w3.org/2000/svg}"  # the namespace of inline SVG elements (charts)


def parse(page) -> ET.Element:
    """The document of a response (or of an HTML string), as an ElementTree element."""
    html = page if isinstance(page, str) else page.content.decode()
    return tinyhtml5.parse(html, namespace_html_elements=False)


def find(page, path: str) -> ET.Element | None:
    """The first element at an ElementTree path (`.//*[@id='notes']`), or None."""
    root = page if isinstance(page, ET.Element) else parse(page)
    return root.find(path)


def find_all(page, path: str) -> list[ET.Element]:
    root = page if isinstance(page, ET.Element) else parse(page)
    return root.findall(path)


def by_id(page, element_id: str) -> ET.Element | None:
    return find(page, f".//*[@id='{element_id}']")


def text(element: ET.Element | None) -> str:
    """An element's text content, whitespace collapsed as a browser shows it."""
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def hrefs(page) -> set[str]:
    return {a.get("href") for a in find_all(page, ".//a[@href]")}


def field(page, name: str) -> ET.Element | None:
    """The form control of that name (input, textarea, select or button)."""
    root = page if isinstance(page, ET.Element) else parse(page)
    for tag in ("input", "textarea", "select", "button"):
        element = root.find(f".//{tag}[@name='{name}']")
        if element is not None:
            return element
    return None


def checked(page, name: str) -> str | None:
    """The value of the checked radio button of that name."""
    for element in find_all(page, f".//input[@name='{name}']"):
        if element.get("checked") is not None:
            return element.get("value")
    return None


def rows(table: ET.Element) -> dict[str, ET.Element]:
    """A table's rows by the text of their header cell (`<th scope="row">`)."""
    return {
        text(row.find("th")): row
        for row in table.iter("tr")
        if row.find("th[@scope='row']") is not None
    }


def lv(msgid: str, *, context: str = "", **values) -> str:
    """The Latvian translation of a msgid (in a context, if given), as the catalogue has it;
    never the English fallback, so a page left in English still fails the test."""
    with translation.override("lv"):
        message = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    assert message != msgid, f"no Latvian translation of {msgid!r}"
    return message % values if values else message


def lv_plural(singular: str, plural: str, number: int, **values) -> str:
    with translation.override("lv"):
        message = translation.ngettext(singular, plural, number)
    assert message not in (singular, plural), f"no Latvian translation of {plural!r}"
    return message % values


def saved(page) -> bool:
    """Whether a `data-status` line says "Saved at …" (in Latvian, as the catalogue has it)."""
    prefix = lv("Saved at %(time)s", time="").strip()
    return any(text(status).startswith(prefix) for status in find_all(page, ".//*[@data-status]"))


def in_language(lang: str, msgid: str) -> str:
    """A msgid in a language of the participant survey; never the English fallback."""
    with translation.override(lang):
        message = translation.gettext(msgid)
    assert lang == "en" or message != msgid, f"no {lang} translation of {msgid!r}"
    return message
