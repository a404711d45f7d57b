"""Server-rendered SVG bar charts, readable without JavaScript and by screen readers.

Meaning never rests on colour alone: each bar carries its value as text, and the caller shows
the same figures in a table next to the chart. This module only measures; the template
`includes/bar_chart.svg` draws. Each chart is drawn twice: wide (labels beside the bars) and
narrow (labels above them), and the site's CSS shows the narrow one on phones, where the wide
one would shrink its text to about 6 px; a PDF shows the wide one.
"""

import hashlib
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

NARROW_WIDTH = 340  # about a phone's width in CSS pixels: the text keeps its size there
LABEL_WIDTH, ROW, BAR_HEIGHT, PAD = 260, 34, 18, 8  # the wide layout
LABEL_HEIGHT = 16  # the narrow layout: a label's line above its bar


@dataclass
class Bar:
    label: str
    value: float | None  # 0..1, None for "no score"
    value_text: str  # e.g. "67 %" or "not applicable"
    secondary: float | None = None  # e.g. the previous round, drawn as a thin outlined bar


@dataclass
class DrawnBar:
    """A bar's shapes in one layout, in the SVG's units."""

    label: str
    label_y: float
    x: float  # where the bar starts
    y: float
    fill: float | None  # width of the value's bar; None: no value
    secondary: float | None  # width of the thin bar under it
    secondary_y: float
    value_x: float
    value_y: float
    value_text: str


@dataclass
class Layout:
    css_class: str
    id: str
    width: int
    height: int
    plot: float  # a full bar's width
    bar_height: int
    bars: list[DrawnBar]
    threshold: dict | None  # {"x", "top", "bottom", "text_x", "text_y", "text"}


def _share(plot: float, value: float | None) -> float | None:
    return None if value is None else round(plot * max(0.0, min(1.0, value)), 1)


def _shorter(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _layout(bars, *, narrow, width, value_width, threshold, threshold_text, chart_id) -> Layout:
    """Wide: each label in a column left of its bar. Narrow: each label on a line above it."""
    x = 0 if narrow else LABEL_WIDTH
    plot = width - x - value_width
    row = LABEL_HEIGHT + BAR_HEIGHT + 14 if narrow else ROW
    drawn = []
    for index, bar in enumerate(bars):
        top = PAD + index * row
        y = top + LABEL_HEIGHT if narrow else top
        drawn.append(
            DrawnBar(
                label=_shorter(bar.label, 50 if narrow else 40),
                label_y=top + 12 if narrow else y + BAR_HEIGHT - 4,
                x=x,
                y=y,
                fill=_share(plot, bar.value),
                secondary=_share(plot, bar.secondary),
                secondary_y=y + BAR_HEIGHT + 2,
                value_x=x + plot + 6,
                value_y=y + BAR_HEIGHT - 4,
                value_text=bar.value_text,
            )
        )
    height = PAD * 2 + row * len(bars) + (18 if threshold is not None else 0)
    line = None
    if threshold is not None:
        line_x = x + round(plot * threshold, 1)
        line = {
            "x": line_x,
            "text_x": line_x + 4,
            "top": PAD - 4,
            "bottom": height - 16,
            "text_y": height - 4,
            "text": threshold_text,
        }
    suffix = "n" if narrow else "w"
    return Layout(
        css_class=f"chart-{'narrow' if narrow else 'wide'}",
        id=f"{chart_id}-{suffix}",
        width=width,
        height=height,
        plot=plot,
        bar_height=BAR_HEIGHT,
        bars=drawn,
        threshold=line,
    )


def bar_chart(
    bars: list[Bar],
    *,
    title: str,
    description: str = "",
    width: int = 640,
    threshold: float | None = None,
    threshold_text: str = "",
    value_width: int = 70,
) -> SafeString:
    """A horizontal bar chart as inline SVG (also embeddable in WeasyPrint PDFs); each bar's
    `value_text` is written in a column `value_width` wide to its right."""
    chart_id = "chart-" + hashlib.md5(title.encode(), usedforsecurity=False).hexdigest()[:8]
    common = {
        "value_width": value_width,
        "threshold": threshold,
        "threshold_text": threshold_text,
        "chart_id": chart_id,
    }
    return render_to_string(
        "includes/bar_chart.svg",
        {
            "title": title,
            "description": description,
            "layouts": [
                _layout(bars, narrow=False, width=width, **common),
                _layout(bars, narrow=True, width=NARROW_WIDTH, **common),
            ],
        },
    )


__all__ = ["Bar", "bar_chart"]
