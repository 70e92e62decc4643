"""RSS feed of a newsroom's visible releases."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed

from .conf import press_setting
from .serializers import office_settings_for


class ReleasesFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return kwargs["index"]

    def title(self, index):
        office = office_settings_for(request=self.request)
        return f"{office.service_name} – {office.office_name}"

    def link(self, index):
        return index.get_full_url(self.request)

    def description(self, index):
        office = office_settings_for(request=self.request)
        return f"Pressemitteilungen: {office.service_name} der {office.office_name}"

    def items(self, index):
        return index.releases().select_related("contact")[: press_setting("FEED_SIZE")]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead or item.search_description or ""

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_guid(self, item):
        return item.get_full_url(self.request)

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at
