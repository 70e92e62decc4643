"""The press API at /api/press/: filters, ordering, pagination, lookups, errors, block data."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.factories import (
    ImageFactory,
    PressContactFactory,
    PressReleasePageFactory,
    body_image,
    body_paragraph,
    body_quote,
    original_path,
)

LIST_URL = "/api/press/releases"


def published(release):
    release.save_revision().publish()
    release.refresh_from_db()
    return release


def release_at(newsroom, day: datetime.date, **kwargs):
    kwargs.setdefault("title", f"Mitteilung vom {day:%d.%m.%Y}")
    kwargs.setdefault("slug", f"mitteilung-{day:%Y-%m-%d}")
    return published(PressReleasePageFactory(parent=newsroom, release_date=day, **kwargs))


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [release["title"] for release in response.json()["results"]]


def assert_problem(response, *, status: int, parameter: str | None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == status
    assert problem["title"] and problem["detail"]
    assert problem["parameter"] == parameter
    return problem


@pytest.fixture
def releases(newsroom):
    """Three releases over two years, two contacts."""
    keller = PressContactFactory(name="Stefan Keller")
    wotschke = PressContactFactory(name="Annemarie Wotschke")
    return {
        "feb23": release_at(
            newsroom,
            datetime.date(2023, 2, 7),
            title="Masterplan Industrie",
            slug="masterplan-industrie",
            contact=wotschke,
            body=[body_paragraph("<p>Der Steuerungskreis tagte im Rathaus.</p>")],
        ),
        "mar23": release_at(
            newsroom,
            datetime.date(2023, 3, 15),
            title="Radwege am Rhein",
            contact=keller,
            body=[body_paragraph("<p>Neue Fahrradstraßen entlang des Rheinufers.</p>")],
        ),
        "jan24": release_at(
            newsroom,
            datetime.date(2024, 1, 10),
            title="Neujahrsempfang",
            contact=wotschke,
            body=[body_paragraph("<p>Der Oberbürgermeister lud ins Rathaus.</p>")],
        ),
    }


def test_list_is_newest_first_with_count_and_pagination(client, releases):
    response = client.get(LIST_URL)
    data = response.json()
    assert titles(response) == ["Neujahrsempfang", "Radwege am Rhein", "Masterplan Industrie"]
    assert (data["count"], data["limit"], data["offset"]) == (3, 20, 0)
    assert data["next"] is None and data["previous"] is None

    first = client.get(LIST_URL, {"limit": 2}).json()
    assert [r["title"] for r in first["results"]] == ["Neujahrsempfang", "Radwege am Rhein"]
    assert first["count"] == 3
    assert first["next"].startswith("http://testserver/api/press/releases?")
    assert "offset=2" in first["next"]
    second = client.get(first["next"]).json()
    assert [r["title"] for r in second["results"]] == ["Masterplan Industrie"]
    assert second["next"] is None
    assert "offset=0" in second["previous"]


def test_ordering_oldest_first(client, releases):
    response = client.get(LIST_URL, {"ordering": "release_date"})
    assert titles(response) == ["Masterplan Industrie", "Radwege am Rhein", "Neujahrsempfang"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": 2023}, ["Radwege am Rhein", "Masterplan Industrie"]),
        ({"year": 2024}, ["Neujahrsempfang"]),
        ({"year": 2023, "month": 2}, ["Masterplan Industrie"]),
        ({"month": 1}, ["Neujahrsempfang"]),
        ({"date_from": "2023-03-01"}, ["Neujahrsempfang", "Radwege am Rhein"]),
        ({"date_to": "2023-03-15"}, ["Radwege am Rhein", "Masterplan Industrie"]),
        ({"date_from": "2023-02-08", "date_to": "2023-12-31"}, ["Radwege am Rhein"]),
        ({"year": 2022}, []),
    ],
)
def test_date_filters(client, releases, params, expected):
    response = client.get(LIST_URL, params)
    assert titles(response) == expected
    assert response.json()["count"] == len(expected)


def test_contact_filter(client, releases):
    keller = releases["mar23"].contact
    assert titles(client.get(LIST_URL, {"contact": keller.pk})) == ["Radwege am Rhein"]
    wotschke = releases["feb23"].contact
    assert titles(client.get(LIST_URL, {"contact": wotschke.pk})) == [
        "Neujahrsempfang",
        "Masterplan Industrie",
    ]


def test_full_text_search_finds_body_text_and_keeps_other_filters(client, releases):
    assert titles(client.get(LIST_URL, {"q": "Fahrradstraßen"})) == ["Radwege am Rhein"]
    assert titles(client.get(LIST_URL, {"q": "Rathaus"})) == [
        "Neujahrsempfang",
        "Masterplan Industrie",
    ]
    assert titles(client.get(LIST_URL, {"q": "Rathaus", "year": 2023})) == ["Masterplan Industrie"]
    assert titles(client.get(LIST_URL, {"q": "Rathaus", "ordering": "release_date"})) == [
        "Masterplan Industrie",
        "Neujahrsempfang",
    ]
    assert titles(client.get(LIST_URL, {"q": "Weihnachtsmarkt"})) == []


def test_detail_carries_every_field(client, releases):
    release = releases["feb23"]
    response = client.get(f"{LIST_URL}/{release.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == release.pk
    assert data["title"] == "Masterplan Industrie"
    assert data["slug"] == "masterplan-industrie"
    assert data["release_date"] == "2023-02-07"
    assert data["contact"] == {
        "name": "Annemarie Wotschke",
        "email": "presse@duesseldorf.de",
        "phone": "+49.211.89-93131",
    }
    assert data["html_url"] == "http://testserver/presse/masterplan-industrie/"
    assert data["text_url"] == "http://testserver/presse/masterplan-industrie/text/"
    assert data["first_published_at"] and data["last_published_at"]
    assert data["photos"] == []


def test_body_blocks_are_typed_with_absolute_image_urls(client, newsroom):
    image = ImageFactory(title="Steuerungskreis")
    release = release_at(
        newsroom,
        datetime.date(2023, 2, 7),
        body=[
            body_paragraph('<p>CO<sub>2</sub> sinkt, <a href="https://example.org/">mehr</a>.</p>'),
            body_quote(
                "<p>Wir bündeln unsere Kräfte.</p>", "Dr. Stephan Keller", "Oberbürgermeister"
            ),
            body_image(
                image, caption="Im Rathaus (v.l.)", credit="Landeshauptstadt Düsseldorf/David Young"
            ),
        ],
    )
    data = client.get(f"{LIST_URL}/{release.pk}").json()
    paragraph, quote, photo = data["body"]

    assert paragraph["type"] == "paragraph" and paragraph["id"]
    assert "CO<sub>2</sub>" in paragraph["value"]["html"]
    text = paragraph["value"]["text"]
    assert "sinkt" in text and "<sub>" not in text and "</a>" not in text

    assert quote["type"] == "quote"
    assert quote["value"]["name"] == "Dr. Stephan Keller"
    assert quote["value"]["role"] == "Oberbürgermeister"
    assert "Wir bündeln unsere Kräfte." in quote["value"]["text"]
    assert quote["value"]["text_plain"] == "Wir bündeln unsere Kräfte."

    assert photo["type"] == "image"
    value = photo["value"]
    assert value["credit"] == "Landeshauptstadt Düsseldorf/David Young"
    assert value["caption"] == "Im Rathaus (v.l.)"
    assert value["alt"] == "Im Rathaus (v.l.)"
    assert value["image"]["url"] == f"http://testserver{original_path(image)}"
    assert (value["image"]["width"], value["image"]["height"]) == (1200, 800)
    widths = [r["width"] for r in value["image"]["renditions"]]
    assert widths == [400, 800, 1200]
    assert all(
        r["url"].startswith("http://testserver/media/") for r in value["image"]["renditions"]
    )
    assert data["photos"] == [value]


def test_lookup_by_page_path_frontend_route_and_slug(client, releases):
    release = releases["feb23"]
    lookup = f"{LIST_URL}/by-path"
    for params in (
        {"path": "/presse/masterplan-industrie/"},
        {"path": "/presse/masterplan-industrie"},
        {"path": "/presse/2023/masterplan-industrie"},
        {"path": "https://www.example.org/presse/2023/masterplan-industrie?utm=1"},
        {"slug": "masterplan-industrie"},
    ):
        response = client.get(lookup, params)
        assert response.status_code == 200, params
        assert response.json()["id"] == release.pk, params


def test_lookup_prefers_the_exact_path_over_a_slug_elsewhere(client, releases, home):
    from tests.factories import PressIndexPageFactory

    other_newsroom = PressIndexPageFactory(parent=home, title="Archiv", slug="archiv")
    other = release_at(other_newsroom, datetime.date(2020, 5, 5), slug="masterplan-industrie")
    response = client.get(f"{LIST_URL}/by-path", {"path": "/archiv/masterplan-industrie/"})
    assert response.json()["id"] == other.pk
    response = client.get(f"{LIST_URL}/by-path", {"path": "/presse/2023/masterplan-industrie"})
    assert response.json()["id"] == releases["feb23"].pk


@pytest.mark.parametrize(
    "url",
    [
        f"{LIST_URL}/999999",
        f"{LIST_URL}/by-path?path=/presse/gibt-es-nicht/",
        f"{LIST_URL}/by-path?slug=gibt-es-nicht",
        f"{LIST_URL}/by-path?path=/",
        f"{LIST_URL}/keine-zahl",
        "/api/press/gibt-es-nicht",
    ],
)
def test_unknown_release_is_a_problem_404(client, releases, url):
    assert_problem(client.get(url), status=404, parameter=None)


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"limit": 101}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": "viele"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": 10**30}, "offset"),
        ({"year": "zweitausend"}, "year"),
        ({"month": 13}, "month"),
        ({"date_from": "2023-02-30"}, "date_from"),
        ({"date_to": "07.02.2023"}, "date_to"),
        ({"contact": "annemarie"}, "contact"),
        ({"contact": 2**70}, "contact"),
        ({"ordering": "title"}, "ordering"),
        ({"q": ""}, "q"),
        ({"q": "a\x00b"}, "q"),
        ({"sort": "-release_date"}, "sort"),
    ],
)
def test_bad_list_parameters_are_a_problem_400_naming_the_parameter(
    client, releases, params, parameter
):
    problem = assert_problem(client.get(LIST_URL, params), status=400, parameter=parameter)
    assert parameter in problem["detail"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({}, "path"),
        ({"path": "/presse/x/", "slug": "x"}, "slug"),
        ({"path": "/presse/x/", "id": "3"}, "id"),
        ({"path": "x" * 2001}, "path"),
    ],
)
def test_bad_lookup_parameters_are_a_problem_400(client, releases, params, parameter):
    assert_problem(client.get(f"{LIST_URL}/by-path", params), status=400, parameter=parameter)


def test_detail_rejects_query_parameters(client, releases):
    response = client.get(f"{LIST_URL}/{releases['feb23'].pk}", {"fields": "title"})
    assert_problem(response, status=400, parameter="fields")


def test_no_hidden_release_is_visible_anywhere_in_the_api(client, newsroom, releases):
    draft = PressReleasePageFactory(
        parent=newsroom,
        title="Entwurf",
        slug="entwurf",
        live=False,
        release_date=datetime.date(2023, 6, 1),
    )
    unpublished = release_at(newsroom, datetime.date(2023, 6, 2), title="Zurückgezogen")
    unpublished.unpublish()
    private = release_at(newsroom, datetime.date(2023, 6, 3), title="Intern", slug="intern")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="geheim")
    expired = release_at(newsroom, datetime.date(2023, 6, 4), title="Abgelaufen")
    expired.expire_at = timezone.now() - datetime.timedelta(hours=1)
    expired.expired = True
    expired.save()
    # A live release with a newer draft shows its published title only.
    changed = releases["feb23"]
    changed.title = "Unveröffentlichter Titel"
    changed.save_revision()

    listed = titles(client.get(LIST_URL, {"limit": 100}))
    assert listed == ["Neujahrsempfang", "Radwege am Rhein", "Masterplan Industrie"]
    for hidden in (draft, unpublished, private, expired):
        assert client.get(f"{LIST_URL}/{hidden.pk}").status_code == 404
        assert client.get(f"{LIST_URL}/by-path", {"slug": hidden.slug}).status_code == 404
    assert client.get(f"{LIST_URL}/by-path", {"path": "/presse/intern/"}).status_code == 404
    assert titles(client.get(LIST_URL, {"q": "Entwurf"})) == []
    assert client.get(f"{LIST_URL}/{changed.pk}").json()["title"] == "Masterplan Industrie"


def test_api_v2_pages_read_releases_through_the_selector(client, newsroom, releases):
    expired = release_at(newsroom, datetime.date(2023, 6, 4), title="Abgelaufen")
    expired.expired = True
    expired.save()

    listing = client.get(
        "/api/v2/pages/", {"type": "press.PressReleasePage", "fields": "body,contact"}
    )
    assert listing.status_code == 200
    items = listing.json()["items"]
    assert sorted(item["title"] for item in items) == [
        "Masterplan Industrie",
        "Neujahrsempfang",
        "Radwege am Rhein",
    ]
    assert client.get(f"/api/v2/pages/{expired.pk}/").status_code == 404
    assert all(item["id"] != expired.pk for item in client.get("/api/v2/pages/").json()["items"])
    # Other page types are served as Wagtail does.
    assert client.get(f"/api/v2/pages/{newsroom.pk}/").status_code == 200


def test_api_v2_gives_the_same_block_data_as_the_press_api(client, newsroom):
    image = ImageFactory()
    release = release_at(
        newsroom,
        datetime.date(2023, 2, 7),
        body=[
            body_paragraph("<p>Absatz</p>"),
            body_quote("<p>Zitat</p>", "Name", "Funktion"),
            body_image(image, caption="Foto", credit="Stadt"),
        ],
    )
    v2 = client.get(f"/api/v2/pages/{release.pk}/").json()
    press = client.get(f"{LIST_URL}/{release.pk}").json()
    assert v2["body"] == press["body"]
    assert v2["contact"] == press["contact"]
    assert v2["text_url"] == press["text_url"]


@pytest.mark.parametrize(
    "q",
    ['"', 'Rathaus"', "Rathaus, Rhein", "AND", "OR NOT", "NEAR(", "*", "(", "a:b", "'", "^", "…"],
)
def test_search_syntax_characters_are_plain_text_not_an_error(client, releases, q):
    response = client.get(LIST_URL, {"q": q})
    assert response.status_code == 200
    expected = ["Neujahrsempfang", "Masterplan Industrie"] if "Rathaus" in q else []
    if q == "Rathaus, Rhein":
        expected = []  # every word must match: no release names both
    assert titles(response) == expected


def test_search_terms_are_lower_case_words_only():
    from press.models.search import search_terms

    assert (
        search_terms('CO2-Emissionen, "Rathaus" AND NEAR(x)') == "co2 emissionen rathaus and near x"
    )
    assert search_terms("„Düsseldorfer Straße“") == "düsseldorfer straße"
    assert search_terms("*()^:") == ""


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="German stemming is PostgreSQL's full-text search (SEARCH_CONFIG german); CI runs it there",
)
def test_search_understands_german_word_forms_on_postgresql(client, releases):
    # "Rathäusern" and "Rathaus" share the German stem; "Fahrradstraße" that of "Fahrradstraßen".
    assert titles(client.get(LIST_URL, {"q": "Rathäusern"})) == [
        "Neujahrsempfang",
        "Masterplan Industrie",
    ]
    assert titles(client.get(LIST_URL, {"q": "Fahrradstraße"})) == ["Radwege am Rhein"]
