"""`{% stacktable %}`: the class, the ARIA roles and each cell's column header as its label."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from content.templatetags.stack_tables import stack_tables

TABLE = (
    '<table class="data"><caption>Results</caption>'
    '<thead><tr><th scope="col">Key area</th><th scope="col">Yes</th>'
    '<th scope="col">Owner <span class="hint">(e-mail)</span></th></tr></thead>'
    '<tbody><tr><th scope="row">5.1.</th><td>3</td><td>a@b.example</td></tr></tbody>'
    '<tfoot><tr><th scope="row">Overall</th><td>9</td><td>–</td></tr></tfoot></table>'
)


def test_a_table_gets_the_class_the_roles_and_its_headers_as_labels():
    assert stack_tables(TABLE) == (
        '<table class="data stack" role="table"><caption>Results</caption>'
        '<thead role="rowgroup"><tr role="row">'
        '<th scope="col" role="columnheader">Key area</th>'
        '<th scope="col" role="columnheader">Yes</th>'
        '<th scope="col" role="columnheader">Owner <span class="hint">(e-mail)</span></th>'
        '</tr></thead><tbody role="rowgroup"><tr role="row">'
        '<th scope="row" role="rowheader" data-label="Key area">5.1.</th>'
        '<td role="cell" data-label="Yes">3</td>'
        '<td role="cell" data-label="Owner (e-mail)">a@b.example</td>'
        '</tr></tbody><tfoot role="rowgroup"><tr role="row">'
        '<th scope="row" role="rowheader" data-label="Key area">Overall</th>'
        '<td role="cell" data-label="Yes">9</td><td role="cell" data-label="Owner (e-mail)">–</td>'
        "</tr></tfoot></table>"
    )


@pytest.mark.parametrize(
    "source, expected",
    [
        # Text and everything that is not a table stay exactly as they were.
        ('<p class="x">a &amp; b</p><!-- <td> -->', '<p class="x">a &amp; b</p><!-- <td> -->'),
        # A header's entities and quotes end up escaped once in the attribute.
        (
            "<table><thead><tr><th>Participants&#x27; &quot;view&quot;</th></tr></thead>"
            "<tbody><tr><td>1</td></tr></tbody></table>",
            '<td role="cell" data-label="Participants&#x27; &quot;view&quot;">1</td>',
        ),
        # What the template already says is kept: a role, a label, the class.
        (
            '<table class="stack"><thead><tr><th>A</th></tr></thead>'
            '<tbody><tr><td role="gridcell" data-label="Own">1</td></tr></tbody></table>',
            '<table class="stack" role="table">',
        ),
        (
            '<table class="stack"><thead><tr><th>A</th></tr></thead>'
            '<tbody><tr><td role="gridcell" data-label="Own">1</td></tr></tbody></table>',
            '<td role="gridcell" data-label="Own">1</td>',
        ),
        # A ">" inside a quoted attribute value does not end the tag.
        (
            '<table><thead><tr><th title="a > b">A</th></tr></thead>'
            "<tbody><tr><td>1</td></tr></tbody></table>",
            '<th title="a > b" role="columnheader">A</th>',
        ),
        # A table without column headers: roles, no labels.
        ("<table><tr><td>1</td></tr></table>", '<tr role="row"><td role="cell">1</td>'),
        # A second table does not borrow the first one's headers.
        (
            "<table><thead><tr><th>A</th></tr></thead></table>"
            "<table><tbody><tr><td>1</td></tr></tbody></table>",
            '<td role="cell">1</td>',
        ),
        # More cells than headers: the extra cell has no label.
        (
            "<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr>"
            "</tbody></table>",
            '<td role="cell" data-label="A">1</td><td role="cell">2</td>',
        ),
    ],
)
def test_stack_tables(source, expected):
    assert expected in stack_tables(source)


def test_the_tag_rewrites_what_it_encloses_and_escapes_what_the_template_escapes():
    template = Template(
        "{% load stack_tables %}{% stacktable %}<table><thead><tr><th>{{ header }}</th></tr>"
        "</thead><tbody><tr><td>{{ value }}</td></tr></tbody></table>{% endstacktable %}"
    )
    html = template.render(Context({"header": 'Name "<b>"', "value": "<script>"}))
    assert 'data-label="Name &quot;&lt;b&gt;&quot;"' in html
    assert ">&lt;script&gt;</td>" in html
    assert "<script>" not in html


def _screen_templates():
    for path in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html")):
        text = path.read_text()
        if "<table" in text and '{% extends "pdf/' not in text:
            yield path, text


@pytest.mark.parametrize("path, text", list(_screen_templates()), ids=lambda v: str(v)[-40:])
def test_every_table_of_a_page_is_stacked_on_phones(path, text):
    """A table outside {% stacktable %} would push a phone's page sideways. (The PDF
    templates are printed on A4, not read on phones.)"""
    opened = text.count("{% stacktable %}")
    assert opened == text.count("{% endstacktable %}")
    assert text.count("<table") <= opened, path
