"""A release's mailings and their deliveries.

A release has at most one mailing of each kind (press.mailings.kinds: the subscribers', the
distribution lists', the embargo notice). One Delivery per (mailing, recipient), unique in the
database: a recipient gets a mailing at most once, whatever runs twice. The recipient is any
model of the part that registered the kind (a subscriber, a journalist).
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .kinds import mailing_kind_choices


class Mailing(models.Model):
    """A release sent to one kind of recipients."""

    release = models.ForeignKey(
        "press.PressReleasePage",
        verbose_name=_("press release"),
        on_delete=models.CASCADE,
        related_name="mailings",
    )
    kind = models.CharField(_("recipients"), max_length=20, choices=mailing_kind_choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set once the recipients are fixed (the deliveries exist); a resumed run keeps them.
    # A mailing whose part adds the deliveries itself is fixed when made.
    recipients_fixed_at = models.DateTimeField(null=True, blank=True, editable=False)

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
        # server and recording the answer (see press.mailings.sending).
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
    # The recipient: a subscriber, a journalist, … (each has a GenericRelation back, so a
    # recipient deleted takes its deliveries with it).
    recipient_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    recipient_id = models.PositiveBigIntegerField()
    recipient = GenericForeignKey("recipient_type", "recipient_id")
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
                fields=["mailing", "recipient_type", "recipient_id"],
                name="press_delivery_once_per_recipient",
            ),
        ]
        indexes = [models.Index(fields=["mailing", "state"], name="press_delivery_state")]

    def __str__(self) -> str:
        return f"{self.mailing} → {self.recipient}"


def deliveries_to(recipients) -> models.QuerySet:
    """The deliveries to any of these recipients (a queryset or list of one model's rows)."""
    model = recipients.model if hasattr(recipients, "model") else type(recipients[0])
    ids = recipients.values("pk") if hasattr(recipients, "values") else [r.pk for r in recipients]
    return Delivery.objects.filter(
        recipient_type=ContentType.objects.get_for_model(model), recipient_id__in=ids
    )
