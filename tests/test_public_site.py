"""What a city's press site needs besides its releases: navigation, search, legal links,
favicon, robots.txt and error pages that read like the rest of the site."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client, override_settings
from django.urls import path

from cms import urls as site_urls
from press.models import PressSettings
from tests.factories import PressReleasePageFactory, body_paragraph


def server_error(request):
    raise RuntimeError("a deliberate error, to render the 500 page")


# The site's own patterns at the top (its i18n_patterns may not be included), and a page that
# fails.
urlpatterns = [path("fehler-500/", server_error), *site_urls.urlpatterns]


def soup_of(response, status: int = 200) -> BeautifulSoup:
    assert response.status_code == status, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def titles(soup: BeautifulSoup) -> list[str]:
    return [a.get_text(strip=True) for a in soup.select(".release-teaser h2 a")]


@pytest.fixture
def releases(newsroom):
    def make(title, text, date):
        return PressReleasePageFactory(
            parent=newsroom,
            title=title,
            release_date=date,
            body=[body_paragraph(f"<p>{text}</p>")],
        )

    return [
        make(
            "Neue Radwege in Bilk",
            "Die Stadt baut Radwege an der Brücke.",
            datetime.date(2024, 3, 7),
        ),
        make(
            "Weihnachtsmarkt eröffnet",
            "Der Markt am Schadowplatz öffnet.",
            datetime.date(2022, 12, 15),
        ),
        make(
            "Rheinufer im Sommer",
            "Konzerte am Rheinufer und an der Brücke.",
            datetime.date(2023, 6, 30),
        ),
    ]


# --- search -------------------------------------------------------------------------------


def test_newsroom_search_finds_releases_by_words_of_their_text(client, newsroom, releases):
    soup = soup_of(client.get(newsroom.url, {"q": "Brücke"}))

    assert titles(soup) == ["Neue Radwege in Bilk", "Rheinufer im Sommer"]
    assert "2 Pressemitteilungen zu „Brücke“ gefunden." in soup.select_one(".search-summary").text
    assert soup.select_one("input[name=q]")["value"] == "Brücke"
    assert soup.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")


def test_newsroom_search_needs_every_word_and_goes_with_the_year(client, newsroom, releases):
    assert titles(soup_of(client.get(newsroom.url, {"q": "Brücke Konzerte"}))) == [
        "Rheinufer im Sommer"
    ]
    assert titles(soup_of(client.get(newsroom.url, {"q": "Brücke", "jahr": "2024"}))) == [
        "Neue Radwege in Bilk"
    ]


def test_newsroom_search_without_hits_says_so_and_offers_all(client, newsroom, releases):
    soup = soup_of(client.get(newsroom.url, {"q": "Zeppelin"}))

    assert titles(soup) == []
    assert "0 Pressemitteilungen zu „Zeppelin“ gefunden." in soup.text
    assert soup.select_one(".search-summary a")["href"] == newsroom.url


@pytest.mark.parametrize("query", ['"', "AND", "*()^:", "x" * 5000, "Brücke OR 1=1 --"])
def test_newsroom_search_takes_any_input_without_an_error(client, newsroom, releases, query):
    assert client.get(newsroom.url, {"q": query}).status_code == 200


def test_newsroom_search_keeps_the_query_when_paging_and_choosing_a_year(
    client, newsroom, releases, settings
):
    settings.PRESS = {**settings.PRESS, "PAGE_SIZE": 1}
    soup = soup_of(client.get(newsroom.url, {"q": "Brücke"}))

    older = soup.select_one("a[rel=next]")["href"]
    assert "q=Br%C3%BCcke" in older and "seite=2" in older
    assert titles(soup_of(client.get(older))) == ["Rheinufer im Sommer"]
    years = {a.text: a["href"] for a in soup.select(".years a")}
    assert "q=Br%C3%BCcke" in years["2023"] and "jahr=2023" in years["2023"]


def test_newsroom_search_works_as_a_plain_form(client, newsroom):
    form = soup_of(client.get(newsroom.url)).select_one("form[role=search]")

    assert form["method"] == "get" and form["action"] == newsroom.url
    field = form.select_one("input[name=q]")
    assert form.select_one(f"label[for={field['id']}]").text == "Pressemitteilungen durchsuchen"
    assert form.select_one("button[type=submit]")


def test_search_stems_german_words_on_postgresql(client, newsroom, releases):
    """PostgreSQL's German configuration (SEARCH_CONFIG) finds "Brücken" in "Brücke"; SQLite's
    full-text index matches whole words only."""
    found = titles(soup_of(client.get(newsroom.url, {"q": "Brücken"})))

    if connection.vendor == "postgresql":
        assert found == ["Neue Radwege in Bilk", "Rheinufer im Sommer"]
    else:
        assert found == []


# --- navigation, home page, footer ----------------------------------------------------------


def test_every_page_links_home_and_newsroom_and_marks_where_the_reader_is(
    client, home, newsroom, releases
):
    for url, current in [(home.url, "Startseite"), (newsroom.url, newsroom.title)]:
        nav = soup_of(client.get(url)).select_one("nav.site-nav")
        links = {a.text: a for a in nav.select("a")}
        assert links["Startseite"]["href"] == home.url
        assert links[newsroom.title]["href"] == newsroom.url
        assert links[current]["aria-current"] == "page"


def test_release_pages_link_the_latest_releases(client, newsroom, releases):
    soup = soup_of(client.get(releases[1].url))

    latest = [a.text for a in soup.select(".site-footer__latest a")]
    assert latest == ["Neue Radwege in Bilk", "Rheinufer im Sommer", "Weihnachtsmarkt eröffnet"]


def test_home_page_says_what_the_site_is(client, home, newsroom, releases):
    soup = soup_of(client.get(home.url))

    assert "Hier finden Sie die aktuellen Pressemitteilungen aus Rat und Verwaltung" in soup.text
    assert soup.select_one("form[role=search]")["action"] == newsroom.url
    assert soup.find("a", string="RSS-Feed der Pressemitteilungen")["href"] == newsroom.url + "rss/"
    assert not soup.select(".site-footer__latest")  # the page lists them itself


def test_footer_links_the_legal_pages_only_when_set(client, home):
    assert not soup_of(client.get(home.url)).find("a", string="Impressum")

    office = PressSettings.for_site(home.get_site())
    office.imprint_url = "https://www.duesseldorf.de/impressum"
    office.privacy_url = "/datenschutz/"
    office.save()
    soup = soup_of(client.get(home.url))

    footer = soup.select_one(".site-footer")
    assert footer.find("a", string="Impressum")["href"] == "https://www.duesseldorf.de/impressum"
    assert footer.find("a", string="Datenschutz")["href"] == "/datenschutz/"
    assert not footer.find("a", string="Barrierefreiheit")


@pytest.mark.parametrize(
    "address, valid",
    [
        ("/impressum/", True),
        ("https://www.duesseldorf.de/impressum", True),
        ("javascript:alert(1)", False),
        ("//evil.example/impressum", False),
        ("impressum", False),
    ],
)
def test_legal_page_addresses_are_site_paths_or_web_addresses(db, address, valid):
    office = PressSettings.defaults()
    office.imprint_url = address
    if valid:
        office.clean_fields(exclude=["site"])
    else:
        with pytest.raises(ValidationError):
            office.clean_fields(exclude=["site"])


# --- robots.txt, favicon, error pages -------------------------------------------------------


def test_robots_txt_points_at_the_sitemap_by_its_absolute_address(client, home):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines and "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
    assert client.get("/sitemap.xml").status_code == 200
    assert client.get("/sitemap-news.xml").status_code == 200


def test_favicon_is_linked_and_the_files_exist(client, home):
    soup = soup_of(client.get(home.url))

    icons = {link.get("type", ""): link["href"] for link in soup.select("link[rel=icon]")}
    assert icons["image/svg+xml"].endswith("/home/favicon.svg")
    assert icons[""].endswith("/home/favicon.ico")
    for name in ("favicon.svg", "favicon.ico", "apple-touch-icon.png"):
        assert finders.find(f"home/{name}"), name
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == icons[""]


def test_not_found_page_is_the_site_s_own_in_german(client, home, newsroom):
    soup = soup_of(client.get("/gibt-es-nicht/"), status=404)

    assert soup.html["lang"] == "de"
    assert soup.h1.text == "Diese Seite gibt es nicht"
    assert soup.find("a", string="Alle Pressemitteilungen")["href"] == newsroom.url
    assert soup.select_one("main#inhalt")


@override_settings(ROOT_URLCONF=__name__)
def test_server_error_page_needs_neither_request_nor_database(home):
    client = Client(raise_request_exception=False)

    soup = soup_of(client.get("/fehler-500/"), status=500)

    assert soup.html["lang"] == "de"
    assert soup.h1.text == "Ein vorübergehender Fehler"
    assert soup.find("link", rel="stylesheet")
