"""The public renditions storage: every new file gets a random directory.

Wagtail names a rendition after its original and filter (`images/foto.width-800.jpg`), so
anyone who knows a photo's file name could guess where the renditions of a photo that no
visible page shows yet would be (the admin's thumbnails, the embargo page's sizes). With a
random directory (`images/<token>/foto.width-800.jpg`) a rendition is only found through a
page, document or API response that shows it. The names never change once written, so a CDN
may keep them for a year (`immutable`).
"""

import posixpath
import secrets

from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage


class UnguessableNamesMixin:
    def generate_filename(self, filename):
        directory, name = posixpath.split(filename.replace("\\", "/"))
        return super().generate_filename(posixpath.join(directory, secrets.token_hex(12), name))


class PublicFileSystemStorage(UnguessableNamesMixin, FileSystemStorage):
    pass


class PublicS3Storage(UnguessableNamesMixin, S3Storage):
    pass
