"""Embargo share links: a journalist reads a scheduled release before it goes live.

A link is an unguessable random key, signed with the site's SECRET_KEY, so a forged or mistyped
token is rejected before the database is asked; it expires and can be revoked. The key is kept
in clear so the editor can copy the link again later: whoever can read the database can read the
unpublished release itself, so hashing the key would protect nothing more.
"""

import datetime
import secrets

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SIGNER_SALT = "press.embargo.share-link"
DEFAULT_VALIDITY = datetime.timedelta(days=7)


def _signer() -> signing.Signer:
    # "." never occurs in a url-safe key or signature; the token stays one path segment.
    return signing.Signer(salt=SIGNER_SALT, sep=".")


def share_key_generate() -> str:
    return secrets.token_urlsafe(32)


class EmbargoShareLinkQuerySet(models.QuerySet):
    def active(self, *, now: datetime.datetime | None = None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class EmbargoShareLink(models.Model):
    release = models.ForeignKey(
        "press.PressReleasePage",
        verbose_name=_("Pressemitteilung"),
        on_delete=models.CASCADE,
        related_name="embargo_links",
    )
    key = models.CharField(
        _("Schlüssel"), max_length=64, unique=True, db_index=True, default=share_key_generate
    )
    note = models.CharField(
        _("Notiz"),
        max_length=255,
        blank=True,
        help_text=_("Für wen der Link ist, z. B. „Rheinische Post, Lokalredaktion“."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Erstellt von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Erstellt am"), auto_now_add=True)
    expires_at = models.DateTimeField(_("Gültig bis"))
    revoked_at = models.DateTimeField(_("Widerrufen am"), null=True, blank=True)

    objects = EmbargoShareLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("Sperrfrist-Link")
        verbose_name_plural = _("Sperrfrist-Links")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.release} ({self.note or self.created_at:%d.%m.%Y %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("press_embargo", kwargs={"token": self.token})

    @property
    def token(self) -> str:
        return _signer().sign(self.key)

    def is_active(self, *, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


def embargo_link_for_token(*, token: str) -> EmbargoShareLink | None:
    """The active link a token names, or None for a forged, unknown, expired or revoked one."""
    try:
        key = _signer().unsign(token)
    except signing.BadSignature:
        return None
    return EmbargoShareLink.objects.active().select_related("release").filter(key=key).first()


def embargo_link_create(
    *, release, user=None, expires_at: datetime.datetime | None = None, note: str = ""
) -> EmbargoShareLink:
    return EmbargoShareLink.objects.create(
        release=release,
        created_by=user if user is not None and user.is_authenticated else None,
        expires_at=expires_at or embargo_default_expiry(release=release),
        note=note,
    )


def embargo_default_expiry(*, release, now: datetime.datetime | None = None) -> datetime.datetime:
    """Until the release goes live (a day's grace for late readers), else a week."""
    now = now or timezone.now()
    go_live_at = embargo_go_live_at(release=release)
    if go_live_at and go_live_at > now:
        return go_live_at + datetime.timedelta(days=1)
    return now + DEFAULT_VALIDITY


def embargo_go_live_at(*, release) -> datetime.datetime | None:
    """When the release is scheduled to go live: the approved schedule, else the page's field."""
    revision = release.scheduled_revision
    if revision is not None and revision.approved_go_live_at:
        return revision.approved_go_live_at
    return release.go_live_at
