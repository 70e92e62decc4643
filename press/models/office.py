"""The press office's site-wide settings: who publishes, and the wording around the photos."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from ..conf import press_setting


def default_office_name() -> str:
    return str(press_setting("OFFICE_NAME"))


def default_service_name() -> str:
    return str(press_setting("SERVICE_NAME"))


def default_download_sentence() -> str:
    return str(press_setting("DOWNLOAD_SENTENCE"))


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
    ]

    class Meta:
        verbose_name = _("press office settings")

    def __str__(self) -> str:
        return f"{self.office_name} – {self.service_name}"

    @classmethod
    def defaults(cls) -> "PressSettings":
        """Unsaved settings with the configured defaults, for a release outside any site."""
        return cls(
            office_name=default_office_name(),
            service_name=default_service_name(),
            download_sentence=default_download_sentence(),
        )
