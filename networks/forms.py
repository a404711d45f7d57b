from django import forms
from django.utils.translation import gettext_lazy as _

from core.validators import RefusesControlCharacters

from .models import Network


class NetworkForm(RefusesControlCharacters, forms.ModelForm):
    class Meta:
        model = Network
        fields = ["name", "description"]
        help_texts = {
            "name": _("For example, the integration council of your municipality."),
            "description": _("Who works together in it, and what for (optional)."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class InviteForm(RefusesControlCharacters, forms.Form):
    email = forms.EmailField(
        label=_("E-mail of the organisation's coordinator"),
        help_text=_(
            "They choose which of the organisations they coordinate joins the network, or "
            "decline. The network sees an organisation's figures only if it shares with networks."
        ),
    )


class JoinForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=None, label=_("Organisation that joins"), empty_label=None
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
