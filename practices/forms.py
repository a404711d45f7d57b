from django import forms
from django.utils.translation import gettext_lazy as _

from content.models import Actor, KeyArea
from core.validators import RefusesControlCharacters

from .models import DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH
from .selectors import QUERY_MAX_LENGTH


class PracticeForm(RefusesControlCharacters, forms.Form):
    name = forms.CharField(label=_("Name of the practice"), max_length=NAME_MAX_LENGTH)
    description = forms.CharField(
        label=_("Short description"),
        help_text=_("What does the practice do, for whom, since when?"),
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    key_areas = forms.ModelMultipleChoiceField(
        label=_("Key areas it concerns"),
        help_text=_("The result page suggests the success factors and examples of these areas."),
        queryset=KeyArea.objects.current().order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class LibraryFilterForm(RefusesControlCharacters, forms.Form):
    """The library's filters and search; every field optional, the state lives in the URL."""

    q = forms.CharField(
        label=_("Search the examples"),
        help_text=_("Words, “a phrase in quotes”, or -word to leave out."),
        required=False,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )
    area = forms.ChoiceField(label=_("Key area"), required=False)
    factor = forms.ChoiceField(label=_("Success factor"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    actor = forms.ChoiceField(
        label=_("Type of actor"),
        required=False,
        choices=[("", _("All types"))] + list(Actor.choices),
    )

    def __init__(self, data, *, success_factors, countries):
        super().__init__(data)
        areas, factors_by_area = {}, {}
        for factor in success_factors:
            areas[factor.key_area.key] = factor.key_area
            factors_by_area.setdefault(factor.key_area, []).append((factor.key, factor.title))
        self.areas = areas
        self.factors = {factor.key: factor for factor in success_factors}
        self.fields["area"].choices = [("", _("All key areas"))] + [
            (area.key, str(area)) for area in areas.values()
        ]
        self.fields["factor"].choices = [("", _("All success factors"))] + [
            (str(area), choices) for area, choices in factors_by_area.items()
        ]
        self.fields["country"].choices = [("", _("All countries"))] + list(countries)

    def clean_q(self):
        # Long input is cut rather than refused: a search never fails.
        return " ".join(self.cleaned_data["q"].split())[:QUERY_MAX_LENGTH]

    def filters(self) -> dict:
        """The valid filters as arguments of selectors.library_examples; invalid ones are
        left out (and reported by the form)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "key_area": self.areas.get(data.get("area") or ""),
            "success_factor": self.factors.get(data.get("factor") or ""),
            "country": data.get("country") or "",
            "actor": data.get("actor") or "",
            "query": data.get("q") or "",
        }

    def params(self) -> dict[str, str]:
        """The valid, non-empty filter values: the query string of a shareable link."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            name: data[name]
            for name in ("q", "area", "factor", "country", "actor")
            if data.get(name)
        }
