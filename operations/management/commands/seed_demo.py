import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.editors import editor_grant
from assessments import assignments, services
from assessments.models import (
    Answer,
    AnswerValue,
    IndividualAnswer,
    Membership,
    Note,
    Organisation,
    Role,
    Round,
    RoundMode,
    RoundStatus,
    Sharing,
)
from assessments.sharing import organisation_sharing_set
from content.models import ChecklistItem, Indicator, KeyArea
from networks.models import Network, NetworkMember
from networks.services import network_create
from practices import services as practice_services
from practices.models import Practice
from surveys import services as survey_services
from surveys.models import Rating, Response, Survey
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

# What the demo organisations share: the municipality in the pool, the NGO with its networks.
DEMO_SHARING = {
    "dzintarkrasta-pasvaldiba": Sharing.POOL,
    "biedriba-atvertas-durvis": Sharing.NETWORK,
}
# Organisations without logins that share in the pool, each with one closed round, so that the
# demo organisations' summaries compare them with others: (slug, name, type, city, how often
# an item is met).
DEMO_PEERS = [
    ("lejasmalas-pasvaldiba", "Lejasmalas novada pašvaldība", "local_authority", "Lejasmala", 0.3),
    ("priedaines-pasvaldiba", "Priedaines novada pašvaldība", "local_authority", "Priedaine", 0.45),
    (
        "ezerkrastu-pasvaldiba",
        "Ezerkrastu novada pašvaldība",
        "local_authority",
        "Ezerkrasti",
        0.55,
    ),
    ("kalnavas-pasvaldiba", "Kalnavas novada pašvaldība", "local_authority", "Kalnava", 0.7),
    ("upesciema-pasvaldiba", "Upesciema novada pašvaldība", "local_authority", "Upesciems", 0.85),
    ("biedriba-kopa", "Biedrība “Kopā”", "ngo", "Rīga", 0.35),
    ("nodibinajums-jaunas-majas", "Nodibinājums “Jaunās mājas”", "ngo", "Liepāja", 0.5),
    ("biedriba-tilts", "Biedrība “Tilts”", "ngo", "Daugavpils", 0.65),
    ("biedriba-valodu-draugi", "Biedrība “Valodu draugi”", "ngo", "Valmiera", 0.8),
]
PEER_ROUND = "2025 rudens"
# The demo municipality's integration council: its coordinator coordinates the network, and
# the demo NGO (sharing with its networks) is a member.
DEMO_NETWORK = (
    "Dzintarkrasta novada integrācijas padome",
    "Pašvaldība kopā ar biedrībām, sociālo dienestu un skolām seko, kā virzās bēgļu "
    "iekļaušana novadā, un meklē kopīgās nepilnības.",
)

VALUES = [AnswerValue.YES, AnswerValue.YES, AnswerValue.PARTLY, AnswerValue.NO]
INDIVIDUAL_ROUND = "2025 pavasaris: katrs vispirms"
# The demo municipality's third writing member, so that three people answer on their own.
THIRD_MEMBER = ("socdarbiniece@dzintarkrasts.example", Role.PRACTITIONER)
# The demo survey's texts, as a coordinator types them: one text, shown in every language of
# the survey (the model keeps one, not one per language), so in the organisation's Latvian.
DEMO_SURVEY_CONTACT = "Integrācijas koordinatore, tālr. +371 60 000 000, integracija@example.lv"
DEMO_SURVEY_RESULTS_NOTE = (
    "Rezultātus pārrunāsim atklātā sanāksmē novada domē maijā un kopsavilkumu izliksim pie "
    "ziņojumu dēļa."
)

# Every demo person has a name: the toolkit shows people by name, never by e-mail address.
DEMO_NAMES = {
    "koordinatore@dzintarkrasts.example": "Ilze Kalniņa",
    "praktike@dzintarkrasts.example": "Marta Ozoliņa",
    "skatitajs@dzintarkrasts.example": "Jānis Bērziņš",
    "socdarbiniece@dzintarkrasts.example": "Dace Vītola",
    "koordinators@atvertasdurvis.example": "Andris Liepiņš",
    "praktikis@atvertasdurvis.example": "Roberts Kalējs",
    "skatitaja@atvertasdurvis.example": "Laura Zariņa",
}
# The demo editor: staff in the editors' group, with a fixed authenticator secret (hex; printed
# in base32 for an authenticator app) so that `make run` can be tried with a second factor.
DEMO_EDITOR = ("redaktore@toolkit.example", "Demo-Red-2026", "Agnese Liepa")
DEMO_EDITOR_TOTP_KEY = "3132333435363738393031323334353637383930"
DEMO_SUBMITTED_PRACTICE = "Valodas kafejnīca jaunpienācējiem"
REASONS = [
    "Pakalpojums ir, bet ne visos pagastos; vienojāmies par “daļēji”.",
    "Sociālā dienesta pieredze pārliecināja pārējos.",
    "Neviens neatrada pierādījumus, ka tas notiek regulāri.",
]


def _peer_value(rng: random.Random, met: float) -> str:
    """A demo peer's answer: Yes with probability `met`, else Partly or No, now and then not
    applicable."""
    draw = rng.random()
    if draw < met:
        return AnswerValue.YES
    if draw > 0.97:
        return AnswerValue.NOT_APPLICABLE
    return AnswerValue.PARTLY if rng.random() < 0.6 else AnswerValue.NO


def _demo_user(email: str, password: str | None):
    """The demo account of `email`, created with its name (or given it, if it has none)."""
    user = get_user_model().objects.filter(username=email).first()
    if user is None:
        return get_user_model().objects.create_user(
            email, email, password, first_name=DEMO_NAMES[email]
        )
    if not user.first_name:
        user.first_name = DEMO_NAMES[email]
        user.save(update_fields=["first_name"])
    return user


class Command(BaseCommand):
    help = (
        "Create two demo organisations (a municipality and an NGO), each with a coordinator, a "
        "practitioner and a viewer, and answers in two rounds; both share their figures, and "
        "nine organisations without logins share in the pool with a closed round each (so the "
        "summaries compare); the municipality's coordinator coordinates a network with the NGO "
        "as a member. Running it again changes nothing. "
        "Prints one line per login: 'login: <username> <password> <organisation-slug> <role>', "
        "the demo editor's as 'login: <email> <password> - editor' and its authenticator secret "
        "as 'totp: <email> <base32 secret>'."
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
            self._individual_round(DEMO_ORGANISATIONS[0])
            survey = self._surveys(DEMO_ORGANISATIONS[0]["slug"])
        self.stdout.write(f"survey: {survey.public_path('lv')}")
        with transaction.atomic():
            self._sharing()
            self._peers()
            self._network()
        with transaction.atomic():
            editor, device = self._editor()
            self._submitted_practice(DEMO_ORGANISATIONS[1])
        self.stdout.write(f"login: {editor.username} {DEMO_EDITOR[1]} - editor")
        self.stdout.write(f"totp: {editor.username} {two_factor.secret_of(device)}")

    def _sharing(self):
        """The demo organisations share, unless someone has chosen otherwise since."""
        for spec in DEMO_ORGANISATIONS:
            organisation = Organisation.objects.get(slug=spec["slug"])
            if organisation.sharing_changed_at is None:
                coordinator = get_user_model().objects.get(username=spec["people"][0][0])
                organisation_sharing_set(
                    organisation=organisation, sharing=DEMO_SHARING[spec["slug"]], user=coordinator
                )

    def _peers(self):
        """Organisations of both types sharing in the pool, each with a closed round of its own
        answers (met more or less often), made once; their figures are snapshotted as the rounds
        close."""
        existing = set(
            Organisation.objects.filter(slug__in=[p[0] for p in DEMO_PEERS]).values_list(
                "slug", flat=True
            )
        )
        items = list(ChecklistItem.objects.current().select_related("checklist"))
        for slug, name, org_type, city, met in DEMO_PEERS:
            if slug in existing:
                continue
            organisation = Organisation.objects.create(
                slug=slug, name=name, org_type=org_type, city=city, country="LV"
            )
            organisation.sharing = Sharing.POOL
            organisation.sharing_changed_at = timezone.now()
            organisation.save(update_fields=["sharing", "sharing_changed_at"])
            round_ = Round.objects.create(organisation=organisation, name=PEER_ROUND)
            rng = random.Random(slug)
            Answer.objects.bulk_create(
                Answer(round=round_, item=item, value=_peer_value(rng, met), version=1)
                for item in items
                if item.checklist.audience in ("all", org_type)
            )
            services.round_close(round=round_, user=None)

    def _network(self):
        """The integration council, made once: coordinated by the municipality's coordinator,
        with the NGO as a member (if it has left since, it stays out)."""
        name, description = DEMO_NETWORK
        if Network.objects.filter(name=name).exists():
            return
        municipality, ngo = DEMO_ORGANISATIONS
        coordinator = get_user_model().objects.get(username=municipality["people"][0][0])
        network = network_create(user=coordinator, name=name, description=description)
        NetworkMember.objects.create(
            network=network,
            organisation=Organisation.objects.get(slug=ngo["slug"]),
            joined_by=get_user_model().objects.get(username=ngo["people"][0][0]),
        )

    def _editor(self):
        """The demo editor, with a confirmed authenticator of a known secret (the demo only)."""
        email, password, name = DEMO_EDITOR
        editor = get_user_model().objects.filter(username=email).first()
        if editor is None:
            editor = get_user_model().objects.create_user(email, email, password, first_name=name)
        editor_grant(user=editor)
        device = TOTPDevice.objects.filter(user=editor, key=DEMO_EDITOR_TOTP_KEY).first()
        if device is None:
            device = two_factor.authenticator_create(
                user=editor, key=DEMO_EDITOR_TOTP_KEY, confirmed=True
            )
        return editor, device

    def _submitted_practice(self, spec):
        """A fully rated practice of the demo NGO, submitted to the library: the demo editor's
        work waiting for publication."""
        organisation = Organisation.objects.get(slug=spec["slug"])
        practices = Practice.objects.filter(organisation=organisation)
        if practices.filter(name=DEMO_SUBMITTED_PRACTICE).exists():
            return
        coordinator = get_user_model().objects.get(username=spec["people"][0][0])
        practice = practice_services.practice_create(
            organisation=organisation,
            user=coordinator,
            name=DEMO_SUBMITTED_PRACTICE,
            description=(
                "Reizi nedēļā brīvprātīgie un jaunpienācēji tiekas kafejnīcā, lai runātu "
                "latviski par ikdienas tēmām; pēc tam kopā apmeklē kādu vietējo pasākumu."
            ),
            key_areas=KeyArea.objects.current().filter(number__in=[3, 4]),
        )
        changes = [
            practice_services.RatingChange(indicator, "3", "Dalībnieku aptauja, 2025.", 0)
            for indicator in Indicator.objects.current()
        ]
        practice_services.ratings_set(practice=practice, changes=changes, user=coordinator)
        practice_services.submission_create(practice=practice, user=coordinator)

    def _organisation(self, spec):
        # Accounts first: a demo seeded before names existed gets them on the next run.
        users = [_demo_user(email, password) for email, password, _role in spec["people"]]
        if Organisation.objects.filter(slug=spec["slug"]).exists():
            return
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
            answer.value, answer.version, answer.carried_over = AnswerValue.YES, 2, False
            answer.updated_at = timezone.now()
            answer.comment = "Uzlabots pēc rudens novērtējuma."
            answer.save()
        # The team has confirmed the other carried-over answers of the first four key areas;
        # those of 5.5 still wait ("carried over — please confirm").
        spring.answers.filter(carried_over=True, item__checklist__key_area__number__lt=5).update(
            carried_over=False, version=2, updated_by=practitioner, updated_at=timezone.now()
        )
        # Leave the last key area for the practitioners to finish.
        spring.answers.filter(item__checklist__key_area__number=6).delete()
        # Who answers what: the coordinator the first three key areas, the practitioner the rest.
        assignments.assignments_set(
            round=spring,
            chosen={
                area.pk: {coordinator.pk if area.number <= 3 else practitioner.pk}
                for area in KeyArea.objects.current()
            },
            user=coordinator,
        )

    def _surveys(self, slug) -> Survey:
        """The municipality's participant surveys: the closed round's with enough responses to
        show results and free texts, the open round's with a few (below the threshold). Returns
        the open one."""
        organisation = Organisation.objects.get(slug=slug)
        coordinator = organisation.memberships.filter(role=Role.COORDINATOR).first().user
        rounds = Round.objects.filter(organisation=organisation)
        closed = rounds.filter(status=RoundStatus.CLOSED).order_by("-created_at").first()
        open_ = rounds.filter(status=RoundStatus.OPEN).order_by("-created_at").first()
        rng = random.Random(slug)
        # Every other response has a free text: twice the minimum shows them in the closed round.
        for round_, count in ((closed, 2 * settings.SURVEY_MIN_FREE_TEXTS), (open_, 3)):
            if Survey.objects.filter(round=round_).exists():
                continue
            survey = survey_services.survey_create(
                round=round_,
                key_areas=[area.key for area in KeyArea.objects.current()],
                languages=[code for code, _name, _direction in settings.SURVEY_LANGUAGES],
                user=coordinator,
                contact=DEMO_SURVEY_CONTACT,
                results_note=DEMO_SURVEY_RESULTS_NOTE,
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
        # History, written as a submission keeps it: response_submit refuses the survey of a
        # closed round, and the demo's closed round is closed already.
        for index in range(count):
            response = Response.objects.create(
                survey=survey,
                age_band=rng.choice(["", "18-29", "30-44", "45-64"]),
                gender=("woman", "man", "")[index % 3],
                free_text=texts[index % len(texts)],
            )
            Rating.objects.bulk_create(
                Rating(response=response, question=q, value=rng.choice([1, 2, 3, 4, 4, 5, 0]))
                for q in statements
            )

    def _individual_round(self, spec):
        """A closed round of the "each first, then agree" kind for the demo municipality: three
        members' own answers (disagreeing on some items), the comparison open, agreed answers
        with reasons. Created once, dated before the other rounds so they stay the latest."""
        organisation = Organisation.objects.get(slug=spec["slug"])
        email, role = THIRD_MEMBER
        third = _demo_user(email, None)  # no password: no login
        if organisation.rounds.filter(name=INDIVIDUAL_ROUND).exists():
            return
        coordinator = get_user_model().objects.get(username=spec["people"][0][0])
        practitioner = get_user_model().objects.get(username=spec["people"][1][0])
        Membership.objects.get_or_create(
            user=third, organisation=organisation, defaults={"role": role}
        )
        earliest = organisation.rounds.order_by("created_at").first()
        round_ = services.round_start(
            organisation=organisation,
            name=INDIVIDUAL_ROUND,
            user=coordinator,
            mode=RoundMode.INDIVIDUAL,
        )
        if earliest is not None:
            round_.created_at = earliest.created_at - timedelta(days=180)
            round_.save(update_fields=["created_at"])
        rng = random.Random(f"{spec['slug']}-individual")
        items = [
            item
            for item in ChecklistItem.objects.current().select_related("checklist")
            if item.checklist.audience in ("all", spec["org_type"])
        ]
        # Written as the services would (version 1, by their author), in one statement each:
        # the demo's history, not writes to check (`individual_answer_set`, `answer_agree`).
        people = [coordinator, practitioner, third]
        individual, answers, now = [], [], timezone.now()
        for n, item in enumerate(items):
            shared = rng.choice(VALUES)
            values = []
            for person in people:
                value = rng.choice(VALUES) if rng.random() < 0.25 else shared
                values.append(value)
                comment = "Mans skatījums atšķiras." if value != shared else ""
                individual.append(
                    IndividualAnswer(
                        round=round_,
                        item=item,
                        user=person,
                        value=value,
                        comment=comment,
                        version=1,
                        updated_by=person,
                        updated_at=now,
                    )
                )
            agreed = max(set(values), key=lambda v: (values.count(v), v))
            answers.append(
                Answer(
                    round=round_,
                    item=item,
                    value=agreed,
                    comment="",
                    reason=REASONS[n % len(REASONS)] if len(set(values)) > 1 else "",
                    version=1,
                    updated_by=coordinator if n % 2 else practitioner,
                )
            )
        IndividualAnswer.objects.bulk_create(individual)
        services.comparison_open(round=round_, user=coordinator)
        for answer in answers:
            answer.updated_at = timezone.now()
        Answer.objects.bulk_create(answers)
        services.round_close(round=round_, user=coordinator)
