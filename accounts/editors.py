"""The editors' role: a group holding exactly the rights to keep the handbook and the
good-practice library, and the staff status the admin asks for.

Every model of the site is decided here: editors either get the listed rights on it or nothing
(`NOT_FOR_EDITORS`); tests/accounts/test_editors_group.py fails on a model left undecided.
Keyed handbook records are retired, never deleted (answers refer to their keys); rows without a
key (benefits, further reading, links, testimonials) may be deleted.
"""

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_noop

EDITORS = gettext_noop("Editors")  # the group's name, shown translated in the admin

KEEP = ("view", "add", "change")
KEEP_AND_DELETE = (*KEEP, "delete")
EDITOR_PERMISSIONS = {
    "content.page": KEEP,
    "content.keyarea": KEEP,
    "content.benefit": KEEP_AND_DELETE,
    "content.successfactor": KEEP,
    "content.checklist": KEEP,
    "content.checklistitem": KEEP,
    "content.goodpractice": KEEP,
    "content.practicelink": KEEP_AND_DELETE,
    "content.furtherreading": KEEP_AND_DELETE,
    "content.generalchecklistitem": KEEP,
    "content.qualitydomain": KEEP,
    "content.guidingquestion": KEEP,
    "content.indicator": KEEP,
    "content.glossaryterm": KEEP,
    "content.testimonial": KEEP_AND_DELETE,
    "content.participantquestion": KEEP,
    # Reviewing, translating and publishing what organisations submit (organisations add them).
    "practices.practicesubmission": ("view", "change"),
}
# Models editors have no right to: what belongs to organisations and people, and machinery.
NOT_FOR_EDITORS = {
    "admin.logentry",
    "auth.permission",
    "auth.group",
    "auth.user",
    "contenttypes.contenttype",
    "sessions.session",
    "axes.accessattempt",
    "axes.accessattemptexpiration",
    "axes.accessfailurelog",
    "axes.accesslog",
    "otp_static.staticdevice",
    "otp_static.statictoken",
    "otp_totp.totpdevice",
    "accounts.profile",
    "accounts.remindersent",
    "content.contentrevision",
    "assessments.organisation",
    "assessments.membership",
    "assessments.invitation",
    "assessments.round",
    "assessments.roundevent",
    "assessments.answer",
    "assessments.individualanswer",
    "assessments.note",
    "assessments.action",
    "assessments.keyareaassignment",
    "assessments.roundcontent",
    "assessments.evidence",
    "peers.roundfigures",
    "peers.areafigures",
    "peers.poolrevision",
    "networks.network",
    "networks.networkmember",
    "networks.networkinvitation",
    "practices.practice",
    "practices.rating",
    "surveys.survey",
    "surveys.response",
    "surveys.rating",
}


def editors_group_sync(apps=django_apps, using="default"):
    """Create the editors' group or set its permissions to exactly EDITOR_PERMISSIONS; return it.

    Run by accounts' migrations (with the historical `apps`) and by every grant (a database
    restored from an older backup may lack the group); running it again changes nothing.
    A model that does not exist yet (an older migration state) is skipped.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # Permissions are otherwise created only after every migration has run.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = [
        (label.split(".")[0], f"{action}_{label.split('.')[1]}")
        for label, actions in EDITOR_PERMISSIONS.items()
        for action in actions
    ]
    permissions = [
        permission
        for app_label, codename in wanted
        for permission in Permission.objects.using(using).filter(
            content_type__app_label=app_label, codename=codename
        )
    ]
    group, _created = Group.objects.using(using).get_or_create(name=EDITORS)
    group.permissions.set(permissions)
    return group


@transaction.atomic
def editor_grant(*, user) -> None:
    """Make `user` an editor: staff status (the admin) and the editors' group (the rights)."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(editors_group_sync())


@transaction.atomic
def editor_revoke(*, user) -> None:
    """Take the editors' group away, and staff status unless the account is a superuser."""
    user.groups.remove(*user.groups.filter(name=EDITORS))
    if not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])


def find_account(email: str):
    """The account whose login (e-mail address) or e-mail is `email`, or None."""
    User = get_user_model()
    return (
        User.objects.filter(username__iexact=email).first()
        or User.objects.filter(email__iexact=email).first()
    )
