"""The press contact (a reusable record) and the office's site-wide settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.search import index

DEFAULT_DOWNLOAD_SENTENCE = (
    "Zu Ihrer redaktionellen Verwendung stellen wir Ihnen folgendes Material "
    "zum Download zur Verfügung:"
)


class PressContact(index.Indexed, models.Model):
    name = models.CharField(_("Name"), max_length=200, help_text=_("Vorname Nachname"))
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=60, blank=True)

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("email"),
    ]
    panels = [FieldPanel("name"), FieldPanel("email"), FieldPanel("phone")]

    class Meta:
        verbose_name = _("Pressekontakt")
        verbose_name_plural = _("Pressekontakte")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "email"], name="press_contact_unique_name_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.email else self.name

    def as_data(self) -> dict[str, str]:
        return {"name": self.name, "email": self.email, "phone": self.phone}


@register_setting(icon="site")
class PressSettings(BaseSiteSetting):
    office_name = models.CharField(
        _("Name der Behörde"), max_length=200, default="Landeshauptstadt Düsseldorf"
    )
    service_name = models.CharField(_("Name des Dienstes"), max_length=100, default="Pressedienst")
    download_sentence = models.TextField(
        _("Einleitung der Pressefotos"),
        default=DEFAULT_DOWNLOAD_SENTENCE,
        help_text=_("Steht in Textversion und Seite vor den Pressefotos zum Download."),
    )

    panels = [
        FieldPanel("office_name"),
        FieldPanel("service_name"),
        FieldPanel("download_sentence"),
    ]

    class Meta:
        verbose_name = _("Pressedienst-Einstellungen")

    def __str__(self) -> str:
        return f"{self.office_name} – {self.service_name}"
