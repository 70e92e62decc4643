"""The year and month filters as date ranges: boundaries of a month and of the calendar."""

import datetime

import pytest

from tests.factories import PressReleasePageFactory


def published(release):
    release.save_revision().publish()
    return release


@pytest.fixture
def releases(newsroom):
    for title, day in [
        ("Silvesterlauf", datetime.date(2023, 12, 31)),
        ("Neujahrsempfang", datetime.date(2024, 1, 1)),
        ("Adventsmarkt", datetime.date(2023, 12, 1)),
        ("Herbstfest", datetime.date(2023, 11, 30)),
    ]:
        published(PressReleasePageFactory(parent=newsroom, title=title, release_date=day))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": 2023, "month": 12}, ["Silvesterlauf", "Adventsmarkt"]),
        ({"year": 2023, "month": 11}, ["Herbstfest"]),
        ({"year": 2024, "month": 1}, ["Neujahrsempfang"]),
        ({"year": 2023}, ["Silvesterlauf", "Adventsmarkt", "Herbstfest"]),
        ({"month": 12}, ["Silvesterlauf", "Adventsmarkt"]),
        ({"year": 9999}, []),
        ({"year": 9999, "month": 12}, []),
    ],
)
def test_year_and_month_select_whole_months_and_years(client, releases, params, expected):
    response = client.get("/api/press/releases", params)
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["results"]] == expected
