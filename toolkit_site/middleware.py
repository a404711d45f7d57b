"""Answers for what the views do not handle themselves: characters nobody can store."""

import logging

from django.db import DataError
from django.shortcuts import render

logger = logging.getLogger(__name__)


def _holds_nul(request) -> bool:
    data = [request.GET] + ([request.POST] if request.method == "POST" else [])
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for query in data
        for key, values in query.lists()
    )


class RefuseNulMiddleware:
    """The safety net under the forms: a NUL that reached the database (where no form checked
    the text) is answered with a 400 that says why, instead of an error page.

    Forms refuse NUL and other control characters with messages of their own first; this only
    sees what a view passed on unchecked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ValueError | DataError) or not _holds_nul(request):
            return None
        logger.warning("request refused: NUL in its parameters", exc_info=exception)
        return render(request, "400_character.html", status=400)
