from django.urls import path

from . import views

app_name = "practices"

org = "org/<slug:org_slug>/practices/"
practice = org + "<int:practice_id>/"

urlpatterns = [
    path("practices/", views.library, name="library"),
    path("practices/<slug:key>/", views.example, name="example"),
    path(org, views.practice_list, name="practice_list"),
    path(org + "new/", views.practice_create, name="practice_create"),
    path(practice, views.practice_detail, name="practice_detail"),
    path(practice + "edit/", views.practice_edit, name="practice_edit"),
    path(
        practice + "indicators/<str:indicator_key>/", views.rating_save, name="practice_rating_save"
    ),
    path(practice + "result/", views.practice_result, name="practice_result"),
    path(practice + "scorecard.pdf", views.practice_scorecard, name="practice_scorecard"),
    path(practice + "export.csv", views.practice_export_csv, name="practice_export_csv"),
    path(practice + "export.json", views.practice_export_json, name="practice_export_json"),
    path(practice + "submit/", views.practice_submit, name="practice_submit"),
]
