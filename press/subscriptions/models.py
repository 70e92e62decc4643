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
    # Named by migration 0001 (the field it made, a per-subscriber confirmation nonce, is gone:
    # a confirmation link names its consent record now).
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
    # The latest confirmation mail (the resend cool-down counts from it).
    confirmation_sent_at = models.DateTimeField(
        _("confirmation mail sent at"), null=True, blank=True
    )
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
    # The confirmation mail sent for this agreement: its link confirms this record and its
    # topics alone. Empty: no mail went out for it (a repeat inside the cool-down).
    mailed_at = models.DateTimeField(_("confirmation mail sent at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # A keyed digest of the client's address (never the address), so that the sign-up limits
    # can be counted in the database while the cache is down; cleared by the clean-up once
    # the rate window has passed.
    client_digest = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-agreed_at"]
        indexes = [
            models.Index(fields=["client_digest", "agreed_at"], name="press_consent_client_recent")
        ]

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
