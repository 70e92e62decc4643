"""Every way Wagtail changes what the public may see of a release reaches the press API at once:
publishing, unpublishing, scheduled go-live and expiry, workflow approval, moving, copying,
deleting, the bulk actions of the page listing, a view restriction on an ancestor, a site's
root or hostname. The visibility rule reads one fact from the stored release document (a view
restriction covers the release); after each change that fact must agree with the tree as it is,
asked the slow way.
"""

import datetime
import time

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from wagtail.models import (
    GroupApprovalTask,
    Page,
    PageViewRestriction,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from press.models import PressReleasePage, ReleaseDocument
from press.models.documents import view_restrictions_over
from tests.factories import HomePageFactory, PressIndexPageFactory, PressReleasePageFactory

LIST_URL = "/api/press/releases"


def listed(client, host: str = "testserver") -> list[str]:
    response = client.get(LIST_URL, HTTP_HOST=host)
    assert response.status_code == 200
    return [item["title"] for item in response.json()["results"]]


def found(client, release, host: str = "testserver") -> bool:
    status = client.get(f"{LIST_URL}/{release.pk}", HTTP_HOST=host).status_code
    assert status in (200, 404)
    return status == 200


def facts_agree_with_the_tree() -> None:
    """Each stored document's `restricted` is what the view restrictions of the tree say now."""
    covered = Page.objects.filter(pk=OuterRef("release_id")).filter(
        Exists(view_restrictions_over(OuterRef("path")))
    )
    rows = ReleaseDocument.objects.annotate(covered=Exists(covered)).values_list(
        "release_id", "restricted", "covered"
    )
    wrong = [(release_id, stored) for release_id, stored, now in rows if stored != now]
    assert not wrong, f"stale facts: {wrong}"


def published(parent, title: str, **kwargs) -> PressReleasePage:
    release = PressReleasePageFactory(parent=parent, title=title, live=False, **kwargs)
    release.save_revision().publish()
    release.refresh_from_db()
    return release


def fresh(page) -> Page:
    """The page as the tree has it now (treebeard moves by the counts a page object holds)."""
    return Page.objects.get(pk=page.pk)


@pytest.fixture
def private_newsroom(home):
    newsroom = PressIndexPageFactory(parent=home, title="Intern", slug="intern")
    PageViewRestriction.objects.create(
        page=newsroom, restriction_type=PageViewRestriction.PASSWORD, password="nur-intern"
    )
    return newsroom


def test_publish_and_unpublish(client, newsroom):
    release = PressReleasePageFactory(parent=newsroom, title="Neu", live=False)
    release.save_revision()
    assert listed(client) == []
    release.get_latest_revision().publish()
    assert listed(client) == ["Neu"] and found(client, release)
    release.refresh_from_db()
    release.unpublish()
    assert listed(client) == [] and not found(client, release)
    facts_agree_with_the_tree()


def test_a_release_published_below_a_restricted_newsroom_stays_hidden(client, private_newsroom):
    release = published(private_newsroom, "Intern veröffentlicht")
    assert listed(client) == [] and not found(client, release)
    assert ReleaseDocument.objects.get(release=release).restricted
    facts_agree_with_the_tree()


def test_scheduled_go_live_and_expiry_through_publish_scheduled(client, newsroom):
    release = PressReleasePageFactory(parent=newsroom, title="Geplant", live=False)
    release.go_live_at = timezone.now() + datetime.timedelta(seconds=1)
    release.save_revision().publish()
    assert listed(client) == []
    time.sleep(1.2)
    call_command("publish_scheduled", verbosity=0)
    assert listed(client) == ["Geplant"]

    release.refresh_from_db()
    release.expire_at = timezone.now() + datetime.timedelta(seconds=1)
    release.save_revision().publish()
    assert listed(client) == ["Geplant"]
    time.sleep(1.2)
    assert listed(client) == []  # expiry due: gone before publish_scheduled runs
    call_command("publish_scheduled", verbosity=0)
    release.refresh_from_db()
    assert release.expired and not release.live
    assert listed(client) == [] and not found(client, release)
    facts_agree_with_the_tree()


def test_workflow_approval_publishes(client, newsroom, admin_user):
    task = GroupApprovalTask.objects.create(name="Freigabe")
    workflow = Workflow.objects.create(name="Pressefreigabe")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=newsroom)
    release = PressReleasePageFactory(parent=newsroom, title="Zur Freigabe", live=False)
    release.save_revision(user=admin_user)
    workflow_state = workflow.start(release, admin_user)
    assert listed(client) == []
    workflow_state.current_task_state.approve(user=admin_user)
    assert listed(client) == ["Zur Freigabe"]
    facts_agree_with_the_tree()


def test_move_into_and_out_of_a_restricted_newsroom(client, newsroom, private_newsroom):
    release = published(newsroom, "Wandert")
    fresh(release).move(fresh(private_newsroom), pos="last-child")
    assert listed(client) == [] and not found(client, release)
    facts_agree_with_the_tree()
    fresh(release).move(fresh(newsroom), pos="last-child")
    assert listed(client) == ["Wandert"] and found(client, release)
    facts_agree_with_the_tree()


def test_moving_a_newsroom_below_a_restricted_page_hides_its_releases(client, home, newsroom):
    published(newsroom, "Im Presseraum")
    archive = HomePageFactory(parent=home, title="Archiv", slug="archiv")
    PageViewRestriction.objects.create(page=archive, restriction_type=PageViewRestriction.LOGIN)
    fresh(newsroom).move(fresh(archive), pos="last-child")
    assert listed(client) == []
    facts_agree_with_the_tree()


def test_the_fact_of_a_move_commits_and_rolls_back_with_the_move(
    client, newsroom, private_newsroom
):
    release = published(newsroom, "Zurückgerollt")

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        fresh(release).move(fresh(private_newsroom), pos="last-child")
        assert listed(client) == []  # inside the move's transaction already
        raise Undo
    assert listed(client) == ["Zurückgerollt"]
    facts_agree_with_the_tree()


def test_reordering_siblings_keeps_every_fact(client, home, newsroom, private_newsroom):
    published(newsroom, "Öffentlich")
    published(private_newsroom, "Nicht öffentlich")
    # The admin's drag-and-drop: a sibling moved left shifts the others' paths.
    fresh(private_newsroom).move(fresh(newsroom), pos="left")
    assert listed(client) == ["Öffentlich"]
    facts_agree_with_the_tree()


def test_copy_into_a_restricted_newsroom_and_into_a_public_one(
    client, home, newsroom, private_newsroom
):
    release = published(newsroom, "Kopiervorlage")
    hidden = release.copy(
        to=private_newsroom, update_attrs={"slug": "kopie-intern"}, keep_live=True
    )
    assert hidden.live
    assert listed(client) == ["Kopiervorlage"] and not found(client, hidden)
    other = PressIndexPageFactory(parent=home, title="Zweiter Presseraum", slug="presse-2")
    shown = release.copy(to=other, update_attrs={"slug": "kopie-offen"}, keep_live=True)
    assert listed(client) == ["Kopiervorlage", "Kopiervorlage"] and found(client, shown)
    # A copied newsroom takes its view restriction along.
    newsroom_copy = private_newsroom.copy(
        to=home,
        update_attrs={"slug": "intern-2", "title": "Intern 2"},
        recursive=True,
        keep_live=True,
    )
    assert PageViewRestriction.objects.filter(page=newsroom_copy).exists()
    assert listed(client) == ["Kopiervorlage", "Kopiervorlage"]
    facts_agree_with_the_tree()


def test_delete(client, newsroom):
    release = published(newsroom, "Gelöscht")
    assert listed(client) == ["Gelöscht"]
    Page.objects.get(pk=release.pk).delete()
    assert listed(client) == [] and not found(client, release)
    assert not ReleaseDocument.objects.filter(release_id=release.pk).exists()


def test_a_view_restriction_added_to_and_removed_from_an_ancestor(client, newsroom):
    release = published(newsroom, "Hinter Passwort")
    restriction = PageViewRestriction.objects.create(
        page=newsroom, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    assert listed(client) == [] and not found(client, release)
    facts_agree_with_the_tree()
    restriction.delete()
    assert listed(client) == ["Hinter Passwort"] and found(client, release)
    facts_agree_with_the_tree()


def test_privacy_set_in_the_admin(admin_client, client, home, newsroom):
    release = published(newsroom, "Privat gestellt")
    url = reverse("wagtailadmin_pages:set_privacy", args=(home.pk,))
    response = admin_client.post(url, {"restriction_type": "login"})
    assert response.status_code == 200
    assert listed(client) == [] and not found(client, release)
    facts_agree_with_the_tree()
    admin_client.post(url, {"restriction_type": "none"})
    assert listed(client) == ["Privat gestellt"]
    facts_agree_with_the_tree()


def bulk_url(action: str, pages, *, parent) -> str:
    ids = "&".join(f"id={page.pk}" for page in pages)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", action))
    return f"{url}?{ids}&childOf={parent.pk}&next=/admin/pages/{parent.pk}/"


def test_bulk_actions_of_the_page_listing(admin_client, client, newsroom, private_newsroom):
    drafts = [
        PressReleasePageFactory(parent=newsroom, title=title, live=False)
        for title in ("Stapel A", "Stapel B")
    ]
    for draft in drafts:
        draft.save_revision()
    response = admin_client.post(bulk_url("publish", drafts, parent=newsroom), {})
    assert response.status_code == 302
    assert sorted(listed(client)) == ["Stapel A", "Stapel B"]

    response = admin_client.post(bulk_url("unpublish", drafts[:1], parent=newsroom), {})
    assert response.status_code == 302
    assert listed(client) == ["Stapel B"]

    response = admin_client.post(
        bulk_url("move", drafts[1:], parent=newsroom), {"chooser": private_newsroom.pk}
    )
    assert response.status_code == 302
    assert listed(client) == []
    facts_agree_with_the_tree()

    response = admin_client.post(
        bulk_url("move", drafts[1:], parent=private_newsroom), {"chooser": newsroom.pk}
    )
    assert response.status_code == 302
    assert listed(client) == ["Stapel B"]
    facts_agree_with_the_tree()

    response = admin_client.post(bulk_url("delete", drafts, parent=newsroom), {})
    assert response.status_code == 302
    assert listed(client) == []
    assert not PressReleasePage.objects.filter(pk__in=[d.pk for d in drafts]).exists()


def test_a_site_s_root_and_hostname_changed(client, newsroom):
    published(newsroom, "Erste Seite")
    other_home = HomePageFactory(parent=Page.get_first_root_node(), slug="zweite")
    other = published(PressIndexPageFactory(parent=other_home), "Zweite Seite")
    site = Site.objects.create(hostname="zweite.example", port=80, root_page=other_home)
    assert listed(client, "zweite.example") == ["Zweite Seite"]
    assert not found(client, other, "testserver")

    site.hostname = "dritte.example"
    site.save()
    assert listed(client, "dritte.example") == ["Zweite Seite"]
    assert listed(client, "zweite.example") == ["Erste Seite"]  # the default site

    default = Site.objects.get(is_default_site=True)
    default.root_page = other_home
    default.save()
    assert listed(client, "testserver") == ["Zweite Seite"]
    assert found(client, other, "testserver")
