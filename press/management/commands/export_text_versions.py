"""Export the archive's text versions: `export_text_versions --from 2000-01-01 --to 2024-12-31 out.zip`."""

import datetime
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from press.export import releases_export_text_zip


def date_argument(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            _("Invalid date “%(value)s” (expected: YYYY-MM-DD).") % {"value": value}
        ) from error


class Command(BaseCommand):
    help = gettext_lazy(
        "Writes the text versions of all published press releases of a period into a ZIP file."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help=_("Target ZIP file, “-” for standard output"))
        parser.add_argument("--from", dest="date_from", type=date_argument, default=None)
        parser.add_argument("--to", dest="date_to", type=date_argument, default=None)
        parser.add_argument("--chunk-size", type=int, default=500)

    def handle(self, *args, out, date_from, date_to, chunk_size, **options):
        if date_from and date_to and date_from > date_to:
            raise CommandError(_("--from is after --to."))
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
                    _("%(count)s text versions written to %(out)s (%(seconds).1f s).")
                    % {"count": count, "out": out, "seconds": seconds}
                )
            )
