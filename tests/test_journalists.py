"""Journalist distribution lists (Presseverteiler): the import of a CSV/XLSX with its preview,
and sending releases to lists — at publication and ahead of the embargo with personal links —
against a real SMTP server on loopback (aiosmtpd, the subscriptions' fixtures)."""

import datetime
import io
import re
import tracemalloc
import zoneinfo
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from wagtail.models import Revision

from press.distribution.importing import (
    ERROR,
    NEW,
    ImportFileError,
    journalist_rows_check,
    journalists_file_read,
)
from press.distribution.kinds import EMBARGO, LISTS
from press.distribution.models import DistributionList, Journalist, ReleaseDistributionList
from press.mailings.models import Delivery, Mailing
from press.mailings.tasks import mailing_deliver
from press.models import EmbargoShareLink, PressReleasePage, Topic
from press.subscriptions.models import SubscriberMailingChoice
from tests import test_subscriptions
from tests.factories import PressReleasePageFactory, body_paragraph
from tests.test_subscriptions import text_of
from tests.xlsx_bomb import xlsx_bomb

# The subscriptions' fixtures: a real SMTP server on loopback, and on-commit callbacks run.
smtp = test_subscriptions.smtp
commit = test_subscriptions.commit

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
IMPORT_URL = "/admin/press/journalists-import/"
UNPACKED = 20 * 1024 * 1024  # the default cap on what an XLSX unpacks to


# --- reading a file (pure) ------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "Name;Redaktion;E-Mail;Themen",
        "name;Medium;e-mail;Topics",
        "NAME;Outlet;Email;topics",
        "Name;Redaktion;E-Mail-Adresse;Thema",
    ],
)
def test_german_and_english_header_names_are_recognised(header):
    content = f"{header}\nAnna Berg;Rheinische Post;anna@rp.example;Verkehr\n".encode()

    [row] = journalists_file_read(content=content, max_rows=10, max_unpacked_bytes=UNPACKED)

    assert (row.line, row.name, row.outlet, row.email, row.topics) == (
        2,
        "Anna Berg",
        "Rheinische Post",
        "anna@rp.example",
        ["Verkehr"],
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Name;Redaktion\nAnna;RP\n", "„E-Mail“"),
        (b"", "leer"),
        (b"Name;E-Mail\n", "keine Journalisten"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, ".xls"),
        (b"PK\x03\x04 kaputt", "XLSX"),
        (b"Name;E-Mail\n" + b"A;a@example.org\n" * 11, "mehr als 10 Zeilen; höchstens 10"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(content, message, settings):
    with pytest.raises(ImportFileError, match=re.escape(message)):
        journalists_file_read(content=content, max_rows=10, max_unpacked_bytes=UNPACKED)


def test_row_checks_name_each_problem_with_its_line():
    rows = journalists_file_read(
        content=(
            b"Name,E-Mail,Themen\n"
            b"Anna Berg,anna@rp.example,Verkehr\n"
            b"Ohne Adresse,keine-adresse,\n"
            b",ohne.name@example.org,\n"
            b"Doppelt,ANNA@rp.example,\n"
            b'Falsches Thema,thema@example.org,"Verkehr, Raumfahrt"\n'
        ),
        max_rows=10,
        max_unpacked_bytes=UNPACKED,
    )

    checked = journalist_rows_check(rows=rows, topics={"verkehr": "verkehr"}, known={})

    assert [row.status for row in checked] == [NEW, ERROR, ERROR, ERROR, ERROR]
    assert checked[1].messages == ["Zeile 3: keine gültige E-Mail-Adresse"]
    assert checked[2].messages == ["Zeile 4: der Name fehlt"]
    assert checked[3].messages == ["Zeile 5: die E-Mail-Adresse steht schon in Zeile 2"]
    assert checked[4].messages == ["Zeile 6: unbekanntes Thema „Raumfahrt“"]


@pytest.fixture(scope="module")
def xlsx_bomb_file() -> bytes:
    """316 KB that unpack to 106 MB: a header and 2 million rows of one journalist."""
    return xlsx_bomb(rows=2_000_000)


def test_an_xlsx_bomb_is_refused_from_its_zip_directory_before_anything_is_unpacked(
    xlsx_bomb_file,
):
    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError) as refused:
            journalists_file_read(
                content=xlsx_bomb_file, max_rows=5000, max_unpacked_bytes=UNPACKED
            )
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert str(refused.value).startswith("Die Arbeitsmappe wird entpackt 101,1\xa0MB groß")
    assert peak < 5 * 1024 * 1024  # nothing was unpacked (reading it all took 721 MB)


def test_reading_stops_at_the_first_row_beyond_the_cap(xlsx_bomb_file):
    # With the unpacked size allowed, the row cap alone stops the reading: the sheet is read
    # as a stream and given up at row 5,002, never held.
    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError, match="mehr als 5000 Zeilen; höchstens 5000"):
            journalists_file_read(
                content=xlsx_bomb_file, max_rows=5000, max_unpacked_bytes=200 * 1024 * 1024
            )
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 20 * 1024 * 1024


def test_a_row_numbered_far_down_does_not_make_a_million_empty_rows():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "E-Mail"])
    sheet.append(["Anna Berg", "anna@example.org"])
    sheet.cell(row=1_000_000, column=1, value="Bernd")  # no million empty rows are made
    data = io.BytesIO()
    workbook.save(data)

    rows = journalists_file_read(content=data.getvalue(), max_rows=10, max_unpacked_bytes=UNPACKED)

    assert [(row.line, row.name) for row in rows] == [(2, "Anna Berg"), (1_000_000, "Bernd")]


# --- the import in the admin -----------------------------------------------------------------


@pytest.fixture
def topics(db):
    return [
        Topic.objects.create(name="Verkehr", slug="verkehr"),
        Topic.objects.create(name="Wirtschaft & Arbeit", slug="wirtschaft"),
    ]


@pytest.fixture
def press_list(db):
    return DistributionList.objects.create(name="Lokalpresse")


def upload(admin_client, press_list, content: bytes, name="verteiler.csv"):
    file = io.BytesIO(content)
    file.name = name
    return admin_client.post(IMPORT_URL, {"distribution_list": press_list.pk, "file": file})


def payload_of(response) -> str:
    found = re.search(r'name="payload" value="([^"]+)"', response.content.decode())
    assert found, "no confirm form in the preview"
    return found.group(1)


GERMAN_EXCEL_CSV = (
    "Name;Redaktion;E-Mail;Themen\r\n"
    "Jörg Müller;Westdeutsche Zeitung;joerg.mueller@wz.example;Verkehr\r\n"
    "Anna Weiß;Rheinische Post, Lokales;anna.weiss@rp.example;Wirtschaft & Arbeit, verkehr\r\n"
).encode("cp1252")


def test_a_german_excel_csv_previews_then_imports_on_confirm(admin_client, topics, press_list):
    preview = upload(admin_client, press_list, GERMAN_EXCEL_CSV)

    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Jörg Müller" in html and "Rheinische Post, Lokales" in html  # cp1252 read right
    assert html.count('class="press-import-new"') == 2
    assert "neu: 2" in html and "Import bestätigen" in html
    assert Journalist.objects.count() == 0  # nothing saved before the confirmation

    confirmed = admin_client.post(IMPORT_URL, {"payload": payload_of(preview)}, follow=True)

    assert "In „Lokalpresse“ importiert: 2 neu, 0 aktualisiert, 0 unverändert." in (
        confirmed.content.decode()
    )
    anna = Journalist.objects.get(email="anna.weiss@rp.example")
    assert (anna.name, anna.outlet) == ("Anna Weiß", "Rheinische Post, Lokales")
    assert sorted(anna.topics.values_list("slug", flat=True)) == ["verkehr", "wirtschaft"]
    assert set(press_list.members.all()) == set(Journalist.objects.all())


def test_the_same_file_twice_changes_nothing_and_a_changed_row_updates(
    admin_client, topics, press_list
):
    content = (
        "\ufeffname,outlet,email,topics\n"  # Excel's "CSV UTF-8": a BOM and commas
        "Jörg Müller,WZ,joerg.mueller@wz.example,verkehr\n"
        "Anna Weiß,RP,anna.weiss@rp.example,\n"
    ).encode()
    admin_client.post(
        IMPORT_URL, {"payload": payload_of(upload(admin_client, press_list, content))}
    )
    assert Journalist.objects.count() == 2

    again = upload(admin_client, press_list, content)
    assert "unverändert: 2" in again.content.decode()
    admin_client.post(IMPORT_URL, {"payload": payload_of(again)})
    assert Journalist.objects.count() == 2 and press_list.members.count() == 2

    # Matched by address whatever its case: the new outlet is taken, nobody is duplicated.
    changed = content.replace(b"Anna Wei\xc3\x9f,RP,anna.weiss", b"Anna Wei\xc3\x9f,NRZ,ANNA.weiss")
    preview = upload(admin_client, press_list, changed)
    html = preview.content.decode()
    assert "aktualisiert: 1" in html and "unverändert: 1" in html
    admin_client.post(IMPORT_URL, {"payload": payload_of(preview)})
    assert Journalist.objects.count() == 2
    assert Journalist.objects.get(email="anna.weiss@rp.example").outlet == "NRZ"
    # A list of its own: the known journalist is added to it, once.
    other = DistributionList.objects.create(name="Wirtschaftspresse")
    admin_client.post(IMPORT_URL, {"payload": payload_of(upload(admin_client, other, content))})
    assert Journalist.objects.count() == 2 and other.members.count() == 2


def test_an_xlsx_built_with_openpyxl_imports(admin_client, topics, press_list):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Medium", "E-Mail", "Themen"])
    sheet.append(["Jörg Müller", "WDR Lokalzeit", "joerg@wdr.example", "Verkehr"])
    sheet.append([None, None, None, None])  # an empty row in between is skipped
    sheet.append(["Kai Ohne", "dpa", "kai-at-dpa.example", None])
    data = io.BytesIO()
    workbook.save(data)

    preview = upload(admin_client, press_list, data.getvalue(), name="verteiler.xlsx")

    html = preview.content.decode()
    assert "Zeile 4: keine gültige E-Mail-Adresse" in html
    assert 'name="payload"' not in html  # an error anywhere: nothing can be imported
    assert "nichts kann importiert werden" in html.lower()

    sheet.delete_rows(4)
    data = io.BytesIO()
    workbook.save(data)
    preview = upload(admin_client, press_list, data.getvalue(), name="verteiler.xlsx")
    admin_client.post(IMPORT_URL, {"payload": payload_of(preview)})
    joerg = Journalist.objects.get()
    assert (joerg.outlet, list(joerg.topics.values_list("name", flat=True))) == (
        "WDR Lokalzeit",
        ["Verkehr"],
    )


def test_rows_with_errors_are_listed_and_nothing_is_saved(admin_client, topics, press_list):
    content = (
        "Name;Redaktion;E-Mail;Themen\n"
        "Jörg Müller;WZ;joerg@wz.example;Verkehr\n"
        "Kaputt;WZ;kaputt@;\n"
        "Thema;WZ;thema@wz.example;Raumfahrt\n"
    ).encode()

    html = upload(admin_client, press_list, content).content.decode()

    assert "Zeile 3: keine gültige E-Mail-Adresse" in html
    assert "Zeile 4: unbekanntes Thema „Raumfahrt“" in html
    assert "Fehler: 2" in html and "neu: 1" in html
    assert Journalist.objects.count() == 0


def test_a_file_too_large_is_a_form_error(admin_client, press_list, settings):
    settings.PRESS = {**settings.PRESS, "JOURNALIST_IMPORT_MAX_BYTES": 100}

    response = upload(admin_client, press_list, b"Name;E-Mail\n" + b"A;a@example.org\n" * 20)

    html = response.content.decode()
    assert "Die Datei ist zu groß (332\xa0Bytes); höchstens 100\xa0Bytes" in html
    assert Journalist.objects.count() == 0


def test_an_xlsx_that_unpacks_to_two_million_rows_is_a_form_error_and_saves_nothing(
    admin_client, press_list, xlsx_bomb_file
):
    response = upload(admin_client, press_list, xlsx_bomb_file, name="verteiler.xlsx")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Die Arbeitsmappe wird entpackt 101,1\xa0MB groß, mehr als die 20,0\xa0MB" in html
    assert 'name="payload"' not in html
    assert Journalist.objects.count() == 0


def test_the_confirmation_is_all_or_nothing(admin_client, topics, press_list):
    preview = upload(admin_client, press_list, GERMAN_EXCEL_CSV)
    Topic.objects.filter(slug="wirtschaft").delete()  # gone between preview and confirmation

    response = admin_client.post(IMPORT_URL, {"payload": payload_of(preview)}, follow=True)

    assert "Nichts wurde importiert: Zeile 3: unbekanntes Thema „wirtschaft“" in (
        response.content.decode()
    )
    assert Journalist.objects.count() == 0
    # A forged payload is refused without a trace either.
    forged = admin_client.post(IMPORT_URL, {"payload": payload_of(preview) + "x"}, follow=True)
    assert "Vorschau ist abgelaufen" in forged.content.decode()


def test_only_editors_who_may_add_journalists_import(client, press_list, django_user_model):
    user = django_user_model.objects.create_user("leser", password="x", is_staff=True)
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(IMPORT_URL).status_code in (302, 403)


# --- the admin's lists and journalists -------------------------------------------------------


def test_lists_and_journalists_are_managed_in_the_german_admin(admin_client, press_list):
    Journalist.objects.create(name="Anna Weiß", outlet="Rheinische Post", email="anna@rp.example")
    Journalist.objects.create(name="Jörg Müller", outlet="WDR", email="joerg@wdr.example")

    index = admin_client.get(reverse("press_journalists:index")).content.decode()
    assert "Journalisten" in index and "Journalisten importieren" in index
    found = admin_client.get(reverse("press_journalists:index"), {"q": "rheinische"})
    assert "Anna Weiß" in found.content.decode() and "Jörg Müller" not in found.content.decode()
    lists = admin_client.get(reverse("press_distribution_lists:index")).content.decode()
    assert "Lokalpresse" in lists and "Verteiler" in lists
    menu = admin_client.get("/admin/").content.decode()
    assert "Presseverteiler" in menu

    admin_client.post(
        reverse("press_distribution_lists:add"),
        {"name": "Wirtschaft", "description": "", "members": [Journalist.objects.first().pk]},
    )
    assert DistributionList.objects.get(name="Wirtschaft").members.count() == 1
    duplicate = admin_client.post(
        reverse("press_journalists:add"), {"name": "Anna", "email": "ANNA@rp.example"}
    )
    assert duplicate.status_code == 200 and Journalist.objects.count() == 2
    assert "Es gibt schon einen Journalisten mit dieser E-Mail-Adresse." in (
        duplicate.content.decode()
    )


# --- sending a release to lists at publication ------------------------------------------------


@pytest.fixture
def journalists(db):
    make = Journalist.objects.create
    return {
        "anna": make(name="Anna Weiß", outlet="RP", email="anna@rp.example"),
        "joerg": make(name="Jörg Müller", outlet="WZ", email="joerg@wz.example"),
        "kai": make(name="Kai Wirt", outlet="Handelsblatt", email="kai@hb.example"),
        "ruhend": make(name="Ruth Ruhend", outlet="NRZ", email="ruth@nrz.example", active=False),
    }


@pytest.fixture
def lists(journalists):
    local = DistributionList.objects.create(name="Lokalpresse")
    local.members.add(journalists["anna"], journalists["joerg"], journalists["ruhend"])
    business = DistributionList.objects.create(name="Wirtschaftspresse")
    business.members.add(journalists["anna"], journalists["kai"])
    return {"local": local, "business": business}


def release_saved(newsroom, lists=(), **kwargs) -> PressReleasePage:
    release = PressReleasePageFactory(parent=newsroom, live=False, **kwargs)
    # The editor's choices, as the release form saves them: no mail to the subscribers, these
    # lists.
    release.subscriber_mailing.add(SubscriberMailingChoice(send=False))
    for distribution_list in lists:
        release.distribution_choices.add(
            ReleaseDistributionList(distribution_list=distribution_list)
        )
    release.save()
    return release


def release_published(newsroom, lists=(), **kwargs) -> PressReleasePage:
    release = release_saved(newsroom, lists, **kwargs)
    release.save_revision().publish()
    release.refresh_from_db()
    return release


def test_a_publication_sends_the_release_once_to_each_journalist_of_the_chosen_lists(
    newsroom,
    smtp,
    lists,
    commit,
):
    with commit():
        release = release_published(
            newsroom,
            [lists["local"], lists["business"]],
            title="Rheinufer wird saniert",
            body=[body_paragraph("<p>Die Arbeiten beginnen im Mai.</p>")],
        )

    # Anna is on both lists and gets it once; Ruth is inactive.
    assert smtp.recipients() == ["anna@rp.example", "joerg@wz.example", "kai@hb.example"]
    mail = smtp.to("anna@rp.example")[0]
    assert mail["Subject"] == "Rheinufer wird saniert"
    assert mail["List-Unsubscribe"] is None  # no subscription: the footer says how to leave
    plain = text_of(mail).replace("\r\n", "\n")
    assert plain.startswith(release.document.text)
    assert "als Anna Weiß auf einem Presseverteiler" in plain
    html = text_of(mail, "html")
    assert "<h1>Rheinufer wird saniert</h1>" in html and "Presseverteiler" in html
    mailing = Mailing.objects.get(release=release, kind=LISTS)
    assert (mailing.sent_count(), mailing.pending_count(), mailing.failed_count()) == (3, 0, 0)

    with commit():
        release.title = "Rheinufer wird saniert (korrigiert)"
        release.save_revision().publish()
    mailing_deliver.call(mailing_id=mailing.pk)  # a task run twice sends nothing either
    mailing_deliver.call(mailing_id=mailing.pk)
    assert len(smtp.messages) == 3


def test_a_list_chosen_later_is_sent_to_at_the_next_publication_without_repeats(
    newsroom,
    smtp,
    lists,
    journalists,
    commit,
):
    with commit():
        release = release_published(newsroom, [lists["local"]], title="Radwege")
    assert smtp.recipients() == ["anna@rp.example", "joerg@wz.example"]
    # Joined the local list after it was sent: not sent the list's old releases.
    late = Journalist.objects.create(name="Lea Spät", email="lea@express.example")
    lists["local"].members.add(late)

    with commit():
        release.distribution_choices.add(
            ReleaseDistributionList(distribution_list=lists["business"])
        )
        release.save_revision().publish()

    assert smtp.recipients() == ["anna@rp.example", "joerg@wz.example", "kai@hb.example"]


def test_drafts_scheduled_and_unlisted_releases_send_nothing_to_lists(
    newsroom,
    smtp,
    lists,
    commit,
):
    with commit():
        release_saved(newsroom, [lists["local"]]).save_revision()
        scheduled = release_saved(newsroom, [lists["local"]], title="Später")
        scheduled.go_live_at = timezone.now() + datetime.timedelta(hours=1)
        scheduled.save_revision().publish()
        release_published(newsroom, [], title="An niemanden")
    assert smtp.messages == []
    assert not Mailing.objects.filter(kind=LISTS).exists()

    later = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later), commit():
        call_command("publish_scheduled")
    assert smtp.recipients() == ["anna@rp.example", "joerg@wz.example"]
    assert {m["Subject"] for m in smtp.messages} == {"Später"}


def test_a_permanent_failure_is_recorded_on_the_journalists_delivery(
    newsroom,
    smtp,
    lists,
    admin_client,
    commit,
):
    smtp.refused["joerg@wz.example"] = "550 5.1.1 No such user"
    with commit():
        release = release_published(newsroom, [lists["local"]], title="Zählbar")

    assert smtp.recipients() == ["anna@rp.example"]
    failed = Delivery.objects.get(journalist__email="joerg@wz.example")
    assert failed.state == Delivery.FAILED and failed.attempts == 1
    assert "550" in failed.error and "No such user" in failed.error
    mailing = Mailing.objects.get(release=release)
    assert (mailing.sent_count(), mailing.pending_count(), mailing.failed_count()) == (1, 0, 1)
    listing = admin_client.get(reverse("press_mailings:index")).content.decode()
    assert re.search(r"Zählbar.*?<td[^>]*>\s*Presseverteiler\s*</td>", listing, re.S)
    assert re.search(r">\s*1\s*<.*>\s*0\s*<.*>\s*1\s*<", listing, re.S)


def test_the_editor_chooses_the_lists_in_the_release_form(newsroom, lists):
    form_class = PressReleasePage.get_edit_handler().get_form_class()
    assert "distribution_choices" in form_class.formsets
    field = form_class.formsets["distribution_choices"].form.base_fields["distribution_list"]
    assert str(field.label) == "Presseverteiler"
    assert set(field.queryset) == {lists["local"], lists["business"]}


# --- ahead of the embargo -------------------------------------------------------------------

EMBARGO_END = datetime.datetime(2030, 2, 7, 10, 0, tzinfo=BERLIN)


@pytest.fixture
def scheduled(newsroom, lists):
    release = release_saved(
        newsroom, [lists["local"]], title="Masterplan Industrie", lead="Stadt und Wirtschaft."
    )
    release.go_live_at = EMBARGO_END
    release.save_revision().publish()  # scheduled: offline until the embargo ends
    release.refresh_from_db()
    assert not release.live
    return release


def embargo_send(admin_client, release, *lists):
    return admin_client.post(
        reverse("press_embargo_send:index", args=[release.pk]),
        {"lists": [dlist.pk for dlist in lists]},
        follow=True,
    )


def embargo_url_in(message) -> str:
    found = re.search(r"http://testserver(/\S+/)\s", text_of(message))
    assert found, text_of(message)
    return found.group(1)


def test_an_embargo_send_gives_each_journalist_a_personal_link_that_can_be_revoked(
    admin_client,
    client,
    scheduled,
    lists,
    smtp,
    commit,
):
    with commit():
        response = embargo_send(admin_client, scheduled, lists["local"], lists["business"])

    assert "Unter Sperrfrist an 3 Journalistinnen und Journalisten gesendet" in (
        response.content.decode()
    )
    assert smtp.recipients() == ["anna@rp.example", "joerg@wz.example", "kai@hb.example"]
    mail = smtp.to("joerg@wz.example")[0]
    # Django folds the encoded subject right after "Subject:"; mail programs drop the blank
    # that Python's parser keeps at the start.
    subject = mail["Subject"].lstrip()
    assert subject == "Sperrfrist: 07. Februar 2030, 10:00 Uhr – Masterplan Industrie"
    assert "SPERRFRIST: nicht vor 07. Februar 2030, 10:00 Uhr veröffentlichen." in text_of(mail)
    assert mail.get_body(preferencelist=("html",)) is not None
    urls = {embargo_url_in(m) for m in smtp.messages}
    assert len(urls) == 3  # personal: one link each
    url = embargo_url_in(mail)
    reading = client.get(url)
    assert reading.status_code == 200 and "Masterplan Industrie" in reading.content.decode()
    assert client.get(scheduled.url or "/presse/masterplan-industrie/").status_code == 404

    # The link is among the release's embargo links, named after the journalist; revoked there,
    # it shows nothing.
    link = EmbargoShareLink.objects.get(deliveries__journalist__email="joerg@wz.example")
    assert link.note == "Jörg Müller (WZ)"
    links_page = admin_client.get(reverse("press_embargo_links:index", args=[scheduled.pk]))
    assert "Jörg Müller (WZ)" in links_page.content.decode()
    admin_client.post(reverse("press_embargo_links:revoke", args=[scheduled.pk, link.pk]))
    assert client.get(url).status_code == 404
    assert client.get(embargo_url_in(smtp.to("anna@rp.example")[0])).status_code == 200


def test_a_second_embargo_send_reaches_only_who_had_nothing(
    admin_client,
    scheduled,
    lists,
    smtp,
    commit,
):
    with commit():
        embargo_send(admin_client, scheduled, lists["local"])
    assert smtp.recipients() == ["anna@rp.example", "joerg@wz.example"]
    mailing = Mailing.objects.get(release=scheduled, kind=EMBARGO)

    with commit():
        response = embargo_send(admin_client, scheduled, lists["local"], lists["business"])
    mailing_deliver.call(mailing_id=mailing.pk)  # and the task run once more

    assert "an 1 Journalistin oder Journalisten gesendet; 2 hatten sie schon" in (
        response.content.decode()
    )
    assert smtp.recipients() == ["anna@rp.example", "joerg@wz.example", "kai@hb.example"]
    assert EmbargoShareLink.objects.filter(release=scheduled).count() == 3

    # At the end of the embargo the publication mail is a mail of its own, once each.
    smtp.messages.clear()
    later = EMBARGO_END + datetime.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later), commit():
        call_command("publish_scheduled")
    assert smtp.recipients() == ["anna@rp.example", "joerg@wz.example"]
    assert {m["Subject"] for m in smtp.messages} == {"Masterplan Industrie"}


def test_a_link_revoked_before_the_worker_ran_sends_nothing(
    admin_client,
    scheduled,
    lists,
    smtp,
    commit,
    settings,
):
    settings.PRESS = {**settings.PRESS, "MAIL_TASK_BACKEND": "webhooks"}
    settings.TASKS = {
        **settings.TASKS,
        "webhooks": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
    }
    with commit():
        embargo_send(admin_client, scheduled, lists["local"])
    assert smtp.messages == []  # queued
    EmbargoShareLink.objects.get(deliveries__journalist__email="anna@rp.example").revoke()

    mailing_deliver.call(mailing_id=Mailing.objects.get(kind=EMBARGO).pk)

    assert smtp.recipients() == ["joerg@wz.example"]


def test_an_embargo_mail_queued_before_the_schedule_was_cancelled_still_says_embargo(
    admin_client, scheduled, lists, smtp, commit, settings
):
    settings.PRESS = {**settings.PRESS, "MAIL_TASK_BACKEND": "webhooks"}
    settings.TASKS = {
        **settings.TASKS,
        "webhooks": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
    }
    with commit():
        embargo_send(admin_client, scheduled, lists["local"])
    # The editor cancels the schedule after the mails were queued.
    Revision.objects.filter(object_id=str(scheduled.pk)).update(approved_go_live_at=None)
    PressReleasePage.objects.filter(pk=scheduled.pk).update(go_live_at=None)

    mailing_deliver.call(mailing_id=Mailing.objects.get(kind=EMBARGO).pk)

    assert {m["Subject"].lstrip() for m in smtp.messages} == {
        "Sperrfrist: noch nicht festgelegt – Masterplan Industrie"
    }


def test_an_embargo_send_needs_an_embargo_time_and_an_unpublished_release(
    admin_client,
    newsroom,
    lists,
    smtp,
    commit,
):
    draft = release_saved(newsroom, title="Ohne Termin")
    draft.save_revision()
    response = embargo_send(admin_client, draft, lists["local"])
    assert "keine Sperrfrist in der Zukunft" in response.content.decode()

    with commit():
        public = release_published(newsroom, title="Schon öffentlich")
    response = embargo_send(admin_client, public, lists["local"])
    assert "schon öffentlich" in response.content.decode()

    response = embargo_send(admin_client, draft)
    assert "Dieses Feld muss ausgefüllt werden." in response.content.decode()
    assert smtp.messages == [] and not Mailing.objects.filter(kind=EMBARGO).exists()


def test_the_embargo_send_page_is_offered_in_the_release_menu(admin_client, scheduled):
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[scheduled.pk]))
    assert "Unter Sperrfrist an Verteiler senden" in edit.content.decode()
    page = admin_client.get(reverse("press_embargo_send:index", args=[scheduled.pk]))
    html = page.content.decode()
    assert "Sperrfrist bis 07. Februar 2030, 10:00 Uhr" in html
    assert "Noch an keinen Verteiler unter Sperrfrist gesendet." in html
