from django.urls import path

from . import views

app_name = "surveys"

survey = "org/<slug:org_slug>/rounds/<int:round_id>/survey/"

urlpatterns = [
    path(survey, views.survey_manage, name="manage"),
    path(survey + "state/", views.survey_state, name="state"),
    path(survey + "texts/", views.survey_texts, name="texts"),
    path(survey + "qr.svg", views.survey_qr, name="qr"),
    path(survey + "poster.pdf", views.survey_poster, name="poster"),
    path(
        survey + "responses/<slug:response_token>/visibility/",
        views.free_text_visibility,
        name="free_text_visibility",
    ),
]
