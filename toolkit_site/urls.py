from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from assessments.forms import LoginForm, PasswordChangeForm, SetPasswordForm
from assessments.views import assessment_start, password_reset, profile, signup
from practices.views import scoring_start
from surveys import views as survey_views
from surveys.converters import SurveyLanguageConverter

from .healthz import healthz

register_converter(SurveyLanguageConverter, "survey_lang")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The participant survey speaks more languages than the site (SURVEY_LANGUAGES): its pages
    # are matched before i18n_patterns, and the view activates the language of the path.
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
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/signup/", signup, name="signup"),
    # Where the public pages' calls to action lead, whoever follows them (signed up or not).
    path("start/", assessment_start, name="assessment_start"),
    path("start/scoring/", scoring_start, name="scoring_start"),
    path("accounts/profile/", profile, name="profile"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm),
        name="password_change",
    ),
    path("accounts/password_reset/", password_reset, name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=SetPasswordForm),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("assessments.urls")),
    path("", include("practices.urls")),
    path("", include("surveys.urls")),
    path("", include("content.urls")),
    prefix_default_language=True,
)
