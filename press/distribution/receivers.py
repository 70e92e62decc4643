"""The distribution lists listen to the core's announcements (press.signals)."""

from ..signals import release_published
from .sending import release_lists_mailing_start


def release_published_lists(sender, release, **kwargs) -> None:
    # The journalists of the lists the editor chose, each once, lists added later included.
    release_lists_mailing_start(release=release)


def distribution_receivers_connect() -> None:
    release_published.connect(release_published_lists, dispatch_uid="press.distribution.lists")
