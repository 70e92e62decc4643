"""E-mail subscribers with their consent log, and the mailings of releases to them.

A subscriber subscribes to all releases; topics, once they exist, become a many-to-many field
on Subscriber (and a filter where a mailing picks its recipients), nothing else changes.
One Delivery per (mailing, subscriber), unique in the database: a recipient gets a release at
most once, whatever runs twice.
"""

import secrets

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


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
    agreed_at = models.DateTimeField(_("agreed at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-agreed_at"]

    def __str__(self) -> str:
        return f"{self.subscriber} ({self.agreed_at:%Y-%m-%d %H:%M})"


class Mailing(models.Model):
    """A release sent to the confirmed subscribers; at most one per release."""

    release = models.OneToOneField(
        "press.PressReleasePage",
        verbose_name=_("press release"),
        on_delete=models.CASCADE,
        related_name="mailing",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set once the recipients are fixed (the deliveries exist); a resumed run keeps them.
    recipients_fixed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.release)

    def count(self, state: str) -> int:
        return self.deliveries.filter(state=state).count()

    def sent_count(self) -> int:
        return self.count(Delivery.SENT)

    sent_count.short_description = _("sent")

    def pending_count(self) -> int:
        return self.deliveries.filter(state__in=(Delivery.PENDING, Delivery.SENDING)).count()

    pending_count.short_description = _("pending")

    def failed_count(self) -> int:
        return self.count(Delivery.FAILED)

    failed_count.short_description = _("failed")

    def maybe_twice_count(self) -> int:
        # Recipients whose mail was sent again after a worker died between handing it to the
        # server and recording the answer (see press.subscriptions.sending).
        return self.deliveries.filter(maybe_twice=True).count()

    maybe_twice_count.short_description = _("possibly received twice")


class Delivery(models.Model):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    STATES = [
        (PENDING, _("pending")),
        (SENDING, _("sending")),
        (SENT, _("sent")),
        (FAILED, _("failed")),
    ]

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(max_length=10, choices=STATES, default=PENDING)
    attempts = models.PositiveIntegerField(default=0)
    # A pending delivery waits until then after a temporary failure; a sending one was claimed
    # then (a claim older than PRESS["MAIL_CLAIM_SECONDS"] belongs to a worker that died).
    not_before = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The claim's token: the batch a worker took, so that it reads back just its own rows.
    claim = models.CharField(max_length=32, blank=True, editable=False)
    # Set in a committed UPDATE before the mail goes to the SMTP server. A dead worker's claim
    # with it set is the one whose mail the server may have accepted already; one without it
    # was certainly not sent.
    handed_over_at = models.DateTimeField(null=True, blank=True)
    # Sent again after a worker died between handing it over and recording the answer: the
    # recipient may have it twice (with the same Message-ID).
    maybe_twice = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "subscriber"], name="press_delivery_once_per_recipient"
            )
        ]
        indexes = [models.Index(fields=["mailing", "state"], name="press_delivery_state")]

    def __str__(self) -> str:
        return f"{self.mailing} → {self.subscriber}"
