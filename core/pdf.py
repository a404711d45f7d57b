"""PDF rendering with WeasyPrint: our templates, our vendored fonts, tagged PDF/UA output.

WeasyPrint is imported on the first PDF, not with the URLs: importing it takes one to four
seconds, which a process that serves pages (or a test run without PDFs) should not pay."""

import functools
import gc
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template.loader import render_to_string

STATIC_DIR = (Path(settings.BASE_DIR) / "static").resolve()


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
    with _garbage_collected_once():
        document = HTML(
            string=html, base_url=f"{settings.BASE_DIR}/", url_fetcher=static_only_fetcher()
        ).render(font_config=FontConfiguration())
        if metadata_date is not None:
            stamp = metadata_date.strftime("%Y-%m-%dT%H:%M:%SZ")
            document.metadata.created = stamp
            document.metadata.modified = stamp
        pdf = document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
        del document
    return pdf
