"""The press office's site-wide settings: who publishes, and the wording around the photos."""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from ..conf import press_setting


def default_office_name() -> str:
    return str(press_setting("OFFICE_NAME"))


def default_service_name() -> str:
    return str(press_setting("SERVICE_NAME"))


def default_download_sentence() -> str:
    return str(press_setting("DOWNLOAD_SENTENCE"))


def validate_page_address(value: str) -> None:
    """An address on this site (`/impressum/`) or anywhere (`https://www.stadt.de/impressum`)."""
    if value.startswith("/") and not value.startswith("//"):
        return
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError as error:
        raise ValidationError(
            _("Enter an address starting with “/” or “https://”."), code="invalid"
        ) from error


def page_address_field(verbose_name, help_text) -> models.CharField:
    return models.CharField(
        verbose_name,
        max_length=500,
        blank=True,
        validators=[validate_page_address],
        help_text=help_text,
    )


@register_setting(icon="site")
class PressSettings(BaseSiteSetting):
    office_name = models.CharField(
        _("name of the office"), max_length=200, default=default_office_name
    )
    service_name = models.CharField(
        _("name of the service"), max_length=100, default=default_service_name
    )
    download_sentence = models.TextField(
        _("introduction to the press photos"),
        default=default_download_sentence,
        help_text=_(
            "Stands before the press photos for download, on the page and in the text version."
        ),
    )
    # A public body's site must link its legal notice, privacy policy and accessibility
    # statement (BITV 2.0) from every page; they usually live on the city's main site.
    imprint_url = page_address_field(
        _("legal notice (Impressum) address"),
        _("Linked in the footer of every page. Empty: no link."),
    )
    privacy_url = page_address_field(
        _("privacy policy address"), _("Linked in the footer of every page. Empty: no link.")
    )
    accessibility_url = page_address_field(
        _("accessibility statement address"),
        _("Linked in the footer of every page. Empty: no link."),
    )

    default_contact = models.ForeignKey(
        "press.PressContact",
        verbose_name=_("default press contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "New releases name this contact unless the editor has a press contact of their own."
        ),
    )

    panels = [
        FieldPanel("office_name"),
        FieldPanel("service_name"),
        FieldPanel("download_sentence"),
        FieldPanel("default_contact"),
        MultiFieldPanel(
            [
                FieldPanel("imprint_url"),
                FieldPanel("privacy_url"),
                FieldPanel("accessibility_url"),
            ],
            heading=_("Legal pages"),
        ),
    ]

    class Meta:
        verbose_name = _("press office settings")

    def __str__(self) -> str:
        return f"{self.office_name} – {self.service_name}"

    def legal_links(self) -> list[tuple[str, str]]:
        """(label, address) of the legal pages the office has set, for every page's footer."""
        links = [
            (_("Legal notice"), self.imprint_url),
            (_("Privacy"), self.privacy_url),
            (_("Accessibility"), self.accessibility_url),
        ]
        links = [(str(label), url) for label, url in links if url]
        # An optional part adds its own (press.accessibility: its statement page, the form to
        # report a barrier): its AppConfig's `press_footer_links`, a function's dotted path.
        for config in apps.get_app_configs():
            if path := getattr(config, "press_footer_links", None):
                links = import_string(path)(site=self.site if self.site_id else None, links=links)
        return links

    @classmethod
    def defaults(cls) -> "PressSettings":
        """Unsaved settings with the configured defaults, for a release outside any site."""
        return cls(
            office_name=default_office_name(),
            service_name=default_service_name(),
            download_sentence=default_download_sentence(),
        )
