"""Withdraw the photos whose rights have ended from every release showing them.

Run it every minute from cron, next to Wagtail's `publish_scheduled`, e.g.
    * * * * *  python manage.py press_photo_rights_expire
Readers never see an expired photo meanwhile (its documents are rebuilt on read); this job
deletes its renditions, rebuilds the documents in the background, purges and sends webhooks.
"""

from django.core.management.base import BaseCommand

from press.publishing.photos import photos_expired_withdraw


class Command(BaseCommand):
    help = "Withdraw photos whose rights have ended from every release (run every minute)."

    def handle(self, *args, **options):
        image_ids = photos_expired_withdraw()
        self.stdout.write(f"{len(image_ids)} photo(s) withdrawn, rights ended.")
