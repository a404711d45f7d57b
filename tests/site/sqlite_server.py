"""`make run`'s server on a SQLite file of its own, for tests/site/test_sqlite_concurrency.py.

    python tests/site/sqlite_server.py PORT    (DATABASE_URL=sqlite:///…, development settings)

Migrates the file, loads the handbook, creates an organisation with two practitioners and an
open round, prints what the test needs on a line `seeded {JSON}`, then serves like `runserver`
(threaded, no reloader). One process, so Django starts once.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toolkit_site.settings.dev")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from assessments import services  # noqa: E402
from assessments.models import Membership, Organisation  # noqa: E402


def seed() -> dict:
    call_command("migrate", verbosity=0)
    call_command("load_toolkit", verbosity=0)
    organisation = Organisation.objects.create(
        slug="sqlite", name="SQLite", org_type="ngo", city="Rīga", country="LV"
    )
    sessions = []
    for number in range(2):
        email = f"member{number}@sqlite.example"
        user = get_user_model().objects.create_user(email, email, "x", first_name=email)
        Membership.objects.create(user=user, organisation=organisation, role="practitioner")
        client = Client()
        client.force_login(user)
        sessions.append(client.cookies["sessionid"].value)
    round_ = services.round_start(organisation=organisation, name="R", user=user)
    return {
        "sessions": sessions,
        "save_url": reverse("assessments:item_save", args=[organisation.slug, round_.pk, "-"])[:-2],
        "export_url": reverse("reporting:export_json", args=[organisation.slug, round_.pk]),
    }


if __name__ == "__main__":
    print("seeded", json.dumps(seed()), flush=True)
    call_command("runserver", f"127.0.0.1:{sys.argv[1]}", use_reloader=False, verbosity=0)
