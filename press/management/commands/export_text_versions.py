"""Export the archive's text versions: `export_text_versions --from 2000-01-01 --to 2024-12-31 out.zip`."""

import datetime
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from press.export import releases_export_text_zip


def date_argument(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Ungültiges Datum „{value}“ (erwartet: JJJJ-MM-TT).") from error


class Command(BaseCommand):
    help = "Schreibt die Textversionen aller veröffentlichten Pressemitteilungen eines Zeitraums in eine ZIP-Datei."

    def add_arguments(self, parser):
        parser.add_argument("out", help="Ziel-ZIP-Datei, „-“ für die Standardausgabe")
        parser.add_argument("--from", dest="date_from", type=date_argument, default=None)
        parser.add_argument("--to", dest="date_to", type=date_argument, default=None)
        parser.add_argument("--chunk-size", type=int, default=500)

    def handle(self, *args, out, date_from, date_to, chunk_size, **options):
        if date_from and date_to and date_from > date_to:
            raise CommandError("--from liegt nach --to.")
        started = time.monotonic()
        if out == "-":
            count = releases_export_text_zip(
                out=sys.stdout.buffer, date_from=date_from, date_to=date_to, chunk_size=chunk_size
            )
        else:
            with open(out, "wb") as handle:
                count = releases_export_text_zip(
                    out=handle, date_from=date_from, date_to=date_to, chunk_size=chunk_size
                )
        seconds = time.monotonic() - started
        if out != "-":
            self.stdout.write(
                self.style.SUCCESS(
                    f"{count} Textversionen nach {out} geschrieben ({seconds:.1f} s)."
                )
            )
