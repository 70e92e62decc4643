from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from press.models import PressIndexPage, PressReleasePage


class HomePage(Page):
    """The site's front page: a short introduction and the latest releases."""

    intro = RichTextField(_("Einleitung"), blank=True, features=["bold", "italic", "link"])
    latest_count = models.PositiveSmallIntegerField(_("Anzahl neuester Mitteilungen"), default=5)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("latest_count")]
    max_count = 1

    class Meta:
        verbose_name = _("Startseite")

    def latest_releases(self):
        return PressReleasePage.objects.visible().descendant_of(self)[: self.latest_count]

    def newsroom(self):
        return PressIndexPage.objects.live().public().descendant_of(self).first()
