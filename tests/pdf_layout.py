"""Glyph positions in a PDF: which characters are printed over other characters."""

import io
from dataclasses import dataclass

import pdfplumber
from pdfminer.layout import LTChar, LTContainer

# Two glyphs overlap when their boxes share more than this part of the smaller box.
OVERLAP_SHARE = 0.25


@dataclass(frozen=True)
class Overlap:
    page: int  # 1-based
    first: str  # the word holding one glyph
    second: str  # the word holding the other

    def __str__(self):
        return f"page {self.page}: “{self.first}” over “{self.second}”"


@dataclass(frozen=True, slots=True)
class Glyph:
    """A character's box, as pdfplumber's `page.chars` gives it (y measured downwards)."""

    index: int  # its place among the page's characters, in the order they are drawn
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    area: float


def glyphs(page) -> list[Glyph]:
    """The visible characters of a pdfplumber page, read from pdfminer's layout of it: the
    boxes of `page.chars`, without building a dictionary of every attribute of each."""
    found = []

    def visit(objects):
        for obj in objects:
            if isinstance(obj, LTChar):
                index = len(found)
                top, bottom = page.height - obj.y1, page.height - obj.y0
                area = max(0.0, obj.x1 - obj.x0) * max(0.0, bottom - top)
                found.append(Glyph(index, obj.get_text(), obj.x0, obj.x1, top, bottom, area))
            elif isinstance(obj, LTContainer):
                visit(obj._objs)

    visit(page.layout._objs)
    return [glyph for glyph in found if glyph.text.strip() and glyph.area > 0]


def _kerned(a: Glyph, b: Glyph) -> bool:
    """Neighbours in one run of text, the second moved a little under the first by the font's
    kerning ("To", "Fi"): their boxes meet by design."""
    return abs(a.index - b.index) == 1 and a.top == b.top


def overlapping_pairs(visible: list[Glyph]) -> list[tuple[Glyph, Glyph]]:
    """Pairs of visible glyphs whose boxes overlap substantially (a sweep along x: each glyph
    is compared only with those whose horizontal extent it meets)."""
    active: list[Glyph] = []
    pairs = []
    for glyph in sorted(visible, key=lambda g: g.x0):
        active = [a for a in active if a.x1 > glyph.x0]
        for other in active:
            if other.top >= glyph.bottom or glyph.top >= other.bottom:
                continue  # on another line
            width = min(other.x1, glyph.x1) - glyph.x0  # other.x0 <= glyph.x0 < other.x1
            height = min(other.bottom, glyph.bottom) - max(other.top, glyph.top)
            shared = width * height
            if shared > OVERLAP_SHARE * min(glyph.area, other.area) and not _kerned(glyph, other):
                pairs.append((other, glyph))
        active.append(glyph)
    return pairs


def _word_of(glyph: Glyph, words) -> str:
    x, y = (glyph.x0 + glyph.x1) / 2, (glyph.top + glyph.bottom) / 2
    for word in words:
        if word["x0"] <= x <= word["x1"] and word["top"] <= y <= word["bottom"]:
            return word["text"]
    return glyph.text


def overlaps(pdf: bytes) -> list[Overlap]:
    """Every place in `pdf` where text is printed over text, named by the words involved."""
    found = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            pairs = overlapping_pairs(glyphs(page))
            if not pairs:
                continue
            words = page.extract_words(keep_blank_chars=False, x_tolerance=1.5)
            seen = set()
            for first, second in pairs:
                overlap = Overlap(number, _word_of(first, words), _word_of(second, words))
                if overlap not in seen:
                    seen.add(overlap)
                    found.append(overlap)
    return found


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text, lines joined by spaces."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [" ".join((page.extract_text() or "").split()) for page in document.pages]
