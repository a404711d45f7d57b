"""The site's URLs plus reference views served through the same stack."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import F
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
    """The least a logged-in save can do: session, user, CSRF check, one UPDATE committed."""
    organisation = Membership.objects.filter(user=request.user).values("organisation_id")
    with transaction.atomic():
        Round.objects.filter(organisation__in=organisation).update(revision=F("revision") + 1)
    return HttpResponse("ok")


urlpatterns = [
    path("bench/ok", baseline),
    path("bench/write/<str:key>/", write_floor),
    *site_urlpatterns,
]
