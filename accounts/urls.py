from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import signup, unsubscribe, views
from .forms import LoginForm, PasswordChangeForm, SetPasswordForm

# Django's account URL names (login, password_reset, ...), without a namespace.
urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/signup/", signup.signup, name="signup"),
    path("accounts/signup/sent/", signup.signup_sent, name="signup_sent"),
    path("accounts/signup/confirm/<uidb64>/<token>/", signup.signup_confirm, name="signup_confirm"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/unsubscribe/<str:token>/", unsubscribe.unsubscribe, name="unsubscribe"),
    path("privacy/", views.privacy, name="privacy"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm),
        name="password_change",
    ),
    path("accounts/password_reset/", views.password_reset, name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=SetPasswordForm),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
]
