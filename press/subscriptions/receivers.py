"""The subscriptions listen to the core's announcements (press.signals)."""

from ..signals import release_published
from .tasks import release_mailing_start


def release_published_mail(sender, release, **kwargs) -> None:
    # At a release's first publication its mailing to the subscribers (a republication
    # sends nothing: release_mailing_start decides).
    release_mailing_start(release=release)


def subscriptions_receivers_connect() -> None:
    release_published.connect(release_published_mail, dispatch_uid="press.subscriptions.mail")
