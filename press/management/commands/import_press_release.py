"""Import releases from the office's text archive: parse each file, then save it (thin).

Usage: python manage.py import_press_release FILE... [--media-dir DIR] [--publish]
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from press.importer.parse import ReleaseParseError, release_parse
from press.importer.save import ReleaseImportError, release_file_read, release_import


class Command(BaseCommand):
    help = (
        "Imports press releases in the text format of the old archive. Each file is taken over "
        "completely or not at all; importing it again updates the release."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--media-dir",
            type=Path,
            help=_(
                "Folder with the press photos (file name as in the address); otherwise they are "
                "fetched over http(s)."
            ),
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help=_("Publish (first publication = date of the release); otherwise a draft."),
        )

    def handle(self, *args, files, media_dir, publish, **options):

        if media_dir is not None and not media_dir.is_dir():
            raise CommandError(_("--media-dir %(dir)s: not a folder") % {"dir": media_dir})
        total = len(files)
        counts = {"created": 0, "updated": 0, "failed": 0}
        for number, path in enumerate(files, start=1):
            progress = f"[{number}/{total}] {path.name}"
            text = ""
            try:
                text = release_file_read(path=path)
                parsed = release_parse(text, source=str(path))
                result = release_import(
                    parsed=parsed, source_name=str(path), media_dir=media_dir, publish=publish
                )
            except (ReleaseParseError, ReleaseImportError) as error:
                counts["failed"] += 1
                self.stderr.write(error_location(path=path, error=error, text=text))
                self.stdout.write(_("%(progress)s → failed") % {"progress": progress})
                continue
            except Exception as error:
                # One broken file must not stop an archive of hundreds; --traceback shows why.
                if options.get("traceback"):
                    raise
                counts["failed"] += 1
                self.stderr.write(
                    _("%(path)s: unexpected error: %(error)s")
                    % {"path": path, "error": f"{type(error).__name__}: {error}"}
                )
                self.stdout.write(_("%(progress)s → failed") % {"progress": progress})
                continue
            release = result.release
            live = release.live and not release.has_unpublished_changes
            state = _("live") if live else _("draft")
            if result.created:
                line = _("%(progress)s → created “%(title)s” (%(date)s, %(state)s)")
            else:
                line = _("%(progress)s → updated “%(title)s” (%(date)s, %(state)s)")
            counts["created" if result.created else "updated"] += 1
            self.stdout.write(
                line
                % {
                    "progress": progress,
                    "title": release.title,
                    "date": f"{release.release_date:%Y-%m-%d}",
                    "state": state,
                }
            )
        summary = _(
            "%(created)s created, %(updated)s updated, %(failed)s failed (of %(total)s)"
        ) % {**counts, "total": total}
        if counts["failed"]:
            raise CommandError(_("Import incomplete: %(summary)s") % {"summary": summary})
        self.stdout.write(
            self.style.SUCCESS(_("Import finished: %(summary)s") % {"summary": summary})
        )


def error_location(*, path: Path, error: Exception, text: str = "") -> str:
    """`FILE:LINE: message`, the form editors and CI logs link to."""
    line = error.line_in(text) if isinstance(error, ReleaseImportError) else error.line
    message = getattr(error, "message", None) or str(error)
    return f"{path}:{line}: {message}" if line else f"{path}: {message}"
