import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assessments import services
from assessments.models import (
    Answer,
    AnswerValue,
    Membership,
    Note,
    Organisation,
    Role,
    Round,
    RoundStatus,
)
from content.models import ChecklistItem, KeyArea
from surveys import services as survey_services
from surveys.models import Survey
from surveys.selectors import survey_questions

DEMO_ORGANISATIONS = [
    {
        "slug": "dzintarkrasta-pasvaldiba",
        "name": "Dzintarkrasta novada pašvaldība",
        "org_type": "local_authority",
        "city": "Dzintarkrasts",
        "people": [
            ("koordinatore@dzintarkrasts.example", "Demo-Koord-2026", Role.COORDINATOR),
            ("praktike@dzintarkrasts.example", "Demo-Prakt-2026", Role.PRACTITIONER),
            ("skatitajs@dzintarkrasts.example", "Demo-Skat-2026", Role.VIEWER),
        ],
    },
    {
        "slug": "biedriba-atvertas-durvis",
        "name": "Biedrība “Atvērtās durvis”",
        "org_type": "ngo",
        "city": "Rīga",
        "people": [
            ("koordinators@atvertasdurvis.example", "Demo-Koord-2026", Role.COORDINATOR),
            ("praktikis@atvertasdurvis.example", "Demo-Prakt-2026", Role.PRACTITIONER),
            ("skatitaja@atvertasdurvis.example", "Demo-Skat-2026", Role.VIEWER),
        ],
    },
]

VALUES = [AnswerValue.YES, AnswerValue.YES, AnswerValue.PARTLY, AnswerValue.NO]


class Command(BaseCommand):
    help = (
        "Create two demo organisations (a municipality and an NGO), each with a coordinator, a "
        "practitioner and a viewer, and answers in two rounds. Running it again changes nothing. "
        "Prints one line per login: 'login: <username> <password> <organisation-slug> <role>'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with known passwords; DEBUG is off. "
                "Use --force if you really mean it."
            )
        if not ChecklistItem.objects.exists():
            raise CommandError("Load the handbook first: python manage.py load_toolkit")
        for spec in DEMO_ORGANISATIONS:
            with transaction.atomic():
                self._organisation(spec)
            for email, password, role in spec["people"]:
                self.stdout.write(f"login: {email} {password} {spec['slug']} {role}")
        with transaction.atomic():
            survey = self._surveys(DEMO_ORGANISATIONS[0]["slug"])
        self.stdout.write(f"survey: {survey.public_path('lv')}")

    def _organisation(self, spec):
        if Organisation.objects.filter(slug=spec["slug"]).exists():
            return
        users = []
        for email, password, _role in spec["people"]:
            user = get_user_model().objects.filter(username=email).first()
            if user is None:
                user = get_user_model().objects.create_user(email, email, password)
            users.append(user)
        organisation = Organisation.objects.create(
            slug=spec["slug"],
            name=spec["name"],
            org_type=spec["org_type"],
            city=spec["city"],
            country="LV",
        )
        for user, (_email, _password, role) in zip(users, spec["people"], strict=True):
            Membership.objects.create(user=user, organisation=organisation, role=role)
        coordinator, practitioner = users[0], users[1]
        rng = random.Random(spec["slug"])  # the same demo data every time
        items = list(ChecklistItem.objects.current().select_related("checklist"))

        autumn = services.round_start(
            organisation=organisation, name="2025 rudens", user=coordinator
        )
        Answer.objects.bulk_create(
            Answer(
                round=autumn,
                item=item,
                value=rng.choice(VALUES),
                updated_by=practitioner,
                version=1,
                comment="",
            )
            for item in items
            if item.checklist.audience in ("all", spec["org_type"])
        )
        for area in KeyArea.objects.current():
            Note.objects.create(
                round=autumn,
                key_area=area,
                updated_by=coordinator,
                version=1,
                text="Apspriests komandas sanāksmē; jāiesaista bēgļu pārstāvji.",
            )
        services.round_close(round=autumn, user=coordinator)

        spring = services.round_start(
            organisation=organisation, name="2026 pavasaris", user=coordinator, copy_from=autumn
        )
        improved = [a for a in spring.answers.all() if a.value != AnswerValue.YES]
        for answer in improved[: len(improved) // 2]:
            answer.value, answer.version = AnswerValue.YES, 1
            answer.updated_at = timezone.now()
            answer.comment = "Uzlabots pēc rudens novērtējuma."
            answer.save()
        # Leave the last key area for the practitioners to finish.
        spring.answers.filter(item__checklist__key_area__number=6).delete()

    def _surveys(self, slug) -> Survey:
        """The municipality's participant surveys: the closed round's with enough responses to
        show results, the open round's with a few (below the threshold). Returns the open one."""
        organisation = Organisation.objects.get(slug=slug)
        coordinator = organisation.memberships.filter(role=Role.COORDINATOR).first().user
        rounds = Round.objects.filter(organisation=organisation)
        closed = rounds.filter(status=RoundStatus.CLOSED).order_by("created_at").first()
        open_ = rounds.filter(status=RoundStatus.OPEN).order_by("-created_at").first()
        rng = random.Random(slug)
        for round_, count in ((closed, settings.SURVEY_MIN_RESPONSES + 7), (open_, 3)):
            if Survey.objects.filter(round=round_).exists():
                continue
            survey = survey_services.survey_create(
                round=round_,
                key_areas=[area.key for area in KeyArea.objects.current()],
                languages=[code for code, _name, _direction in settings.SURVEY_LANGUAGES],
                user=coordinator,
            )
            self._responses(survey, count, rng)
            if not round_.is_open:
                survey_services.survey_set_open(survey=survey, is_open=False)
        return Survey.objects.get(round=open_)

    def _responses(self, survey, count, rng):
        statements, _open = survey_questions(survey)
        texts = [
            "Vairāk latviešu valodas kursu vakaros.",
            "",
            "Informācija arī ukraiņu valodā.",
            "",
        ]
        for index in range(count):
            survey_services.response_submit(
                survey=survey,
                ratings={q: rng.choice([1, 2, 3, 4, 4, 5, 0]) for q in statements},
                age_band=rng.choice(["", "18-29", "30-44", "45-64"]),
                gender=("woman", "man", "")[index % 3],
                free_text=texts[index % len(texts)],
            )
