"""Finding 5: an invitation revoked or replaced while it is being accepted."""

import pytest
from django.core.exceptions import ValidationError

from assessments import services
from assessments.models import Invitation, Membership, Role
from tests.assessments.conftest import make_org, make_user
from tests.assessments.test_concurrency import run_together
from tests.conftest import postgres_only

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def test_revoking_while_accepting_has_one_outcome():
    """Finding 5: acceptance locks the invitation and checks it is still live, so a revoke
    at the same moment either comes first (no member) or is told it was already used."""
    for n in range(10):
        organisation = make_org(f"race-{n}")
        coordinator = make_user(f"coordinator{n}@race.example")
        Membership.objects.create(
            user=coordinator, organisation=organisation, role=Role.COORDINATOR
        )
        invitation = services.invitation_create(
            organisation=organisation,
            email=f"new{n}@race.example",
            role=Role.VIEWER,
            invited_by=coordinator,
        )
        invitee = make_user(invitation.email)
        results = run_together(
            lambda: services.invitation_accept(token=invitation.token, user=invitee),  # noqa: B023
            lambda: services.invitation_revoke(invitation=invitation, user=coordinator),  # noqa: B023
        )
        kinds = [kind for kind, _ in results]
        assert sorted(kinds) == ["error", "ok"], results
        assert all(isinstance(v, ValidationError) for k, v in results if k == "error")
        stored = Invitation.objects.get(pk=invitation.pk)
        joined = Membership.objects.filter(organisation=organisation, user=invitee).exists()
        assert (stored.accepted_at is not None) == joined != (stored.revoked_at is not None)
