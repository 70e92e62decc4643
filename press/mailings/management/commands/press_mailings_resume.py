"""Queue again the mailings a worker that died left half sent (see press.mailings.tasks).

Run it from cron every few minutes, e.g.
    */5 * * * *  python manage.py press_mailings_resume
(the compose file's scheduler sidecar runs it every minute). It queues only mailings nobody
has worked on for PRESS["MAIL_CLAIM_SECONDS"]; queuing one twice sends nothing twice.
"""

from django.core.management.base import BaseCommand

from press.mailings.tasks import mailings_resume


class Command(BaseCommand):
    help = "Queue again the mailings that a dead worker left unfinished."

    def handle(self, *args, **options):
        resumed = mailings_resume()
        self.stdout.write(f"{len(resumed)} mailing(s) queued again.")
