"""PDF rendering with WeasyPrint: our templates, our vendored fonts, tagged PDF/UA output."""

from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

STATIC_DIR = (Path(settings.BASE_DIR) / "static").resolve()


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


def render_pdf(template_name: str, context: dict, *, request=None, metadata_date=None) -> bytes:
    """Render a Django template (extending pdf/base.html: A4, page numbers, running header,
    our vendored fonts) to PDF bytes, tagged as PDF/UA-1 with the fonts embedded.

    `metadata_date` (a datetime) fixes the document's dates so that the same input gives the
    same bytes, e.g. a closed round dated by its closing.
    """
    html = render_to_string(template_name, context, request=request)
    fonts = FontConfiguration()
    document = HTML(
        string=html, base_url=f"{settings.BASE_DIR}/", url_fetcher=StaticOnlyFetcher()
    ).render(font_config=fonts)
    if metadata_date is not None:
        stamp = metadata_date.strftime("%Y-%m-%dT%H:%M:%SZ")
        document.metadata.created = stamp
        document.metadata.modified = stamp
    return document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
