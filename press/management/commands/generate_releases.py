"""Create N realistic releases in bulk: `generate_releases 1000 --photos 6 --seed 1 --publish`."""

import time

from django.core.management.base import BaseCommand, CommandError

from press.generate import releases_generate
from press.models import PressIndexPage


class Command(BaseCommand):
    help = "Legt N realistische Pressemitteilungen in einem Rutsch an (für Messungen und Demos)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="Anzahl der Pressemitteilungen")
        parser.add_argument(
            "--photos", type=int, default=3, help="Pressefotos je Mitteilung (und so viele Bilder)"
        )
        parser.add_argument("--seed", type=int, default=0, help="Zufallsstartwert (reproduzierbar)")
        parser.add_argument("--publish", action="store_true", help="gleich veröffentlichen")
        parser.add_argument(
            "--parent",
            type=int,
            default=None,
            help="ID der Pressedienst-Übersicht (sonst die erste)",
        )
        parser.add_argument(
            "--no-index", action="store_true", help="Suchindex nicht füllen (schneller)"
        )
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(
        self,
        *args,
        count,
        photos,
        seed,
        publish,
        parent,
        no_index,
        batch_size,
        verbosity=1,
        **options,
    ):
        if count < 0:
            raise CommandError("N muss mindestens 0 sein.")
        newsrooms = PressIndexPage.objects.order_by("path")
        newsroom = newsrooms.filter(pk=parent).first() if parent else newsrooms.first()
        if newsroom is None:
            raise CommandError("Keine Pressedienst-Übersicht gefunden; bitte zuerst eine anlegen.")
        started = time.monotonic()

        def progress(done: int) -> None:
            if verbosity > 1:
                self.stdout.write(f"{done}/{count} …")

        created = releases_generate(
            parent=newsroom,
            count=count,
            photos=photos,
            seed=seed,
            publish=publish,
            index=not no_index,
            batch_size=batch_size,
            progress=progress,
        )
        seconds = time.monotonic() - started
        state = "veröffentlicht" if publish else "als Entwurf"
        self.stdout.write(
            self.style.SUCCESS(
                f"{created} Pressemitteilungen {state} unter „{newsroom.title}“ angelegt "
                f"({seconds:.1f} s)."
            )
        )
