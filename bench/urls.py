"""The site's URLs plus a reference view served through the same stack (bench/scale.py)."""

from django.http import HttpResponse
from django.urls import path

from toolkit_site.urls import urlpatterns as site_urlpatterns


def baseline(request):
    return HttpResponse("ok")


urlpatterns = [
    path("bench/ok", baseline),
    *site_urlpatterns,
]
