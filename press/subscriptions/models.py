"""E-mail subscribers with their consent log, and the editor's choice per release.

A subscriber subscribes to all releases (no topics) or to the releases of chosen topics; a
release's mailing (press.mailings) goes to the subscribers of all releases and those of any
of the release's topics, each once.
"""

import secrets

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey

from ..models import Topic


def nonce_new() -> str:
    return secrets.token_urlsafe(12)


class Subscriber(models.Model):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    UNSUBSCRIBED = "unsubscribed"
    STATES = [
        (PENDING, _("pending confirmation")),
        (CONFIRMED, _("confirmed")),
        (UNSUBSCRIBED, _("unsubscribed")),
    ]

    email = models.EmailField(_("e-mail address"), max_length=254)
    state = models.CharField(_("state"), max_length=20, choices=STATES, default=PENDING)
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("subscribed at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(
        _("confirmation mail sent at"), null=True, blank=True
    )
    # Part of the confirmation link; replaced once it is used, so a link confirms only once.
    confirmation_nonce = models.CharField(max_length=32, default=nonce_new, editable=False)
    topics = models.ManyToManyField(
        Topic,
        verbose_name=_("topics"),
        blank=True,
        related_name="subscribers",
        help_text=_("None: all press releases."),
    )
    deliveries = GenericRelation(
        "press_mailings.Delivery",
        content_type_field="recipient_type",
        object_id_field="recipient_id",
        related_query_name="subscriber",
    )

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="press_subscriber_email_unique_ci")
        ]

    def __str__(self) -> str:
        return self.email


class ConsentRecord(models.Model):
    FORM = "form"
    API = "api"
    CHANNELS = [(FORM, _("form on the newsroom")), (API, _("press API"))]

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    consent_text = models.TextField(_("consent text shown"))
    channel = models.CharField(_("channel"), max_length=10, choices=CHANNELS)
    # What was agreed to, as it read then (a topic renamed or deleted later changes nothing
    # here): [{"slug", "name"}, …]; empty: all press releases.
    topics = models.JSONField(_("topics agreed to"), default=list, blank=True)
    agreed_at = models.DateTimeField(_("agreed at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-agreed_at"]

    def __str__(self) -> str:
        return f"{self.subscriber} ({self.agreed_at:%Y-%m-%d %H:%M})"

    def scope(self) -> str:
        if not self.topics:
            return str(_("all press releases"))
        return ", ".join(topic["name"] for topic in self.topics)

    scope.short_description = _("subscribed to")


class SubscriberMailingChoice(models.Model):
    """The editor's choice, part of the release's revisions: whether its first publication is
    mailed to the subscribers. A release without one is (as a new release's form starts)."""

    release = ParentalKey(
        "press.PressReleasePage", on_delete=models.CASCADE, related_name="subscriber_mailing"
    )
    send = models.BooleanField(
        _("send to subscribers"),
        default=True,
        help_text=_("E-mail the release to the confirmed subscribers when it is first published."),
    )

    class Meta:
        verbose_name = _("mailing to the subscribers")
        verbose_name_plural = _("mailings to the subscribers")
        constraints = [
            models.UniqueConstraint(fields=["release"], name="press_subscriber_choice_once")
        ]

    def __str__(self) -> str:
        return f"{self.release_id}: {self.send}"
