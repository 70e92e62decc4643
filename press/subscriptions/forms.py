from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.coreutils import get_content_languages

from ..models import Topic
from .conf import subscriptions_setting
from .service import EMAIL_MAX_LENGTH, email_normalize


class SubscribeForm(forms.Form):
    email = forms.CharField(
        label=_("E-mail address"),
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Please enter your e-mail address.")},
    )
    # None ticked: all press releases.
    topics = forms.ModelMultipleChoiceField(
        label=_("Only these topics"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Please choose topics from the list.")},
    )
    # The language of the mails: a release goes out in it where it has a version in it
    # (press.models.versions), else in German. Empty: the language the form was read in.
    language = forms.ChoiceField(label=_("Language of the e-mails"), required=False, choices=())
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Please agree to receiving the press releases by e-mail.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = subscriptions_setting("SUBSCRIPTION_CONSENT_TEXT")
        self.fields["language"].choices = [("", ""), *get_content_languages().items()]

    def clean_email(self):
        try:
            return email_normalize(self.cleaned_data["email"])
        except ValidationError:
            raise ValidationError(
                _("Please enter a valid e-mail address, such as name@example.org."),
                code="invalid",
            ) from None
