"""Every hidden state of a release by every public channel: nothing leaks, the control shows.

CHANNELS is the one registry of public channels. Each channel names the URL patterns and
routable-page routes it probes; `test_every_public_url_is_a_channel_or_allowed` walks the
URLconf and every routable page and fails for a public URL that is neither a channel nor in
NOT_RELEASE_CHANNELS, so a new channel cannot be added without joining the matrix.
"""

import dataclasses
import datetime
import io
import zipfile
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.urls import URLResolver, get_resolver
from django.utils import timezone
from pypdf import PdfReader
from wagtail.models import Page, PageViewRestriction, get_page_models

from press.models import ReleaseRelation, Topic
from tests.factories import (
    ImageFactory,
    PressReleasePageFactory,
    body_image,
    body_paragraph,
    original_path,
)

# --- the releases -------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Sample:
    """What one version of a release shows; ASCII only so no escaping hides a leak."""

    title: str
    slug: str
    text: str
    photo: str

    def secrets(self, *, listing: bool) -> list[str]:
        # A 404 for a detail address may repeat the address, so the slug only counts in lists.
        found = [self.title, self.text, self.photo]
        return [*found, f"/{self.slug}/"] if listing else found


def sample(word: str) -> Sample:
    return Sample(
        title=f"Matrixprobe {word}",
        slug=f"matrix-{word.lower()}",
        text=f"Textmarke{word}",
        photo=f"Matrixfoto {word}",
    )


MATRIX_TOPIC = "matrixthema"
MATRIX_TAG = "matrixwort"


def release_create(newsroom, version: Sample, **kwargs):
    """Every release has the matrix topic and tag, so the topic and tag channels list it."""
    photo = ImageFactory(title=version.photo)
    topic, _created = Topic.objects.get_or_create(slug=MATRIX_TOPIC, defaults={"name": "Matrix"})
    release = PressReleasePageFactory(
        parent=newsroom,
        title=version.title,
        slug=version.slug,
        release_date=datetime.date(2023, 2, 7),
        body=[body_paragraph(f"<p>{version.text}</p>"), body_image(photo, caption="Foto")],
        topics=[topic],
        **kwargs,
    )
    release.tags.add(MATRIX_TAG)
    release.save()
    return release


def state_draft(newsroom, version):
    release = release_create(newsroom, version, live=False)
    release.save_revision()
    return release


def state_scheduled(newsroom, version):
    release = release_create(newsroom, version, live=False)
    release.go_live_at = timezone.now() + datetime.timedelta(days=3)
    release.save_revision().publish()
    release.refresh_from_db()
    assert not release.live and release.scheduled_revision is not None
    return release


def state_unpublished(newsroom, version):
    release = release_create(newsroom, version)
    release.save_revision().publish()
    release.unpublish()
    return release


def state_private_password(newsroom, version):
    release = release_create(newsroom, version)
    PageViewRestriction.objects.create(
        page=release, restriction_type=PageViewRestriction.PASSWORD, password="nur-fuer-presse"
    )
    return release


def state_private_login(newsroom, version):
    release = release_create(newsroom, version)
    PageViewRestriction.objects.create(page=release, restriction_type=PageViewRestriction.LOGIN)
    return release


def state_expired(newsroom, version):
    release = release_create(newsroom, version)
    Page.objects.filter(pk=release.pk).update(
        expire_at=timezone.now() - datetime.timedelta(hours=1)
    )
    call_command("publish_scheduled", verbosity=0)
    release.refresh_from_db()
    assert release.expired and not release.live
    return release


def state_expiry_due(newsroom, version):
    """expire_at has passed, but publish_scheduled has not run yet (it runs every minute)."""
    release = release_create(newsroom, version)
    Page.objects.filter(pk=release.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    release.refresh_from_db()
    assert release.live and not release.expired
    return release


LIVE_PUBLISHED = sample("Veroeffentlicht")


def state_live_with_draft(newsroom, version):
    """Live as LIVE_PUBLISHED; a newer draft has another title, text, slug and photo."""
    release = release_create(newsroom, LIVE_PUBLISHED)
    release.save_revision().publish()
    draft = release.get_latest_revision_as_object()
    draft.title = version.title
    draft.slug = version.slug
    draft.body = [
        body_paragraph(f"<p>{version.text}</p>"),
        body_image(ImageFactory(title=version.photo), caption="Neues Foto"),
    ]
    draft.save_revision()
    release.refresh_from_db()
    assert (
        release.live and release.has_unpublished_changes and release.title == LIVE_PUBLISHED.title
    )
    return release


# state name → builder; the Sample given to the builder is what must never show publicly
HIDDEN_STATES: dict[str, Callable] = {
    "draft never published": state_draft,
    "scheduled for the future": state_scheduled,
    "unpublished": state_unpublished,
    "private (password)": state_private_password,
    "private (login)": state_private_login,
    "live with unpublished changes": state_live_with_draft,
    "expired": state_expired,
    "expiry due, not yet processed": state_expiry_due,
}
CONTROL = sample("Kontrolle")


@dataclasses.dataclass
class World:
    home: Page
    newsroom: Page
    control: Page
    hidden: dict[str, tuple[Page, Sample]]
    # every version that must show, with the page that shows it
    visible: list[tuple[Page, Sample]]
    # a visible release that chose every other one as related (the hidden ones first)
    related_host: Page


@pytest.fixture
def world(newsroom, home):
    # Published a moment ago, as a release is: the Google News sitemap lists the last two days.
    control = release_create(newsroom, CONTROL, first_published_at=timezone.now())
    hidden = {}
    for number, (name, build) in enumerate(HIDDEN_STATES.items()):
        version = sample(f"Geheim{number}")
        hidden[name] = (build(newsroom, version), version)
    live_with_draft = hidden["live with unpublished changes"][0]
    related_host = release_create(newsroom, sample("Nachbar"))
    chosen = [page for page, _version in hidden.values() if page != live_with_draft]
    for position, page in enumerate([*chosen, control, live_with_draft]):
        ReleaseRelation.objects.create(release=related_host, related=page, sort_order=position)
    return World(
        home=home,
        newsroom=newsroom,
        control=control,
        hidden=hidden,
        visible=[(control, CONTROL), (live_with_draft, LIVE_PUBLISHED)],
        related_host=related_host,
    )


# --- the channels -------------------------------------------------------------------------

SERVE = r"^((?:[\w\-]+/)*)$"  # Wagtail's page serving pattern


@dataclasses.dataclass(frozen=True)
class Channel:
    name: str
    # probe(client, world, page, version) -> everything the channel shows (text)
    probe: Callable
    # listing: shows many releases; detail: addresses one release (its slug may echo)
    listing: bool
    # URL patterns (as the resolver spells them) and "Model:route" names this channel covers
    covers: frozenset[str]
    # which mark of a version proves that the channel shows it
    mark: Callable[[Sample], str] = lambda version: version.title


def language_of(page) -> str:
    return page.locale.language_code


def get(client, url, **params) -> str:
    response = client.get(url, params, follow=True)
    assert response.status_code < 500, (url, response.status_code)
    return response.content.decode()


def search_results(html: str) -> str:
    """The found releases alone: the search form and summary repeat what was searched for."""
    from bs4 import BeautifulSoup

    found = BeautifulSoup(html, "html.parser").select_one(".release-list")
    return str(found) if found is not None else ""


def related_section(html: str) -> str:
    """The related releases below a release page (the rest of the page is another release)."""
    from bs4 import BeautifulSoup

    found = BeautifulSoup(html, "html.parser").select_one(".release__related")
    return str(found) if found is not None else ""


def image_of(page, version: Sample):
    from wagtail.images import get_image_model

    return get_image_model().objects.get(title=version.photo)


def original_download(client, world, page, version) -> str:
    """The photo's original (bytes, not text): a 200 shows the photo, so it answers its title."""
    response = client.get(original_path(image_of(page, version)))
    assert response.status_code in (200, 404), response.status_code
    return version.photo if response.status_code == 200 else ""


def photo_in_a_size(client, world, page, version) -> str:
    """The photo in one of the press API's allowed sizes (a redirect to the rendition): an
    answer other than 404 shows the photo."""
    from press.conf import press_setting

    filter_spec = press_setting("IMAGE_FILTERS")[0]
    response = client.get(f"/api/press/photos/{image_of(page, version).pk}/{filter_spec}")
    assert response.status_code in (200, 302, 404), response.status_code
    return "" if response.status_code == 404 else version.photo


def press_kit(client, world, page, version) -> str:
    """Everything in the release's press kit ZIP as text (text version, credits, file names)."""
    response = client.get(page.url + "presskit/", follow=True)
    assert response.status_code in (200, 404), response.status_code
    if not response.streaming:  # a 404, or the password or login form of a restricted release
        return response.content.decode()
    kit = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    texts = [kit.read(name).decode() for name in kit.namelist() if name.endswith(".txt")]
    return "\n".join([*kit.namelist(), *texts])


def print_version(client, world, page, version) -> str:
    """The text of the release's print version (PDF)."""
    response = client.get(page.url + "pdf/", follow=True)
    assert response.status_code in (200, 404), response.status_code
    if response["Content-Type"] != "application/pdf":  # a 404, or a restricted release's form
        return response.content.decode()
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


CHANNELS: list[Channel] = [
    Channel(
        "release page (HTML)",
        lambda client, world, page, version: get(client, page.url),
        listing=False,
        covers=frozenset({SERVE, "PressReleasePage:index_route"}),
    ),
    Channel(
        "text version",
        lambda client, world, page, version: get(client, page.url + "text/"),
        listing=False,
        covers=frozenset({"PressReleasePage:text"}),
    ),
    Channel(
        "press kit",
        press_kit,
        listing=False,
        covers=frozenset({"PressReleasePage:presskit"}),
    ),
    Channel(
        "print version (PDF)",
        print_version,
        listing=False,
        covers=frozenset({"PressReleasePage:pdf"}),
    ),
    Channel(
        "newsroom",
        lambda client, world, page, version: get(client, world.newsroom.url),
        listing=True,
        covers=frozenset({SERVE, "PressIndexPage:index_route"}),
    ),
    Channel(
        "newsroom year filter",
        lambda client, world, page, version: get(client, world.newsroom.url, jahr="2023"),
        listing=True,
        covers=frozenset({"PressIndexPage:index_route"}),
    ),
    Channel(
        "newsroom search",
        lambda client, world, page, version: (
            search_results(get(client, world.newsroom.url, q="Matrixprobe"))
            + search_results(get(client, world.newsroom.url, q=version.text))
            + search_results(get(client, world.newsroom.url, q=version.title, jahr="2023"))
        ),
        listing=True,
        covers=frozenset({"PressIndexPage:index_route"}),
    ),
    Channel(
        "newsroom topic and tag filters",
        lambda client, world, page, version: (
            get(client, world.newsroom.url, thema=MATRIX_TOPIC)
            + get(client, world.newsroom.url, schlagwort=MATRIX_TAG, jahr="2023")
        ),
        listing=True,
        covers=frozenset({"PressIndexPage:index_route"}),
    ),
    Channel(
        "topic page",
        lambda client, world, page, version: get(
            client, world.newsroom.url + f"thema/{MATRIX_TOPIC}/"
        ),
        listing=True,
        covers=frozenset({"PressIndexPage:topic"}),
    ),
    Channel(
        "topic RSS",
        lambda client, world, page, version: get(
            client, world.newsroom.url + f"thema/{MATRIX_TOPIC}/rss/"
        ),
        listing=True,
        covers=frozenset({"PressIndexPage:topic_rss"}),
    ),
    Channel(
        "topic Atom",
        lambda client, world, page, version: get(
            client, world.newsroom.url + f"thema/{MATRIX_TOPIC}/atom/"
        ),
        listing=True,
        covers=frozenset({"PressIndexPage:topic_atom"}),
    ),
    Channel(
        "topic JSON Feed",
        lambda client, world, page, version: get(
            client, world.newsroom.url + f"thema/{MATRIX_TOPIC}/json/"
        ),
        listing=True,
        covers=frozenset({"PressIndexPage:topic_json"}),
    ),
    Channel(
        "related releases on a release page",
        lambda client, world, page, version: related_section(get(client, world.related_host.url)),
        listing=True,
        covers=frozenset({"PressReleasePage:index_route"}),
    ),
    Channel(
        "home page",
        lambda client, world, page, version: get(client, world.home.url),
        listing=True,
        covers=frozenset({SERVE}),
    ),
    Channel(
        "RSS",
        lambda client, world, page, version: get(client, world.newsroom.url + "rss/"),
        listing=True,
        covers=frozenset({"PressIndexPage:rss"}),
    ),
    Channel(
        "Atom",
        lambda client, world, page, version: get(client, world.newsroom.url + "atom/"),
        listing=True,
        covers=frozenset({"PressIndexPage:atom"}),
    ),
    Channel(
        "JSON Feed",
        lambda client, world, page, version: get(client, world.newsroom.url + "json/"),
        listing=True,
        covers=frozenset({"PressIndexPage:json"}),
    ),
    Channel(
        "Google News sitemap",
        lambda client, world, page, version: get(client, "/sitemap-news.xml"),
        listing=True,
        covers=frozenset({"sitemap-news.xml"}),
        mark=lambda version: f"/{version.slug}/",
    ),
    Channel(
        "sitemap",
        lambda client, world, page, version: get(client, "/sitemap.xml"),
        listing=True,
        covers=frozenset({"sitemap.xml"}),
        mark=lambda version: f"/{version.slug}/",
    ),
    Channel(
        "API v2 pages list",
        lambda client, world, page, version: (
            get(client, "/api/v2/pages/", limit="100")
            + get(
                client,
                "/api/v2/pages/",
                type="press.PressReleasePage",
                fields="*",
                limit="100",
            )
        ),
        listing=True,
        covers=frozenset({"api/v2/^pages/"}),
    ),
    Channel(
        "API v2 pages search",
        lambda client, world, page, version: get(
            client,
            "/api/v2/pages/",
            search="Matrixprobe",
            type="press.PressReleasePage",
            fields="*",
        ),
        listing=True,
        covers=frozenset({"api/v2/^pages/"}),
    ),
    Channel(
        "API v2 pages detail",
        lambda client, world, page, version: get(client, f"/api/v2/pages/{page.pk}/"),
        listing=False,
        covers=frozenset({"api/v2/^pages/<int:pk>/"}),
    ),
    Channel(
        "API v2 pages find",
        lambda client, world, page, version: (
            get(client, "/api/v2/pages/find/", html_path=page.url)
            + get(client, "/api/v2/pages/find/", id=str(page.pk))
        ),
        listing=False,
        covers=frozenset({"api/v2/^pages/find/"}),
    ),
    Channel(
        "API v2 images list",
        lambda client, world, page, version: (
            get(client, "/api/v2/images/", limit="100")
            + get(client, "/api/v2/images/", search="Matrixfoto")
        ),
        listing=True,
        covers=frozenset({"api/v2/^images/"}),
        mark=lambda version: version.photo,
    ),
    Channel(
        "API v2 images detail",
        lambda client, world, page, version: get(
            client, f"/api/v2/images/{image_of(page, version).pk}/"
        ),
        listing=False,
        covers=frozenset({"api/v2/^images/<int:pk>/"}),
        mark=lambda version: version.photo,
    ),
    Channel(
        "API v2 images find",
        lambda client, world, page, version: get(
            client, "/api/v2/images/find/", id=str(image_of(page, version).pk)
        ),
        listing=False,
        covers=frozenset({"api/v2/^images/find/"}),
        mark=lambda version: version.photo,
    ),
    Channel(
        "photo original download",
        original_download,
        listing=False,
        covers=frozenset({"photos/<int:image_id>/<str:file_name>"}),
        mark=lambda version: version.photo,
    ),
    Channel(
        "press API photo in a size",
        photo_in_a_size,
        listing=False,
        covers=frozenset({"api/press/photos/<int:id>/<filter>"}),
        mark=lambda version: version.photo,
    ),
    Channel(
        "press API list",
        lambda client, world, page, version: (
            get(client, "/api/press/releases", limit="100")
            + get(client, "/api/press/releases", year="2023", limit="100")
            # a version is listed with its language's releases
            + get(client, "/api/press/releases", language=language_of(page), limit="100")
        ),
        listing=True,
        covers=frozenset({"api/press/releases"}),
    ),
    Channel(
        "press API search (q)",
        lambda client, world, page, version: (
            get(client, "/api/press/releases", q="Matrixprobe")
            + get(client, "/api/press/releases", q=version.text, language=language_of(page))
        ),
        listing=True,
        covers=frozenset({"api/press/releases"}),
    ),
    Channel(
        "press API detail",
        lambda client, world, page, version: get(client, f"/api/press/releases/{page.pk}"),
        listing=False,
        covers=frozenset({"api/press/releases/<int:id>"}),
    ),
    Channel(
        "press API ninjs",
        lambda client, world, page, version: get(client, f"/api/press/releases/{page.pk}/ninjs"),
        listing=False,
        covers=frozenset({"api/press/releases/<int:id>/ninjs"}),
    ),
    Channel(
        "press API by path",
        lambda client, world, page, version: (
            get(client, "/api/press/releases/by-path", path=page.url)
            + get(client, "/api/press/releases/by-path", slug=page.slug)
            + get(client, "/api/press/releases/by-path", slug=version.slug)
        ),
        listing=False,
        covers=frozenset({"api/press/releases/by-path"}),
    ),
]

# Public URLs that are not a channel of releases, each with the reason.
NOT_RELEASE_CHANNELS = {
    r"documents/^(\d+)/(.*)$": "documents, not releases",
    "documents/authenticate_with_password/<int:restriction_id>/": "document password form",
    "api/v2/^documents/": "documents, not releases",
    "api/v2/^documents/<int:pk>/": "documents, not releases",
    "api/v2/^documents/find/": "documents, not releases",
    "api/press/": "the API's root (links to its documentation)",
    "api/press/openapi.json": "the API's schema",
    "api/press/docs": "the API's documentation page",
    "api/press/<path:rest>": (
        "the API's front door: the operations listed here, through press/api/urls.py, and a "
        "problem+json 404 for unknown API paths"
    ),
    "^api/press/": "problem+json 404 for unknown API paths",
    "api/press/topics": (
        "topic names and counts of visible releases, no release (tests/test_topics.py leaves "
        "drafts, unpublished releases and other sites' releases out of the counts)"
    ),
    "api/press/preview": "signed, expiring preview token for editors (tests/test_preview.py)",
    "presse-vorab/<str:token>/": "signed embargo link (tests/test_embargo.py)",
    "presse-vorab/<str:token>/text/": "signed embargo link (tests/test_embargo.py)",
    "presse-vorab/<str:token>/ninjs": "signed embargo link (tests/test_ninjs.py)",
    "presse-vorab/<str:token>/photos/<int:image_id>/<str:size>": (
        "signed embargo link's photos (tests/test_photos_withdrawn.py)"
    ),
    "photos/restricted/<int:release_id>/<int:image_id>/<str:size>": (
        "photos of a release behind a view restriction, for the readers it lets in; a 404 for "
        "anyone else (tests/test_photos_restricted.py)"
    ),
    "barriere-melden/": "the form to report a barrier shows no release",
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": (
        "Wagtail's password form of a restricted page"
    ),
    "_util/login/": "Wagtail's login form of a restricted page",
    "robots.txt": "the crawler rules and the sitemap's address",
    "favicon.ico": "a redirect to the site's icon",
    # E-mail subscriptions: the pages show no release. The mails themselves are a channel:
    # tests/test_subscriptions.py publishes drafts, scheduled, private and unpublished releases
    # against a real SMTP server and asserts that none of them reaches a subscriber.
    "api/press/subscriptions": "sign-up for mails (POST only; tests/test_subscriptions.py)",
    "presse-abo/": "sign-up form (tests/test_subscriptions.py)",
    "presse-abo/confirm/<str:token>/": "signed confirmation link (tests/test_subscriptions.py)",
    "presse-abo/unsubscribe/<str:token>/": "signed unsubscribe link (tests/test_subscriptions.py)",
    "presse-abo/data/<str:token>/": "signed data link of a subscriber (tests/test_subscriptions.py)",
}
NOT_PUBLIC_PREFIXES = ("admin/", "django-admin/", "static/", "media/")


def url_patterns_public() -> set[str]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(NOT_PUBLIC_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route

    return set(walk(get_resolver().url_patterns))


def routable_page_routes() -> set[str]:
    return {
        f"{model.__name__}:{pattern.name}"
        for model in get_page_models()
        if hasattr(model, "get_subpage_urls")
        for pattern in model.get_subpage_urls()
    }


# --- the tests ----------------------------------------------------------------------------


def test_every_public_url_is_a_channel_or_allowed():
    covered = set().union(*(channel.covers for channel in CHANNELS)) | set(NOT_RELEASE_CHANNELS)
    public = url_patterns_public() | routable_page_routes()

    missing = public - covered
    assert not missing, (
        f"Public URLs outside the visibility matrix: {sorted(missing)}. Add a Channel to "
        "CHANNELS in tests/test_visibility_matrix.py (or, if it shows no release, a reason "
        "to NOT_RELEASE_CHANNELS)."
    )
    # A channel whose URL is gone probes nothing any more; an unused allow-list entry is harmless.
    probed = set().union(*(channel.covers for channel in CHANNELS))
    stale = probed - public
    assert not stale, f"Channels cover URLs that no longer exist: {sorted(stale)}"


def test_matrix_size():
    # The figure quoted in the closing note; fails if a state or channel is dropped.
    assert len(HIDDEN_STATES) == 8
    assert len(CHANNELS) == 33
    assert len(HIDDEN_STATES) * len(CHANNELS) == 264


@pytest.mark.parametrize("channel", CHANNELS, ids=[channel.name for channel in CHANNELS])
def test_channel_shows_visible_releases_and_hides_every_hidden_state(client, world, channel):
    # Positive controls: without them a probe that shows nothing would pass.
    for page, version in world.visible:
        shown = channel.probe(client, world, page, version)
        assert channel.mark(version) in shown, (
            f"{channel.name}: the visible release {version.title!r} is missing, the probe is wrong"
        )

    leaks = []
    for state, (page, version) in world.hidden.items():
        shown = channel.probe(client, world, page, version)
        # listing channels are probed once per state too: cheap, and the message names the state
        leaks += [
            f"{state}: {secret!r}"
            for secret in version.secrets(listing=channel.listing)
            if secret in shown
        ]
    assert not leaks, f"{channel.name} shows hidden releases: {leaks}"


# --- versions: an English version of each hidden original is hidden on every channel ---------

# The original's states that hide it; "live with unpublished changes" leaves it visible.
VERSION_STATES = [state for state in HIDDEN_STATES if state != "live with unpublished changes"]


def version_of(original, version: Sample, *, language: str = "en"):
    """The version as the admin's "Translate" action makes it, then written and published on
    its own: live and public itself, only its original decides."""
    from wagtail.models import Locale

    locale, _created = Locale.objects.get_or_create(language_code=language)
    page = original.copy_for_translation(locale, copy_parents=True)
    for ancestor in page.get_ancestors().filter(depth__gt=1).specific():
        if not ancestor.live:
            ancestor.save_revision().publish()
    page = page.specific
    page.go_live_at = page.expire_at = None
    page.title = version.title
    page.slug = version.slug
    page.body = [
        body_paragraph(f"<p>{version.text}</p>"),
        body_image(ImageFactory(title=version.photo), caption="Foto"),
    ]
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.live
    return page


@pytest.fixture
def versions_world(world):
    """The world's releases in English: the control's version shows, each hidden original's
    version is live and public itself and must show nowhere."""
    english_control = sample("VersionKontrolle")
    control = version_of(world.control, english_control)
    hidden = {}
    for number, state in enumerate(VERSION_STATES):
        original, _version = world.hidden[state]
        english = sample(f"VersionGeheim{number}")
        hidden[state] = (version_of(original, english), english)
    related_host = version_of(world.related_host, sample("VersionNachbar"))
    return World(
        home=control.get_parent().get_parent().specific,
        newsroom=control.get_parent().specific,
        control=control,
        hidden=hidden,
        visible=[(control, english_control)],
        related_host=related_host,
    )


def test_every_channel_hides_the_versions_of_hidden_originals(client, versions_world):
    """One world for every channel (the probes only read, and building the world with its
    versions is most of the cost); the message names every channel that fails."""
    failures = []
    for channel in CHANNELS:
        try:
            test_channel_shows_visible_releases_and_hides_every_hidden_state(
                client, versions_world, channel
            )
        except AssertionError as failure:
            failures.append(str(failure).splitlines()[0])
    assert not failures, "\n".join(failures)
