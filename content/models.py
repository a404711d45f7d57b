"""The handbook as data. Every record that answers or scores refer to has a stable `key`."""

from urllib.parse import urlsplit

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class OrganisationType(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", _("Local authority (municipality)")
    STATE_AUTHORITY = "state_authority", _("State authority")
    NGO = "ngo", _("Civil society organisation (including refugee-led)")
    RELIGIOUS = "religious", _("Religious organisation")
    EDUCATION = "education", _("School or university")
    BUSINESS = "business", _("Business")
    OTHER = "other", _("Other")


class Audience(models.TextChoices):
    ALL = "all", _("All organisations")
    LOCAL_AUTHORITY = "local_authority", _("Local authorities")


class ContentQuerySet(models.QuerySet):
    def current(self):
        """Records still in the handbook (retired ones stay only for old answers)."""
        return self.filter(retired=False)


class KeyedContent(models.Model):
    key = models.CharField(_("key"), max_length=80, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    retired = models.BooleanField(
        _("retired"), default=False, help_text=_("No longer in the handbook; kept for old answers.")
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order"]

    def __str__(self):
        return self.key


class Page(KeyedContent):
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))

    # Texts shown on another page (the quality indicators) or linked from the footer, not
    # listed among the handbook's chapters.
    QUALITY_PAGE_KEYS = ("quality-intro", "quality-source")
    NOT_CHAPTERS = ("acknowledgements", "colophon", *QUALITY_PAGE_KEYS)
    KEY_AREAS_KEY = "key-areas"  # the handbook's section 5 preamble, before the six key areas

    class Meta(KeyedContent.Meta):
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.key in self.QUALITY_PAGE_KEYS:
            return reverse("content:quality_indicators")
        return reverse("content:page", args=[self.key])


class KeyArea(KeyedContent):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"))
    intro = models.TextField(_("introduction"))

    class Meta(KeyedContent.Meta):
        ordering = ["number"]
        verbose_name = _("key area")
        verbose_name_plural = _("key areas")

    def __str__(self):
        return f"5.{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("content:key_area", args=[self.number])


class Benefit(models.Model):
    key_area = models.ForeignKey(KeyArea, on_delete=models.CASCADE, related_name="benefits")
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["key_area", "order"]
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")

    def __str__(self):
        return self.text[:80]


class SuccessFactor(KeyedContent):
    key_area = models.ForeignKey(
        KeyArea,
        on_delete=models.PROTECT,
        related_name="success_factors",
        verbose_name=_("key area"),
    )
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"))

    class Meta(KeyedContent.Meta):
        verbose_name = _("success factor")
        verbose_name_plural = _("success factors")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("content:key_area", args=[self.key_area.number]) + f"#{self.key}"


class Checklist(KeyedContent):
    key_area = models.ForeignKey(
        KeyArea, on_delete=models.PROTECT, related_name="checklists", verbose_name=_("key area")
    )
    title = models.CharField(_("title"), max_length=300)
    intro = models.TextField(_("introduction"), blank=True)
    audience = models.CharField(
        _("audience"), max_length=32, choices=Audience.choices, default=Audience.ALL
    )

    class Meta(KeyedContent.Meta):
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")

    def __str__(self):
        return self.title


class ChecklistItem(KeyedContent):
    checklist = models.ForeignKey(
        Checklist, on_delete=models.PROTECT, related_name="items", verbose_name=_("checklist")
    )
    text = models.TextField(_("text"))
    not_applicable_for = models.JSONField(
        _("toolkit's suggestion: typically not applicable for"),
        default=list,
        blank=True,
        help_text=_(
            "Our suggestion, not the handbook's: organisation types for which this item starts "
            "as “not applicable”. They can answer differently."
        ),
    )
    # An item that continues an older (retired) one: trends across rounds carry over.
    replaces = models.CharField(
        _("replaces"),
        max_length=80,
        blank=True,
        help_text=_("The key of an older item this one continues (trends carry across)."),
    )

    class Meta(KeyedContent.Meta):
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    @property
    def number(self) -> int:
        return int(self.key.rsplit(".i", 1)[1])

    @property
    def label(self) -> str:
        """How people refer to the item: "5.1 · 6." (key area 5.1, item 6). Items of a key
        area's further checklists (numbered afresh on the checklist page) carry the
        checklist's number: "5.4 · 2.3." is item 3 of the second checklist of key area 5.4.
        Reads `checklist.key_area`: load items with select_related("checklist__key_area")."""
        area = self.checklist.key_area.number
        tail = self.checklist.key.rsplit(".c", 1)[-1]
        checklist = int(tail) if tail.isdigit() else 1
        if checklist > 1:
            return f"5.{area} · {checklist}.{self.number}."
        return f"5.{area} · {self.number}."


class Actor(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    STATE_AUTHORITY = "state_authority", _("State authority")
    NGO = "ngo", _("Civil society organisation")
    RELIGIOUS = "religious", _("Religious organisation")
    EDUCATION = "education", _("School or university")
    BUSINESS = "business", _("Business")
    OTHER = "other", _("Other")


class GoodPractice(KeyedContent):
    key_area = models.ForeignKey(
        KeyArea, on_delete=models.PROTECT, related_name="good_practices", verbose_name=_("key area")
    )
    success_factor = models.ForeignKey(
        SuccessFactor,
        on_delete=models.PROTECT,
        related_name="good_practices",
        verbose_name=_("success factor"),
    )
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True)
    actor = models.CharField(_("actor"), max_length=32, choices=Actor.choices)
    is_published = models.BooleanField(_("published"), default=True)
    # Examples from the handbook come and go with content/data; examples that organisations
    # submitted and editors published live only in the database, and load_toolkit leaves them.
    source = models.CharField(
        _("source"),
        max_length=12,
        choices=[("handbook", _("Handbook")), ("submitted", _("Submitted by an organisation"))],
        default="handbook",
    )

    class Meta(KeyedContent.Meta):
        ordering = ["key_area__number", "order"]
        verbose_name = _("good-practice example")
        verbose_name_plural = _("good-practice examples")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("content:key_area", args=[self.key_area.number]) + f"#{self.key}"

    @property
    def links(self) -> list[str]:
        """The addresses of its links, in order (prefetch `example_links` on lists)."""
        return [link.url for link in self.example_links.all()]


class PracticeLink(models.Model):
    """A link of a good-practice example: an address and, optionally, a title to show."""

    practice = models.ForeignKey(
        GoodPractice, on_delete=models.CASCADE, related_name="example_links"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(
        _("title"), max_length=300, blank=True, help_text=_("Shown instead of the address.")
    )
    url = models.URLField(_("address"), max_length=500)

    class Meta:
        ordering = ["practice", "order", "pk"]
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self):
        return self.title or self.url

    @property
    def label(self) -> str:
        """The title in the reader's language, else the address's host name."""
        return self.title or urlsplit(self.url).hostname or self.url


class FurtherReading(models.Model):
    key_area = models.ForeignKey(KeyArea, on_delete=models.CASCADE, related_name="further_reading")
    order = models.PositiveIntegerField(_("order"), default=0)
    citation = models.TextField(_("citation"))
    description = models.TextField(_("description"))
    url = models.URLField(_("link"), max_length=500, blank=True)

    class Meta:
        ordering = ["key_area", "order"]
        verbose_name = _("further reading")
        verbose_name_plural = _("further reading")

    def __str__(self):
        return self.citation[:80]


class GeneralChecklistItem(KeyedContent):
    text = models.TextField(_("text"))
    key_areas = models.JSONField(
        _("key areas it summarises"),
        default=list,
        blank=True,
        help_text=_("Keys of the key areas (e.g. ka1) whose answers this item is derived from."),
    )

    class Meta(KeyedContent.Meta):
        verbose_name = _("general checklist item")
        verbose_name_plural = _("general checklist items")

    def __str__(self):
        return f"{self.key}: {self.text[:60]}"

    @property
    def number(self) -> int:
        return int(self.key.rsplit(".i", 1)[1])


class QualityDomain(KeyedContent):
    title = models.CharField(_("title"), max_length=200)

    class Meta(KeyedContent.Meta):
        verbose_name = _("quality domain")
        verbose_name_plural = _("quality domains")

    def __str__(self):
        return self.title


class GuidingQuestion(KeyedContent):
    domain = models.ForeignKey(
        QualityDomain, on_delete=models.PROTECT, related_name="questions", verbose_name=_("domain")
    )
    text = models.TextField(_("text"))

    class Meta(KeyedContent.Meta):
        verbose_name = _("guiding question")
        verbose_name_plural = _("guiding questions")

    def __str__(self):
        return f"{self.key}: {self.text[:60]}"


class Indicator(KeyedContent):
    question = models.ForeignKey(
        GuidingQuestion,
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("guiding question"),
    )
    text = models.TextField(_("text"))

    class Meta(KeyedContent.Meta):
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return f"{self.key}: {self.text[:60]}"


class GlossaryTerm(KeyedContent):
    term = models.CharField(_("term"), max_length=200)
    definition = models.TextField(_("definition"))

    class Meta(KeyedContent.Meta):
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return reverse("content:glossary") + f"#{self.key}"


class Testimonial(models.Model):
    order = models.PositiveIntegerField(_("order"), default=0)
    quote = models.TextField(_("quote"))
    author = models.CharField(_("author"), max_length=300)

    class Meta:
        ordering = ["order"]
        verbose_name = _("testimonial")
        verbose_name_plural = _("testimonials")

    def __str__(self):
        return self.author


class ParticipantQuestion(KeyedContent):
    """A plain-language statement (or the open question) of the participant survey.

    Written for the toolkit on the basis of the handbook, not the handbook's own text. Its
    texts are one mapping per survey language ({"lv": ..., "ar": ...}): the survey speaks more
    languages than the rest of the site, and a new one needs content, not a migration.
    """

    class Kind(models.TextChoices):
        STATEMENT = "statement", _("Statement (agreement scale)")
        FREE_TEXT = "free_text", _("Open question (free text)")

    class Source(models.TextChoices):
        TOOLKIT = "toolkit", _("Written for the toolkit on the basis of the handbook")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.STATEMENT)
    key_area = models.ForeignKey(
        KeyArea,
        on_delete=models.PROTECT,
        related_name="participant_questions",
        verbose_name=_("key area"),
        null=True,
        blank=True,
    )
    success_factors = models.JSONField(
        _("success factors"),
        default=list,
        blank=True,
        help_text=_("Keys of the success factors (e.g. ka1.sf4) the statement asks about."),
    )
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.TOOLKIT
    )
    texts = models.JSONField(
        _("texts"), default=dict, help_text=_("The text in each survey language.")
    )

    class Meta(KeyedContent.Meta):
        verbose_name = _("participant survey question")
        verbose_name_plural = _("participant survey questions")

    def text_in(self, language: str) -> str:
        """The text in `language`, else in Latvian."""
        return self.texts.get(language) or self.texts.get("lv", "")


class ContentRevision(models.Model):
    """One row counting changes to the handbook: rendered pages are cached under its number."""

    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("content revision")

    def __str__(self):
        return str(self.number)
