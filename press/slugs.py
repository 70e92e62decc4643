"""German slugs: "Bürgerbeteiligung Straße" → "buergerbeteiligung-strasse", as the importer
has always made them and as German addresses are written, never `b%C3%BCrgerbeteiligung`.

The same transliteration runs in two places: on the server when a release or topic is saved
without a slug, and in the admin's slug fields as Wagtail's documented `SlugInput`
formatters, which its slug script applies before its own (Latin) transliteration while the
editor types the title."""

from django.utils.text import slugify
from wagtail.admin.widgets.slug import SlugInput

# Wagtail's and Django's own transliteration write "ä" as "a"; German writes it "ae".
GERMAN_LETTERS = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
GERMAN_TRANSLITERATION = str.maketrans(GERMAN_LETTERS)
# Also "ẞ", the capital sharp s, which a title in capitals may hold.
GERMAN_SLUG_FORMATTERS = [(letter, spelled) for letter, spelled in GERMAN_LETTERS.items()] + [
    ("ẞ", "SS")
]


def german_slug(text: str, *, max_length: int = 255) -> str:
    """The ASCII slug of a German text, cut to `max_length` without a dash at either end."""
    spelled = text.translate(GERMAN_TRANSLITERATION).replace("ẞ", "SS")
    return slugify(spelled)[:max_length].strip("-")


def german_slug_input() -> SlugInput:
    """The admin's slug field, transliterating German letters as `german_slug` does."""
    return SlugInput(formatters=GERMAN_SLUG_FORMATTERS)
