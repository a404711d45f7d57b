"""The handbook in the admin: Latvian and English side by side, English gaps in plain sight."""

from django.contrib import admin
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models as db
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from modeltranslation.translator import translator

from . import models

ADMIN_CSS = {"all": ("css/admin_content.css",)}
# Bodies run to several paragraphs: room for them without dragging the box open.
TEXTAREAS = {db.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 12})}}
LONG_TITLE = 200  # characters: a title this long would be cut off in a one-line box


class TitleWidget(AdminTextareaWidget):
    """A long title shown whole, wrapping over as many lines as it needs, saved as one line."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"rows": 2, "class": "vTitleField", **(attrs or {})})

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        return " ".join(value.split()) if isinstance(value, str) else value


class WholeTitlesMixin:
    """Long titles (key areas, examples …) in a wrapping box instead of a clipped input."""

    formfield_overrides = TEXTAREAS

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if (
            isinstance(db_field, db.CharField)
            and (db_field.max_length or 0) >= LONG_TITLE
            and not db_field.choices
        ):
            kwargs["widget"] = TitleWidget
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def translated_fields(model) -> list[str]:
    """The names of the model's translated fields (title, body …), in the model's order."""
    names = translator.get_options_for_model(model).all_fields
    return [field.name for field in model._meta.fields if field.name in names]


def english_missing(model) -> Q:
    """Records with Latvian text but no English in any of their translated fields."""
    condition = Q()
    for name in translated_fields(model):
        condition |= Q(**{f"{name}_lv__gt": ""}) & (
            Q(**{f"{name}_en": ""}) | Q(**{f"{name}_en__isnull": True})
        )
    return condition


def fields_missing_english(obj) -> list[str]:
    """The labels of the fields of `obj` that have Latvian text but no English."""
    return [
        str(obj._meta.get_field(name).verbose_name)
        for name in translated_fields(type(obj))
        if (getattr(obj, f"{name}_lv") or "").strip()
        and not (getattr(obj, f"{name}_en") or "").strip()
    ]


def side_by_side(fieldsets, model) -> list:
    """Each translated field's Latvian and English inputs on one row (admin_content.css makes
    the row two equal columns); the fieldsets are marked for that stylesheet."""
    names = translated_fields(model)
    pairs = {f"{name}_lv": f"{name}_en" for name in names}
    seconds = set(pairs.values())
    result = []
    for title, options in fieldsets:
        flat = {f for row in options["fields"] for f in ((row,) if isinstance(row, str) else row)}
        rows = []
        for row in options["fields"]:
            if isinstance(row, str) and row in pairs and pairs[row] in flat:
                rows.append((row, pairs[row]))
            elif not (isinstance(row, str) and row in seconds and row[:-3] + "_lv" in flat):
                rows.append(row)
        classes = (*options.get("classes", ()), "lv-en")
        result.append((title, {**options, "fields": rows, "classes": classes}))
    return result


class EnglishMissingFilter(admin.SimpleListFilter):
    title = _("English text")
    parameter_name = "english"

    def lookups(self, request, model_admin):
        return [("missing", _("Missing")), ("present", _("Present"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(english_missing(queryset.model))
        if self.value() == "present":
            return queryset.exclude(english_missing(queryset.model))
        return queryset


class ContentAdmin(WholeTitlesMixin, TranslationAdmin):
    """Every handbook admin: lv and en side by side, an "EN" column and filter, a note on the
    form naming the fields without English, and a key that is set once, never edited."""

    class Media:
        css = ADMIN_CSS

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                english_is_missing=ExpressionWrapper(
                    english_missing(self.model), output_field=BooleanField()
                )
            )
        )

    def get_list_display(self, request):
        return (*super().get_list_display(request), "english_status")

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), EnglishMissingFilter)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # The key is the stable identity answers refer to.
            if any(field.name == "key" for field in self.model._meta.fields):
                fields.append("key")
            fields.append("english_note")
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (title, {**options, "fields": [f for f in options["fields"] if f != "english_note"]})
            for title, options in super().get_fieldsets(request, obj)
        ]
        if obj is not None:
            title, options = fieldsets[0]
            fieldsets[0] = (title, {**options, "fields": ["english_note", *options["fields"]]})
        return side_by_side(fieldsets, self.model)

    @admin.display(description=_("EN"), ordering="english_is_missing")
    def english_status(self, obj):
        return gettext("missing") if obj.english_is_missing else "✓"

    @admin.display(description=_("English translation"))
    def english_note(self, obj):
        missing = fields_missing_english(obj)
        if not missing:
            return gettext("Every text has its English translation.")
        return gettext("English is missing: %(fields)s.") % {"fields": capfirst(", ".join(missing))}


class SideBySideInline(WholeTitlesMixin):
    def get_fieldsets(self, request, obj=None):
        return side_by_side(super().get_fieldsets(request, obj), self.model)


class BenefitInline(SideBySideInline, TranslationStackedInline):
    model = models.Benefit
    extra = 0


class FurtherReadingInline(SideBySideInline, TranslationStackedInline):
    model = models.FurtherReading
    extra = 0


@admin.register(models.KeyArea)
class KeyAreaAdmin(ContentAdmin):
    list_display = ("number", "title", "key", "retired")
    search_fields = ("key", "title_lv", "title_en", "intro_lv", "intro_en")
    inlines = [BenefitInline, FurtherReadingInline]


@admin.register(models.Page)
class PageAdmin(ContentAdmin):
    list_display = ("title", "key", "order", "retired")
    search_fields = ("key", "title_lv", "title_en", "body_lv", "body_en")


@admin.register(models.SuccessFactor)
class SuccessFactorAdmin(ContentAdmin):
    list_display = ("key", "title", "key_area", "retired")
    list_filter = ("key_area", "retired")
    search_fields = ("key", "title_lv", "title_en", "body_lv", "body_en")


class ChecklistItemInline(SideBySideInline, TranslationStackedInline):
    model = models.ChecklistItem
    extra = 0
    fields = ("key", "order", "text", "not_applicable_for", "replaces", "retired")


@admin.register(models.Checklist)
class ChecklistAdmin(ContentAdmin):
    list_display = ("key", "title", "key_area", "audience", "retired")
    list_filter = ("key_area", "audience")
    inlines = [ChecklistItemInline]


@admin.register(models.ChecklistItem)
class ChecklistItemAdmin(ContentAdmin):
    list_display = ("key", "text", "checklist", "retired")
    list_filter = ("checklist__key_area", "checklist", "retired")
    search_fields = ("key", "text_lv", "text_en")


class PracticeLinkInline(TranslationTabularInline):
    model = models.PracticeLink
    extra = 1
    fields = ("title", "url")


@admin.register(models.GoodPractice)
class GoodPracticeAdmin(ContentAdmin):
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
    list_filter = ("key_area", "success_factor", "country", "actor", "is_published", "source")
    fieldsets = (
        (None, {"fields": ("title_lv", "title_en", "body_lv", "body_en")}),
        (
            _("Where it belongs"),
            {
                "fields": (
                    "key_area",
                    "success_factor",
                    "actor",
                    "place_lv",
                    "place_en",
                    "country",
                )
            },
        ),
        (_("Publishing"), {"fields": ("key", "order", "is_published", "source", "retired")}),
    )
    inlines = [PracticeLinkInline]
    actions = ["unpublish", "publish"]
    search_fields = (
        "key",
        "title_lv",
        "title_en",
        "body_lv",
        "body_en",
        "place_lv",
        "place_en",
    )
    list_select_related = ("key_area", "success_factor")

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "source")

    def save_formset(self, request, form, formset, change):
        if formset.model is models.PracticeLink:
            # Links keep the order they are listed in; a new one goes after the others.
            last = max((f.instance.order for f in formset.forms if f.instance.pk), default=-1)
            for link_form in formset.forms:
                if link_form.instance.pk is None:
                    last += 1
                    link_form.instance.order = last
        super().save_formset(request, form, formset, change)

    def _set_published(self, request, queryset, published: bool):
        for practice in queryset:  # one save each, so the cached pages are refreshed
            practice.is_published = published
            practice.save(update_fields=["is_published"])
            # In the example's history, as a change in the form would be.
            self.log_change(request, practice, [{"changed": {"fields": ["published"]}}])

    @admin.action(description=_("Unpublish the selected examples"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    @admin.action(description=_("Publish the selected examples"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)


@admin.register(models.GeneralChecklistItem)
class GeneralChecklistItemAdmin(ContentAdmin):
    list_display = ("key", "text", "retired")
    search_fields = ("key", "text_lv", "text_en")


class IndicatorInline(SideBySideInline, TranslationStackedInline):
    model = models.Indicator
    extra = 0


class GuidingQuestionInline(SideBySideInline, TranslationStackedInline):
    model = models.GuidingQuestion
    extra = 0
    show_change_link = True


@admin.register(models.QualityDomain)
class QualityDomainAdmin(ContentAdmin):
    list_display = ("key", "title", "retired")
    inlines = [GuidingQuestionInline]


@admin.register(models.GuidingQuestion)
class GuidingQuestionAdmin(ContentAdmin):
    list_display = ("key", "text", "domain", "retired")
    list_filter = ("domain",)
    inlines = [IndicatorInline]


@admin.register(models.Indicator)
class IndicatorAdmin(ContentAdmin):
    list_display = ("key", "text", "question", "retired")
    list_filter = ("question__domain",)
    search_fields = ("key", "text_lv", "text_en")


@admin.register(models.GlossaryTerm)
class GlossaryTermAdmin(ContentAdmin):
    list_display = ("term", "key", "retired")
    search_fields = ("key", "term_lv", "term_en", "definition_lv", "definition_en")


@admin.register(models.Testimonial)
class TestimonialAdmin(ContentAdmin):
    list_display = ("author", "order")


admin.site.site_header = _("Refugee inclusion toolkit: editing")
admin.site.site_title = _("Refugee inclusion toolkit")


@admin.register(models.ParticipantQuestion)
class ParticipantQuestionAdmin(admin.ModelAdmin):
    list_display = ("key", "kind", "key_area", "source", "retired")
    list_filter = ("kind", "key_area", "retired")
    search_fields = ("key",)

    def get_readonly_fields(self, request, obj=None):
        return ("key",) if obj else ()
