"""The release editor as a press-office editor meets it: the publication dates together on the
content tab, the release date taken from the embargo when left empty, the contact filled in,
no release published without a contact unless the editor says so, and the newsroom's release
listing with date and state."""

import datetime
import zoneinfo

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Site
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from press.models import PressReleasePage, PressSettings
from tests.factories import PressContactFactory, PressReleasePageFactory

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("redaktion", "r@example.org", "pw")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def add_url(newsroom) -> str:
    return reverse("wagtailadmin_pages:add", args=["press", "pressreleasepage", newsroom.pk])


def add_form(client, newsroom, **values):
    """The add form as the browser would send it, with `values` typed in."""
    response = client.get(add_url(newsroom))
    assert response.status_code == 200
    form = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    form.update(
        nested_form_data({"body": streamfield([("paragraph", rich_text("<p>Ein Absatz.</p>"))])})
    )
    for name, value in values.items():
        form[name] = value
    return form


def test_publication_panel_holds_embargo_release_date_and_expiry_on_the_content_tab(
    editor_client, newsroom
):
    html = editor_client.get(add_url(newsroom)).content.decode()
    content_tab = html.split('id="tab-inhalt"')[1].split('id="tab-veroffentlichung"')[0]
    panel = content_tab.split("Veröffentlichung und Sperrfrist", 1)[1]

    for name in ("go_live_at", "release_date", "expire_at"):
        assert f'name="{name}"' in panel, name
    assert "Sperrfrist / Veröffentlichung am" in panel
    # Nowhere else: Wagtail's scheduling dialog would be a second field of the same name.
    assert html.count('name="go_live_at"') == 1
    assert "schedule-publishing-dialog" not in html


def test_a_new_release_starts_with_an_empty_release_date(editor_client, newsroom):
    form = add_form(editor_client, newsroom)
    assert form["release_date"] == ""


def test_empty_release_date_takes_the_embargo_day(editor_client, newsroom):
    form = add_form(
        editor_client,
        newsroom,
        title="Sperrfrist-Mitteilung",
        slug="sperrfrist-mitteilung",
        go_live_at="2031-03-04 00:30",
        release_date="",
    )
    response = editor_client.post(add_url(newsroom), form)

    assert response.status_code == 302, response.content.decode()[:2000]
    release = PressReleasePage.objects.get(slug="sperrfrist-mitteilung")
    # 00:30 in Berlin on the 4th is still the 3rd in UTC: the day is the site's day.
    assert release.release_date == datetime.date(2031, 3, 4)
    assert release.go_live_at == datetime.datetime(2031, 3, 4, 0, 30, tzinfo=BERLIN)


def test_publishing_with_an_embargo_schedules_the_release_for_that_moment(editor_client, newsroom):
    form = add_form(
        editor_client,
        newsroom,
        title="Unter Sperrfrist",
        slug="unter-sperrfrist",
        go_live_at="2031-03-04 10:00",
        release_date="",
        contact=str(PressContactFactory().pk),
    )
    form["action-publish"] = "action-publish"

    response = editor_client.post(add_url(newsroom), form)

    assert response.status_code == 302
    release = PressReleasePage.objects.get(slug="unter-sperrfrist")
    assert not release.live
    moment = datetime.datetime(2031, 3, 4, 10, 0, tzinfo=BERLIN)
    assert release.scheduled_revision.approved_go_live_at == moment
    assert release.release_date == datetime.date(2031, 3, 4)
    assert not release.is_visible()


def test_empty_release_date_without_embargo_is_today(editor_client, newsroom):
    form = add_form(editor_client, newsroom, title="Heute", slug="heute", release_date="")
    editor_client.post(add_url(newsroom), form)

    from django.utils import timezone

    assert PressReleasePage.objects.get(slug="heute").release_date == timezone.localdate()


def test_a_release_date_the_editor_typed_is_kept(editor_client, newsroom):
    form = add_form(
        editor_client,
        newsroom,
        title="Datiert",
        slug="datiert",
        go_live_at="2031-03-04 10:00",
        release_date="2031-03-01",
    )
    editor_client.post(add_url(newsroom), form)

    assert PressReleasePage.objects.get(slug="datiert").release_date == datetime.date(2031, 3, 1)


def test_a_release_saved_outside_the_admin_without_a_date_gets_the_embargo_day(newsroom):
    release = PressReleasePage(
        title="Ohne Datum",
        slug="ohne-datum",
        release_date=None,
        go_live_at=datetime.datetime(2031, 5, 6, 9, 0, tzinfo=BERLIN),
    )
    release.full_clean(exclude=["path", "depth"])
    assert release.release_date == datetime.date(2031, 5, 6)


# --- contacts --------------------------------------------------------------------------------
def test_new_release_names_the_editors_own_press_contact(editor_client, editor, newsroom):
    own = PressContactFactory(name="Jana Redakteurin", user=editor)
    office = PressContactFactory(name="Zentrale Pressestelle")
    settings = PressSettings.for_site(Site.objects.get(is_default_site=True))
    settings.default_contact = office
    settings.save()

    assert add_form(editor_client, newsroom)["contact"] == str(own.pk)


def test_new_release_names_the_offices_default_contact_otherwise(editor_client, newsroom):
    PressContactFactory(name="Jemand anderes", user=None)
    office = PressContactFactory(name="Zentrale Pressestelle")
    settings = PressSettings.for_site(Site.objects.get(is_default_site=True))
    settings.default_contact = office
    settings.save()

    assert add_form(editor_client, newsroom)["contact"] == str(office.pk)


def test_without_either_the_contact_starts_empty(editor_client, newsroom):
    PressContactFactory()
    assert add_form(editor_client, newsroom)["contact"] == ""


def test_an_existing_release_keeps_its_contact(editor_client, editor, newsroom):
    PressContactFactory(name="Jana Redakteurin", user=editor)
    release = PressReleasePageFactory(parent=newsroom, contact=None)
    html = editor_client.get(reverse("wagtailadmin_pages:edit", args=[release.pk])).content
    form = querydict_from_html(html.decode(), form_id="page-edit-form")
    assert form["contact"] == ""


def test_publishing_without_a_contact_is_refused_with_a_german_message(editor_client, newsroom):
    form = add_form(editor_client, newsroom, title="Ohne Kontakt", slug="ohne-kontakt", contact="")
    form["action-publish"] = "action-publish"

    response = editor_client.post(add_url(newsroom), form)

    assert response.status_code == 200
    assert "keinen Pressekontakt" in response.content.decode()
    assert not PressReleasePage.objects.filter(slug="ohne-kontakt").exists()


def test_publishing_without_a_contact_goes_through_when_the_editor_confirms(
    editor_client, newsroom
):
    form = add_form(
        editor_client,
        newsroom,
        title="Ohne Kontakt",
        slug="ohne-kontakt",
        contact="",
        publish_without_contact="on",
    )
    form["action-publish"] = "action-publish"

    response = editor_client.post(add_url(newsroom), form)

    assert response.status_code == 302
    release = PressReleasePage.objects.get(slug="ohne-kontakt")
    assert release.live and release.contact is None


def test_a_draft_without_a_contact_is_saved_without_asking(editor_client, newsroom):
    form = add_form(editor_client, newsroom, title="Entwurf", slug="entwurf", contact="")

    assert editor_client.post(add_url(newsroom), form).status_code == 302
    assert not PressReleasePage.objects.get(slug="entwurf").live


def test_a_contact_can_be_linked_to_an_editor_in_the_admin(editor_client, editor):
    response = editor_client.post(
        "/admin/press/presscontact/create/",
        {"name": "Jana Redakteurin", "email": "jana@example.org", "phone": "", "user": editor.pk},
    )
    assert response.status_code == 302
    assert editor.press_contact.name == "Jana Redakteurin"


# --- the newsroom's listing ------------------------------------------------------------------
def test_newsroom_listing_shows_release_date_embargo_and_state(editor_client, newsroom):
    published = PressReleasePageFactory(
        parent=newsroom, title="Veröffentlicht", release_date=datetime.date(2023, 2, 7)
    )
    published.save_revision().publish()
    embargoed = PressReleasePageFactory(
        parent=newsroom,
        title="Unter Sperrfrist",
        release_date=datetime.date(2031, 3, 4),
        live=False,
        go_live_at=datetime.datetime(2031, 3, 4, 10, 0, tzinfo=BERLIN),
    )
    embargoed.save_revision(approved_go_live_at=embargoed.go_live_at)
    draft = PressReleasePageFactory(
        parent=newsroom, title="Nur Entwurf", release_date=datetime.date(2024, 1, 2), live=False
    )

    response = editor_client.get(f"/admin/pages/{newsroom.pk}/")

    html = " ".join(response.content.decode().split())
    header, table = html.split("Datum der Mitteilung", 1)[1].split("</thead>", 1)
    assert "Sperrfrist bis" in header
    rows = table.split("</tbody>", 1)[0].split("<tr")[1:]

    def row(release) -> str:
        found = [r for r in rows if f'id="page_{release.pk}_title"' in r]
        assert found, (release.title, [r[:300] for r in rows])
        return found[0]

    assert "07.02.2023" in row(published)
    assert "live" in row(published).lower()
    assert "04.03.2031" in row(embargoed)
    assert "04.03.2031 10:00" in row(embargoed)
    assert "geplant" in row(embargoed).lower()
    assert "02.01.2024" in row(draft)
    assert "entwurf" in row(draft).lower()
