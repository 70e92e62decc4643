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
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from ..conf import press_setting
from .renditions import image_ids_in, photos_renditions_withdraw

SIGNER_SALT = "press.embargo.share-link"


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
        verbose_name=_("press release"),
        on_delete=models.CASCADE,
        related_name="embargo_links",
    )
    key = models.CharField(
        _("key"), max_length=64, unique=True, db_index=True, default=share_key_generate
    )
    note = models.CharField(
        _("note"),
        max_length=255,
        blank=True,
        help_text=_("Who the link is for, e.g. “Daily News, city desk”."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = EmbargoShareLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("embargo link")
        verbose_name_plural = _("embargo links")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        if self.note:
            return f"{self.release} ({self.note})"
        if self.created_at is None:  # not saved yet
            return str(self.release)
        return f"{self.release} ({timezone.localtime(self.created_at):%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("press_embargo", kwargs={"token": self.token})

    @property
    def token(self) -> str:
        return _signer().sign(self.key)

    def is_active(self, *, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    def revoke(self) -> None:
        """End the link; the renditions made for its reading leave the public storage (those
        a visible page still shows stay)."""
        if self.revoked_at is None:
            with transaction.atomic():
                self.revoked_at = timezone.now()
                self.save(update_fields=["revoked_at"])
                photos_renditions_withdraw(image_ids=embargo_photo_ids(release=self.release))


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
    return now + datetime.timedelta(days=press_setting("EMBARGO_LINK_DAYS"))


def embargo_go_live_at(*, release) -> datetime.datetime | None:
    """When the release is scheduled to go live: the approved schedule, else the page's field."""
    revision = release.scheduled_revision
    if revision is not None and revision.approved_go_live_at:
        return revision.approved_go_live_at
    return release.go_live_at


def embargo_release_version(*, release):
    """What goes live: the approved scheduled revision, else the latest draft."""
    revision = release.scheduled_revision or release.get_latest_revision()
    return revision.as_object() if revision is not None else release


def embargo_photo_ids(*, release) -> set[int]:
    """The photos an embargo reading of the release shows (its scheduled or latest version)."""
    return image_ids_in(embargo_release_version(release=release.specific).body)


def embargo_time_format(*, moment: datetime.datetime) -> str:
    """`07. Februar 2023, 10:00 Uhr` (German), `February 7, 2023, 10:00 a.m.` (English), in the
    site's time zone."""
    # Translators: a Django date format for the end of an embargo; German: "d. F Y, H:i \U\h\r"
    # gives "07. Februar 2023, 10:00 Uhr".
    time_format = pgettext("end of an embargo", "F j, Y, P")
    return date_format(timezone.localtime(moment), time_format)


def embargo_notice(*, release) -> str:
    go_live_at = embargo_go_live_at(release=release)
    if go_live_at is None:
        return gettext("Embargo: not scheduled yet. Please do not report in advance.")
    return gettext("Embargo until %(moment)s") % {"moment": embargo_time_format(moment=go_live_at)}
