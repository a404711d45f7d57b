from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from content.admin import ADMIN_CSS, WholeTitlesMixin

from . import services
from .models import Practice, PracticeSubmission, Rating


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0
    can_delete = False
    fields = ("indicator", "value", "evidence", "updated_by", "updated_at")
    readonly_fields = fields
    ordering = ("indicator__question__domain__order", "indicator__question__order")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator", "updated_by")


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    """Practices belong to their organisations: the admin shows them, members change them."""

    list_display = ("name", "organisation", "updated_at", "updated_by")
    list_filter = ("organisation",)
    search_fields = ("name", "description", "organisation__name")
    list_select_related = ("organisation", "updated_by")
    readonly_fields = ("organisation", "created_by", "created_at", "updated_by", "updated_at")
    fields = ("organisation", "name", "description", "key_areas", *readonly_fields[1:])
    inlines = [RatingInline]


class SubmissionEnglishFilter(admin.SimpleListFilter):
    title = _("English text")
    parameter_name = "english"

    def lookups(self, request, model_admin):
        return [("missing", _("Missing")), ("present", _("Present"))]

    def queryset(self, request, queryset):
        missing = Q(title_en="") | Q(body_en="")
        if self.value() == "missing":
            return queryset.filter(missing)
        if self.value() == "present":
            return queryset.exclude(missing)
        return queryset


@admin.register(PracticeSubmission)
class PracticeSubmissionAdmin(WholeTitlesMixin, admin.ModelAdmin):
    """Editors review submitted practices, write the example in Latvian and English side by
    side, and publish it to the library (or decline it with a message)."""

    list_display = (
        "__str__",
        "organisation",
        "status",
        "score_at_submission",
        "submitted_at",
        "english_present",
    )
    list_filter = ("status", SubmissionEnglishFilter)
    search_fields = ("title_lv", "title_en", "practice__name", "practice__organisation__name")
    list_select_related = ("practice__organisation", "good_practice")
    readonly_fields = (
        "practice_link",
        "organisation",
        "status",
        "verdict_at_submission",
        "score_at_submission",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "example_link",
    )
    fieldsets = (
        (
            _("Submission"),
            {
                "fields": (
                    ("practice_link", "organisation"),
                    ("status", "example_link"),
                    ("verdict_at_submission", "score_at_submission"),
                    ("submitted_by", "submitted_at"),
                    ("reviewed_by", "reviewed_at"),
                )
            },
        ),
        (
            _("The example: Latvian and English"),
            {"fields": (("title_lv", "title_en"), ("body_lv", "body_en")), "classes": ("lv-en",)},
        ),
        (
            _("Where it belongs"),
            {
                "fields": ("success_factor", "actor", ("place", "country"), "links"),
                "classes": ("lv-en",),
            },
        ),
        (_("Message to the organisation"), {"fields": ("editor_note",)}),
    )
    actions = ["publish", "decline"]

    class Media:
        css = ADMIN_CSS

    def has_add_permission(self, request):
        return False  # organisations submit; editors review

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("practice__organisation", "good_practice", "success_factor__key_area")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "success_factor":
            from content.models import SuccessFactor

            kwargs["queryset"] = (
                SuccessFactor.objects.current()
                .select_related("key_area")
                .order_by("key_area__number", "order")
            )
            formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
            formfield.label_from_instance = lambda f: f"5.{f.key_area.number}. {f.title}"
            return formfield
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("organisation"), ordering="practice__organisation__name")
    def organisation(self, obj):
        return obj.practice.organisation

    @admin.display(description=_("practice"))
    def practice_link(self, obj):
        url = reverse("admin:practices_practice_change", args=[obj.practice_id])
        return format_html('<a href="{}">{}</a>', url, obj.practice.name)

    @admin.display(description=_("published example"))
    def example_link(self, obj):
        if obj.good_practice_id is None:
            return "–"
        url = reverse("admin:content_goodpractice_change", args=[obj.good_practice_id])
        return format_html('<a href="{}">{}</a>', url, obj.good_practice.key)

    @admin.display(description=_("English text"), boolean=True)
    def english_present(self, obj):
        return not obj.missing_english

    def get_fieldsets(self, request, obj=None):
        # Editors do not see organisations' practices: the practice's name without a link.
        if request.user.has_perm("practices.view_practice"):
            return self.fieldsets
        first, *others = self.fieldsets
        title, options = first
        rows = [("practice_name", "organisation"), *options["fields"][1:]]
        return ((title, {**options, "fields": rows}), *others)

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "practice_name")

    @admin.display(description=_("practice"))
    def practice_name(self, obj):
        return obj.practice.name

    def _log_review(self, request, submission, example=None):
        """The review in the submission's history (and the new example's), as the form's."""
        self.log_change(request, submission, [{"changed": {"fields": ["status", "reviewed"]}}])
        if example is not None:
            LogEntry.objects.log_actions(
                request.user.pk, [example], ADDITION, change_message=[{"added": {}}]
            )

    @admin.action(description=_("Publish as a good-practice example"), permissions=["change"])
    def publish(self, request, queryset):
        published = 0
        for submission in queryset:
            try:
                example = services.submission_publish(submission=submission, user=request.user)
            except ValidationError as error:
                self.message_user(request, f"{submission}: {error.messages[0]}", messages.ERROR)
            else:
                self._log_review(request, submission, example)
                published += 1
        if published:
            self.message_user(
                request,
                ngettext(
                    "Published %(count)d example in the library.",
                    "Published %(count)d examples in the library.",
                    published,
                )
                % {"count": published},
                messages.SUCCESS,
            )

    @admin.action(description=_("Decline"), permissions=["change"])
    def decline(self, request, queryset):
        declined = 0
        for submission in queryset:
            try:
                services.submission_decline(submission=submission, user=request.user)
            except ValidationError as error:
                self.message_user(request, f"{submission}: {error.messages[0]}", messages.ERROR)
            else:
                self._log_review(request, submission)
                declined += 1
        if declined:
            self.message_user(
                request,
                ngettext(
                    "Declined %(count)d submission.", "Declined %(count)d submissions.", declined
                )
                % {"count": declined},
                messages.SUCCESS,
            )
