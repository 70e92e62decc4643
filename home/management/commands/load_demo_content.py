"""Demo content for `make run`: a site with a home page, the newsroom, the seed release and
the archive samples of tests/fixtures_releases, imported through the importer as an office
would import its archive, so that the newsroom shows its years, filters and pages.

Idempotent: a second run finds everything and duplicates nothing. The press photos are not in
the repository (nor reachable offline), so stand-ins that say so in big letters take their
places under the originals' file names.
"""

import tempfile
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.coreutils import get_content_languages
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText
from wagtail.utils.file import hash_filelike

from home.models import HomePage
from press.importer.parse import ReleaseParseError, release_parse
from press.importer.save import (
    ReleaseImportError,
    newsroom_find_or_create,
    photo_file_name,
    release_archive_id,
    release_file_read,
    release_import,
)
from press.models import PhotoRights, PressContact, PressReleasePage, PressSettings, Topic

SEED_FILE_NAME = "pressedienst-2023-02-07-masterplan-industrie.txt"
SEED_PHOTO_FILE_NAME = "230206-steuerungskreis-mp-industrie1.JPG"
SEED_PHOTO_CREDIT = "Landeshauptstadt Düsseldorf/David Young"
PLACEHOLDER_TITLE = f"Platzhalter für {SEED_PHOTO_FILE_NAME}"
PLACEHOLDER_TEXT = "PLATZHALTER – kein Originalfoto"
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "pressedienst"
DEMO_CONTACT = {"name": "Annemarie Wotschke", "email": "presse@duesseldorf.de"}
DEMO_CONTACT_PHONE = "+49.211.89-93131"
HOME_TITLE = "Pressedienst der Landeshauptstadt Düsseldorf"
HOME_INTRO = (
    "<p>Hier veröffentlicht die Landeshauptstadt Düsseldorf ihre Pressemitteilungen: "
    "Nachrichten aus Rat und Verwaltung, mit Pressefotos zum Download und einer Textversion "
    "jeder Mitteilung.</p>"
)
# The office's topics, and those and a few tags for the demo releases (by title), so that the
# newsroom's topic menu, the topic pages and their feeds have something to show.
DEMO_TOPICS = [
    (
        "Wirtschaft",
        "wirtschaft",
        "Industrie, Handwerk, Ansiedlungen und Arbeitsplätze in der Stadt.",
    ),
    ("Verkehr", "verkehr", "Radwege, Busse und Bahnen, Straßen und Baustellen."),
    ("Umwelt", "umwelt", "Klimaschutz, Grünflächen und Energie."),
    ("Kultur", "kultur", "Feste, Märkte, Kunst und Veranstaltungen."),
    ("Bildung", "bildung", "Schulen, Kitas, Hochschulen und Forschung."),
]
DEMO_RELEASE_TOPICS = {
    "Klimaschutz: Stadtwerke senken CO₂-Ausstoß": (["umwelt"], ["Klimaschutz", "Stadtwerke"]),
    "Weihnachtsmarkt: Bilanz 2022": (["kultur", "wirtschaft"], ["Weihnachtsmarkt", "Altstadt"]),
    "Masterplan Industrie: Konstante Zusammenarbeit in herausfordernden Zeiten": (
        ["wirtschaft"],
        ["Masterplan Industrie", "Oberbürgermeister"],
    ),
    "Rheinufer: Sommerprogramm startet": (["kultur", "umwelt"], ["Rheinufer", "Altstadt"]),
    "Neue Radwege in Bilk und Oberbilk": (["verkehr", "umwelt"], ["Radwege", "Bilk"]),
    "Sichere Schulwege: Was sich zum Schuljahr ändert": (["verkehr", "bildung"], ["Schulwege"]),
    "Neues Forschungszentrum für Wasserstoff": (
        ["wirtschaft", "umwelt", "bildung"],
        ["Wasserstoff", "Forschung"],
    ),
}


# The seed release's versions in English and in Leichte Sprache (press.models.versions), as an
# editor writes them with the admin's "Translate" action: language code → title, lead,
# paragraphs, the quote (text, name, role) and the photo's caption and alternative text.
SEED_VERSIONS = {
    "en": {
        "title": "Industry Master Plan: steady cooperation in challenging times",
        "lead": "",
        "paragraphs": [
            "At the start of the year, the steering committee of Düsseldorf's Industry Master "
            "Plan met at City Hall. The master plan is a joint initiative of the city, the "
            "Chamber of Industry and Commerce (IHK), industrial companies, associations and "
            "societies. Securing and developing Düsseldorf as a place for industry, in trusting "
            "cooperation between the city and industry, is again the focus this year.",
            "Lord Mayor Dr. Stephan Keller welcomed Andreas Schmitz, President of the IHK "
            "Düsseldorf, and Dr. Daniel Kleine, Chairman of the Industriekreis Düsseldorf, as "
            "well as representatives of the council's committees for economic affairs and for "
            "planning and urban development, the German Trade Union Confederation and the "
            "business community.",
            "Besides looking back on the milestones already reached, the meeting looked ahead: "
            "in workshops on individual core zones, the groundwork has been laid for developing "
            "the commercial and industrial areas further.",
        ],
        "quote": (
            "With the Industry Master Plan we want to keep pooling our strengths to secure "
            "Düsseldorf as a place for industry.",
            "Dr. Stephan Keller",
            "Lord Mayor",
        ),
        "caption": "Andreas Schmitz, Lord Mayor Dr. Stephan Keller and Dr. Daniel Kleine "
        "(from left)",
        "alt": "Three men in suits stand side by side in a room of City Hall",
    },
    "de-x-ls": {
        "title": "Die Stadt und die Industrie arbeiten zusammen",
        "lead": "",
        "paragraphs": [
            "In Düsseldorf gibt es viele Fabriken und Firmen. Man sagt dazu: Industrie.",
            "Die Stadt möchte: Die Industrie soll in Düsseldorf bleiben. Dafür gibt es einen "
            "Plan. Der Plan heißt: Master·plan Industrie.",
            "Im Februar 2023 gab es ein Treffen im Rat·haus. Beim Treffen waren der "
            "Ober·bürger·meister und Menschen aus den Firmen. Sie haben über den Plan "
            "gesprochen.",
            "Der Ober·bürger·meister ist der Chef von der Stadt·verwaltung.",
        ],
        "quote": (
            "Wir wollen weiter gut zusammen·arbeiten. Dann gibt es auch in Zukunft Arbeit in "
            "Düsseldorf.",
            "Dr. Stephan Keller",
            "Ober·bürger·meister",
        ),
        "caption": "Drei Männer beim Treffen im Rat·haus",
        "alt": "Drei Männer in Anzügen stehen neben·einander in einem Raum im Rat·haus",
    },
}


def archive_paths() -> list[Path]:
    """The archive samples next to the seed in the checkout (absent from the container image,
    which has no tests/: then the demo is the seed alone)."""
    folder = Path(settings.BASE_DIR) / "tests" / "fixtures_releases"
    return sorted(folder.glob("pressedienst-*.txt"))


LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]", "0.0.0.0"}


def demo_address(addr: str = "") -> tuple[str, int]:
    """(hostname, port) of the demo site: runserver's ADDR ("127.0.0.1:8123", "8123",
    "0.0.0.0:8000", "[::1]:8000"), else WAGTAILADMIN_BASE_URL. A server listening on every
    interface is visited at 127.0.0.1."""
    if addr:
        host, _colon, port = addr.rpartition(":")
        host = host.strip("[]") or "127.0.0.1"
        if host in {"0.0.0.0", "::"}:
            host = "127.0.0.1"
        return host, int(port)
    base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return base.hostname or "localhost", base.port or (443 if base.scheme == "https" else 80)


def seed_path() -> Path:
    """The shared fixture when the checkout sits next to it, else the copy kept in home/demo."""
    shared = Path(settings.BASE_DIR).parent / "shared" / "fixtures" / SEED_FILE_NAME
    if shared.is_file():
        return shared
    return Path(__file__).resolve().parents[2] / "demo" / SEED_FILE_NAME


def _font(size: int) -> tuple[ImageFont.ImageFont | ImageFont.FreeTypeFont, bool]:
    """DejaVu where installed (Pillow looks in the system font folders), else Pillow's own
    font, which lacks umlauts and the dash: the caller then spells them in ASCII."""
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf", size), True
    except OSError:
        return ImageFont.load_default(size=size), False


def _ascii(text: str) -> str:
    return text.replace("–", "-").replace("ü", "ue").replace("©", "(c) ")


def placeholder_photo_bytes(
    file_name: str = SEED_PHOTO_FILE_NAME, credit: str = SEED_PHOTO_CREDIT
) -> bytes:
    """A JPEG that nobody can mistake for the press photo it stands in for."""
    width, height = 1600, 1067
    image = PILImage.new("RGB", (width, height), (222, 222, 222))
    draw = ImageDraw.Draw(image)
    for offset in range(-height, width, 80):  # hatching: visibly not a photograph
        draw.line([(offset, height), (offset + height, 0)], fill=(205, 205, 205), width=18)
    draw.rectangle([40, 40, width - 40, height - 40], outline=(180, 30, 30), width=12)
    lines = [
        (PLACEHOLDER_TEXT, 76, (180, 30, 30)),
        (f"Platzhalter für {file_name}", 40, (40, 40, 40)),
        (f"Das Originalfoto (©{credit})", 34, (40, 40, 40)),
        ("ist nicht Teil der Demo-Inhalte.", 34, (40, 40, 40)),
    ]
    y = height // 2 - 170
    for text, size, colour in lines:
        font, full = _font(size)
        text = text if full else _ascii(text)
        left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
        draw.text(((width - (right - left)) // 2, y), text, font=font, fill=colour)
        y += (bottom - top) + 44
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


class Command(BaseCommand):
    help = "Legt Demo-Inhalte an (Startseite, Pressedienst, Admin, Beispielmitteilung); idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--addr",
            default="",
            help=(
                "Adresse, unter der `make run` den Server startet (ADDR, z. B. 127.0.0.1:8123): "
                "die Demo-Site bekommt sie als Hostname und Port."
            ),
        )
        parser.add_argument(
            "--frontend",
            default=None,
            help=(
                "Adresse des Headless-Frontends (make frontend, z. B. http://127.0.0.1:3000): "
                "die Demo-Site verweist dorthin; leer: die Seiten des CMS. Ohne die Option "
                "bleibt die Einstellung, wie sie ist."
            ),
        )

    def handle(self, *args, **options):
        with transaction.atomic():
            site, home = self.home_ensure(addr=options["addr"])
            newsroom = newsroom_find_or_create()
            office = PressSettings.for_site(site)  # the office's defaults, editable in the admin
            PressContact.objects.get_or_create(
                **DEMO_CONTACT, defaults={"phone": DEMO_CONTACT_PHONE}
            )
            self.admin_ensure()
            placeholder = self.placeholder_ensure()
        self.seed_ensure(newsroom=newsroom, placeholder=placeholder)
        self.archive_ensure(newsroom=newsroom)
        self.topics_ensure()
        self.versions_ensure()
        if options["frontend"] is not None and office.frontend_url != options["frontend"]:
            # Saved last: saving rebuilds the releases' documents with the new addresses.
            office.frontend_url = options["frontend"]
            office.full_clean()
            office.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo-Inhalte bereit: {home.title} → Pressedienst unter {newsroom.get_url()} "
                f"(Admin: /admin/, Benutzer „{ADMIN_USERNAME}“, Passwort „{ADMIN_PASSWORD}“)"
            )
        )

    def home_ensure(self, addr: str = "") -> tuple[Site, HomePage]:
        """A HomePage as the default site's root, in place of Wagtail's "Welcome" page."""
        root = Page.get_first_root_node()
        home = HomePage.objects.order_by("path").first()
        if home is None:
            home = HomePage(title=HOME_TITLE, slug="start", intro=HOME_INTRO)
            root.add_child(instance=home)
            home.save_revision().publish()
            self.stdout.write("Startseite angelegt")
        elif home.title == "Startseite" and not home.intro:
            # A demo site from before the home page said what it is: it says so now.
            home.title, home.intro = HOME_TITLE, HOME_INTRO
            home.save_revision().publish()
            self.stdout.write("Startseite beschriftet")
        # Absolute addresses (text_url, feeds, sitemap, photos) come from the site's host and
        # port: point them at where `make run` serves (its ADDR, else WAGTAILADMIN_BASE_URL),
        # unless an admin has configured the site already (anything but Wagtail's installer
        # default localhost:80 or a loopback address an earlier `make run` gave it).
        hostname, port = demo_address(addr)
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            site = Site.objects.create(
                hostname=hostname,
                port=port,
                root_page=home,
                is_default_site=True,
                site_name=settings.WAGTAIL_SITE_NAME,
            )
        else:
            demo_site = (site.hostname, site.port) == ("localhost", 80) or (
                addr and site.hostname in LOOPBACK_HOSTS
            )
            changed = site.root_page_id != home.pk
            if demo_site and (site.hostname, site.port) != (hostname, port):
                site.hostname, site.port = hostname, port
                self.stdout.write(f"Adresse der Demo-Site: {site.root_url}")
                changed = True
            if changed:
                site.root_page = home
                # Saving the site rebuilds the documents of its releases (their addresses).
                site.save(update_fields=["root_page", "hostname", "port"])
        # Wagtail's installer page: a plain Page without children that nothing points to now.
        welcome = Page.objects.filter(
            depth=2,
            slug="home",
            content_type__model="page",
            content_type__app_label="wagtailcore",
            numchild=0,
        ).exclude(sites_rooted_here__isnull=False)
        for page in welcome:
            self.stdout.write(f"Wagtail-Willkommensseite „{page.title}“ entfernt")
            page.delete()
        return site, home

    def admin_ensure(self) -> None:
        users = get_user_model()
        if users.objects.filter(username=ADMIN_USERNAME).exists():
            self.stdout.write(f"Admin „{ADMIN_USERNAME}“ besteht bereits (Passwort unverändert)")
            return
        users.objects.create_superuser(ADMIN_USERNAME, "admin@pressedienst.invalid", ADMIN_PASSWORD)
        self.stdout.write(
            f"Admin angelegt: Benutzer „{ADMIN_USERNAME}“, Passwort „{ADMIN_PASSWORD}“"
        )

    def placeholder_ensure(self):
        image_model = get_image_model()
        placeholder = image_model.objects.filter(title=PLACEHOLDER_TITLE).order_by("pk").first()
        if placeholder is not None:
            self.placeholder_credit_ensure(placeholder)
            return placeholder
        content = placeholder_photo_bytes()
        placeholder = image_model(
            title=PLACEHOLDER_TITLE,
            description=PLACEHOLDER_TEXT,
            file=ImageFile(BytesIO(content), name=SEED_PHOTO_FILE_NAME),
            file_size=len(content),
            file_hash=hash_filelike(BytesIO(content)),
        )
        placeholder.save()
        self.placeholder_credit_ensure(placeholder)
        self.stdout.write(f"Platzhalterfoto angelegt: „{PLACEHOLDER_TITLE}“")
        return placeholder

    def placeholder_credit_ensure(self, placeholder) -> None:
        """The seed photo's credit at the photo, as the importer gives a photo it creates: the
        importer finds this stand-in by its file hash and so creates no rights for it, and
        the library would show the photo without a credit."""
        PhotoRights.objects.get_or_create(image=placeholder, defaults={"credit": SEED_PHOTO_CREDIT})

    def seed_ensure(self, *, newsroom, placeholder) -> None:
        path = seed_path()
        parsed = release_parse(release_file_read(path=path), source=str(path))
        existing = PressReleasePage.objects.filter(archive_id=release_archive_id(parsed=parsed))
        if existing.filter(live=True).exists():
            self.stdout.write(f"Beispielmitteilung „{parsed.title}“ besteht bereits")
            return
        # The importer takes photos from a media dir by file name; the stand-in's bytes under
        # the original's name make it find, by file hash, the placeholder image itself.
        with tempfile.TemporaryDirectory(prefix="press-demo-") as media_dir:
            with placeholder.open_file() as source:
                (Path(media_dir) / SEED_PHOTO_FILE_NAME).write_bytes(source.read())
            result = release_import(
                parsed=parsed,
                source_name=str(path),
                media_dir=Path(media_dir),
                publish=True,
                newsroom=newsroom,
            )
        self.stdout.write(f"Beispielmitteilung importiert: „{result.release.title}“ ({path})")

    def topics_ensure(self) -> None:
        """The demo topics, and topics and tags on the demo releases that have none yet (a
        release an editor has given topics, or left with unpublished changes, is left alone).
        Given as a publication, as an editor would, so the editor and the release's stored
        document show them too."""
        topics = {}
        for name, slug, description in DEMO_TOPICS:
            topics[slug], _created = Topic.objects.get_or_create(
                slug=slug, defaults={"name": name, "description": description}
            )
        given = 0
        for title, (slugs, tags) in DEMO_RELEASE_TOPICS.items():
            release = PressReleasePage.objects.filter(title=title, live=True).first()
            if (
                release is None
                or release.has_unpublished_changes
                or release.topics.exists()
                or release.tags.exists()
            ):
                continue
            latest = release.get_latest_revision_as_object()
            latest.topics = [topics[slug] for slug in slugs]
            latest.tags.add(*tags)
            latest.save_revision().publish()
            given += 1
        self.stdout.write(
            f"Themen und Schlagwörter vergeben: {given}"
            if given
            else "Themen und Schlagwörter bestehen bereits"
        )

    def versions_ensure(self) -> None:
        """The seed release in English and Leichte Sprache, each a published version made as
        the admin's "Translate" action makes it (its home page and newsroom translated too),
        where the site has Wagtail's internationalisation and those languages."""
        i18n = getattr(settings, "WAGTAIL_I18N_ENABLED", False)
        languages = dict(get_content_languages()) if i18n else {}
        seed = (
            PressReleasePage.objects.filter(live=True, locale=Locale.get_default())
            .filter(title__startswith="Masterplan Industrie")
            .order_by("pk")
            .first()
        )
        if seed is None or not languages:
            return
        photo = next((block.value for block in seed.body if block.block_type == "image"), None)
        made = []
        for code, text in SEED_VERSIONS.items():
            if code not in languages:
                continue
            locale, _created = Locale.objects.get_or_create(language_code=code)
            if seed.get_translations().filter(locale=locale).exists():
                continue
            with transaction.atomic():
                version = seed.copy_for_translation(locale, copy_parents=True).specific
                # Its home page and newsroom are aliases of the German ones (Wagtail's
                # copy_parents), published as they are.
                for ancestor in version.get_ancestors().filter(depth__gt=1).specific():
                    if not ancestor.live:
                        ancestor.save_revision().publish()
                version.title = text["title"]
                version.lead = text["lead"]
                # Published now: the copy's embargo and expiry are the original's.
                version.go_live_at = version.expire_at = None
                quote, name, role = text["quote"]
                body = [
                    ("paragraph", RichText(f"<p>{paragraph}</p>"))
                    for paragraph in text["paragraphs"]
                ]
                body.insert(
                    1, ("quote", {"text": RichText(f"<p>{quote}</p>"), "name": name, "role": role})
                )
                if photo is not None:
                    body.append(
                        (
                            "image",
                            {
                                "image": photo["image"],
                                "caption": text["caption"],
                                "credit": photo["credit"],
                                "alt": text["alt"],
                            },
                        )
                    )
                version.body = body
                version.save_revision().publish()
            made.append(str(languages[code]))
        self.stdout.write(
            f"Fassungen der Beispielmitteilung angelegt: {', '.join(made)}"
            if made
            else "Fassungen der Beispielmitteilung bestehen bereits"
        )

    def archive_ensure(self, *, newsroom) -> None:
        """The archive samples, each imported once with stand-ins for its photos."""
        paths = archive_paths()
        if not paths:
            self.stdout.write("Keine Archivbeispiele gefunden (tests/fixtures_releases)")
            return
        imported = 0
        for path in paths:
            try:
                parsed = release_parse(release_file_read(path=path), source=str(path))
            except (ReleaseParseError, ReleaseImportError) as error:
                self.stderr.write(f"Archivbeispiel übersprungen: {error}")
                continue
            if PressReleasePage.objects.filter(
                archive_id=release_archive_id(parsed=parsed)
            ).exists():
                continue
            with tempfile.TemporaryDirectory(prefix="press-demo-") as media_dir:
                for kind, photo in parsed.body:
                    name = photo_file_name(photo=photo) if kind == "image" else None
                    if name:
                        content = placeholder_photo_bytes(name, photo.credit)
                        (Path(media_dir) / name).write_bytes(content)
                try:
                    release_import(
                        parsed=parsed,
                        source_name=str(path),
                        media_dir=Path(media_dir),
                        publish=True,
                        newsroom=newsroom,
                    )
                except ReleaseImportError as error:
                    self.stderr.write(f"Archivbeispiel übersprungen: {path.name}: {error}")
                    continue
            imported += 1
        self.stdout.write(
            f"Archivbeispiele importiert: {imported}"
            if imported
            else "Archivbeispiele bestehen bereits"
        )
