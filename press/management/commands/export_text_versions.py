"""Export the archive's text versions: `export_text_versions --from 2000-01-01 --to 2024-12-31 out.zip`."""

import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from press.export import releases_export_text_zip


def date_argument(value: str | None, *, option: str) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("%(option)s: invalid date “%(value)s” (expected: YYYY-MM-DD).")
            % {"option": option, "value": value}
        ) from None


def chunk_size_argument(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise CommandError(
            _("--chunk-size: “%(value)s” is not a positive whole number.") % {"value": value}
        )
    return number


def out_argument(value: str) -> Path:
    """The target file, refused before any work when it cannot be written there."""
    out = Path(value)
    if out.is_dir():
        raise CommandError(_("%(out)s is a folder, not a file name.") % {"out": out})
    folder = out.parent
    if not folder.is_dir():
        raise CommandError(
            _("The folder %(folder)s does not exist; please create it first.") % {"folder": folder}
        )
    if not os.access(folder, os.W_OK):
        raise CommandError(_("The folder %(folder)s is not writable.") % {"folder": folder})
    return out


class Command(BaseCommand):
    help = "Writes the text versions of all published press releases of a period into a ZIP file."

    def add_arguments(self, parser):
        # Read as text and checked in handle(): a bad value is a one-line CommandError there,
        # where argparse's `type=` would end in a usage text or, for CommandError, a traceback.
        parser.add_argument("out", help=_("Target ZIP file, “-” for standard output"))
        parser.add_argument("--from", dest="date_from", default=None, metavar="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", default=None, metavar="YYYY-MM-DD")
        parser.add_argument("--chunk-size", default="500", metavar="N")

    def handle(self, *args, out, date_from, date_to, chunk_size, **options):
        date_from = date_argument(date_from, option="--from")
        date_to = date_argument(date_to, option="--to")
        chunk_size = chunk_size_argument(chunk_size)
        if date_from and date_to and date_from > date_to:
            raise CommandError(_("--from is after --to."))
        started = time.monotonic()
        if out == "-":
            releases_export_text_zip(
                out=sys.stdout.buffer, date_from=date_from, date_to=date_to, chunk_size=chunk_size
            )
            return
        target = out_argument(out)
        count = zip_write_atomically(
            target=target,
            write=lambda handle: releases_export_text_zip(
                out=handle, date_from=date_from, date_to=date_to, chunk_size=chunk_size
            ),
        )
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)s text versions written to %(out)s (%(seconds).1f s).")
                % {"count": count, "out": out, "seconds": seconds}
            )
        )


def zip_write_atomically(*, target: Path, write):
    """`write(handle)` into a temporary file next to `target`, renamed to it on success and
    removed on failure: the target is the whole archive or untouched, never empty or half."""
    descriptor, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".part"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            result = write(handle)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return result
