"""Two requests at once on PostgreSQL: one clear winner, the other told, nothing half-written."""

import threading

import pytest
from django.db import close_old_connections

from assessments import services
from assessments.models import Answer, Note, RoundStatus
from content.models import ChecklistItem, KeyArea
from tests.conftest import postgres_only

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def run_together(*calls):
    """Start the calls at the same moment in their own threads (own connections)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def runner(index, call):
        try:
            barrier.wait()
            results[index] = ("ok", call())
        except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
            results[index] = ("error", error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=runner, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def answer_set(round_, item, value, comment, version, user):
    return services.answer_set(
        round=round_, item=item, value=value, comment=comment, expected_version=version, user=user
    )


both_saves = pytest.mark.parametrize("save", [answer_set])


@pytest.fixture
def setup(toolkit, django_user_model):
    from assessments.models import Membership
    from tests.assessments.conftest import make_org, make_user

    organisation = make_org("ogre")
    users = [make_user(f"u{i}@ogre.example") for i in range(2)]
    for user in users:
        Membership.objects.create(user=user, organisation=organisation, role="practitioner")
    round_ = services.round_start(organisation=organisation, name="R", user=users[0])
    return round_, users


@both_saves
def test_two_first_answers_to_the_same_item_have_one_winner(setup, save):
    round_, (alice, bob) = setup
    item = ChecklistItem.objects.get(key="ka2.c1.i01")
    results = run_together(
        lambda: save(round_, item, "yes", "Alice", 0, alice),
        lambda: save(round_, item, "no", "Bob", 0, bob),
    )
    assert all(kind == "ok" for kind, _ in results)
    conflicts = [outcome.conflict for _, outcome in results]
    assert sorted(c is None for c in conflicts) == [False, True]  # one saved, one told
    stored = Answer.objects.get(round=round_, item=item)
    assert (stored.value, stored.comment) in {("yes", "Alice"), ("no", "Bob")}
    assert stored.version == 1


@both_saves
def test_two_changes_of_the_same_answer_from_one_version_have_one_winner(setup, save):
    round_, (alice, bob) = setup
    item = ChecklistItem.objects.get(key="ka2.c1.i02")
    services.answer_set(
        round=round_, item=item, value="partly", comment="", expected_version=0, user=alice
    )
    for attempt in range(5):
        version = Answer.objects.get(round=round_, item=item).version
        results = run_together(
            *(
                lambda user=user, value=value, version=version: save(
                    round_, item, value, user.email, version, user
                )
                for user, value in ((alice, "yes"), (bob, "no"))
            )
        )
        assert all(kind == "ok" for kind, _ in results), results
        conflicts = [outcome.conflict for _, outcome in results]
        assert sorted(c is None for c in conflicts) == [False, True], attempt
        stored = Answer.objects.get(round=round_, item=item)
        assert stored.version == version + 1
        winner = next(outcome.record for _, outcome in results if outcome.conflict is None)
        assert (stored.value, stored.comment) == (winner.value, winner.comment)
        loser = next(outcome.conflict for _, outcome in results if outcome.conflict is not None)
        assert loser.current.version == version + 1  # told what is stored now


def test_two_saves_of_the_same_note_have_one_winner(setup):
    round_, (alice, bob) = setup
    area = KeyArea.objects.get(number=3)
    results = run_together(
        lambda: services.note_set(
            round=round_, key_area=area, text="A" * 5000, expected_version=0, user=alice
        ),
        lambda: services.note_set(
            round=round_, key_area=area, text="B" * 5000, expected_version=0, user=bob
        ),
    )
    conflicts = [outcome.conflict for _, outcome in results]
    assert sorted(c is None for c in conflicts) == [False, True]
    note = Note.objects.get(round=round_, key_area=area)
    assert note.text in {"A" * 5000, "B" * 5000}  # whole, never mixed
    assert note.version == 1


@both_saves
def test_closing_and_saving_at_once_never_changes_a_closed_round(setup, save):
    round_, (alice, bob) = setup
    item = ChecklistItem.objects.get(key="ka5.c1.i01")
    for attempt in range(5):
        stored = Answer.objects.filter(round=round_, item=item).first()
        # From the stored version, alternately "partly" and "no": a save that wins is a change.
        change = (("partly", "no")[attempt % 2], stored.version if stored else 0)
        results = run_together(
            lambda: services.round_close(round=round_, user=alice),
            lambda change=change: save(round_, item, change[0], "", change[1], bob),
        )
        save_kind, save_outcome = results[1]
        round_.refresh_from_db()
        assert round_.status == RoundStatus.CLOSED
        if save_kind == "error":
            assert isinstance(save_outcome, services.RoundClosedError)
            # The close won: no answer was written after it.
            answer = Answer.objects.filter(round=round_, item=item).first()
            assert answer is None or answer.updated_at <= round_.closed_at
        else:
            # The save won the lock and finished before the close.
            assert save_outcome.conflict is None  # saved, not a conflict
            assert Answer.objects.get(round=round_, item=item).updated_at <= round_.closed_at
        services.round_reopen(round=round_, user=alice)
        round_.refresh_from_db()  # the next save starts from an open round, as a request would


@pytest.fixture
def individual_round(setup):
    """The organisation's round of the "each first, then agree" kind."""
    round_, users = setup
    individual = services.round_start(
        organisation=round_.organisation, name="Each first", user=users[0], mode="individual"
    )
    return individual, users


def test_two_first_saves_of_my_own_answer_in_two_tabs_have_one_winner(individual_round):
    from assessments.models import IndividualAnswer

    round_, (alice, _bob) = individual_round
    item = ChecklistItem.objects.get(key="ka2.c1.i03")

    def save(value):
        return lambda: services.individual_answer_set(
            round=round_, item=item, value=value, comment="", expected_version=0, user=alice
        )

    results = run_together(save("yes"), save("no"))
    assert all(kind == "ok" for kind, _ in results)
    conflicts = [outcome.conflict for _, outcome in results]
    assert sorted(c is None for c in conflicts) == [False, True]
    stored = IndividualAnswer.objects.get(round=round_, item=item, user=alice)
    assert stored.version == 1 and stored.value in {"yes", "no"}


def test_two_agreed_answers_from_the_same_version_have_one_winner(individual_round):
    round_, (alice, bob) = individual_round
    item = ChecklistItem.objects.get(key="ka2.c1.i04")
    services.comparison_open(round=round_, user=alice)

    def agree(value, reason, user):
        return lambda: services.answer_agree(
            round=round_, item=item, value=value, reason=reason, expected_version=0, user=user
        )

    results = run_together(agree("yes", "Alice's reason", alice), agree("no", "Bob's", bob))
    assert all(kind == "ok" for kind, _ in results)
    conflicts = [outcome.conflict for _, outcome in results]
    assert sorted(c is None for c in conflicts) == [False, True]
    stored = Answer.objects.get(round=round_, item=item)
    assert (stored.value, stored.reason) in {("yes", "Alice's reason"), ("no", "Bob's")}
    assert stored.version == 1


def test_opening_the_comparison_and_answering_at_once_never_changes_a_compared_answer(
    individual_round,
):
    from assessments.models import IndividualAnswer

    round_, (alice, bob) = individual_round
    item = ChecklistItem.objects.get(key="ka2.c1.i05")
    results = run_together(
        lambda: services.comparison_open(round=round_, user=alice),
        lambda: services.individual_answer_set(
            round=round_, item=item, value="yes", comment="", expected_version=0, user=bob
        ),
    )
    round_.refresh_from_db()
    assert round_.comparison_opened_at is not None
    stored = IndividualAnswer.objects.filter(round=round_, item=item, user=bob).first()
    if results[1][0] == "error":  # the save came second: refused, nothing written
        assert isinstance(results[1][1], services.AnsweringPhaseError)
        assert stored is None
    else:  # the save came first: it was written before the comparison opened
        assert stored.updated_at <= round_.comparison_opened_at
