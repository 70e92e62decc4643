"""Journalists and the office's distribution lists (Presseverteiler).

A journalist is on the lists by the office's choice, not by their own sign-up (unlike a
subscriber); their address is unique regardless of case, which is what an import matches on.
What they were sent is recorded as deliveries of the release's mailings (press.mailings), so
the admin's sent / pending / failed counts cover them too.
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey

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
    deliveries = GenericRelation(
        "press_mailings.Delivery",
        content_type_field="recipient_type",
        object_id_field="recipient_id",
        related_query_name="journalist",
    )
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
    # The mailings whose deliveries were made for this list's members: a list chosen later for
    # a published release is sent to then; a journalist added later is not sent old releases.
    mailings = models.ManyToManyField(
        "press_mailings.Mailing",
        verbose_name=_("mailings"),
        blank=True,
        related_name="distribution_lists",
        editable=False,
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


class ReleaseDistributionList(models.Model):
    """A list the editor chose for a release, part of the release's revisions: its members
    are mailed the release when it is published (each once; a list added later at the next
    publication)."""

    release = ParentalKey(
        "press.PressReleasePage", on_delete=models.CASCADE, related_name="distribution_choices"
    )
    distribution_list = models.ForeignKey(
        DistributionList,
        verbose_name=_("distribution list"),
        on_delete=models.CASCADE,
        related_name="release_choices",
    )

    class Meta:
        verbose_name = _("distribution list of a release")
        verbose_name_plural = _("distribution lists of a release")
        constraints = [
            models.UniqueConstraint(
                fields=["release", "distribution_list"], name="press_release_list_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.distribution_list)
