"""E-mail subscribers with their consent log, and the mailings of releases to them.

A subscriber subscribes to all releases (no topics) or to the releases of chosen topics; a
mailing goes to the subscribers of all releases and those of any of the release's topics.
One Delivery per (mailing, subscriber), unique in the database: a recipient gets a release at
most once, whatever runs twice.

A release has up to three mailings, one of each kind: to the subscribers, to journalists of
distribution lists at publication, and to journalists ahead of the embargo (each with a
personal embargo link). A journalist's delivery is unique per (mailing, journalist) the same
way, so an embargo mail and the later publication mail are two mails, and neither goes twice.
"""

import secrets

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .topics import Topic


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


class Mailing(models.Model):
    """A release sent to one kind of recipients; at most one mailing of each kind per release."""

    SUBSCRIBERS = "subscribers"
    LISTS = "lists"
    EMBARGO = "embargo"
    KINDS = [
        (SUBSCRIBERS, _("subscribers")),
        (LISTS, _("distribution lists")),
        (EMBARGO, _("distribution lists, under embargo")),
    ]

    release = models.ForeignKey(
        "press.PressReleasePage",
        verbose_name=_("press release"),
        on_delete=models.CASCADE,
        related_name="mailings",
    )
    kind = models.CharField(_("recipients"), max_length=20, choices=KINDS, default=SUBSCRIBERS)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set once the recipients are fixed (the deliveries exist); a resumed run keeps them.
    # A journalists' mailing is fixed when made: its deliveries are added list by list.
    recipients_fixed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The lists whose members were given deliveries: a list chosen later for a published
    # release is sent to then, a journalist added to a list later is not sent old releases.
    distribution_lists = models.ManyToManyField(
        "press.DistributionList",
        verbose_name=_("distribution lists"),
        blank=True,
        related_name="mailings",
    )

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["release", "kind"], name="press_mailing_one_per_kind")
        ]

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
    # Exactly one of subscriber and journalist (a check constraint says so).
    subscriber = models.ForeignKey(
        Subscriber, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    journalist = models.ForeignKey(
        "press.Journalist",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    # The journalist's personal link of an embargo mailing; revoked, nothing more is sent.
    embargo_link = models.ForeignKey(
        "press.EmbargoShareLink",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
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
            ),
            models.UniqueConstraint(
                fields=["mailing", "journalist"], name="press_delivery_once_per_journalist"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(subscriber__isnull=False, journalist__isnull=True)
                    | models.Q(subscriber__isnull=True, journalist__isnull=False)
                ),
                name="press_delivery_one_recipient",
            ),
        ]
        indexes = [models.Index(fields=["mailing", "state"], name="press_delivery_state")]

    def __str__(self) -> str:
        return f"{self.mailing} → {self.recipient}"

    @property
    def recipient(self):
        return self.subscriber if self.subscriber_id else self.journalist
