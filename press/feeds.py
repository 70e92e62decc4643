"""RSS feed of a newsroom's visible releases (newest first), served at the newsroom's `rss/`.

The newsroom page hands itself over (its `rss` route); the feed asks it for its releases and
never queries for releases itself."""

import datetime
import mimetypes

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _
from wagtail.images.models import SourceImageIOError

from .conf import press_setting
from .documents import (
    release_body_data,
    release_description,
    release_photos,
    releases_prefetch_body,
)


class ReleasesFeed(Feed):
    feed_type = Rss201rev2Feed
    language = None  # the active language (Feed falls back to get_language())
    item_guid_is_permalink = True

    def get_object(self, request, *args, **kwargs):
        self.request = request
        index = kwargs["index"]
        self.office = index.office_settings(request)
        self.item_data: dict[int, dict] = {}
        return index

    def release_data(self, release) -> dict:
        """Description and photos from the release's block data, built once per item."""
        if release.pk not in self.item_data:
            body = release_body_data(release=release, request=self.request)
            self.item_data[release.pk] = {
                "description": release_description(release=release, body=body),
                "photos": release_photos(body=body),
            }
        return self.item_data[release.pk]

    def title(self, index):
        return f"{self.office.service_name} – {self.office.office_name}"

    def link(self, index):
        return index.get_full_url(self.request)

    def feed_url(self, index):
        return index.get_full_url(self.request) + index.reverse_subpage("rss")

    def description(self, index):
        return _("Press releases: %(service)s of %(office)s") % {
            "service": self.office.service_name,
            "office": self.office.office_name,
        }

    def author_name(self, index):
        return self.office.office_name

    def feed_copyright(self, index):
        return f"© {self.office.office_name}"

    def items(self, index):
        releases = list(index.releases().select_related("contact")[: press_setting("FEED_SIZE")])
        # Photos of all items in one image and one rendition query, not per item and photo.
        releases_prefetch_body(releases=releases)
        return releases

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return self.release_data(item)["description"]

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_guid(self, item):
        return item.get_full_url(self.request)

    def item_author_name(self, item):
        return item.contact.name if item.contact_id else self.office.office_name

    def item_author_email(self, item):
        return item.contact.email if item.contact_id and item.contact.email else None

    def item_pubdate(self, item):
        # Imported or scripted releases may never have passed through a publication: their
        # release date (start of the day, local time) stands in.
        if item.first_published_at:
            return item.first_published_at
        midnight = datetime.datetime.combine(item.release_date, datetime.time())
        return timezone.make_aware(midnight)

    def item_updateddate(self, item):
        return item.last_published_at

    # The first press photo travels as the item's enclosure, so feed readers show it.
    def item_enclosure_url(self, item):
        photos = self.release_data(item)["photos"]
        return photos[0]["image"]["url"] if photos else None

    def item_enclosure_length(self, item):
        photos = self.release_data(item)["photos"]
        if not photos:
            return None
        images = (block.value["image"] for block in item.body if block.block_type == "image")
        image = next((image for image in images if image), None)
        try:
            return (image.get_file_size() if image else None) or 0
        except SourceImageIOError:  # a missing original must not take the whole feed down
            return 0

    def item_enclosure_mime_type(self, item):
        photos = self.release_data(item)["photos"]
        if not photos:
            return None
        return mimetypes.guess_type(photos[0]["image"]["file_name"])[0] or "image/jpeg"
