from modeltranslation.translator import TranslationOptions, register

from . import models


@register(models.Page)
class PageTO(TranslationOptions):
    fields = ("title", "body")


@register(models.KeyArea)
class KeyAreaTO(TranslationOptions):
    fields = ("title", "summary", "intro")


@register(models.Benefit)
class BenefitTO(TranslationOptions):
    fields = ("text",)


@register(models.SuccessFactor)
class SuccessFactorTO(TranslationOptions):
    fields = ("title", "body")


@register(models.Checklist)
class ChecklistTO(TranslationOptions):
    fields = ("title", "intro")


@register(models.ChecklistItem)
class ChecklistItemTO(TranslationOptions):
    fields = ("text",)


@register(models.GoodPractice)
class GoodPracticeTO(TranslationOptions):
    fields = ("title", "body", "place")


@register(models.PracticeLink)
class PracticeLinkTO(TranslationOptions):
    fields = ("title",)


@register(models.FurtherReading)
class FurtherReadingTO(TranslationOptions):
    fields = ("description",)


@register(models.GeneralChecklistItem)
class GeneralChecklistItemTO(TranslationOptions):
    fields = ("text",)


@register(models.QualityDomain)
class QualityDomainTO(TranslationOptions):
    fields = ("title",)


@register(models.GuidingQuestion)
class GuidingQuestionTO(TranslationOptions):
    fields = ("text",)


@register(models.Indicator)
class IndicatorTO(TranslationOptions):
    fields = ("text",)


@register(models.GlossaryTerm)
class GlossaryTermTO(TranslationOptions):
    fields = ("term", "definition")


@register(models.Testimonial)
class TestimonialTO(TranslationOptions):
    fields = ("quote", "author")
