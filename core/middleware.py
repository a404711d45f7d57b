"""Answers for what the views do not handle themselves: private responses, bodies too large
for any form, characters nobody can store, and a database that is busy."""

import logging

from django.conf import settings
from django.db import DataError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from psycopg import errors

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5


class PrivateResponsesMiddleware:
    """Whatever a logged-in user receives is theirs alone: no browser or proxy keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


def accepts_files(setting: str):
    """View decorator: the view takes a file of up to the bytes the setting named `setting`
    says, so RequestSizeMiddleware lets through a body of that size and a form's data."""

    def decorator(view):
        view.max_file_bytes_setting = setting
        return view

    return decorator


def _body_limit(request) -> int:
    """The largest body the request's view takes: a form's data, or more for a view that
    accepts files (`accepts_files`)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return limit
    setting = getattr(match.func, "max_file_bytes_setting", None)
    return limit + getattr(settings, setting) if setting else limit


class RequestSizeMiddleware:
    """Only views marked `accepts_files` take files, so no other request needs a body larger
    than a form's (`DATA_UPLOAD_MAX_MEMORY_SIZE`): a larger one, multipart or not, is answered
    413 from its Content-Length, before a byte of it is read or written to a temporary file."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body then
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE and length > _body_limit(request):
            logger.warning("request refused: a body of %d bytes", length)
            return HttpResponse(
                _("The request is too large."),
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


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


class DatabaseBusyMiddleware:
    """A lock not granted within `lock_timeout`, or a statement stopped by `statement_timeout`
    (settings.base.database): a 503 asking to try again, not an error page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError) or not isinstance(
            exception.__cause__, errors.LockNotAvailable | errors.QueryCanceled
        ):
            return None
        logger.warning("database busy: %s", exception)
        if getattr(request, "htmx", False):
            # static/js/app.js shows its own message (data-msg-503) beside the control.
            response = HttpResponse(
                _("The server is busy. Try again in a moment."),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        else:
            response = render(request, "503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
