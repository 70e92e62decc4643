"""Public pages: the newsroom, a release page (with its head metadata) and the home page."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.test import override_settings
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


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def meta_content(soup: BeautifulSoup, **attrs) -> str | None:
    tag = soup.find("meta", attrs=attrs)
    return tag["content"] if tag else None


@pytest.fixture
def photo(db):
    return ImageFactory(title="Steuerungskreis")


@pytest.fixture
def release(newsroom, photo):
    return PressReleasePageFactory(
        parent=newsroom,
        title="Masterplan Industrie: Steuerungskreis tagt",
        slug="masterplan-industrie",
        release_date=datetime.date(2023, 2, 7),
        lead="Der Steuerungskreis zieht eine positive Bilanz.",
        contact=PressContactFactory(
            name="Annemarie Wotschke", email="presse@duesseldorf.de", phone="0211.89-93131"
        ),
        body=[
            body_paragraph("<p>Zum Jahresauftakt fand im Rathaus das Treffen statt.</p>"),
            body_quote(
                "<p>Die CO<sub>2</sub>-Emissionen sinken.</p>",
                "Dr. Stephan Keller",
                "Oberbürgermeister",
            ),
            body_image(
                photo,
                caption="Steuerungskreis im Rathaus (v.l.)",
                credit="Landeshauptstadt Düsseldorf/David Young",
            ),
        ],
    )


# The release page


def test_release_page_shows_date_title_lead_and_paragraphs(client, release):
    soup = soup_of(client.get(release.url))
    article = soup.find("article", class_="release")

    assert article.find("time").get_text() == "07. Februar 2023"
    assert article.find("time")["datetime"] == "2023-02-07"
    assert article.find("h1").get_text() == "Masterplan Industrie: Steuerungskreis tagt"
    assert "positive Bilanz" in article.find(class_="release__lead").get_text()
    assert "Zum Jahresauftakt fand im Rathaus" in article.find(class_="block-paragraph").get_text()


def test_release_date_is_german_long_form_in_every_month(client, newsroom):
    release = PressReleasePageFactory(parent=newsroom, release_date=datetime.date(2024, 3, 1))
    soup = soup_of(client.get(release.url))
    assert soup.find("time").get_text() == "01. März 2024"


def test_quote_is_a_blockquote_with_name_and_role(client, release):
    soup = soup_of(client.get(release.url))
    quote = soup.find("figure", class_="block-quote")

    assert quote.blockquote.find("sub").get_text() == "2"
    assert "-Emissionen sinken" in quote.blockquote.get_text()
    attribution = quote.figcaption.get_text(" ", strip=True)
    assert "Dr. Stephan Keller" in attribution and "Oberbürgermeister" in attribution


def test_photo_is_a_figure_with_caption_credit_and_download_of_the_original(client, release, photo):
    soup = soup_of(client.get(release.url))
    figure = soup.find("figure", class_="block-image")

    caption = figure.figcaption.get_text(" ", strip=True)
    assert "Steuerungskreis im Rathaus (v.l.)" in caption
    assert "©Landeshauptstadt Düsseldorf/David Young" in caption
    download = figure.find("a", class_="download")
    assert download["href"].endswith(original_path(photo))
    img = figure.img
    assert img["alt"] == "Steuerungskreis im Rathaus (v.l.)"
    assert "width-" in img["src"]  # a rendition, not the (large) original


def test_release_page_offers_the_photos_under_the_download_sentence(client, release, photo):
    soup = soup_of(client.get(release.url))
    downloads = soup.find("section", class_="release__downloads")

    assert "folgendes Material zum Download" in downloads.get_text()
    assert downloads.find("a")["href"].endswith(original_path(photo))


def test_release_page_shows_contact_and_links_the_text_version(client, release):
    soup = soup_of(client.get(release.url))
    contact = soup.find("section", class_="release__contact").get_text(" ", strip=True)

    assert "Annemarie Wotschke" in contact
    assert "presse@duesseldorf.de" in contact
    assert "0211.89-93131" in contact
    text_link = soup.find("a", string="Textversion")
    assert text_link["href"] == f"{release.url}text/"
    assert client.get(text_link["href"]).status_code == 200


def test_release_without_contact_lead_or_photo_still_renders(client, newsroom):
    release = PressReleasePageFactory(
        parent=newsroom, contact=None, body=[body_paragraph("<p>Nur ein Absatz.</p>")]
    )
    soup = soup_of(client.get(release.url))
    assert soup.find(class_="release__contact") is None
    assert soup.find(class_="release__downloads") is None
    assert soup.find("meta", property="og:image") is None


# The release page's head


def test_release_head_has_title_description_canonical_and_opengraph(client, release):
    soup = soup_of(client.get(release.url))

    assert soup.title.get_text().startswith("Masterplan Industrie: Steuerungskreis tagt – ")
    assert "Pressedienst" in soup.title.get_text()
    assert meta_content(soup, name="description") == release.lead
    assert soup.find("link", rel="canonical")["href"] == release.full_url
    assert meta_content(soup, property="og:type") == "article"
    assert meta_content(soup, property="og:title") == release.title
    assert meta_content(soup, property="og:description") == release.lead
    assert meta_content(soup, property="og:url") == release.full_url


def test_og_image_is_a_rendition_of_the_first_photo(client, release, photo):
    soup = soup_of(client.get(release.url))
    og_image = meta_content(soup, property="og:image")

    # The largest sized rendition (IMAGE_WIDTHS up to 1600, never upscaled), not the original.
    assert og_image == f"http://testserver{photo.get_rendition('width-1600').url}"
    assert og_image != f"http://testserver{original_path(photo)}"
    assert meta_content(soup, property="og:image:width") == "1200"


@pytest.mark.parametrize(
    ("search_description", "lead", "expected"),
    [
        ("Suchbeschreibung.", "Vorspann.", "Suchbeschreibung."),
        ("", "Vorspann.", "Vorspann."),
        ("", "", "Erster Absatz mit CO₂."),
    ],
)
def test_description_is_search_description_else_lead_else_first_paragraph_of_text(
    client, newsroom, search_description, lead, expected
):
    release = PressReleasePageFactory(
        parent=newsroom,
        search_description=search_description,
        lead=lead,
        body=[
            body_quote("<p>Kein Absatz.</p>", "Name"),
            body_paragraph("<h2>Eine Zwischenüberschrift</h2>"),
            body_paragraph("<ul><li>Eine Liste</li></ul>"),
            body_paragraph("<p>Erster Absatz mit CO<sub>2</sub>.</p>"),
            body_paragraph("<p>Zweiter Absatz.</p>"),
        ],
    )
    soup = soup_of(client.get(release.url))
    assert meta_content(soup, name="description") == expected
    assert meta_content(soup, property="og:description") == expected


def json_ld_of(soup: BeautifulSoup) -> dict:
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


def test_json_ld_news_article_with_credited_images(client, release, photo):
    data = json_ld_of(soup_of(client.get(release.url)))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == release.title
    assert data["datePublished"] == "2023-02-07"
    assert data["dateModified"]
    assert data["author"]["name"] == "Landeshauptstadt Düsseldorf"
    assert data["publisher"]["name"] == "Landeshauptstadt Düsseldorf"
    [image] = data["image"]
    assert image["@type"] == "ImageObject"
    assert image["contentUrl"] == f"http://testserver{original_path(photo)}"
    assert image["caption"] == "Steuerungskreis im Rathaus (v.l.)"
    assert image["creditText"] == "Landeshauptstadt Düsseldorf/David Young"
    assert image["copyrightNotice"] == "© Landeshauptstadt Düsseldorf/David Young"


def test_json_ld_cannot_be_broken_out_of_by_a_title(client, newsroom):
    hostile = 'Alarm </script><script>alert("x")</script> <!-- & Co'
    release = PressReleasePageFactory(parent=newsroom, title=hostile)
    response = client.get(release.url)
    soup = soup_of(response)

    # Only the JSON-LD block itself is a script: the title opened no element of its own.
    assert [tag.get("type") for tag in soup.find_all("script")] == ["application/ld+json"]
    assert json_ld_of(soup)["headline"] == hostile
    assert b"</script><script>" not in response.content


# The newsroom


def test_newsroom_lists_releases_newest_first(client, newsroom):
    for day, title in [(3, "Mitte"), (9, "Neueste"), (1, "Älteste")]:
        PressReleasePageFactory(
            parent=newsroom, title=title, release_date=datetime.date(2023, 5, day)
        )
    soup = soup_of(client.get(newsroom.url))
    titles = [h2.get_text(strip=True) for h2 in soup.select(".release-list h2")]
    assert titles == ["Neueste", "Mitte", "Älteste"]
    assert soup.select_one(".release-list time").get_text() == "09. Mai 2023"


def test_newsroom_shows_only_visible_releases(client, newsroom):
    PressReleasePageFactory(parent=newsroom, title="Öffentlich")
    draft = PressReleasePageFactory(parent=newsroom, title="Entwurf")
    draft.unpublish()
    private = PressReleasePageFactory(parent=newsroom, title="Geschützt")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    soup = soup_of(client.get(newsroom.url))
    titles = [h2.get_text(strip=True) for h2 in soup.select(".release-list h2")]
    assert titles == ["Öffentlich"]


def test_newsroom_paginates(client, newsroom, settings):
    settings.PRESS = {**settings.PRESS, "PAGE_SIZE": 2}
    for day in range(1, 6):
        PressReleasePageFactory(
            parent=newsroom, title=f"Tag {day}", release_date=datetime.date(2023, 1, day)
        )
    first = soup_of(client.get(newsroom.url))
    third = soup_of(client.get(newsroom.url, {"seite": 3}))

    assert [h.get_text() for h in first.select(".release-list h2")] == ["Tag 5", "Tag 4"]
    assert [h.get_text() for h in third.select(".release-list h2")] == ["Tag 1"]
    assert "Seite 1 von 3" in first.find("nav", class_="pagination").get_text()
    assert first.find("a", rel="next")["href"].endswith("?seite=2")
    assert third.find("a", rel="next") is None


def test_newsroom_filters_by_year_and_keeps_the_year_when_paging(client, newsroom, settings):
    settings.PRESS = {**settings.PRESS, "PAGE_SIZE": 1}
    PressReleasePageFactory(parent=newsroom, title="2022", release_date=datetime.date(2022, 6, 1))
    PressReleasePageFactory(parent=newsroom, title="2023 a", release_date=datetime.date(2023, 6, 1))
    PressReleasePageFactory(parent=newsroom, title="2023 b", release_date=datetime.date(2023, 7, 1))

    soup = soup_of(client.get(newsroom.url, {"jahr": 2023}))
    assert [h.get_text() for h in soup.select(".release-list h2")] == ["2023 b"]
    assert soup.find("a", rel="next")["href"].endswith("?jahr=2023&seite=2")
    years = [a.get_text() for a in soup.select("nav.years a")]
    assert years == ["Alle", "2023", "2022"]
    assert soup.select_one("nav.years a[aria-current=page]").get_text() == "2023"

    second = soup_of(client.get(newsroom.url, {"jahr": 2023, "seite": 2}))
    assert [h.get_text() for h in second.select(".release-list h2")] == ["2023 a"]


def test_newsroom_year_without_releases_says_so(client, newsroom):
    PressReleasePageFactory(parent=newsroom, release_date=datetime.date(2023, 2, 7))
    soup = soup_of(client.get(newsroom.url, {"jahr": 2019}))
    assert (
        "Keine Pressemitteilungen aus dem Jahr 2019" in soup.find(class_="release-list").get_text()
    )


@pytest.mark.parametrize(
    "query",
    [
        {"jahr": "zwanzig"},
        {"jahr": "0"},
        {"jahr": "99999999999999999999"},
        {"jahr": "-2023"},
        {"jahr": "2023", "seite": "abc"},
        {"seite": "0"},
        {"seite": "7"},
        {"seite": "1" * 5000},
    ],
)
def test_newsroom_made_up_year_or_page_is_not_found(client, newsroom, query):
    PressReleasePageFactory(parent=newsroom)
    assert client.get(newsroom.url, query).status_code == 404


def test_newsroom_empty_year_parameter_lists_all(client, newsroom):
    PressReleasePageFactory(parent=newsroom, title="Einzige")
    soup = soup_of(client.get(newsroom.url, {"jahr": ""}))
    assert [h.get_text() for h in soup.select(".release-list h2")] == ["Einzige"]


def test_newsroom_links_its_rss_feed_in_the_head(client, newsroom):
    soup = soup_of(client.get(newsroom.url))
    alternate = soup.find("link", rel="alternate", type="application/rss+xml")
    assert alternate["href"] == f"{newsroom.url}rss/"
    assert client.get(alternate["href"])["Content-Type"].startswith("application/rss+xml")


# Home page and templates


def test_home_page_lists_latest_visible_releases(client, home, newsroom):
    PressReleasePageFactory(parent=newsroom, title="Neu", release_date=datetime.date(2023, 2, 7))
    draft = PressReleasePageFactory(parent=newsroom, title="Entwurf")
    draft.unpublish()
    soup = soup_of(client.get(home.url))

    assert [h.get_text() for h in soup.select(".release-list h3")] == ["Neu"]
    assert soup.select_one(".release-list time").get_text() == "07. Februar 2023"
    assert soup.find("a", string="Alle Pressemitteilungen")["href"] == newsroom.url


def test_host_site_overrides_the_plugin_layout(client, release):
    response = client.get(release.url)
    assert [t.name for t in response.templates][:3] == [
        "press/press_release_page.html",
        "press/base.html",
        "base.html",
    ]
    assert soup_of(response).find("ul", class_="site-footer__links")


def test_plugin_templates_render_without_the_host_templates(client, release, settings):
    """Another Wagtail site without templates/ of its own gets the plugin's standalone layout."""
    templates = [{**settings.TEMPLATES[0], "DIRS": []}]
    with override_settings(TEMPLATES=templates):
        response = client.get(release.url)
    soup = soup_of(response)
    assert "base.html" not in [t.name for t in response.templates]
    assert soup.find("h1").get_text() == release.title
    assert soup.find("link", rel="stylesheet")["href"].endswith("press/press.css")
    assert soup.find("script", type="application/ld+json")


def test_pages_carry_no_inline_styles_or_scripts(client, release, newsroom, home):
    """A strict Content-Security-Policy allows neither; JSON-LD is data, not script."""
    for url in (release.url, newsroom.url, home.url):
        soup = soup_of(client.get(url))
        assert soup.find("style") is None
        assert soup.find(attrs={"style": True}) is None
        assert all(s.get("type") == "application/ld+json" for s in soup.find_all("script"))


def test_newsroom_routes_its_own_addresses_first_then_its_releases(client, newsroom):
    """The newsroom reads a release below it in one query, in Wagtail's order: its own
    addresses (feeds, topics) before a child with the same slug, an unknown child a 404."""
    for slug, title in (("rss", "Mitteilung namens rss"), ("haushalt-2027", "Haushalt 2027")):
        release = PressReleasePageFactory(parent=newsroom, title=title, slug=slug)
        release.save_revision().publish()
    feed = client.get(f"{newsroom.url}rss/")
    assert feed["Content-Type"].startswith("application/rss+xml")
    page = client.get(f"{newsroom.url}haushalt-2027/")
    assert page.status_code == 200
    assert "Haushalt 2027" in BeautifulSoup(page.content, "html.parser").h1.get_text()
    text = client.get(f"{newsroom.url}haushalt-2027/text/")
    assert text.status_code == 200 and "Haushalt 2027" in text.content.decode()
    assert client.get(f"{newsroom.url}haushalt-2028/").status_code == 404
    assert client.get(f"{newsroom.url}haushalt-2027/gibt-es-nicht/").status_code == 404
