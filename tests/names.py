"""The URL names of an organisation's pages, whichever app serves them."""

REPORTING = {
    "summary",
    "report_pdf",
    "report_docx",
    "export_csv",
    "export_json",
    "export_xlsx",
    "review",
    "organisation_export",
}


def url_name(name: str) -> str:
    """ "summary" → "reporting:summary", "area" → "assessments:area"."""
    return f"{'reporting' if name in REPORTING else 'assessments'}:{name}"
