from django.urls import path

from . import views

app_name = "networks"

urlpatterns = [
    path("networks/", views.network_list, name="list"),
    path("networks/new/", views.network_create, name="create"),
    path("networks/invitations/<str:token>/", views.invitation, name="invitation"),
    path("networks/<slug:slug>/", views.network_detail, name="detail"),
    path("networks/<slug:slug>/export.xlsx", views.network_export, name="export"),
    path("networks/<slug:slug>/leave/<slug:org_slug>/", views.network_leave, name="leave"),
]
