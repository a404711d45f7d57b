from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import Survey


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    """Surveys only: single responses are never shown, not even to staff in the admin."""

    list_display = ("round", "is_open", "responses")
    list_filter = ("is_open",)
    readonly_fields = ("round", "token", "created_by")
    fields = ("round", "key_areas", "languages", "is_open", "token", "created_by")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("round").annotate(n=Count("responses"))

    @admin.display(description=_("survey responses"), ordering="n")
    def responses(self, obj):
        return obj.n

    def has_add_permission(self, request):
        return False
