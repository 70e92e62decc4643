"""The core announces releases going public and being withdrawn (press.signals); what listens
(the e-mail subscriptions, the distribution lists, a site's own code) is not the core's business,
and a listener that fails stops neither the publication nor the other listeners."""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from press.signals import release_published, release_withdrawn
from tests.factories import PressReleasePageFactory


class Heard:
    """A site's own receiver of both announcements."""

    def __init__(self):
        self.events: list[tuple] = []

    def published(self, sender, release, **kwargs):
        self.events.append(("published", release.pk))

    def withdrawn(self, sender, release, deleted, **kwargs):
        self.events.append(("deleted" if deleted else "withdrawn", release.pk))


@pytest.fixture
def heard():
    heard = Heard()
    release_published.connect(heard.published, dispatch_uid="test.published")
    release_withdrawn.connect(heard.withdrawn, dispatch_uid="test.withdrawn")
    yield heard
    release_published.disconnect(dispatch_uid="test.published")
    release_withdrawn.disconnect(dispatch_uid="test.withdrawn")


def publish(release):
    release.save_revision().publish()
    release.refresh_from_db()
    return release


def test_publish_unpublish_and_delete_are_announced_once_each(newsroom, heard):
    release = publish(PressReleasePageFactory(parent=newsroom, live=False))
    release.unpublish()
    publish(release)
    release.delete()

    assert heard.events == [
        ("published", release.pk),
        ("withdrawn", release.pk),
        ("published", release.pk),
        ("deleted", release.pk),
    ]


def test_schedules_and_restricted_releases_are_announced_only_when_public(newsroom, heard):
    scheduled = PressReleasePageFactory(parent=newsroom, live=False, title="Sperrfrist")
    scheduled.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    publish(scheduled)
    draft = PressReleasePageFactory(parent=newsroom, live=False)
    draft.save_revision()
    draft.delete()
    PageViewRestriction.objects.create(
        page=newsroom, restriction_type=PageViewRestriction.PASSWORD, password="intern"
    )
    publish(PressReleasePageFactory(parent=newsroom, live=False))
    assert heard.events == []

    PageViewRestriction.objects.all().delete()
    later = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled")

    assert heard.events == [("published", scheduled.pk)]


def test_a_failing_listener_stops_neither_the_publication_nor_the_others(newsroom, heard, caplog):
    def broken(sender, release, **kwargs):
        raise RuntimeError("a listener's own bug")

    release_published.connect(broken, dispatch_uid="test.broken")
    try:
        release = publish(PressReleasePageFactory(parent=newsroom, live=False))
    finally:
        release_published.disconnect(dispatch_uid="test.broken")

    assert release.live
    assert ("published", release.pk) in heard.events
    assert "a listener's own bug" in caplog.text
