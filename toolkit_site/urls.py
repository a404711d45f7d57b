from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, register_converter

from assessments.views.organisations import assessment_start
from core.healthz import healthz
from practices.views import scoring_start
from surveys import views as survey_views
from surveys.converters import SurveyLanguageConverter

register_converter(SurveyLanguageConverter, "survey_lang")


def favicon(request):
    """Where browsers and feed readers look for an icon without reading the page."""
    return redirect(static("img/favicon.ico"), permanent=True)


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    # The participant survey speaks more languages than the site (SURVEY_LANGUAGES): its pages
    # are matched before i18n_patterns, and the view activates the language of the path. The
    # link without a language sends the visitor on to the one their phone asks for.
    path("survey/<str:token>/", survey_views.survey_entry, name="survey_entry"),
    path(
        "<survey_lang:survey_lang>/survey/<str:token>/",
        survey_views.survey_page,
        name="survey_page",
    ),
    path(
        "<survey_lang:survey_lang>/survey/<str:token>/thanks/",
        survey_views.survey_thanks,
        name="survey_thanks",
    ),
    path(
        "<survey_lang:survey_lang>/survey/<str:token>/privacy/",
        survey_views.survey_privacy,
        name="survey_privacy",
    ),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    # Where the public pages' calls to action lead, whoever follows them (signed up or not).
    path("start/", assessment_start, name="assessment_start"),
    path("start/scoring/", scoring_start, name="scoring_start"),
    # The public reading pages first: most requests are theirs, and a request tries the
    # patterns in order (no pattern of one app matches another's paths).
    path("", include("content.urls")),
    path("", include("practices.urls")),
    path("", include("peers.urls")),
    path("", include("accounts.urls")),
    path("", include("assessments.urls")),
    path("", include("reporting.urls")),
    path("", include("surveys.urls")),
    path("", include("networks.urls")),
    prefix_default_language=True,
)
