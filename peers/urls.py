from django.urls import path

from . import views

app_name = "peers"

urlpatterns = [
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics.json", views.statistics_json, name="statistics_json"),
    path("statistics.csv", views.statistics_csv, name="statistics_csv"),
]
