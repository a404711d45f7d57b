"""PDF rendering with WeasyPrint: our templates, our vendored fonts, tagged PDF/UA output.

WeasyPrint is imported on the first PDF, not with the URLs: importing it takes one to four
seconds, which a process that serves pages (or a test run without PDFs) should not pay."""

import functools
import gc
import hashlib
import logging
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.shortcuts import render
from django.template.loader import render_to_string

from core import throttle
from core.shared_cache import cache_get, cache_set

STATIC_DIR = (Path(settings.BASE_DIR) / "static").resolve()
PDF_SECONDS = 60 * 60 * 24  # how long a rendered PDF is kept in the shared cache

logger = logging.getLogger(__name__)


class PdfNotProduced(Exception):
    """The PDF could not be made: its document is too large, or WeasyPrint failed."""


@contextmanager
def _garbage_collected_once():
    """Run the block with the cycle collector paused, then collect its garbage in one pass.

    A report leaves about 90,000 objects in reference cycles (WeasyPrint's boxes point to
    their parents). With the collector running, they are promoted while the layout goes on and
    the whole heap is traversed again and again; paused, they all stay in the youngest
    generation and one collection of it frees them before the response is sent. The self-
    assessment report: median 1.45-1.57 s became 1.34-1.38 s, the collection included. The
    pause is process-wide: in a threaded server, other threads' collections wait for it too.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


@functools.cache
def static_only_fetcher():
    """The fetcher of every PDF, one per process (building its TLS context costs 20 ms)."""
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        """Fetch nothing but our own static files and data: URIs.

        A report never needs the network; refusing everything else means text that users typed can
        never make the server fetch a URL, whatever reaches the document.
        """

        def __init__(self):
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)

        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = Path(unquote(urlparse(url).path)).resolve()
                if not path.is_relative_to(STATIC_DIR):
                    raise ValueError(f"Not a static file of ours: {url}")
            return super().fetch(url, headers)

    return StaticOnlyFetcher()


def render_pdf(template_name: str, context: dict, *, request=None, metadata_date=None) -> bytes:
    """Render a Django template (extending pdf/base.html: A4, page numbers, running header,
    our vendored fonts) to PDF bytes, tagged as PDF/UA-1 with the fonts embedded.

    `metadata_date` (a datetime) fixes the document's dates so that the same input gives the
    same bytes, e.g. a closed round dated by its closing.
    """
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string(template_name, context, request=request)
    if len(html) > settings.PDF_MAX_HTML_CHARACTERS:
        # Past the limits of what a user can enter; rendering it would tie up a worker.
        raise PdfNotProduced(f"{template_name}: {len(html)} characters of HTML")
    with _garbage_collected_once():
        try:
            document = HTML(
                string=html, base_url=f"{settings.BASE_DIR}/", url_fetcher=static_only_fetcher()
            ).render(font_config=FontConfiguration())
            if metadata_date is not None:
                stamp = metadata_date.strftime("%Y-%m-%dT%H:%M:%SZ")
                document.metadata.created = stamp
                document.metadata.modified = stamp
            pdf = document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
        except Exception as error:  # WeasyPrint raises many kinds; the page says "try again"
            raise PdfNotProduced(template_name) from error
        del document
    return pdf


def cached_pdf(prefix: str, parts, build) -> bytes:
    """The PDF kept under `prefix` and everything it shows (`parts`, each turned into text),
    or `build()` on a miss, then kept for PDF_SECONDS in the shared cache."""
    digest = hashlib.sha256("\n".join(str(part) for part in parts).encode()).hexdigest()
    key = f"{prefix}:{digest}"
    pdf = cache_get(key)
    if pdf is None:
        pdf = build()
        cache_set(key, pdf, PDF_SECONDS)
    return pdf


def pdf_guarded(view):
    """A PDF download: a limited number per account (RATE_PDFS_PER_USER; past it a page
    saying so, 429), and a PDF that cannot be made answered with a page saying to try again
    later (503), never an error page or a worker held past its timeout. Goes inside the
    login check (the count is per account)."""

    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        if throttle.over_limit(request, "pdf", throttle.PDF):
            return render(request, "pdf_unavailable.html", {"too_many": True}, status=429)
        try:
            return view(request, *args, **kwargs)
        except PdfNotProduced:
            logger.exception("PDF not produced for %s", request.path)
            response = render(request, "pdf_unavailable.html", {"too_many": False}, status=503)
            response["Retry-After"] = "120"
            return response

    return guarded
