"""Journalists and the office's distribution lists (Presseverteiler).

A journalist is on the lists by the office's choice, not by their own sign-up (unlike a
subscriber); their address is unique regardless of case, which is what an import matches on.
What they were sent is recorded as deliveries of the release's mailings (press.models.
subscriptions), so the admin's sent / pending / failed counts cover them too.
"""

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from ..validators import control_characters_refuse


class Journalist(models.Model):
    name = models.CharField(_("name"), max_length=200, validators=[control_characters_refuse])
    outlet = models.CharField(
        _("outlet"),
        max_length=200,
        blank=True,
        validators=[control_characters_refuse],
        help_text=_("The newspaper, broadcaster or agency, e.g. “Rheinische Post, Lokales”."),
    )
    email = models.EmailField(_("e-mail address"), max_length=254)
    topics = models.ManyToManyField(
        "press.Topic", verbose_name=_("topics"), blank=True, related_name="journalists"
    )
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive journalists stay on their lists but are sent nothing."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("journalist")
        verbose_name_plural = _("journalists")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="press_journalist_email_unique_ci",
                violation_error_message=_("A journalist with this e-mail address exists already."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.outlet})" if self.outlet else self.name


class DistributionList(models.Model):
    name = models.CharField(
        _("name"), max_length=200, unique=True, validators=[control_characters_refuse]
    )
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        Journalist, verbose_name=_("members"), blank=True, related_name="distribution_lists"
    )

    class Meta:
        verbose_name = _("distribution list")
        verbose_name_plural = _("distribution lists")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def member_count(self) -> int:
        return self.members.count()

    member_count.short_description = _("members")
