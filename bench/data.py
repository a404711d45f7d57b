"""Data for the benchmarks: a complete round, its members, and (for scale) many organisations."""

import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from assessments import services
from assessments.models import Action, Answer, Membership, Note, Organisation, Role, Round
from content.models import ChecklistItem, KeyArea

VALUES = ["yes", "yes", "partly", "no", "na"]
PASSWORD = "bench-Password-2026"


@transaction.atomic
def complete_organisation(slug="bench-org", rounds=2, rng=None):
    """An organisation whose rounds are fully answered, with comments, notes and actions."""
    rng = rng or random.Random(slug)
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation:
        return organisation
    organisation = Organisation.objects.create(
        slug=slug,
        name=f"Benchmarka pašvaldība {slug}",
        org_type="local_authority",
        city="Rīga",
        country="LV",
    )
    user_model = get_user_model()
    coordinator = user_model.objects.create_user(
        f"{slug}@bench.example", f"{slug}@bench.example", PASSWORD
    )
    Membership.objects.create(user=coordinator, organisation=organisation, role=Role.COORDINATOR)
    items = list(ChecklistItem.objects.current())
    areas = list(KeyArea.objects.current())
    now = timezone.now()
    for number in range(rounds):
        round_ = Round.objects.create(
            organisation=organisation,
            name=f"Kārta {number + 1}",
            created_by=coordinator,
            created_at=now - timezone.timedelta(days=30 * (rounds - number)),
        )
        Answer.objects.bulk_create(
            Answer(
                round=round_,
                item=item,
                value=rng.choice(VALUES),
                version=1,
                comment="Komentārs ar garumzīmēm: ā, č, ē, ģ, ī, ķ, ļ, ņ, š, ū, ž.",
                updated_by=coordinator,
            )
            for item in items
        )
        Note.objects.bulk_create(
            Note(
                round=round_,
                key_area=area,
                version=1,
                updated_by=coordinator,
                text="Piezīmes par šo jomu. " * 20,
            )
            for area in areas
        )
        Action.objects.bulk_create(
            Action(
                round=round_,
                item=item,
                title="Pasākums nepilnības novēršanai",
                owner=coordinator,
                created_by=coordinator,
            )
            for item in items[:10]
        )
        if number < rounds - 1:
            services.round_close(round=round_, user=coordinator)
    return organisation


@transaction.atomic
def rated_practice(organisation, rng=None):
    """A practice of the organisation with every indicator rated, with evidence."""
    from content.models import Indicator
    from practices import services as practice_services
    from practices.models import Practice, Rating

    practice = Practice.objects.filter(organisation=organisation).first()
    if practice:
        return practice
    rng = rng or random.Random(organisation.slug)
    coordinator = organisation.memberships.first().user
    practice = practice_services.practice_create(
        organisation=organisation,
        user=coordinator,
        name="Valodas kafejnīca jauniešiem",
        description="Sarunu vakari latviešu valodā katru otrdienu.",
        key_areas=list(KeyArea.objects.current().filter(number__in=[2, 4])),
    )
    Rating.objects.bulk_create(
        Rating(
            practice=practice,
            indicator=indicator,
            value=rng.choice(["3", "2", "2", "1", "na"]),
            evidence="Pierādījumi: apmeklējuma saraksti un dalībnieku atsauksmes.",
            version=1,
            updated_by=coordinator,
        )
        for indicator in Indicator.objects.current()
    )
    return practice


def open_round(organisation):
    """The organisation's latest round, reopened if it was closed."""
    round_ = organisation.rounds.order_by("-created_at").first()
    if not round_.is_open:
        services.round_reopen(round=round_, user=organisation.memberships.first().user)
    return round_


def members(organisation, role, count):
    """The e-mail addresses of `count` members of the organisation with `role` ("coordinator",
    "practitioner"), created on first use; all have the password PASSWORD."""
    user_model = get_user_model()
    emails = []
    for number in range(count):
        email = f"{role}-{number}@{organisation.slug}.bench.example"
        user = user_model.objects.filter(username=email).first()
        if user is None:
            user = user_model.objects.create_user(email, email, PASSWORD)
        Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": Role(role)}
        )
        emails.append(email)
    return emails


def item_keys(area_number):
    """The keys of a key area's checklist items."""
    return list(
        ChecklistItem.objects.current()
        .filter(checklist__key_area__number=area_number)
        .order_by("key")
        .values_list("key", flat=True)
    )


def answers(round_):
    """The round's stored answers: {item key: (value, version)}."""
    return {
        key: (value, version)
        for key, value, version in Answer.objects.filter(round=round_).values_list(
            "item__key", "value", "version"
        )
    }
