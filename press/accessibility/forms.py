from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BarrierReport


class BarrierReportForm(forms.ModelForm):
    class Meta:
        model = BarrierReport
        fields = ["description", "page_url", "name", "email"]
        labels = {
            "description": _("What is the barrier?"),
            "page_url": _("On which page? (address or title, optional)"),
            "name": _("Your name (optional)"),
            "email": _("Your e-mail address, for our answer (optional)"),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
        }
        error_messages = {
            "description": {"required": _("Please describe the barrier.")},
            "email": {
                "invalid": _("Please enter a valid e-mail address, such as name@example.org.")
            },
        }

    def clean_description(self):
        return self.cleaned_data["description"].strip()
