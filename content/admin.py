from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from . import models


class RetiredFilterMixin:
    readonly_fields = ("key",)

    def get_readonly_fields(self, request, obj=None):
        # The key is the stable identity answers refer to: set once, never edited.
        return ("key",) if obj else ()


class BenefitInline(TranslationStackedInline):
    model = models.Benefit
    extra = 0


class FurtherReadingInline(TranslationStackedInline):
    model = models.FurtherReading
    extra = 0


@admin.register(models.KeyArea)
class KeyAreaAdmin(RetiredFilterMixin, TranslationAdmin):
    list_display = ("number", "title", "key", "retired")
    search_fields = ("key", "title_lv", "title_en", "intro_lv", "intro_en")
    inlines = [BenefitInline, FurtherReadingInline]


@admin.register(models.Page)
class PageAdmin(RetiredFilterMixin, TranslationAdmin):
    list_display = ("title", "key", "order", "retired")
    search_fields = ("key", "title_lv", "title_en", "body_lv", "body_en")


@admin.register(models.SuccessFactor)
class SuccessFactorAdmin(RetiredFilterMixin, TranslationAdmin):
    list_display = ("key", "title", "key_area", "retired")
    list_filter = ("key_area", "retired")
    search_fields = ("key", "title_lv", "title_en", "body_lv", "body_en")


class ChecklistItemInline(TranslationStackedInline):
    model = models.ChecklistItem
    extra = 0
    fields = ("key", "order", "text", "not_applicable_for", "retired")


@admin.register(models.Checklist)
class ChecklistAdmin(RetiredFilterMixin, TranslationAdmin):
    list_display = ("key", "title", "key_area", "audience", "retired")
    list_filter = ("key_area", "audience")
    inlines = [ChecklistItemInline]


@admin.register(models.ChecklistItem)
class ChecklistItemAdmin(RetiredFilterMixin, TranslationAdmin):
    list_display = ("key", "text", "checklist", "retired")
    list_filter = ("checklist__key_area", "checklist", "retired")
    search_fields = ("key", "text_lv", "text_en")


class MissingEnglishFilter(admin.SimpleListFilter):
    title = _("English text")
    parameter_name = "english"

    def lookups(self, request, model_admin):
        return [("missing", _("Missing")), ("present", _("Present"))]

    def queryset(self, request, queryset):
        missing = (
            Q(title_en="") | Q(title_en__isnull=True) | Q(body_en="") | Q(body_en__isnull=True)
        )
        if self.value() == "missing":
            return queryset.filter(missing)
        if self.value() == "present":
            return queryset.exclude(missing)
        return queryset


@admin.register(models.GoodPractice)
class GoodPracticeAdmin(RetiredFilterMixin, TranslationAdmin):
    list_display = (
        "title",
        "place",
        "country",
        "key_area",
        "success_factor",
        "actor",
        "is_published",
        "source",
    )
    list_filter = (
        "key_area",
        "success_factor",
        "country",
        "actor",
        "is_published",
        "source",
        MissingEnglishFilter,
    )
    actions = ["unpublish", "publish"]

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "source")

    @admin.action(description=_("Unpublish the selected examples"))
    def unpublish(self, request, queryset):
        for practice in queryset:  # one save each, so the cached pages are refreshed
            practice.is_published = False
            practice.save(update_fields=["is_published"])

    @admin.action(description=_("Publish the selected examples"))
    def publish(self, request, queryset):
        for practice in queryset:
            practice.is_published = True
            practice.save(update_fields=["is_published"])

    search_fields = ("key", "title_lv", "title_en", "body_lv", "body_en", "place")
    list_select_related = ("key_area", "success_factor")


@admin.register(models.GeneralChecklistItem)
class GeneralChecklistItemAdmin(RetiredFilterMixin, TranslationAdmin):
    list_display = ("key", "text", "retired")
    search_fields = ("key", "text_lv", "text_en")


class IndicatorInline(TranslationStackedInline):
    model = models.Indicator
    extra = 0


class GuidingQuestionInline(TranslationStackedInline):
    model = models.GuidingQuestion
    extra = 0
    show_change_link = True


@admin.register(models.QualityDomain)
class QualityDomainAdmin(RetiredFilterMixin, TranslationAdmin):
    list_display = ("key", "title", "retired")
    inlines = [GuidingQuestionInline]


@admin.register(models.GuidingQuestion)
class GuidingQuestionAdmin(RetiredFilterMixin, TranslationAdmin):
    list_display = ("key", "text", "domain", "retired")
    list_filter = ("domain",)
    inlines = [IndicatorInline]


@admin.register(models.Indicator)
class IndicatorAdmin(RetiredFilterMixin, TranslationAdmin):
    list_display = ("key", "text", "question", "retired")
    list_filter = ("question__domain",)
    search_fields = ("key", "text_lv", "text_en")


@admin.register(models.GlossaryTerm)
class GlossaryTermAdmin(RetiredFilterMixin, TranslationAdmin):
    list_display = ("term", "key", "retired")
    search_fields = ("key", "term_lv", "term_en", "definition_lv", "definition_en")


@admin.register(models.Testimonial)
class TestimonialAdmin(TranslationAdmin):
    list_display = ("author", "order")


admin.site.site_header = _("Refugee inclusion toolkit: editing")
admin.site.site_title = _("Refugee inclusion toolkit")


@admin.register(models.ParticipantQuestion)
class ParticipantQuestionAdmin(RetiredFilterMixin, admin.ModelAdmin):
    list_display = ("key", "kind", "key_area", "source", "retired")
    list_filter = ("kind", "key_area", "retired")
    search_fields = ("key",)
