from django.apps import AppConfig
from django.utils.translation import gettext_lazy, gettext_noop


class HomeConfig(AppConfig):
    name = "home"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        label_wagtail_link_forms()


# Fields of Wagtail's link dialog (rich text toolbar → link) that Wagtail declares without a
# label, so Django derives an English one from the field name ("Link text", "Email address")
# that no catalogue can translate. The German is in cms/locale/de.
LINK_FORM_LABELS = {
    "ExternalLinkChooserForm": {"link_text": gettext_noop("Link text")},
    "AnchorLinkChooserForm": {"link_text": gettext_noop("Link text")},
    "EmailLinkChooserForm": {
        "email_address": gettext_noop("Email address"),
        "link_text": gettext_noop("Link text"),
        "subject": gettext_noop("Subject"),
        "body": gettext_noop("Body"),
    },
    "PhoneLinkChooserForm": {
        "phone_number": gettext_noop("Phone number"),
        "link_text": gettext_noop("Link text"),
    },
}


def label_wagtail_link_forms() -> None:
    from wagtail.admin.forms import choosers

    for form_name, labels in LINK_FORM_LABELS.items():
        fields = getattr(choosers, form_name).base_fields
        for field_name, label in labels.items():
            if fields[field_name].label is None:  # a later Wagtail that labels it wins
                fields[field_name].label = gettext_lazy(label)
