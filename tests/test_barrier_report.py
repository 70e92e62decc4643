"""Reporting a barrier (press.accessibility): the form works without JavaScript, is protected
like the subscription form, stores each report with its date, tells the office over a real SMTP
server, and editors see the open reports with their reply deadline in the admin and mark them
answered. The accessibility statement is a page the office keeps; every page's footer links it
and the form."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from press.accessibility.models import AccessibilityStatementPage, BarrierReport, month_later
from press.models import PressSettings
from tests.factories import PressReleasePageFactory, body_paragraph
from tests.test_subscriptions import FROM, commit, smtp, text_of  # noqa: F401 (fixtures)

FORM = "/barriere-melden/"
OFFICE = "barrierefrei@duesseldorf.example"


@pytest.fixture
def office_mail(settings, smtp):  # noqa: F811
    settings.PRESS = {**settings.PRESS, "BARRIER_REPORT_RECIPIENTS": [OFFICE]}
    return smtp


def report(client, **fields):
    data = {"description": "Das PDF liest mein Screenreader nicht vor.", **fields}
    return client.post(FORM, data)


def test_the_form_works_without_javascript_and_tells_the_office(
    client,
    newsroom,
    office_mail,
    commit,  # noqa: F811
):
    form = client.get(FORM + "?seite=/presse/radwege/")
    html = form.content.decode()
    assert form.status_code == 200
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert "<script" not in html.split("<main")[1]  # a plain form, nothing to run
    assert 'value="/presse/radwege/"' in html  # the page the reader came from

    with commit():
        response = report(
            client, page_url="/presse/radwege/", name="Jana Muster", email="jana@example.org"
        )

    assert response.status_code == 200
    assert "Vielen Dank" in response.content.decode()
    (stored,) = BarrierReport.objects.all()
    assert stored.description == "Das PDF liest mein Screenreader nicht vor."
    assert stored.page_url == "/presse/radwege/"
    assert abs(stored.created_at - timezone.now()) < datetime.timedelta(minutes=1)
    (mail,) = office_mail.messages
    assert mail["X-Envelope-To"] == OFFICE  # the office only, never the reporter's address
    assert mail["Reply-To"] == "jana@example.org"
    body = text_of(mail)
    assert "Das PDF liest mein Screenreader nicht vor." in body
    assert f"Antwort fällig bis: {stored.reply_due:%d.%m.%Y}" in body
    assert f"http://testserver/admin/press_barrier_reports/edit/{stored.pk}/" in body


def test_a_report_needs_a_description_and_a_valid_address(client, newsroom, office_mail):
    response = report(client, description="  ", email="keine-adresse")

    assert response.status_code == 400
    html = response.content.decode()
    assert "Bitte beschreiben Sie die Barriere." in html
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein" in html
    assert not BarrierReport.objects.exists()
    assert office_mail.messages == []


def test_a_forged_form_is_refused(newsroom, office_mail):
    client = Client(enforce_csrf_checks=True)

    assert report(client).status_code == 403
    assert not BarrierReport.objects.exists()


def test_reports_are_limited_per_client_and_in_all(
    client,
    newsroom,
    office_mail,
    settings,
    commit,  # noqa: F811
):
    settings.PRESS = {
        **settings.PRESS,
        "BARRIER_REPORT_MAX_PER_CLIENT": 2,
        "BARRIER_REPORT_MAX_TOTAL": 3,
    }
    with commit():
        answers = [report(client).status_code for _ in range(3)]
        other = Client(REMOTE_ADDR="192.0.2.7")
        answers += [report(other).status_code for _ in range(2)]

    assert answers == [200, 200, 429, 200, 429]  # the client's two, then the total's three
    assert "Zu viele Meldungen" in report(client).content.decode()
    assert BarrierReport.objects.count() == 3
    assert len(office_mail.messages) == 3  # no mail for a refused report


def test_the_reply_deadline_is_one_month_later():
    assert month_later(datetime.date(2026, 12, 7)) == datetime.date(2027, 1, 7)
    assert month_later(datetime.date(2027, 1, 31)) == datetime.date(2027, 2, 28)
    assert month_later(datetime.date(2028, 1, 31)) == datetime.date(2028, 2, 29)


@pytest.fixture
def editor(client, db):
    user = get_user_model().objects.create_superuser("redaktion", "r@example.org", "geheim")
    client.force_login(user)
    return client


def test_editors_see_open_reports_with_their_deadline_and_mark_them_answered(editor, newsroom):
    old = BarrierReport.objects.create(description="Kontrast zu schwach")
    old.created_at = timezone.now() - datetime.timedelta(days=20)
    old.save()
    new = BarrierReport.objects.create(description="Video ohne Untertitel")
    listing = reverse("press_barrier_reports:index")

    html = editor.get(listing).content.decode()
    assert html.index("Kontrast zu schwach") < html.index("Video ohne Untertitel")  # due first
    assert old.reply_due.strftime("%d.%m.%Y") in html
    assert "Antwort fällig bis" in html

    response = editor.post(
        reverse("press_barrier_reports:edit", args=[old.pk]),
        {"answered_at": timezone.localdate().isoformat(), "answer_note": "Kontrast erhöht"},
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.answered_at == timezone.localdate() and not old.is_open
    assert list(BarrierReport.objects.open()) == [new]
    # The text the reader sent stays as it came in.
    assert old.description == "Kontrast zu schwach"
    # Reports only come from the public form.
    assert editor.get(reverse("press_barrier_reports:add")).status_code in (302, 403)


def test_every_page_footer_links_the_statement_and_the_form(client, newsroom):
    home = newsroom.get_parent()
    statement = AccessibilityStatementPage(
        title="Erklärung zur Barrierefreiheit",
        slug="barrierefreiheit",
        reviewed_at=datetime.date(2026, 11, 30),
        body="<p>Diese Website ist weitgehend barrierefrei.</p>",
    )
    home.add_child(instance=statement)
    statement.save_revision().publish()
    settings = PressSettings.for_site(Site.objects.get(is_default_site=True))
    settings.accessibility_url = "https://www.duesseldorf.de/barrierefreiheit"
    settings.save()
    release = PressReleasePageFactory(parent=newsroom, body=[body_paragraph("<p>Text</p>")])
    release.save_revision().publish()

    for url in ["/", newsroom.url, release.url, FORM]:
        html = client.get(url).content.decode()
        footer = html.split('<footer class="site-footer">')[1]
        assert '<a href="/barrierefreiheit/">Barrierefreiheit</a>' in footer, url
        assert "duesseldorf.de/barrierefreiheit" not in footer, url  # the page replaces it
        assert f'<a href="{FORM}">Barriere melden</a>' in footer, url

    page = client.get(statement.url).content.decode()
    assert "zuletzt am 30. November 2026 überprüft" in page
    assert f'href="{FORM}"' in page.split('<footer class="site-footer">')[0]
    assert 'href="/barrierefreiheit/"' in client.get(FORM).content.decode().split("<footer")[0]
