from django import forms

from toolkit_site.validators import RefusesControlCharacters


class SearchForm(RefusesControlCharacters, forms.Form):
    q = forms.CharField(required=False)
