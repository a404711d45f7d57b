from django.urls import path

from . import views

app_name = "content"

urlpatterns = [
    path("", views.home, name="home"),
    path("handbook/<slug:key>/", views.page, name="page"),
    path("key-areas/<int:number>/", views.key_area, name="key_area"),
    path("general-checklist/", views.general_checklist, name="general_checklist"),
    path("quality-indicators/", views.quality_indicators, name="quality_indicators"),
    path("glossary/", views.glossary, name="glossary"),
    path("testimonials/", views.testimonials, name="testimonials"),
    path("search/", views.search, name="search"),
]
