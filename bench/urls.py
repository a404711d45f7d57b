"""The site's URLs plus reference views served through the same stack."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from assessments.models import Membership, Round
from toolkit_site.urls import urlpatterns as site_urlpatterns


def baseline(request):
    return HttpResponse("ok")


@require_POST
@login_required
def write_floor(request, key):
    """A minimal write through Django's login check: session, user, CSRF check, and one UPDATE
    of the member's rounds, written out in SQL and committed on its own. (The HTMX saves
    confirm the session's user in their own statement instead, so they skip the user query.)"""
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{Round._meta.db_table}" SET revision = revision + 1 WHERE organisation_id '
            f'IN (SELECT organisation_id FROM "{Membership._meta.db_table}" WHERE user_id = %s)',
            [request.user.pk],
        )
    return HttpResponse("ok")


urlpatterns = [
    path("bench/ok", baseline),
    path("bench/write/<str:key>/", write_floor),
    *site_urlpatterns,
]
