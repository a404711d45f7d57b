"""On PostgreSQL, a statement the app runs again and again is prepared once per connection."""

import pytest
from django.db import connection

from assessments import selectors
from assessments.models import Membership, Organisation, Round
from tests.conftest import postgres_only

pytestmark = [postgres_only, pytest.mark.django_db]


def _prepared():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_the_round_pages_membership_statement_is_prepared_once_it_repeats(django_user_model):
    user = django_user_model.objects.create_user("p@example.org", "p@example.org", "x" * 12)
    organisation = Organisation.objects.create(name="Org", slug="org", org_type="ngo")
    Membership.objects.create(organisation=organisation, user=user, role="coordinator")
    round_ = Round.objects.create(organisation=organisation, name="2026")

    def is_prepared():
        return any('FROM "assessments_round" r' in s for s in _prepared())

    selectors.membership_and_round(user, "org", round_.pk)
    assert not is_prepared()  # a statement run once is not kept on the server
    for _ in range(9):
        selectors.membership_and_round(user, "org", round_.pk)
    assert is_prepared()
    membership, found = selectors.membership_and_round(user, "org", round_.pk)
    assert (membership.role, found.pk) == ("coordinator", round_.pk)
