"""Every refusal of a content file, word for word: the messages are what an editor reads when a
file is wrong, so each names the file and the record (its key, or its place when it has none)."""

import copy
import json

import pytest
from django.core.management import CommandError, call_command

from content.toolkit_io import ContentError, content_files, read_documents, validate
from tests.conftest import CONTENT_DIR


@pytest.fixture(scope="module")
def document():
    return read_documents(content_files(CONTENT_DIR))


def _pop(*names):
    def spoil(record, data):
        for name in names:
            record.pop(name)

    return spoil


def _set(**values):
    return lambda record, data: record.update(values)


def _area_part(part, index, change):
    """Change the `index`th element of a key area's list `part`."""

    def spoil(area, data):
        if callable(change):
            change(area[part], index)
        else:
            area[part][index] = change

    return spoil


def _in_practice(index, **values):
    return lambda area, data: area["good_practices"][index].update(values)


def _in_item(**values):
    return lambda area, data: area["checklists"][0]["items"][0].update(values)


def _in_question(**values):
    return lambda domain, data: domain["questions"][0].update(values)


def _in_indicator(change):
    return lambda domain, data: change(domain["questions"][0]["indicators"][0])


LINKS = (
    "links must be a list of http(s) URLs or of objects "
    "{'url': ..., 'title': {'lv': ..., 'en': ...}}"
)
PRACTICE = "finland-transition-meetings"

# (id, top-level part, index, spoil(record, data), the record as named, the message)
REFUSALS = [
    ("page not a mapping", "pages", 0, None, "pages[0]", "must be a mapping"),
    (
        "page fields missing",
        "pages",
        0,
        _pop("title", "body"),
        "pages[0]",
        "missing field(s): title, body",
    ),
    ("page key", "pages", 0, _set(key="Foreword"), "'Foreword'", "is not a valid page key"),
    ("page key not text", "pages", 0, _set(key=5), "5", "is not a valid page key"),
    (
        "title not translated",
        "pages",
        0,
        _set(title="Pateicība"),
        "acknowledgements",
        "'title' must be an object with exactly 'lv' and 'en'",
    ),
    (
        "title with a third language",
        "pages",
        0,
        lambda page, data: page["title"].update(de="Danksagung"),
        "acknowledgements",
        "'title' must be an object with exactly 'lv' and 'en'",
    ),
    (
        "body blank in latvian",
        "pages",
        0,
        lambda page, data: page["body"].update(lv="  "),
        "acknowledgements",
        "'body' has no lv text",
    ),
    (
        "title english not text",
        "pages",
        0,
        lambda page, data: page["title"].update(en=5),
        "acknowledgements",
        "'title' has no en text",
    ),
    (
        "duplicate key",
        "pages",
        1,
        lambda page, data: page.update(key=data["pages"][0]["key"]),
        "acknowledgements",
        "duplicate key (also in {source})",
    ),
    ("key area key", "key_areas", 0, _set(key="kaA"), "'kaA'", "is not a valid key area key"),
    (
        "key area number repeated",
        "key_areas",
        1,
        _set(number=1),
        "ka2",
        "'number' must be a unique integer",
    ),
    (
        "key area number not a number",
        "key_areas",
        0,
        _set(number="1"),
        "ka1",
        "'number' must be a unique integer",
    ),
    (
        "key area intro missing",
        "key_areas",
        0,
        _pop("intro"),
        "key_areas[0]",
        "missing field(s): intro",
    ),
    (
        "benefit not translated",
        "key_areas",
        0,
        _area_part("benefits", 1, {"lv": "Ieguvums"}),
        "ka1.benefits[1]",
        "'benefit' must be an object with exactly 'lv' and 'en'",
    ),
    (
        "benefit without english",
        "key_areas",
        0,
        _area_part("benefits", 0, lambda b, i: b[i].update(en="")),
        "ka1.benefits[0]",
        "'benefit' has no en text",
    ),
    (
        "success factor of another area",
        "key_areas",
        0,
        _area_part("success_factors", 0, lambda f, i: f[i].update(key="ka2.sf1")),
        "'ka2.sf1'",
        "is not a valid success factor key",
    ),
    (
        "success factor not a mapping",
        "key_areas",
        0,
        _area_part("success_factors", 1, "ka1.sf2"),
        "ka1",
        "must be a mapping",
    ),
    (
        "success factor body missing",
        "key_areas",
        0,
        _area_part("success_factors", 0, lambda f, i: f[i].pop("body")),
        "ka1",
        "missing field(s): body",
    ),
    (
        "checklist key",
        "key_areas",
        0,
        _area_part("checklists", 0, lambda c, i: c[i].update(key="ka1.x1")),
        "'ka1.x1'",
        "is not a valid checklist key",
    ),
    (
        "checklist intro half empty",
        "key_areas",
        0,
        _area_part("checklists", 0, lambda c, i: c[i].update(intro={"lv": "", "en": "x"})),
        "ka1.c1",
        "'intro' has no lv text",
    ),
    (
        "checklist audience",
        "key_areas",
        0,
        _area_part("checklists", 0, lambda c, i: c[i].update(audience="martians")),
        "ka1.c1",
        "unknown audience 'martians'",
    ),
    (
        "checklist without items",
        "key_areas",
        0,
        _area_part("checklists", 0, lambda c, i: c[i].update(items=[])),
        "ka1.c1",
        "a checklist needs items",
    ),
    (
        "item key",
        "key_areas",
        0,
        _in_item(key="ka1.c1.i1"),
        "'ka1.c1.i1'",
        "is not a valid checklist item key",
    ),
    (
        "item text missing",
        "key_areas",
        0,
        lambda area, data: area["checklists"][0]["items"][0].pop("text"),
        "ka1.c1",
        "missing field(s): text",
    ),
    (
        "item organisation types",
        "key_areas",
        0,
        _in_item(not_applicable_for=["ngo", "martians", "aliens"]),
        "ka1.c1.i01",
        "unknown organisation type(s): aliens, martians",
    ),
    (
        "practice key not a slug",
        "key_areas",
        0,
        _in_practice(0, key="Bad Key"),
        "'Bad Key'",
        "good-practice key must be a lowercase slug",
    ),
    (
        "practice success factor",
        "key_areas",
        0,
        _in_practice(0, success_factor="ka2.sf1"),
        PRACTICE,
        "refers to unknown success factor 'ka2.sf1'",
    ),
    (
        "practice actor",
        "key_areas",
        0,
        _in_practice(0, actor="pirates"),
        PRACTICE,
        "unknown actor 'pirates'",
    ),
    (
        "practice country",
        "key_areas",
        0,
        _in_practice(0, country="Finland"),
        PRACTICE,
        "country 'Finland' is not an ISO 3166 alpha-2 code",
    ),
    (
        "practice place",
        "key_areas",
        0,
        _in_practice(0, place={"lv": "Helsinki"}),
        PRACTICE,
        "'place' must be a string or an object with exactly 'lv' and 'en'",
    ),
    (
        "practice links",
        "key_areas",
        0,
        _in_practice(0, links=["https://example.org/", "ftp://example.org/"]),
        PRACTICE,
        LINKS,
    ),
    (
        "practice links not a list",
        "key_areas",
        0,
        _in_practice(0, links="https://example.org/"),
        PRACTICE,
        LINKS,
    ),
    (
        "practice actor missing",
        "key_areas",
        0,
        lambda area, data: area["good_practices"][0].pop("actor"),
        "ka1",
        "missing field(s): actor",
    ),
    (
        "reading citation blank",
        "key_areas",
        0,
        _area_part("further_reading", 2, lambda r, i: r[i].update(citation=" ")),
        "ka1.further_reading[2]",
        "citation is empty",
    ),
    (
        "reading url",
        "key_areas",
        0,
        _area_part("further_reading", 0, lambda r, i: r[i].update(url="www.example.org")),
        "ka1.further_reading[0]",
        "url 'www.example.org' is not a link",
    ),
    (
        "reading description missing",
        "key_areas",
        0,
        _area_part("further_reading", 1, lambda r, i: r[i].pop("description")),
        "ka1.further_reading[1]",
        "missing field(s): description",
    ),
    (
        "reading description without english",
        "key_areas",
        0,
        _area_part("further_reading", 0, lambda r, i: r[i]["description"].update(en="")),
        "ka1.further_reading[0]",
        "'description' has no en text",
    ),
    (
        "general item key",
        "general_checklist",
        0,
        _set(key="g.i1"),
        "'g.i1'",
        "is not a valid general checklist item key",
    ),
    (
        "general item key areas",
        "general_checklist",
        0,
        _set(key_areas=["ka1", "ka9", "ka8"]),
        "g.i01",
        "refers to unknown key area(s): ka8, ka9",
    ),
    (
        "general item text missing",
        "general_checklist",
        0,
        _pop("text"),
        "general_checklist[0]",
        "missing field(s): text",
    ),
    (
        "domain key",
        "quality_domains",
        0,
        _set(key="q1"),
        "'q1'",
        "is not a valid quality domain key",
    ),
    (
        "domain title without english",
        "quality_domains",
        0,
        lambda domain, data: domain["title"].update(en=""),
        "d1",
        "'title' has no en text",
    ),
    (
        "question of another domain",
        "quality_domains",
        0,
        _in_question(key="d2.q1"),
        "'d2.q1'",
        "is not a valid guiding question key",
    ),
    (
        "indicator key",
        "quality_domains",
        0,
        _in_indicator(lambda indicator: indicator.update(key="d1.q1.x")),
        "'d1.q1.x'",
        "is not a valid indicator key",
    ),
    (
        "indicator text missing",
        "quality_domains",
        0,
        _in_indicator(lambda indicator: indicator.pop("text")),
        "d1.q1",
        "missing field(s): text",
    ),
    ("glossary key", "glossary", 0, _set(key="Bad"), "'Bad'", "is not a valid glossary key"),
    (
        "glossary definition",
        "glossary",
        0,
        _set(definition="Aizsardzība"),
        "protection",
        "'definition' must be an object with exactly 'lv' and 'en'",
    ),
    (
        "testimonial author missing",
        "testimonials",
        1,
        _pop("author"),
        "testimonials[1]",
        "missing field(s): author",
    ),
    (
        "testimonial quote blank",
        "testimonials",
        2,
        lambda testimonial, data: testimonial["quote"].update(lv=""),
        "testimonials[2]",
        "'quote' has no lv text",
    ),
    (
        "statement texts missing",
        "participant_questions",
        0,
        _pop("texts"),
        "participant_questions[0]",
        "missing field(s): texts",
    ),
    (
        "statement key",
        "participant_questions",
        0,
        _set(key="ka1.x1"),
        "'ka1.x1'",
        "is not a valid participant statement key",
    ),
    (
        "open question key",
        "participant_questions",
        0,
        _set(kind="free_text"),
        "'ka1.p1'",
        "is not a valid participant free_text key",
    ),
    (
        "statement kind",
        "participant_questions",
        0,
        _set(kind="essay"),
        "ka1.p1",
        "unknown kind 'essay'",
    ),
    (
        "statement source",
        "participant_questions",
        0,
        _set(source="handbook"),
        "ka1.p1",
        "participant questions are written for the toolkit: source: toolkit",
    ),
    (
        "statement language missing",
        "participant_questions",
        0,
        lambda question, data: question["texts"].pop("ar"),
        "ka1.p1",
        "'texts' must have exactly: ar, en, lv, ru, uk",
    ),
    (
        "statement text blank",
        "participant_questions",
        0,
        lambda question, data: question["texts"].update(uk=" "),
        "ka1.p1",
        "'texts' has an empty text",
    ),
    (
        "statement key area",
        "participant_questions",
        0,
        _set(key="ka9.p1"),
        "ka9.p1",
        "refers to an unknown key area",
    ),
    (
        "statement success factors",
        "participant_questions",
        0,
        _set(success_factors=["ka1.sf1", "ka2.sf1"]),
        "ka1.p1",
        "unknown success factor(s): ka2.sf1",
    ),
]


@pytest.mark.parametrize(
    "part, index, spoil, label, message", [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_a_spoiled_record_is_refused_with_its_file_record_and_reason(
    document, part, index, spoil, label, message
):
    spoiled = copy.deepcopy(document)
    record = spoiled.data[part][index]
    if spoil is None:
        spoiled.data[part][index] = "not a record"
    else:
        spoil(record, spoiled.data)
    source = document.source(part, index)
    message = message.replace("{source}", document.source(part, 0))
    with pytest.raises(ContentError) as error:
        validate(spoiled)
    assert str(error.value) == f"{source}: {label}: {message}"


def test_the_files_themselves_are_valid(document):
    validate(document)


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("list.yaml", "- schema: 1\n", "the document must be a mapping with 'schema: 1'"),
        ("future.json", '{"schema": 2}', "unsupported schema 2 (expected 1)"),
        ("old.yaml", "pages: []\n", "unsupported schema None (expected 1)"),
        ("extra.yaml", "schema: 1\nnotes: []\nextra: 1\n", "unknown top-level keys: extra, notes"),
        ("pages.yaml", "schema: 1\npages: {}\n", "'pages' must be a list"),
    ],
)
def test_a_file_of_the_wrong_shape_is_refused_naming_it(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as error:
        read_documents([path])
    assert str(error.value) == f"{path}: {message}"


@pytest.mark.parametrize(
    "name, content, start",
    [
        ("broken.yaml", b"schema: 1\npages: [\n", "is not valid YAML: "),
        ("broken.json", b'{"schema": 1,', "is not valid JSON: "),
        ("latin.yaml", "schema: 1 # Pateicība\n".encode("iso-8859-13"), "cannot be read: "),
    ],
)
def test_a_file_that_cannot_be_parsed_is_refused_naming_it(tmp_path, name, content, start):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ContentError) as error:
        read_documents([path])
    assert str(error.value).startswith(f"{path}: {start}")


def test_a_directory_without_content_files_is_refused(tmp_path):
    with pytest.raises(ContentError) as error:
        content_files(tmp_path)
    assert str(error.value) == f"{tmp_path}: no content files (*.yaml, *.json)"


@pytest.mark.django_db
def test_a_handbook_example_may_not_take_the_key_of_a_submitted_one(tmp_path):
    from content.models import GoodPractice
    from content.toolkit_io import export_document

    document = export_document()
    GoodPractice.objects.filter(key=PRACTICE).update(source="submitted")
    path = tmp_path / "content.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("load_toolkit", "--file", str(path))
    assert str(error.value) == (
        f"Content not loaded, nothing changed. {path}: {PRACTICE}: "
        "this key belongs to an example submitted by an organisation"
    )
