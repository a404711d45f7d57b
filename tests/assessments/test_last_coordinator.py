"""Finding 4: two coordinators demoting or removing each other at the same moment."""

from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from assessments import services
from assessments.models import Membership, Role
from tests.assessments.conftest import make_org, make_user
from tests.assessments.test_concurrency import run_together
from tests.conftest import postgres_only

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

ROUNDS = 10


def demote(membership):
    with translation.override("en"):
        return services.membership_set_role(membership=membership, role=Role.PRACTITIONER)


def remove(membership):
    with translation.override("en"):
        return services.membership_remove(membership=membership)


@pytest.mark.parametrize(
    ("first", "second"), [(demote, demote), (remove, remove), (demote, remove)]
)
def test_two_coordinators_acting_on_each_other_leave_one_coordinator(first, second):
    """Finding 4 (last coordinator): the coordinator rows are locked before they are counted,
    so of two coordinators demoting or removing each other at once, one wins and the other is
    told; never is the organisation left without a coordinator."""
    for n in range(ROUNDS):
        organisation = make_org(f"pair-{n}")
        alice, bob = (
            Membership.objects.create(
                user=make_user(f"{name}{n}@pair.example"),
                organisation=organisation,
                role=Role.COORDINATOR,
            )
            for name in ("alice", "bob")
        )
        results = run_together(partial(first, bob), partial(second, alice))
        coordinators = Membership.objects.filter(
            organisation=organisation, role=Role.COORDINATOR
        ).count()
        assert coordinators == 1, (n, results)
        errors = [outcome for kind, outcome in results if kind == "error"]
        assert len(errors) == 1, (n, results)
        assert isinstance(errors[0], ValidationError)
        assert errors[0].messages == ["An organisation needs at least one coordinator."]
