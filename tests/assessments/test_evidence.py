"""Evidence beside the answers: links and files, judged by their content, kept in a private
storage, downloaded only by the organisation's members, gone with the organisation."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessments import evidence as evidence_services
from assessments import services
from assessments.models import Evidence
from content.models import ChecklistItem
from core import filetypes
from tests.conftest import lazy_loads_raise
from tests.dom import by_id, find_all, lv, parse, text

pytestmark = pytest.mark.django_db
ITEM = "ka1.c1.i01"
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX_BYTES = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX_BYTES = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT_BYTES = zipped({"mimetype": filetypes.ODT.encode(), "content.xml": b"<office:document/>"})

ACCEPTED = [
    ("plan.pdf", PDF_BYTES, filetypes.PDF),
    ("photo.png", PNG_BYTES, filetypes.PNG),
    ("photo.jpg", JPEG_BYTES, filetypes.JPEG),
    ("minutes.docx", DOCX_BYTES, filetypes.DOCX),
    ("budget.xlsx", XLSX_BYTES, filetypes.XLSX),
    ("minutes.odt", ODT_BYTES, filetypes.ODT),
]


def stored_files(location) -> list:
    return sorted(p for p in location.rglob("*") if p.is_file()) if location.exists() else []


def add_url(org, key=ITEM, round_=None):
    return reverse("assessments:evidence_add", args=[org.slug, (round_ or org.round).pk, key])


def area_url(org, round_=None):
    return reverse("assessments:area", args=[org.slug, (round_ or org.round).pk, 1])


def download_url(org, evidence):
    return reverse("assessments:evidence_download", args=[org.slug, evidence.pk])


def upload(client, org, name, data, title="Plan", key=ITEM):
    return client.post(add_url(org, key), {"title": title, "file": SimpleUploadedFile(name, data)})


def lv_size(size: int) -> str:
    with translation.override("lv"):
        return filesizeformat(size).replace("\xa0", " ")  # as the page's text reads


def refusal(response) -> str:
    """The message beside the item whose evidence was refused."""
    assert response.status_code == 400
    return text(by_id(response, f"evidence-{ITEM}-error"))


# --- the content decides the type ------------------------------------------------------------


@pytest.mark.parametrize(("name", "data", "content_type"), ACCEPTED)
def test_each_accepted_type_is_known_by_its_content(name, data, content_type):
    assert filetypes.detect(io.BytesIO(data)).content_type == content_type


@pytest.mark.parametrize(
    "data",
    [
        EXE_BYTES,
        b"<html><script>alert(1)</script></html>",
        zipped({"readme.txt": b"hello"}),
        zipped({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}),
        zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
        b"PK\x03\x04 not really a zip",
        b"",
    ],
    ids=["exe", "html", "plain-zip", "pptx", "ods", "broken-zip", "empty"],
)
def test_other_content_is_not_accepted_whatever_the_name(data):
    assert filetypes.detect(io.BytesIO(data)) is None


# --- adding ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data", "content_type"), ACCEPTED)
def test_a_member_attaches_each_accepted_type_and_members_download_it(
    as_user, org, media, name, data, content_type
):
    response = upload(as_user(org.people["practitioner"]), org, name, data, title="Riga plan")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#evidence-{ITEM}")
    evidence = Evidence.objects.get()
    assert (evidence.kind, evidence.title, evidence.size) == ("file", "Riga plan", len(data))
    assert evidence.content_type == content_type
    assert evidence.added_by == org.people["practitioner"]
    (path,) = stored_files(media)
    assert path.read_bytes() == data
    assert path.suffix == "." + filetypes.TYPES[content_type].extension
    assert name not in str(path)  # stored under a name of ours

    download = as_user(org.people["viewer"]).get(download_url(org, evidence))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data
    assert download["Content-Type"] == content_type
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Riga plan." + filetypes.TYPES[content_type].extension in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"] and "private" in download["Cache-Control"]


def test_a_file_larger_than_a_form_reaches_the_upload(as_user, org, media, settings):
    """A body above a form's limit, refused everywhere else, is taken by the upload view."""
    data = PDF_BYTES + b"0" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)
    response = upload(as_user(org.people["coordinator"]), org, "big.pdf", data)
    assert response.status_code == 302
    assert Evidence.objects.get().size == len(data)


def test_a_link_is_listed_on_the_item(as_user, org, media):
    client = as_user(org.people["practitioner"])
    response = client.post(
        add_url(org), {"title": "Municipality page", "url": "https://www.riga.lv/plan"}
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.kind, evidence.url, evidence.size) == ("link", "https://www.riga.lv/plan", 0)
    page = parse(client.get(area_url(org)))
    section = by_id(page, f"evidence-{ITEM}")
    links = {a.get("href"): text(a) for a in section.iter("a")}
    assert links["https://www.riga.lv/plan"] == "Municipality page"
    assert stored_files(media) == []
    # A link is not a download.
    assert client.get(download_url(org, evidence)).status_code == 404


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://files.example/plan.pdf", "data:text/html,hi", "riga"]
)
def test_only_http_and_https_links_are_taken(as_user, org, media, url):
    response = as_user(org.people["practitioner"]).post(add_url(org), {"title": "Link", "url": url})
    assert refusal(response) == lv("Enter a web address starting with http:// or https://.")
    assert not Evidence.objects.exists()


# --- refusals leave nothing ------------------------------------------------------------------


def test_a_disguised_program_is_refused_and_nothing_is_kept(as_user, org, media):
    response = upload(as_user(org.people["practitioner"]), org, "plan.pdf", EXE_BYTES)
    assert refusal(response) == lv(
        "This file is not a PDF, DOCX, XLSX or ODT document, nor a PNG or JPEG image (judged "
        "by its content, not its name)."
    )
    assert not Evidence.objects.exists()
    assert stored_files(media) == []
    # The title typed is kept for the next try.
    assert by_id(response, f"evidence-title-{ITEM}").get("value") == "Plan"


def test_a_file_over_the_limit_is_refused(as_user, org, media, settings):
    settings.EVIDENCE_MAX_FILE_BYTES = 100
    response = upload(as_user(org.people["practitioner"]), org, "plan.pdf", PDF_BYTES * 4)
    assert refusal(response) == lv(
        "The file is too large: %(size)s. A file can be at most %(max)s.",
        size=lv_size(len(PDF_BYTES) * 4),
        max=lv_size(100),
    )
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_a_file_over_the_organisations_quota_is_refused(as_user, org, other_org, media, settings):
    settings.EVIDENCE_MAX_ORG_BYTES = len(PDF_BYTES) * 2
    client = as_user(org.people["practitioner"])
    assert upload(client, org, "one.pdf", PDF_BYTES).status_code == 302
    assert upload(client, org, "two.pdf", PDF_BYTES).status_code == 302
    response = upload(client, org, "three.pdf", PDF_BYTES)
    assert refusal(response) == lv(
        "There is no room for this file: the organisation's files may take %(max)s together, "
        "and %(used)s is taken. Remove files you no longer need.",
        max=lv_size(settings.EVIDENCE_MAX_ORG_BYTES),
        used=lv_size(len(PDF_BYTES) * 2),
    )
    assert Evidence.objects.count() == 2
    assert len(stored_files(media)) == 2
    # Another organisation has a quota of its own.
    other = as_user(other_org.people["coordinator"])
    assert upload(other, other_org, "mine.pdf", PDF_BYTES).status_code == 302


@pytest.mark.parametrize("title", ["Plan\x07", "Plan\nB", "Plan\u202e", ""])
def test_a_title_with_control_characters_or_none_is_refused(as_user, org, media, title):
    response = upload(as_user(org.people["practitioner"]), org, "plan.pdf", PDF_BYTES, title=title)
    assert response.status_code == 400
    assert text(by_id(response, f"evidence-{ITEM}-error"))
    assert stored_files(media) == []


def test_a_link_and_a_file_at_once_or_neither_are_refused(as_user, org, media):
    client = as_user(org.people["practitioner"])
    both = client.post(
        add_url(org),
        {"title": "x", "url": "https://a.example", "file": SimpleUploadedFile("a.pdf", PDF_BYTES)},
    )
    assert refusal(both) == lv("Give either a link or a file.")
    neither = client.post(add_url(org), {"title": "x"})
    assert refusal(neither) == lv("Give a link or choose a file.")
    assert stored_files(media) == []


# --- who may do what -------------------------------------------------------------------------


def test_a_viewer_downloads_but_cannot_add_or_remove(as_user, org, media):
    added = evidence_services.evidence_link_add(
        round=org.round,
        item=ChecklistItem.objects.get(key=ITEM),
        title="Page",
        url="https://a.example",
        user=org.people["coordinator"],
    )
    client = as_user(org.people["viewer"])
    assert upload(client, org, "plan.pdf", PDF_BYTES).status_code == 403
    remove = reverse("assessments:evidence_remove", args=[org.slug, org.round.pk, added.pk])
    assert client.get(remove).status_code == 403
    assert client.post(remove).status_code == 403
    assert Evidence.objects.count() == 1
    assert stored_files(media) == []
    page = parse(client.get(area_url(org)))
    assert find_all(page, f".//form[@id='evidence-form-{ITEM}']") == []
    assert text(by_id(page, f"evidence-{ITEM}")).count("Page") == 1


def test_non_members_get_404_for_a_file(as_user, client, org, other_org, media):
    upload(as_user(org.people["practitioner"]), org, "plan.pdf", PDF_BYTES)
    evidence = Evidence.objects.get()
    client.logout()
    assert client.get(download_url(org, evidence)).status_code == 302  # to the login
    outsider = as_user(other_org.people["coordinator"])
    assert outsider.get(download_url(org, evidence)).status_code == 404
    # Nor through the URL of their own organisation.
    assert outsider.get(download_url(other_org, evidence)).status_code == 404
    remove = reverse("assessments:evidence_remove", args=[org.slug, org.round.pk, evidence.pk])
    assert outsider.post(remove).status_code == 404
    own_round = reverse(
        "assessments:evidence_remove", args=[other_org.slug, other_org.round.pk, evidence.pk]
    )
    assert outsider.post(own_round).status_code == 404
    assert Evidence.objects.count() == 1


def test_a_closed_round_lists_its_evidence_and_takes_none(as_user, org, media):
    client = as_user(org.people["practitioner"])
    upload(client, org, "plan.pdf", PDF_BYTES, title="Kept")
    services.round_close(round=org.round, user=org.people["coordinator"])
    response = upload(client, org, "more.pdf", PDF_BYTES)
    assert response.status_code == 302
    assert Evidence.objects.count() == 1
    assert len(stored_files(media)) == 1
    page = parse(client.get(area_url(org)))
    section = by_id(page, f"evidence-{ITEM}")
    assert [text(a) for a in section.iter("a")] == ["Kept"]  # no "Remove"
    assert find_all(page, ".//input[@type='file']") == []
    evidence = Evidence.objects.get()
    assert client.get(download_url(org, evidence)).status_code == 200
    remove = reverse("assessments:evidence_remove", args=[org.slug, org.round.pk, evidence.pk])
    client.post(remove)
    assert Evidence.objects.count() == 1


# --- removal and deletion --------------------------------------------------------------------


def test_removing_asks_first_then_deletes_the_file(
    as_user, org, media, django_capture_on_commit_callbacks
):
    client = as_user(org.people["practitioner"])
    upload(client, org, "plan.pdf", PDF_BYTES, title="Old plan")
    evidence = Evidence.objects.get()
    remove = reverse("assessments:evidence_remove", args=[org.slug, org.round.pk, evidence.pk])
    page = client.get(area_url(org))
    assert remove in {a.get("href") for a in find_all(page, ".//a[@href]")}
    asking = client.get(remove)
    assert asking.status_code == 200
    assert Evidence.objects.count() == 1 and len(stored_files(media)) == 1
    assert find_all(asking, ".//form[@method='post']")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove)
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_deleting_the_organisation_deletes_its_files(
    as_user, org, other_org, media, django_capture_on_commit_callbacks
):
    upload(as_user(org.people["practitioner"]), org, "plan.pdf", PDF_BYTES)
    upload(as_user(org.people["practitioner"]), org, "photo.png", PNG_BYTES)
    upload(as_user(other_org.people["coordinator"]), other_org, "theirs.pdf", PDF_BYTES)
    assert len(stored_files(media)) == 3
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_delete(organisation=org, confirmation=org.name)
    remaining = stored_files(media)
    assert len(remaining) == 1
    assert remaining[0].parent.name == str(other_org.pk)
    assert Evidence.objects.count() == 1


# --- the checklist page ----------------------------------------------------------------------


def _area_queries(client, url) -> int:
    with lazy_loads_raise(), CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_checklist_page_costs_the_same_queries_with_evidence(as_user, org, media):
    from django.core.cache import cache

    client = as_user(org.people["practitioner"])
    _area_queries(client, area_url(org))
    cache.clear()
    before = _area_queries(client, area_url(org))
    for key in (ITEM, "ka1.c1.i02"):
        upload(client, org, "plan.pdf", PDF_BYTES, key=key)
        upload(client, org, "photo.png", PNG_BYTES, key=key)
        client.post(add_url(org, key), {"title": "Page", "url": "https://a.example"})
    cache.clear()
    after = _area_queries(client, area_url(org))
    assert before == after
    page = parse(client.get(area_url(org)))
    assert by_id(page, f"evidence-{ITEM}").get("data-evidence") == "3"


# --- the summary and the exports -------------------------------------------------------------


def _with_evidence(as_user, org):
    client = as_user(org.people["practitioner"])
    upload(client, org, "plan.pdf", PDF_BYTES, title="Integration plan")
    client.post(add_url(org), {"title": "Council page", "url": "https://www.riga.lv/plan"})
    return Evidence.objects.get(kind="file")


def test_the_summary_lists_the_evidence_with_links(as_user, org, media):
    file = _with_evidence(as_user, org)
    page = parse(
        as_user(org.people["viewer"]).get(
            reverse("reporting:summary", args=[org.slug, org.round.pk])
        )
    )
    (listing,) = find_all(page, ".//ul[@data-evidence-area='1']")
    links = {text(a): a.get("href") for a in listing.iter("a")}
    assert links["Integration plan"] == download_url(org, file)
    assert links["Council page"] == "https://www.riga.lv/plan"


def test_the_exports_list_the_evidence(as_user, org, media, settings):
    import csv
    import json

    from openpyxl import load_workbook

    file = _with_evidence(as_user, org)
    client = as_user(org.people["viewer"])
    url = lambda name: reverse(f"reporting:{name}", args=[org.slug, org.round.pk])  # noqa: E731
    document = json.loads(client.get(url("export_json")).content)
    (first,) = [a for a in document["answers"] if a["item"] == ITEM]
    assert [(e["title"], e["kind"], e["url"]) for e in first["evidence"]] == [
        ("Integration plan", "file", settings.SITE_URL + download_url(org, file)),
        ("Council page", "link", "https://www.riga.lv/plan"),
    ]
    assert all(a["evidence"] == [] for a in document["answers"] if a["item"] != ITEM)

    raw = client.get(url("export_csv")).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw), delimiter=";"))
    evidence_kind = lv("Evidence", context="spreadsheet")
    listed = [r for r in rows if r[lv("Record", context="spreadsheet")] == evidence_kind]
    assert [(r[evidence_kind], r[lv("Link", context="spreadsheet")]) for r in listed] == [
        ("Integration plan", settings.SITE_URL + download_url(org, file)),
        ("Council page", "https://www.riga.lv/plan"),
    ]

    book = load_workbook(io.BytesIO(client.get(url("export_xlsx")).content))
    values = [cell for row in book[book.sheetnames[2]].iter_rows(values_only=True) for cell in row]
    assert "Integration plan" in values and "https://www.riga.lv/plan" in values


def test_the_organisations_take_out_lists_the_evidence(as_user, org, media):
    import json

    _with_evidence(as_user, org)
    client = as_user(org.people["coordinator"])
    document = json.loads(
        client.get(reverse("reporting:organisation_export", args=[org.slug])).content
    )
    (round_,) = document["rounds"]
    (first,) = [a for a in round_["answers"] if a["item"] == ITEM]
    assert [e["title"] for e in first["evidence"]] == ["Integration plan", "Council page"]


def test_a_body_over_the_file_limit_is_refused_unread_on_the_upload_path(as_user, org, settings):
    """The upload path takes a file and a form's data, no more: a larger body is refused from
    its Content-Length before it is read, as on every other path."""
    client = as_user(org.people["practitioner"])
    start = b"--xyz\r\nContent-Disposition: form-data; name=file; filename=a.pdf\r\n\r\n%PDF"
    limit = settings.EVIDENCE_MAX_FILE_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.generic(
        "POST",
        add_url(org),
        data=start,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(limit + 1),
    )
    assert response.status_code == 413
    assert not Evidence.objects.exists()
    # The area page, on the same round, takes no more than a form.
    response = client.generic(
        "POST",
        area_url(org),
        data=start,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
    )
    assert response.status_code == 413


def test_a_members_own_data_lists_the_evidence_they_added(as_user, org, media):
    import json

    _with_evidence(as_user, org)
    mine = json.loads(
        as_user(org.people["practitioner"]).get(reverse("reporting:own_data_export")).content
    )
    assert [(e["title"], e["kind"], e["item"]) for e in mine["evidence_added"]] == [
        ("Integration plan", "file", ITEM),
        ("Council page", "link", ITEM),
    ]
    theirs = json.loads(
        as_user(org.people["coordinator"]).get(reverse("reporting:own_data_export")).content
    )
    assert theirs["evidence_added"] == []


def test_the_word_report_names_the_evidence_with_its_link(as_user, org, media, settings):
    from tests.assessments.test_report_docx import _docx, _text

    file = _with_evidence(as_user, org)
    document = _text(_docx(as_user(org.people["viewer"]), org))
    evidence = lv("Evidence:")
    assert f"{evidence} Integration plan ({settings.SITE_URL}{download_url(org, file)})" in document
    assert f"{evidence} Council page (https://www.riga.lv/plan)" in document
