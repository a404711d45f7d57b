"""backup_data and restore_data: all data out and back in, exactly; refusals change nothing."""

import gzip
import io
import json
import os
import stat
from datetime import date

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assessments import services
from assessments.models import Action, Membership, Note, Organisation, Role, Round
from content.models import ChecklistItem, KeyArea
from content.toolkit_io import export_document
from operations.backup import database_contents
from reporting.exports import organisation_document, round_document
from reporting.summary import round_summary
from tests.assessments.conftest import PASSWORD, make_user
from tests.conftest import postgres_only

User = get_user_model()


def build_data():
    """Content with an admin edit, an organisation with members, two rounds with answers,
    comments, notes and actions, an editors' group and an admin log entry."""
    coordinator = make_user("koordinatore@ogre.example")
    practitioner = make_user("praktiķis@ogre.example")
    viewer = make_user("skatītājs@ogre.example")
    organisation = services.organisation_create(
        user=coordinator,
        name="Ogres novada pašvaldība",
        org_type="local_authority",
        city="Ogre",
        country="LV",
    )
    Membership.objects.create(user=practitioner, organisation=organisation, role=Role.PRACTITIONER)
    Membership.objects.create(user=viewer, organisation=organisation, role=Role.VIEWER)
    services.invitation_create(
        organisation=organisation,
        email="jauna@ogre.example",
        role=Role.VIEWER,
        invited_by=coordinator,
    )

    def answer(round_, key, value, comment=""):
        item = ChecklistItem.objects.get(key=key)
        current = round_.answers.filter(item=item).first()
        services.answer_set(
            round=round_,
            item=item,
            value=value,
            comment=comment,
            expected_version=current.version if current else 0,
            user=practitioner,
        )

    first = services.round_start(organisation=organisation, name="2025 rudens", user=coordinator)
    answer(first, "ka1.c1.i01", "no", "Vēl nav sākts")
    answer(first, "ka1.c1.i02", "partly")
    services.round_close(round=first, user=coordinator)
    second = services.round_start(
        organisation=organisation, name="2026 pavasaris", user=coordinator, copy_from=first
    )
    answer(second, "ka1.c1.i01", "yes", "Sanāksmē pārrunājām; ģimenes iesaistītas")
    answer(second, "ka2.c1.i01", "na")
    answer(second, "ka4.c2.i03", "no", "Jāsagatavo plāns")
    services.note_set(
        round=second,
        key_area=KeyArea.objects.get(key="ka1"),
        text="Piezīmes ar garumzīmēm: ā, č, ē, ģ, ī, ķ, ļ, ņ, š, ū, ž.\nOtrā rinda.",
        expected_version=0,
        user=coordinator,
    )
    services.action_create(
        round=second,
        item=ChecklistItem.objects.get(key="ka4.c2.i03"),
        title="Sagatavot rīcības plānu",
        owner=practitioner,
        due_date=date(2026, 6, 30),
        user=coordinator,
    )

    area = KeyArea.objects.get(key="ka2")
    area.title_en = "Edited in the admin"
    area.save()
    editor = make_user("redaktors@toolkit.example")
    editor.is_staff = True
    editor.save()
    editors = Group.objects.create(name="Redaktori")
    editors.permissions.add(Permission.objects.get(codename="change_keyarea"))
    editor.groups.add(editors)
    editor.user_permissions.add(Permission.objects.get(codename="view_checklistitem"))
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(KeyArea),
        object_id=str(area.pk),
        object_repr=str(area),
        action_flag=CHANGE,
        change_message="Changed title [en].",
    )
    return organisation


def snapshot(organisation_slug):
    organisation = Organisation.objects.get(slug=organisation_slug)
    return {
        "rounds": [
            round_document(round_summary(round_)) for round_ in organisation.rounds.order_by("pk")
        ],
        "organisation": organisation_document(organisation),
        "content": export_document(),
    }


def backup_objects(path):
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return json.load(stream)["objects"]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_backup_flush_restore_gives_back_the_same_data(toolkit, tmp_path, client):
    organisation = build_data()
    before = snapshot(organisation.slug)
    content_type_id = ContentType.objects.get_for_model(KeyArea).pk
    backup = tmp_path / "toolkit.json.gz"
    call_command("backup_data", output=backup, stderr=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)
    # Give content types and permissions other ids than they had, as a new database may:
    # the backup must find them by natural key.
    ContentType.objects.all().delete()
    ContentType.objects.create(app_label="placeholder", model="shifted")
    call_command("migrate", verbosity=0)
    assert ContentType.objects.get_for_model(KeyArea).pk != content_type_id
    assert not Organisation.objects.exists()

    out = io.StringIO()
    call_command("restore_data", str(backup), stdout=out)

    assert "Restored" in out.getvalue()
    assert snapshot(organisation.slug) == before
    # A backup of the restored database holds exactly what the first one held.
    again = tmp_path / "again.json.gz"
    call_command("backup_data", output=again, stderr=io.StringIO())
    assert backup_objects(again) == backup_objects(backup)
    editor = User.objects.get(username="redaktors@toolkit.example")
    assert editor.has_perm("content.change_keyarea") and editor.has_perm(
        "content.view_checklistitem"
    )
    entry = LogEntry.objects.get()
    assert entry.content_type.model_class() is KeyArea and entry.user == editor
    # Passwords still work: a real login through the login page.
    response = client.post(
        reverse("login"), {"username": "praktiķis@ogre.example", "password": PASSWORD}
    )
    assert response.status_code == 302 and response.url == reverse("assessments:home")
    # New rows get ids after the restored ones.
    restored = Organisation.objects.get(slug=organisation.slug)
    new_round = services.round_start(organisation=restored, name="2026 rudens", user=editor)
    assert new_round.pk > max(r.pk for r in Round.objects.exclude(pk=new_round.pk))


def run(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue() + err.getvalue()


def fingerprint():
    """What a failed restore must leave exactly as it was."""
    return {
        "contents": database_contents(),
        "organisations": list(Organisation.objects.values_list("name", flat=True)),
        "passwords": dict(User.objects.values_list("username", "password")),
        "notes": list(Note.objects.values_list("text", flat=True)),
        "actions": list(Action.objects.values_list("title", flat=True)),
    }


@pytest.mark.django_db
def test_backup_to_stdout_is_one_json_document_without_the_sites_state(org, client):
    client.force_login(org.people["viewer"])  # a session row
    client.post(reverse("login"), {"username": "nobody@riga.example", "password": "wrong"})

    document = json.loads(run("backup_data"))

    assert document["format"] == "toolkit-backup" and document["version"] == 1
    assert "assessments.0001_initial" in document["migrations"]
    models = {obj["model"] for obj in document["objects"]}
    assert {
        "auth.user",
        "assessments.organisation",
        "assessments.membership",
        "assessments.round",
        "assessments.roundevent",
        "content.keyarea",
        "content.checklistitem",
    } <= models
    assert not models & {"sessions.session", "contenttypes.contenttype", "auth.permission"}
    assert not any(model.startswith("axes.") for model in models)
    membership = next(o for o in document["objects"] if o["model"] == "assessments.membership")
    assert isinstance(membership["fields"]["user"], list)  # a natural key: the username
    user = next(o for o in document["objects"] if o["model"] == "auth.user")
    assert user["fields"]["password"].startswith("md5$")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["data.json", "data.json.gz"])
def test_backup_file_is_plain_or_gzip_json_readable_by_its_owner_only(org, tmp_path, name):
    path = tmp_path / name
    message = run("backup_data", output=str(path))

    raw = path.read_bytes()
    text = gzip.decompress(raw).decode() if name.endswith(".gz") else raw.decode()
    document = json.loads(text)
    assert f"Backed up {len(document['objects'])} objects to {path}" in message
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.django_db
def test_backup_file_is_owner_only_whatever_the_umask_and_the_file_it_replaces(org, tmp_path):
    """Holds under attack: a backup holds password hashes, so --output writes it 0600 even
    with umask 022 and over an earlier file that others could read."""
    path = tmp_path / "data.json"
    path.write_text("an older backup")
    path.chmod(0o644)
    umask = os.umask(0o022)
    try:
        run("backup_data", output=str(path))
    finally:
        os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["format"] == "toolkit-backup"


@pytest.mark.django_db
def test_restore_refuses_a_database_that_holds_data(org, tmp_path):
    backup = tmp_path / "backup.json"
    run("backup_data", output=str(backup))
    services.action_create(
        round=org.round,
        item=ChecklistItem.objects.get(key="ka1.c1.i01"),
        title="Made later",
        owner=None,
        due_date=None,
        user=org.people["coordinator"],
    )
    before = fingerprint()

    with pytest.raises(CommandError) as refused:
        run("restore_data", str(backup))

    message = str(refused.value)
    assert "The database is not empty" in message
    assert "auth.user 3" in message and "assessments.organisation 1" in message
    assert "--yes" in message
    assert fingerprint() == before


@pytest.mark.django_db
def test_restore_with_yes_replaces_all_data_with_the_backup(org, other_org, tmp_path, client):
    services.note_set(
        round=org.round,
        key_area=KeyArea.objects.get(key="ka1"),
        text="Before the backup",
        expected_version=0,
        user=org.people["practitioner"],
    )
    backup = tmp_path / "backup.json.gz"
    run("backup_data", output=str(backup))
    expected = fingerprint()
    note = Note.objects.get()
    services.note_set(
        round=org.round,
        key_area=note.key_area,
        text="After the backup",
        expected_version=note.version,
        user=org.people["practitioner"],
    )
    services.organisation_create(
        user=org.people["viewer"], name="Made later", org_type="ngo", city="Cēsis", country="LV"
    )
    client.force_login(org.people["viewer"])

    message = run("restore_data", str(backup), yes=True)

    assert "Restored" in message and "assessments.organisation 2" in message
    assert fingerprint() == expected
    # Sessions went with the data they belonged to.
    assert client.get(reverse("assessments:home")).status_code == 302


def _valid_document(tmp_path):
    path = tmp_path / "valid.json"
    run("backup_data", output=str(path))
    return json.loads(path.read_text())


def _with_object(obj):
    return lambda document: {**document, "objects": [*document["objects"], obj]}


def _changed_object(model, change):
    def mutate(document):
        objects = [dict(o) for o in document["objects"]]
        index = max(i for i, o in enumerate(objects) if o["model"] == model)
        objects[index] = change(objects[index])
        return {**document, "objects": objects}

    return mutate


# name -> (file bytes from the valid backup document, what the error must say)
INVALID = {
    "not JSON": (lambda d: b'{"format": "toolkit-backup", ', "is not valid JSON"),
    "truncated gzip": (
        lambda d: gzip.compress(json.dumps(d).encode())[:-40],
        "is not a complete gzip file",
    ),
    "binary noise": (lambda d: bytes(range(256)), "is not UTF-8 text"),
    "dumpdata list, not a backup": (
        lambda d: json.dumps(d["objects"]).encode(),
        "is not a backup of this site",
    ),
    "unknown version": (lambda d: json.dumps({**d, "version": 2}).encode(), "version 2"),
    "objects not a list": (
        lambda d: json.dumps({**d, "objects": {}}).encode(),
        '"objects" must be a list',
    ),
    "object without fields": (
        lambda d: json.dumps(_with_object({"model": "assessments.organisation"})(d)).encode(),
        'needs a "model" name and "fields"',
    ),
    "unknown model": (
        lambda d: json.dumps(
            _with_object({"model": "assessments.nosuch", "pk": 1, "fields": {}})(d)
        ).encode(),
        "'assessments.nosuch' is not a model",
    ),
    "sessions are never restored": (
        lambda d: json.dumps(
            _with_object({"model": "sessions.session", "pk": "x", "fields": {}})(d)
        ).encode(),
        "'sessions.session' is not a model",
    ),
    "newer schema": (
        lambda d: json.dumps(
            {**d, "migrations": [*d["migrations"], "assessments.9999_future"]}
        ).encode(),
        r"lacks \(assessments.9999_future\)",
    ),
    "bad date": (
        lambda d: json.dumps(
            _changed_object(
                "assessments.round",
                lambda o: {**o, "fields": {**o["fields"], "created_at": "yesterday"}},
            )(d)
        ).encode(),
        r"object #\d+ \(assessments.round pk=\d+\).*yesterday",
    ),
    "unknown field": (
        lambda d: json.dumps(
            _changed_object(
                "assessments.organisation",
                lambda o: {**o, "fields": {**o["fields"], "colour": "red"}},
            )(d)
        ).encode(),
        r"object #\d+ \(assessments.organisation pk=\d+\).*colour",
    ),
    "member who does not exist": (
        lambda d: json.dumps(
            _changed_object(
                "assessments.membership",
                lambda o: {**o, "fields": {**o["fields"], "user": ["nobody@nowhere.example"]}},
            )(d)
        ).encode(),
        r"object #\d+ \(assessments.membership pk=\d+\).*does not exist",
    ),
    "answer to a round that is not there": (
        lambda d: json.dumps(
            _changed_object(
                "assessments.answer",
                lambda o: {**o, "fields": {**o["fields"], "round": 987654}},
            )(d)
        ).encode(),
        "(?s)problem at the integrity check.*987654",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(INVALID))
def test_an_invalid_backup_changes_nothing_and_names_the_problem(org, tmp_path, case):
    services.answer_set(
        round=org.round,
        item=ChecklistItem.objects.get(key="ka1.c1.i01"),
        value="yes",
        comment="",
        expected_version=0,
        user=org.people["practitioner"],
    )
    make_file, expected = INVALID[case]
    path = tmp_path / "broken.json"
    path.write_bytes(make_file(_valid_document(tmp_path)))
    before = fingerprint()

    # --yes: the current data would be deleted first, so a failure must undo that too.
    with pytest.raises(CommandError, match=expected) as refused:
        run("restore_data", str(path), yes=True)

    assert str(refused.value).startswith("Nothing was restored")
    assert fingerprint() == before


@pytest.mark.django_db
def test_restore_names_a_file_that_is_not_there(tmp_path):
    with pytest.raises(CommandError, match="missing.json: cannot be read"):
        run("restore_data", str(tmp_path / "missing.json"))


@pytest.mark.django_db
def test_evidence_records_are_restored_and_missing_files_named(org, media, tmp_path):
    """The backup holds the evidence records; their files are backed up with MEDIA_ROOT, and a
    restore without them says which are missing."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments.evidence import evidence_file_add, evidence_link_add
    from assessments.models import Evidence, evidence_storage

    item = ChecklistItem.objects.get(key="ka1.c1.i01")
    user = org.people["practitioner"]
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n")
    kept = evidence_file_add(round=org.round, item=item, title="Plāns", upload=upload, user=user)
    evidence_link_add(round=org.round, item=item, title="Lapa", url="https://a.example", user=user)
    backup = tmp_path / "backup.json.gz"
    run("backup_data", output=str(backup))

    message = run("restore_data", str(backup), yes=True)
    assert "assessments.evidence 2" in message
    assert "not in the storage" not in message
    assert Evidence.objects.get(kind="file").file.name == kept.file.name

    evidence_storage().delete(kept.file.name)  # a new server, its files not restored yet
    message = run("restore_data", str(backup), yes=True)
    assert f"1 evidence files are not in the storage ({kept.file.name})" in message
