"""Open statistics, public: a page, a JSON document and a CSV file of the same figures."""

import csv
import hashlib
from functools import wraps

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import condition, require_safe

from content.cache import mark_public, may_share, revision

from . import statistics
from .comparison import MINIMUM


def _etag(request, *args, **kwargs) -> str:
    """The figures themselves (read once here, for the view too), the language and the page:
    a reader's copy is revalidated with a 304 until a round closes or a level changes."""
    request.statistics = statistics.open_statistics()
    shown = [row.document() for row in request.statistics]
    key = repr((revision(), get_language(), request.path, shown)).encode()
    return f'"{hashlib.blake2b(key, digest_size=10).hexdigest()}"'


def public_figures(view):
    """Anyone may read and keep these figures; a visitor with cookies is served, not kept."""
    conditional = condition(etag_func=_etag)(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = conditional(request, *args, **kwargs)
        if may_share(request) and response.status_code in (200, 304):
            mark_public(response)
        return response

    return require_safe(wrapper)


def _context(request) -> dict:
    rows = request.statistics
    return {
        "rows": rows,
        "minimum": MINIMUM,
        "licence_url": statistics.LICENCE_URL,
        "verdicts": statistics.VERDICTS,
    }


@public_figures
def statistics_page(request):
    rows = request.statistics
    areas = []
    for row in rows:
        if not areas or areas[-1][0] != row.key_area:
            areas.append((row.key_area, []))
        areas[-1][1].append(row)
    return render(request, "peers/statistics.html", {**_context(request), "areas": areas})


def _document(request) -> dict:
    return {
        "licence": statistics.LICENCE,
        "licence_url": statistics.LICENCE_URL,
        "minimum_group": MINIMUM,
        "language": get_language(),
        "generated": timezone.now().date().isoformat(),
        "key_areas": {
            area.key: {"number": area.number, "title": area.title}
            for area in {row.key_area for row in request.statistics}
        },
        "rows": [row.document() for row in request.statistics],
    }


@public_figures
def statistics_json(request):
    response = JsonResponse(
        _document(request), json_dumps_params={"ensure_ascii": False, "indent": 1}
    )
    response["Content-Disposition"] = 'inline; filename="statistics.json"'
    return response


@public_figures
def statistics_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="statistics.csv"'
    response.write("\ufeff")  # spreadsheets then read UTF-8
    writer = csv.writer(response)
    verdicts = statistics.VERDICTS
    writer.writerow(
        ["key_area", "key_area_title", "group", "organisations", "scored", "median"]
        + [f"verdict_{verdict}" for verdict in verdicts]
    )
    for row in request.statistics:
        writer.writerow(
            [row.key_area.key, row.key_area.title, row.group, row.organisations, row.scored]
            + ["" if row.median is None else round(row.median, 4)]
            + [row.verdicts[verdict] for verdict in verdicts]
        )
    return response
