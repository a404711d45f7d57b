"""PDF rendering with WeasyPrint: our templates, our vendored fonts, tagged PDF/UA output."""

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration


def render_pdf(template_name: str, context: dict, *, request=None, metadata_date=None) -> bytes:
    """Render a Django template (extending pdf/base.html: A4, page numbers, running header,
    our vendored fonts) to PDF bytes, tagged as PDF/UA-1 with the fonts embedded.

    `metadata_date` (a datetime) fixes the document's dates so that the same input gives the
    same bytes, e.g. a closed round dated by its closing.
    """
    html = render_to_string(template_name, context, request=request)
    fonts = FontConfiguration()
    document = HTML(string=html, base_url=f"{settings.BASE_DIR}/").render(font_config=fonts)
    if metadata_date is not None:
        stamp = metadata_date.strftime("%Y-%m-%dT%H:%M:%SZ")
        document.metadata.created = stamp
        document.metadata.modified = stamp
    return document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
