"""Does a change of the handbook renderer change what readers see? Dump before, dump after, compare.

Renders every text that goes through the `handbook` filters (each record, both languages, at the
heading levels the templates use; `handbook_body` and `handbook_footnotes` too) and saves the HTML
as JSON. `compare` reads two dumps as a reader sees them: tags, attributes in any order, text with
entities decoded and whitespace collapsed. Run:
    .venv/bin/python bench/handbook_markup.py dump before.json     (on the old renderer)
    .venv/bin/python bench/handbook_markup.py dump after.json      (on the new one)
    .venv/bin/python bench/handbook_markup.py compare before.json after.json
"""

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import prepare_database, setup_django  # noqa: E402

# (model, field, heading levels the templates give it)
FIELDS = [
    ("KeyArea", "intro", [3]),
    ("SuccessFactor", "body", [4]),
    ("GoodPractice", "body", [6, 2]),
    ("Checklist", "intro", [4]),
    ("Page", "body", [3, 2]),
    ("GlossaryTerm", "definition", [3]),
    ("Testimonial", "quote", [3]),
]


def dump(path):
    prepare_database()
    setup_django()
    from django.utils import translation

    from content import models
    from content.templatetags.handbook import handbook_body, handbook_footnotes, handbook_text

    out, fields = {}, 0
    for model, field, levels in FIELDS:
        for record in getattr(models, model).objects.order_by("pk"):
            for lang in ("lv", "en"):
                with translation.override(lang):
                    name = f"{model}.{field} {getattr(record, 'key', record.pk)} {lang}"
                    value = getattr(record, field)
                    fields += 1
                    for level in levels:
                        out[f"{name} text:{level}"] = str(handbook_text(value, level))
                        out[f"{name} body:{level}"] = str(handbook_body(value, level))
                    out[f"{name} footnotes"] = str(handbook_footnotes(value))
    Path(path).write_text(json.dumps(out, ensure_ascii=False, indent=0, sort_keys=True))
    print(f"{fields} fields, {len(out)} renderings -> {path}")


class _Reading(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.events, self.text = [], ""
        self.feed(html)
        self.close()
        self.handle_starttag("end", [])

    def handle_starttag(self, tag, attrs):
        if " ".join(self.text.split()):
            self.events.append(("text", " ".join(self.text.split())))
        self.text = ""
        self.events.append((tag, sorted(attrs)))

    def handle_endtag(self, tag):
        self.handle_starttag("/" + tag, [])

    def handle_data(self, data):
        self.text += data


def _between_tags(html):
    return re.sub(r">\s+<", "><", html).strip()


def compare(before_path, after_path):
    before, after = (json.loads(Path(p).read_text()) for p in (before_path, after_path))
    same = sum(before[k] == after[k] for k in before)
    tags_only = sum(_between_tags(before[k]) == _between_tags(after[k]) for k in before)
    differ = [k for k in before if _Reading(before[k]).events != _Reading(after[k]).events]
    print(
        f"{len(before)} renderings: {same} identical, {tags_only - same} differ only in whitespace "
        f"between tags, {len(before) - tags_only - len(differ)} in other harmless ways "
        f"(entities, whitespace in text), {len(differ)} read differently"
    )
    for key in differ[:10]:
        print(f"-- {key}\n   before: {before[key][:300]}\n   after:  {after[key][:300]}")


if __name__ == "__main__":
    {"dump": dump, "compare": compare}[sys.argv[1]](*sys.argv[2:])
