"""Realistic releases in bulk, for benchmarks, load tests and demos (not part of the plugin).

    python -m bench.generate 1000 --photos 3 --seed 1 --publish   # from the project's root

The content (titles, paragraphs, quotes, photo captions) is built by pure functions from a seeded
random generator, so the same seed gives the same archive. `releases_generate` then writes the
rows in bulk: Wagtail pages are treebeard MP_Node rows whose `path` we compute ourselves, so a
batch of a thousand releases costs a handful of INSERTs instead of a thousand `add_child` calls.
"""

import datetime
import io
import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import router, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Locale, Page, Revision

from press.conf import press_setting
from press.models import PressContact, PressReleasePage
from press.publishing.documents import releases_documents_store

# A small vocabulary of a city's press office; combined it reads like the real thing.
TOPICS = [
    "Masterplan Industrie",
    "Radschnellweg",
    "Stadtbücherei",
    "Grundschule am Rhein",
    "Klimaschutzkonzept",
    "Wochenmarkt",
    "Hochwasserschutz",
    "Stadtteilzentrum",
    "Jugendkulturhaus",
    "Rheinuferpromenade",
    "Straßenbahnlinie",
    "Bürgerbüro",
    "Sportpark",
    "Stadtwald",
    "Altstadtfest",
    "Wohnungsbauprogramm",
    "Ehrenamtspreis",
    "Digitalisierungsstrategie",
    "Feuerwache",
    "Kita-Ausbau",
    "Musikschule",
    "Stadtmuseum",
    "Brückensanierung",
    "Quartiersentwicklung",
    "Seniorenbeirat",
]
ACTIONS = [
    "startet",
    "eröffnet",
    "feiert Richtfest",
    "geht in die nächste Runde",
    "wird erweitert",
    "legt Bilanz vor",
    "erhält Förderung",
    "stellt Pläne vor",
    "lädt zum Dialog ein",
    "ist abgeschlossen",
    "beginnt mit Bauarbeiten",
    "zieht positive Zwischenbilanz",
]
SUBJECTS = [
    "Die Landeshauptstadt",
    "Der Oberbürgermeister",
    "Das Amt für Verkehrsmanagement",
    "Die Bezirksvertretung",
    "Das Umweltamt",
    "Der Rat der Stadt",
    "Die Stadtverwaltung",
    "Das Kulturamt",
    "Die Feuerwehr",
    "Das Jugendamt",
    "Der Stadtdirektor",
    "Die Wirtschaftsförderung",
]
VERBS = [
    "informiert über",
    "plant",
    "unterstützt",
    "fördert",
    "bündelt",
    "prüft",
    "verbessert",
    "erweitert",
    "stärkt",
    "begleitet",
    "koordiniert",
    "präsentiert",
]
OBJECTS = [
    "den Ausbau der Radwege",
    "die Sanierung der Schulgebäude",
    "neue Angebote für Familien",
    "die Entwicklung des Industriestandorts",
    "den Schutz des Stadtklimas",
    "die Beteiligung der Bürgerinnen und Bürger",
    "bezahlbaren Wohnraum",
    "die Digitalisierung der Verwaltung",
    "den öffentlichen Nahverkehr",
    "die Begrünung von Dächern und Fassaden",
    "die Zusammenarbeit mit den Unternehmen",
    "die Versorgung mit Kita-Plätzen",
    "das kulturelle Leben in den Stadtteilen",
]
ADDITIONS = [
    "in den kommenden Monaten",
    "gemeinsam mit den Partnern vor Ort",
    "bis Ende des Jahres",
    "im Rahmen eines Pilotprojekts",
    "mit Mitteln des Landes",
    "in enger Abstimmung mit dem Rat",
    "nach einer umfangreichen Planungsphase",
    "ab dem kommenden Frühjahr",
    "in allen zehn Stadtbezirken",
    "zum ersten Mal in dieser Form",
]
DETAILS = [
    "Rund {n} Millionen Euro stehen dafür bereit.",
    "Insgesamt {n} Standorte sind beteiligt.",
    "Die CO<sub>2</sub>-Emissionen sollen um {n} Prozent sinken.",
    "Auf {n} m<sup>2</sup> entstehen neue Flächen.",
    "Bereits {n} Anmeldungen liegen vor.",
    'Weitere Informationen gibt es unter <a href="https://www.duesseldorf.de">duesseldorf.de</a>.',
    "Die Arbeiten dauern voraussichtlich <b>{n} Wochen</b>.",
]
QUOTES = [
    "Wir bündeln unsere Kräfte und schaffen gute Bedingungen für alle, die hier leben und arbeiten.",
    "Das ist ein wichtiger Schritt für unsere Stadt und ein starkes Signal an die Region.",
    "Ich danke allen Beteiligten für die hervorragende Zusammenarbeit in den vergangenen Monaten.",
    "Gemeinsam sorgen wir dafür, dass die CO<sub>2</sub>-Emissionen weiter sinken.",
    "Die Menschen in den Stadtteilen profitieren ganz direkt von diesem Angebot.",
    "Wir gehen hier bewusst neue Wege und lernen aus jedem Projekt.",
]
PEOPLE = [
    ("Dr. Stephan Keller", "Oberbürgermeister"),
    ("Miriam Koch", "Beigeordnete"),
    ("Burkhard Hintzsche", "Stadtdirektor"),
    ("Cornelia Zuschke", "Beigeordnete für Planen"),
    ("Dr. Daniel Kleine", "Vorstandsvorsitzender"),
    ("Jochen Kral", "Beigeordneter"),
    ("Annette Klein", "Amtsleiterin"),
    ("Prof. Dr. Ute Berg", "Schirmherrin"),
]
CREDITS = [
    "Landeshauptstadt Düsseldorf/David Young",
    "Landeshauptstadt Düsseldorf/Ingo Lammert",
    "Landeshauptstadt Düsseldorf/Melanie Zanin",
    "Landeshauptstadt Düsseldorf/Michael Gstettenbauer",
]
CONTACTS = [
    ("Annemarie Wotschke", "annemarie.wotschke@duesseldorf.de", "+49.211.89-93131"),
    ("Michael Bergmann", "michael.bergmann@duesseldorf.de", "+49.211.89-93132"),
    ("Kerstin Jäckel-Engstfeld", "kerstin.jaeckel@duesseldorf.de", "+49.211.89-93133"),
    ("Valentina Meissner", "valentina.meissner@duesseldorf.de", "+49.211.89-93134"),
]
PHOTO_COLOURS = ["#2f5d8a", "#8a2f3d", "#3d8a2f", "#8a6d2f", "#5d2f8a", "#2f8a7d"]


@dataclass
class GeneratedRelease:
    title: str
    release_date: datetime.date
    published_at: datetime.datetime
    lead: str
    body: list[dict] = field(default_factory=list)
    contact_index: int = 0


def sentence_build(*, rng: random.Random) -> str:
    text = (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(ADDITIONS)}."
    )
    if rng.random() < 0.4:
        text += " " + rng.choice(DETAILS).format(n=rng.randint(2, 95))
    return text


def paragraph_build(*, rng: random.Random, sentences: int = 4) -> str:
    return "<p>" + " ".join(sentence_build(rng=rng) for _ in range(sentences)) + "</p>"


def release_build(
    *,
    rng: random.Random,
    image_ids: Sequence[int],
    date_from: datetime.date,
    date_to: datetime.date,
    paragraphs: int = 5,
    quotes: int = 2,
    photos: int = 3,
) -> GeneratedRelease:
    """One release's content as raw StreamField data (pure: no database)."""
    topic = rng.choice(TOPICS)
    title = f"{topic} {rng.choice(ACTIONS)}"
    days = (date_to - date_from).days
    release_date = date_from + datetime.timedelta(days=rng.randint(0, max(days, 0)))
    published_at = timezone.make_aware(
        datetime.datetime.combine(
            release_date, datetime.time(9 + rng.randint(0, 8), rng.randint(0, 59))
        )
    )
    blocks: list[tuple[str, object]] = [
        ("paragraph", paragraph_build(rng=rng)) for _ in range(paragraphs)
    ]
    # Quotes go after the opening paragraph, the way the press office writes them.
    for n in range(quotes):
        name, role = rng.choice(PEOPLE)
        quote = {"text": f"<p>{rng.choice(QUOTES)}</p>", "name": name, "role": role}
        blocks.insert(min(len(blocks), 2 + 2 * n), ("quote", quote))
    for n in range(photos if image_ids else 0):
        blocks.append(
            (
                "image",
                {
                    "image": image_ids[(rng.randrange(len(image_ids)) + n) % len(image_ids)],
                    "caption": f"{topic}: {rng.choice(SUBJECTS)} vor Ort (Foto {n + 1})",
                    "credit": rng.choice(CREDITS),
                    "alt": "",
                },
            )
        )
    body = [
        {"type": kind, "value": value, "id": str(uuid.UUID(int=rng.getrandbits(128), version=4))}
        for kind, value in blocks
    ]
    return GeneratedRelease(
        title=title,
        release_date=release_date,
        published_at=published_at,
        lead=sentence_build(rng=rng),
        body=body,
        contact_index=rng.randrange(len(CONTACTS)),
    )


def photo_file_build(*, index: int, width: int = 1600, height: int = 1067) -> ImageFile:
    """A JPEG that looks like a photo placeholder (coloured, with a label)."""
    from PIL import Image, ImageDraw

    colour = PHOTO_COLOURS[index % len(PHOTO_COLOURS)]
    picture = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(picture)
    for step in range(0, width, 80):
        draw.line([(step, 0), (step + height, height)], fill="#ffffff", width=3)
    draw.text((40, 40), f"Pressefoto {index + 1}", fill="#ffffff")
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80)
    return ImageFile(buffer, name=f"pressefoto-{index + 1}.jpg")


def photos_create(*, count: int) -> list[int]:
    """A few real images, shared by all generated releases, with their srcset renditions made."""
    image_model = get_image_model()
    specs = [f"width-{w}" for w in press_setting("IMAGE_WIDTHS")]
    ids = []
    for index in range(count):
        image = image_model(title=f"Pressefoto {index + 1} (generiert)")
        image.file = photo_file_build(index=index)
        image.save()
        # A new image has no renditions yet; creating them directly skips the rendition cache,
        # which may still hold entries of an earlier image with the same id.
        image.create_renditions(*(Filter(spec=spec) for spec in specs))
        ids.append(image.pk)
    return ids


def contacts_ensure() -> list[int]:
    return [
        PressContact.objects.get_or_create(name=name, email=email, defaults={"phone": phone})[0].pk
        for name, email, phone in CONTACTS
    ]


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` earlier; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _chunks(count: int, size: int) -> Iterator[range]:
    for start in range(0, count, size):
        yield range(start, min(start + size, count))


def releases_generate(
    *,
    parent: Page,
    count: int,
    photos: int = 3,
    seed: int = 0,
    publish: bool = False,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    batch_size: int = 2000,
    index: bool = True,
    progress=None,
) -> int:
    """Insert `count` releases below `parent` in bulk; returns how many were created.

    Each release gets a revision (its latest, and its live one when published) so the admin,
    the channels and the publishing history all see an ordinary page.
    """
    rng = random.Random(seed)
    date_to = date_to or timezone.localdate()
    date_from = date_from or years_before(date_to, 25)
    image_ids = photos_create(count=photos) if photos else []
    contact_ids = contacts_ensure()
    parent = Page.objects.get(pk=parent.pk)  # fresh numchild and path
    database = router.db_for_write(Page)
    locale_id = parent.locale_id or Locale.get_default().pk
    release_type = ContentType.objects.get_for_model(PressReleasePage)
    page_type = ContentType.objects.get_for_model(Page)
    child_depth = parent.depth + 1
    last_child = parent.get_last_child()
    next_step = Page._str2int(last_child.path[-Page.steplen :]) + 1 if last_child else 1
    used_slugs = set(parent.get_children().values_list("slug", flat=True))
    release_fields = PressReleasePage._meta.local_concrete_fields
    created = 0

    for chunk in _chunks(count, batch_size):
        with transaction.atomic(using=database):
            releases = []
            for offset in chunk:
                content = release_build(
                    rng=rng, image_ids=image_ids, date_from=date_from, date_to=date_to
                )
                slug = base = slugify(content.title)[:80]
                n = 1
                while slug in used_slugs:
                    n += 1
                    slug = f"{base}-{n}"
                used_slugs.add(slug)
                published = content.published_at if publish else None
                releases.append(
                    PressReleasePage(
                        path=Page._get_path(parent.path, child_depth, next_step + offset),
                        depth=child_depth,
                        numchild=0,
                        translation_key=uuid.UUID(int=rng.getrandbits(128), version=4),
                        locale_id=locale_id,
                        live=publish,
                        has_unpublished_changes=not publish,
                        first_published_at=published,
                        last_published_at=published,
                        title=content.title,
                        draft_title=content.title,
                        slug=slug,
                        content_type_id=release_type.pk,
                        url_path=f"{parent.url_path}{slug}/",
                        latest_revision_created_at=content.published_at,
                        release_date=content.release_date,
                        lead=content.lead,
                        body=content.body,
                        contact_id=contact_ids[content.contact_index],
                    )
                )
            # Django refuses bulk_create on multi-table models, so: the Page rows first (their
            # ids come back from the INSERT), then the release rows carrying those ids.
            page_rows = [
                Page(**{f.attname: getattr(r, f.attname) for f in Page._meta.concrete_fields})
                for r in releases
            ]
            Page.objects.using(database).bulk_create(page_rows, batch_size=500)
            for release, row in zip(releases, page_rows, strict=True):
                release.pk = release.id = release.page_ptr_id = row.pk
                release._state.adding = False
                release._state.db = database
            PressReleasePage._base_manager.using(database)._insert(
                releases, fields=release_fields, using=database
            )
            revisions = [
                Revision(
                    content_type_id=release_type.pk,
                    base_content_type_id=page_type.pk,
                    object_id=str(release.pk),
                    created_at=release.latest_revision_created_at,
                    object_str=release.title,
                    content=release.serializable_data(),
                )
                for release in releases
            ]
            Revision.objects.using(database).bulk_create(revisions, batch_size=500)
            for release, row, revision in zip(releases, page_rows, revisions, strict=True):
                release.latest_revision_id = row.latest_revision_id = revision.pk
                release.live_revision_id = row.live_revision_id = revision.pk if publish else None
            Page.objects.using(database).bulk_update(
                page_rows, ["latest_revision", "live_revision"], batch_size=500
            )
            Page.objects.using(database).filter(pk=parent.pk).update(
                numchild=F("numchild") + len(releases)
            )
            if index:
                _search_index_add(releases)
            if publish:  # what publishing does: each live release gets its stored document
                releases_documents_store(
                    releases=PressReleasePage.objects.filter(
                        pk__in=[release.pk for release in releases]
                    ).select_related("contact")
                )
        created += len(releases)
        if progress:
            progress(created)
    return created


def _search_index_add(releases: list) -> None:
    from wagtail.search.backends import get_search_backends

    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(PressReleasePage, releases)


def main(argv: list[str] | None = None) -> int:
    """Create N releases below the first newsroom of the database DJANGO_SETTINGS_MODULE names."""
    import argparse
    import os
    import time

    import django

    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=main.__doc__)
    parser.add_argument("count", type=int, help="how many releases")
    parser.add_argument("--photos", type=int, default=3, help="photos per release (and images)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (reproducible)")
    parser.add_argument("--publish", action="store_true", help="publish them at once")
    parser.add_argument("--parent", type=int, default=None, help="newsroom id (else the first)")
    parser.add_argument("--no-index", action="store_true", help="skip the search index (faster)")
    parser.add_argument("--batch-size", type=int, default=2000)
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("count must be at least 0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    django.setup()
    from press.models import PressIndexPage

    newsrooms = PressIndexPage.objects.order_by("path")
    newsroom = newsrooms.filter(pk=args.parent).first() if args.parent else newsrooms.first()
    if newsroom is None:
        parser.error("no newsroom found; create one first")
    started = time.monotonic()
    created = releases_generate(
        parent=newsroom,
        count=args.count,
        photos=args.photos,
        seed=args.seed,
        publish=args.publish,
        index=not args.no_index,
        batch_size=args.batch_size,
    )
    state = "published" if args.publish else "as drafts"
    print(
        f"{created} releases {state} below {newsroom.title!r} ({time.monotonic() - started:.1f} s)."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
