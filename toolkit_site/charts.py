"""Server-rendered SVG bar charts, readable without JavaScript and by screen readers.

Meaning never rests on colour alone: each bar carries its value as text, and the caller shows
the same figures in a table next to the chart.
"""

import hashlib
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


@dataclass
class Bar:
    label: str
    value: float | None  # 0..1, None for "no score"
    value_text: str  # e.g. "67 %" or "not applicable"
    secondary: float | None = None  # e.g. the previous round, drawn as a thin outlined bar


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
    label_width, row, bar_height, pad = 260, 34, 18, 8
    plot = width - label_width - value_width
    height = pad * 2 + row * len(bars) + (18 if threshold is not None else 0)
    rows = []
    for index, bar in enumerate(bars):
        y = pad + index * row
        label = bar.label if len(bar.label) <= 40 else bar.label[:39] + "…"
        rows.append(
            format_html(
                '<text x="0" y="{}" class="chart-label" font-size="12" fill="#1b1f23">{}</text>',
                y + bar_height - 4,
                label,
            )
        )
        rows.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="#e9eef3" stroke="#c9d2da"/>',
                label_width,
                y,
                plot,
                bar_height,
            )
        )
        if bar.value is not None:
            rows.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="#0b4f8a"/>',
                    label_width,
                    y,
                    round(plot * max(0.0, min(1.0, bar.value)), 1),
                    bar_height,
                )
            )
        if bar.secondary is not None:
            rows.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="4" fill="#8a3b00"/>',
                    label_width,
                    y + bar_height + 2,
                    round(plot * max(0.0, min(1.0, bar.secondary)), 1),
                )
            )
        rows.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" font-weight="bold" fill="#1b1f23">{}</text>',
                label_width + plot + 6,
                y + bar_height - 4,
                bar.value_text,
            )
        )
    if threshold is not None:
        x = label_width + round(plot * threshold, 1)
        rows.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#1b1f23" stroke-dasharray="4 3"/>'
                '<text x="{}" y="{}" font-size="11" fill="#1b1f23">{}</text>',
                x,
                pad - 4,
                x,
                height - 16,
                x + 4,
                height - 4,
                threshold_text,
            )
        )
    title_id = "chart-" + hashlib.md5(title.encode(), usedforsecurity=False).hexdigest()[:8]
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {} {}" '
        'width="100%" aria-labelledby="{}-t {}-d" font-family="Toolkit Sans, DejaVu Sans, '
        'sans-serif"><title id="{}-t">{}</title><desc id="{}-d">{}</desc>{}</svg>',
        width,
        height,
        title_id,
        title_id,
        title_id,
        title,
        title_id,
        description,
        mark_safe("".join(rows)),  # noqa: S308 - every piece above is format_html-escaped
    )


__all__ = ["Bar", "bar_chart"]
