import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments import services
from assessments.models import Answer, Invitation, Membership, Role, RoundEvent, RoundStatus
from content.models import ChecklistItem, KeyArea
from tests.assessments.conftest import make_user

pytestmark = pytest.mark.django_db


def item(key="ka1.c1.i01"):
    return ChecklistItem.objects.get(key=key)


def test_creator_of_an_organisation_becomes_its_coordinator():
    user = make_user("new@example.org")
    organisation = services.organisation_create(
        user=user,
        name="Liepājas pašvaldība",
        org_type="local_authority",
        city="Liepāja",
        country="LV",
    )
    assert organisation.slug == "liepajas-pasvaldiba"
    assert Membership.objects.get(user=user, organisation=organisation).role == Role.COORDINATOR


def test_the_last_coordinator_can_neither_be_demoted_nor_removed(org):
    coordinator = Membership.objects.get(user=org.people["coordinator"])
    with pytest.raises(ValidationError):
        services.membership_set_role(membership=coordinator, role=Role.VIEWER)
    with pytest.raises(ValidationError):
        services.membership_remove(membership=coordinator)
    practitioner = Membership.objects.get(user=org.people["practitioner"])
    services.membership_set_role(membership=practitioner, role=Role.COORDINATOR)
    services.membership_set_role(membership=coordinator, role=Role.VIEWER)
    assert Membership.objects.get(pk=coordinator.pk).role == Role.VIEWER


def test_invitation_is_single_use_and_for_its_address(org):
    invitation = services.invitation_create(
        organisation=org,
        email="New@Riga.example",
        role=Role.PRACTITIONER,
        invited_by=org.people["coordinator"],
    )
    stranger = make_user("someone-else@example.org")
    with pytest.raises(ValidationError, match="citu e-pasta adresi"):
        services.invitation_accept(token=invitation.token, user=stranger)
    invitee = make_user("new@riga.example")
    membership = services.invitation_accept(token=invitation.token, user=invitee)
    assert membership.role == Role.PRACTITIONER and membership.organisation == org
    with pytest.raises(ValidationError, match="jau ir izmantots"):
        services.invitation_accept(token=invitation.token, user=invitee)


def test_expired_invitation_is_refused(org):
    invitation = services.invitation_create(
        organisation=org,
        email="late@riga.example",
        role=Role.VIEWER,
        invited_by=org.people["coordinator"],
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    with pytest.raises(ValidationError):
        services.invitation_accept(token=invitation.token, user=make_user("late@riga.example"))
    assert not Membership.objects.filter(user__email="late@riga.example").exists()


def test_inviting_an_existing_member_is_refused(org):
    with pytest.raises(ValidationError):
        services.invitation_create(
            organisation=org,
            email="viewer@riga.example",
            role=Role.VIEWER,
            invited_by=org.people["coordinator"],
        )


def test_answer_records_who_and_when_and_bumps_the_version(org):
    saved = services.answer_set(
        round=org.round,
        item=item(),
        value="yes",
        comment=" ok ",
        expected_version=0,
        user=org.people["practitioner"],
    )
    assert saved.conflict is None and saved.written
    answer = saved.record
    assert (answer.value, answer.comment, answer.version) == ("yes", "ok", 1)
    assert answer.updated_by == org.people["practitioner"]


def test_a_stale_save_is_a_conflict_and_overwrites_nothing(org):
    services.answer_set(
        round=org.round,
        item=item(),
        value="yes",
        comment="first",
        expected_version=0,
        user=org.people["practitioner"],
    )
    saved = services.answer_set(
        round=org.round,
        item=item(),
        value="no",
        comment="second",
        expected_version=0,
        user=org.people["coordinator"],
    )
    assert saved.conflict is not None and not saved.written
    stored = Answer.objects.get(round=org.round, item=item())
    assert (stored.value, stored.comment, stored.version) == ("yes", "first", 1)


@pytest.mark.parametrize("value", ["maybe", "YES", "1", "<script>"])
def test_values_outside_the_four_answers_are_refused(org, value):
    with pytest.raises(ValidationError):
        services.answer_set(
            round=org.round,
            item=item(),
            value=value,
            comment="",
            expected_version=0,
            user=org.people["practitioner"],
        )
    assert not Answer.objects.exists()


def test_notes_over_the_limit_are_refused(org):
    area = KeyArea.objects.get(key="ka1")
    with pytest.raises(ValidationError):
        services.note_set(
            round=org.round,
            key_area=area,
            text="x" * 20_001,
            expected_version=0,
            user=org.people["practitioner"],
        )


def test_closed_round_cannot_change_and_reopen_is_recorded(org):
    services.round_close(round=org.round, user=org.people["coordinator"])
    with pytest.raises(services.RoundClosedError):
        services.answer_set(
            round=org.round,
            item=item(),
            value="yes",
            comment="",
            expected_version=0,
            user=org.people["practitioner"],
        )
    reopened = services.round_reopen(round=org.round, user=org.people["coordinator"])
    assert reopened.status == RoundStatus.OPEN
    kinds = list(org.round.events.values_list("kind", flat=True))
    assert kinds == [RoundEvent.Kind.STARTED, RoundEvent.Kind.CLOSED, RoundEvent.Kind.REOPENED]


def test_new_round_can_start_from_the_previous_answers(org):
    services.answer_set(
        round=org.round,
        item=item(),
        value="partly",
        comment="half way",
        expected_version=0,
        user=org.people["practitioner"],
    )
    copy = services.round_start(
        organisation=org, name="2026 autumn", user=org.people["coordinator"], copy_from=org.round
    )
    copied = Answer.objects.get(round=copy, item=item())
    assert (copied.value, copied.comment) == ("partly", "half way")


def test_a_round_of_another_organisation_cannot_be_copied(org, other_org):
    with pytest.raises(ValidationError):
        services.round_start(
            organisation=org, name="x", user=org.people["coordinator"], copy_from=other_org.round
        )
