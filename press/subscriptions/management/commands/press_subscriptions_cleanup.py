"""Delete sign-ups that were not confirmed within PRESS["SUBSCRIPTION_PENDING_DAYS"] days.

Run it daily from cron (see the documentation, Operators → Processes and jobs), e.g.
    17 3 * * *  python manage.py press_subscriptions_cleanup
"""

from django.core.management.base import BaseCommand

from press.subscriptions.service import pending_cleanup


class Command(BaseCommand):
    help = "Delete e-mail sign-ups that were never confirmed (PRESS['SUBSCRIPTION_PENDING_DAYS'])."

    def handle(self, *args, **options):
        deleted = pending_cleanup()
        self.stdout.write(f"{deleted} unconfirmed sign-up(s) deleted.")
