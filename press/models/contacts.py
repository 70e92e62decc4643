"""The press contact: a reusable record a release names for journalists' questions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class PressContact(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=200, help_text=_("First name last name"))
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("admin user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="press_contact",
        help_text=_("The editor this contact belongs to: their new releases name it."),
    )

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("email"),
    ]
    panels = [FieldPanel("name"), FieldPanel("email"), FieldPanel("phone"), FieldPanel("user")]

    class Meta:
        verbose_name = _("press contact")
        verbose_name_plural = _("press contacts")
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


class ContactAPIField(serializers.Field):
    """API v2: the contact as {name, email, phone}, never as an id."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, contact):
        return contact.as_data() if contact else None
