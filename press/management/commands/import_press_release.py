"""Import releases from the office's text archive: parse each file, then save it (thin).

Usage: python manage.py import_press_release FILE... [--media-dir DIR] [--publish]
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from press.importer.parse import ReleaseParseError, release_parse
from press.importer.save import ReleaseImportError, release_file_read, release_import


class Command(BaseCommand):
    help = (
        "Importiert Pressemitteilungen im Textformat des bisherigen Archivs. Jede Datei wird "
        "ganz oder gar nicht übernommen; ein erneuter Import aktualisiert die Mitteilung."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--media-dir",
            type=Path,
            help="Ordner mit den Pressefotos (Dateiname wie in der Adresse); sonst werden sie "
            "über http(s) geladen.",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Veröffentlichen (Erstveröffentlichung = Datum der Mitteilung); sonst Entwurf.",
        )

    def handle(self, *args, files, media_dir, publish, **options):

        if media_dir is not None and not media_dir.is_dir():
            raise CommandError(f"--media-dir {media_dir}: kein Ordner")
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
                self.stdout.write(f"{progress} → fehlgeschlagen")
                continue
            except Exception as error:
                # One broken file must not stop an archive of hundreds; --traceback shows why.
                if options.get("traceback"):
                    raise
                counts["failed"] += 1
                self.stderr.write(f"{path}: unerwarteter Fehler: {type(error).__name__}: {error}")
                self.stdout.write(f"{progress} → fehlgeschlagen")
                continue
            release = result.release
            state = "live" if release.live and not release.has_unpublished_changes else "Entwurf"
            action = "angelegt" if result.created else "aktualisiert"
            counts["created" if result.created else "updated"] += 1
            self.stdout.write(
                f"{progress} → {action} „{release.title}“ ({release.release_date:%Y-%m-%d}, {state})"
            )
        summary = (
            f"{counts['created']} angelegt, {counts['updated']} aktualisiert, "
            f"{counts['failed']} fehlgeschlagen (von {total})"
        )
        if counts["failed"]:
            raise CommandError(f"Import unvollständig: {summary}")
        self.stdout.write(self.style.SUCCESS(f"Import fertig: {summary}"))


def error_location(*, path: Path, error: Exception, text: str = "") -> str:
    """`FILE:LINE: message`, the form editors and CI logs link to."""
    line = error.line_in(text) if isinstance(error, ReleaseImportError) else error.line
    message = getattr(error, "message", None) or str(error)
    return f"{path}:{line}: {message}" if line else f"{path}: {message}"
