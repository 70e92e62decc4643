"""Sending a release to distribution lists with the mail engine (press.mailings: a mailing per
release and kind, one delivery per recipient, unique in the database).

- At publication (`release_lists_mailing_start`): the lists the editor chose on the release.
  A list is sent to once per release; a list chosen later for a published release is sent to
  at its next publication (only to journalists who have not had it). A journalist added to a
  list later is not sent the list's old releases.
- Ahead of the embargo (`release_embargo_send`): each journalist of the chosen lists gets a
  personal embargo link (revocable among the release's embargo links) and "Sperrfrist: …" in
  the subject; sending to a list again reaches only those who have had nothing.

An embargo mail and the publication mail are two mails; each goes at most once.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..mailings.models import Delivery, Mailing
from ..mailings.tasks import mailing_enqueue
from ..models.embargo import embargo_go_live_at, embargo_link_create
from .kinds import EMBARGO, LISTS
from .models import Journalist


class EmbargoSendRefused(ValueError):
    """The release cannot be sent under embargo (no embargo time, or already public)."""


def _mailing_for(*, release, kind: str) -> Mailing:
    mailing, _created = Mailing.objects.get_or_create(
        release=release, kind=kind, defaults={"recipients_fixed_at": timezone.now()}
    )
    return mailing


def _journalists_new(*, mailing: Mailing, lists) -> list[Journalist]:
    """The active members of these lists who have no delivery in the mailing yet."""
    had = mailing.deliveries.filter(
        recipient_type=ContentType.objects.get_for_model(Journalist)
    ).values("recipient_id")
    return list(
        Journalist.objects.filter(active=True, distribution_lists__in=lists)
        .exclude(pk__in=had)
        .distinct()
        .order_by("pk")
    )


def _enqueue_on_commit(mailing: Mailing) -> None:
    mailing_id = mailing.pk
    transaction.on_commit(lambda: mailing_enqueue(mailing_id=mailing_id), robust=True)


def release_lists_mailing_start(*, release) -> Mailing | None:
    """On a publication (the release is live and public): the lists not sent to yet get
    their deliveries; queued once the publication commits, also when deliveries are still
    pending from before (the release was offline meanwhile)."""
    chosen = [
        choice.distribution_list
        for choice in release.distribution_choices.select_related("distribution_list")
    ]
    mailing = Mailing.objects.filter(release=release, kind=LISTS).first()
    if mailing is None and not chosen:
        return None
    with transaction.atomic():
        mailing = _mailing_for(release=release, kind=LISTS)
        # Locked: two publications at once do not both add the same journalists.
        mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
        sent_lists = set(mailing.distribution_lists.values_list("pk", flat=True))
        new_lists = [dlist for dlist in chosen if dlist.pk not in sent_lists]
        if new_lists:
            Delivery.objects.bulk_create(
                [
                    Delivery(mailing=mailing, recipient=journalist)
                    for journalist in _journalists_new(mailing=mailing, lists=new_lists)
                ],
                ignore_conflicts=True,
            )
            mailing.distribution_lists.add(*new_lists)
    if mailing.deliveries.filter(state=Delivery.PENDING).exists():
        _enqueue_on_commit(mailing)
    return mailing


def release_embargo_send(*, release, lists, user=None) -> tuple[int, int]:
    """Queue the embargo mail to the active members of `lists` who have not had it; returns
    (journalists now sent to, journalists of the lists who had it already)."""
    go_live_at = embargo_go_live_at(release=release)
    if release.live and release.is_visible():
        raise EmbargoSendRefused(
            _("The release is already public: it is sent to lists when it is published.")
        )
    if go_live_at is None or go_live_at <= timezone.now():
        raise EmbargoSendRefused(
            _(
                "The release has no embargo time in the future: set “Embargo / publish on” "
                "and save (or schedule) it first."
            )
        )
    with transaction.atomic():
        mailing = _mailing_for(release=release, kind=EMBARGO)
        mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
        journalists = _journalists_new(mailing=mailing, lists=lists)
        had = (
            Journalist.objects.filter(active=True, distribution_lists__in=lists).distinct().count()
        ) - len(journalists)
        for journalist in journalists:
            link = embargo_link_create(release=release, user=user, note=str(journalist)[:255])
            Delivery.objects.create(mailing=mailing, recipient=journalist, embargo_link=link)
        mailing.distribution_lists.add(*lists)
        if journalists:
            _enqueue_on_commit(mailing)
    return len(journalists), had
