from django import forms

from core.validators import RefusesControlCharacters


class SearchForm(RefusesControlCharacters, forms.Form):
    q = forms.CharField(required=False)
