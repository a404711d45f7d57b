"""The site's admin: django-otp's admin site (staff need a verified second factor), signing in
in two steps (password, then a code), and an index that opens with what waits for the editor."""

from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django_otp.admin import OTPAdminSite

from accounts import two_factor
from practices.models import PracticeSubmission, SubmissionStatus


class StaffAdminSite(OTPAdminSite):
    login_form = None  # the first step is Django's own: password, staff accounts only
    login_template = None
    index_template = "admin/toolkit_index.html"

    def __init__(self, name="admin"):
        super().__init__(name)

    def get_urls(self):
        setup = path(
            "two-factor/setup/",
            lambda request: two_factor.setup(request, self),
            name="two_factor_setup",
        )
        return [setup, *super().get_urls()]

    def login(self, request, extra_context=None):
        user = request.user
        if user.is_authenticated and user.is_staff and not user.is_verified():
            if not two_factor.has_authenticator(user):
                query = request.META.get("QUERY_STRING")
                return redirect(reverse("admin:two_factor_setup") + (f"?{query}" if query else ""))
            return two_factor.verify(request, self)
        return super().login(request, extra_context)

    def index(self, request, extra_context=None):
        return super().index(
            request, {"attention": self.attention(request), **(extra_context or {})}
        )

    def attention(self, request) -> list[tuple[str, int, str]]:
        """(what, how many, link) for the editor's first look: submitted practices waiting for
        review, then each kind of handbook record with English missing."""
        # Here, not at the top: content.admin registers its models on this very site.
        from content.admin import ContentAdmin, english_missing

        waiting = []
        submissions = self._registry.get(PracticeSubmission)
        if submissions and submissions.has_view_permission(request):
            count = PracticeSubmission.objects.filter(status=SubmissionStatus.SUBMITTED).count()
            url = reverse("admin:practices_practicesubmission_changelist")
            waiting.append(
                (
                    gettext("Submitted practices waiting for review"),
                    count,
                    f"{url}?status__exact=submitted",
                )
            )
        for model, model_admin in self._registry.items():
            if isinstance(model_admin, ContentAdmin) and model_admin.has_view_permission(request):
                count = model._default_manager.filter(english_missing(model)).count()
                if count:
                    opts = model._meta
                    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
                    label = gettext("English missing: %(records)s") % {
                        "records": opts.verbose_name_plural
                    }
                    waiting.append((label, count, f"{url}?english=missing"))
        return waiting
