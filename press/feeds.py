"""Feeds of a newsroom's visible releases (newest first): RSS 2.0 at the newsroom's `rss/`,
Atom 1.0 at `atom/` and JSON Feed 1.1 at `json/`, all from one `ReleasesFeed` (Django's
syndication framework) with three writers.

The newsroom page hands itself over (its `rss` route); the feed asks it for its releases and
never queries for releases itself. A topic's feeds (the newsroom's `thema/<slug>/rss/` and so
on) are the same feeds, handed the topic too: its title and items are the topic's."""

import datetime
import json

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import gettext as _

from .conf import press_setting

# Characters XML 1.0 cannot carry: one pasted into a title must not take the feed down.
XML_FORBIDDEN = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF])


def xml_text(value):
    """`value` without the control characters XML 1.0 forbids (None stays None)."""
    return value.translate(XML_FORBIDDEN) if isinstance(value, str) else value


class XMLSafeText:
    """For Django's feed writers: only text XML can hold (titles, descriptions, names)."""

    def __init__(self, title, link, description, **kwargs):
        kwargs = {key: xml_text(value) for key, value in kwargs.items()}
        super().__init__(xml_text(title), link, xml_text(description), **kwargs)

    def add_item(self, title, link, description, **kwargs):
        kwargs = {key: xml_text(value) for key, value in kwargs.items()}
        super().add_item(xml_text(title), link, xml_text(description), **kwargs)


class XMLSafeRssFeed(XMLSafeText, Rss201rev2Feed):
    """Django's RSS 2.0 writer."""


class XMLSafeAtomFeed(XMLSafeText, Atom1Feed):
    """Django's Atom 1.0 writer."""


def rfc3339(moment) -> str | None:
    return moment.isoformat() if moment else None


class JSONFeed(XMLSafeText, SyndicationFeed):
    """A writer for JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) in Django's
    syndication framework: the same feed and items as RSS and Atom, as JSON (with the same
    text: JSON could carry control characters, but the feeds agree)."""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding):
        feed = self.feed
        data = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "language": feed["language"],
            "authors": [{"name": feed["author_name"]}] if feed.get("author_name") else None,
            "items": [self.item_data(item) for item in self.items],
        }
        outfile.write(json.dumps(strip_none(data), ensure_ascii=False))

    @staticmethod
    def item_data(item: dict) -> dict:
        attachments = [
            {"url": e.url, "mime_type": e.mime_type, "size_in_bytes": int(e.length or 0) or None}
            for e in item["enclosures"]
        ]
        return strip_none(
            {
                "id": item["unique_id"] or item["link"],
                "url": item["link"],
                "title": item["title"],
                "content_text": item["description"],
                "summary": item["description"],
                "image": attachments[0]["url"] if attachments else None,
                "date_published": rfc3339(item["pubdate"]),
                "date_modified": rfc3339(item["updateddate"]),
                "authors": [{"name": item["author_name"]}] if item.get("author_name") else None,
                "attachments": [strip_none(a) for a in attachments] or None,
            }
        )


def strip_none(data: dict) -> dict:
    return {key: value for key, value in data.items() if value is not None}


class ReleasesFeed(Feed):
    feed_type = XMLSafeRssFeed
    language = None  # the active language (Feed falls back to get_language())
    item_guid_is_permalink = True

    def get_object(self, request, *args, **kwargs):
        self.request = request
        index = kwargs["index"]
        self.topic = kwargs.get("topic")
        self.office = index.office_settings(request)
        self.item_data: dict[int, dict] = {}
        return index

    def release_data(self, release) -> dict:
        """The item's description and enclosure, from the release's stored document."""
        if release.pk not in self.item_data:
            self.item_data[release.pk] = release.public_document(self.request).data
        return self.item_data[release.pk]

    def title(self, index):
        if self.topic is not None:
            return f"{self.office.office_name} – {self.topic.name}"
        return f"{self.office.service_name} – {self.office.office_name}"

    def link(self, index):
        # The reader's pages: the site's frontend when it has one (get_url_parts says so).
        if self.topic is not None:
            return index.topic_url(slug=self.topic.slug, request=self.request, full=True)
        return index.get_full_url(self.request)

    route = "rss"

    def feed_url(self, index):
        # The feed itself is always served by the CMS, frontend or not.
        if self.topic is not None:
            return index.cms_url(self.request) + index.reverse_subpage(
                f"topic_{self.route}", kwargs={"slug": self.topic.slug}
            )
        return index.cms_url(self.request) + index.reverse_subpage(self.route)

    def description(self, index):
        if self.topic is not None:
            return self.topic.description or _("Press releases of %(office)s on %(topic)s") % {
                "office": self.office.office_name,
                "topic": self.topic.name,
            }
        return _("Press releases: %(service)s of %(office)s") % {
            "service": self.office.service_name,
            "office": self.office.office_name,
        }

    def author_name(self, index):
        return self.office.office_name

    def feed_copyright(self, index):
        return f"© {self.office.office_name}"

    def items(self, index):
        releases = index.releases()
        if self.topic is not None:
            releases = releases.filter(topics=self.topic)
        return list(
            releases.select_related("contact", "document").defer(
                "document__api_json", "document__text"
            )[: press_setting("FEED_SIZE")]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        """The release's description; a correction since publication comes first, so that
        readers see why the item is updated."""
        data = self.release_data(item)
        notes = [
            _("Correction of %(date)s:") % {"date": note["date_text"]} + " " + note["text"]
            for note in data.get("corrections", [])
        ]
        return "\n\n".join([*reversed(notes), data["meta"]["description"]])

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
        enclosure = self.release_data(item)["feed"]["enclosure"]
        return enclosure and enclosure["url"]

    def item_enclosure_length(self, item):
        enclosure = self.release_data(item)["feed"]["enclosure"]
        return enclosure and enclosure["length"]

    def item_enclosure_mime_type(self, item):
        enclosure = self.release_data(item)["feed"]["enclosure"]
        return enclosure and enclosure["mime_type"]


class AtomReleasesFeed(ReleasesFeed):
    feed_type = XMLSafeAtomFeed
    route = "atom"

    def subtitle(self, index):
        return self.description(index)


class JSONReleasesFeed(ReleasesFeed):
    feed_type = JSONFeed
    route = "json"
