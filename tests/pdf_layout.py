"""Glyph positions in a PDF: which characters are printed over other characters."""

import io
from dataclasses import dataclass

import pdfplumber

# Two glyphs overlap when their boxes share more than this part of the smaller box.
OVERLAP_SHARE = 0.25


@dataclass(frozen=True)
class Overlap:
    page: int  # 1-based
    first: str  # the word holding one glyph
    second: str  # the word holding the other

    def __str__(self):
        return f"page {self.page}: “{self.first}” over “{self.second}”"


def _area(box) -> float:
    return max(0.0, box["x1"] - box["x0"]) * max(0.0, box["bottom"] - box["top"])


def _intersection(a, b) -> float:
    width = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return width * height if width > 0 and height > 0 else 0.0


def _kerned(a, b) -> bool:
    """Neighbours in one run of text, the second moved a little under the first by the font's
    kerning ("To", "Fi"): their boxes meet by design."""
    return abs(a["index"] - b["index"]) == 1 and a["top"] == b["top"]


def overlapping_pairs(chars) -> list[tuple[dict, dict]]:
    """Pairs of visible glyphs whose boxes overlap substantially (a sweep along x: each glyph
    is compared only with those whose horizontal extent it meets)."""
    glyphs = sorted(
        (
            {**c, "index": index}
            for index, c in enumerate(chars)
            if c["text"].strip() and _area(c) > 0
        ),
        key=lambda c: c["x0"],
    )
    active: list[dict] = []
    pairs = []
    for glyph in glyphs:
        active = [a for a in active if a["x1"] > glyph["x0"]]
        for other in active:
            shared = _intersection(glyph, other)
            if shared > OVERLAP_SHARE * min(_area(glyph), _area(other)) and not _kerned(
                glyph, other
            ):
                pairs.append((other, glyph))
        active.append(glyph)
    return pairs


def _word_of(char, words) -> str:
    x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    for word in words:
        if word["x0"] <= x <= word["x1"] and word["top"] <= y <= word["bottom"]:
            return word["text"]
    return char["text"]


def overlaps(pdf: bytes) -> list[Overlap]:
    """Every place in `pdf` where text is printed over text, named by the words involved."""
    found = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            pairs = overlapping_pairs(page.chars)
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
