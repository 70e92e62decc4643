"""The newsroom and its releases, and the one rule of what the public may see of them."""

import datetime
import functools
import re

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Now, Substr
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import Tag
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, Site
from wagtail.query import PageQuerySet
from wagtail.search import index

from ..addresses import request_root_url
from ..blocks import PressBodyBlock
from ..conf import press_setting
from ..documents import (
    addresses_replace,
    document_photo_addresses,
    release_document_build,
    release_render_text_for,
)
from ..feeds import AtomReleasesFeed, JSONReleasesFeed, ReleasesFeed
from ..http import attachment_disposition, edge_tag, etag_from, response_conditional
from ..presskit import press_kit_stream
from ..preview import preview_url_for
from ..printing import PRINT_WIDTH, pdf_available, release_pdf
from ..slugs import german_slug, german_slug_input
from ..validators import control_characters_refuse
from .contacts import ContactAPIField, PressContact
from .documents import (
    DocumentBodyField,
    DocumentDataField,
    ReleaseDocument,
    release_document_for,
    view_restrictions_over,
)
from .forms import PressReleasePageForm, release_date_default
from .office import PressSettings, frontend_settings_for
from .search import releases_search
from .topics import ReleaseTag, Topic
from .version_panels import EasyLanguageCheckPanel, ReleaseVersionsPanel
from .versions import (
    language_default,
    release_versions_links,
    site_roots_paths,
    version_original_visible,
)

# Longer is not a search a reader typed; the rest is cut rather than refused.
SEARCH_QUERY_MAX_LENGTH = 200
# A topic's or tag's slug in the address (tags keep their letters: "öpnv").
SLUG = re.compile(r"[-\w]{1,100}")
# Related releases below a release: the editor's choice first, then the newest sharing a topic.
RELATED_RELEASES_MAX = 3


def today() -> datetime.date:
    return timezone.localdate()


def release_part_panels() -> list:
    """The panels the installed optional parts add to the release editor (an AppConfig's
    `press_release_panels`), in INSTALLED_APPS order. The app configs exist before any model
    is imported, so the page class can ask while it is made."""
    return [
        panel
        for config in apps.get_app_configs()
        for panel in getattr(config, "press_release_panels", ())
    ]


# The release's own date fields: Wagtail's date pickers, marked so that what the editor types
# reaches the form as typed (press/static/press/admin/date-input.js).
TYPED_DATE_ATTRS = {"data-press-typed-date": ""}


class ReleaseQuerySet(PageQuerySet):
    def visible(self, *, site=None):
        """Releases anyone may read: live, not expired, no view restriction on them or an
        ancestor. Every public channel reads releases through this.

        "Not expired" includes an expiry that has passed while `publish_scheduled` (run every
        minute) has not yet unpublished the page. A live page's row holds its published
        revision (drafts of live pages stay in revisions), so these rows never show a newer
        draft.
        """
        queryset = (
            self.published()
            # The stored document says whether a view restriction on the release or an
            # ancestor covers it (kept in the transaction of every change to restrictions or
            # the tree); a release without a document is asked about directly.
            .filter(
                Q(document__restricted=False)
                | (Q(document=None) & ~Exists(view_restrictions_over(OuterRef("path"))))
            )
            # A version (English, Leichte Sprache) only while its German original is visible.
            .filter(version_original_visible(self.model))
        )
        if site is not None:
            queryset = queryset.of_site(site=site)
        return queryset.order_by("-release_date", "-first_published_at", "-pk")

    def published(self):
        """Live and not expired, the database's clock deciding when the statement runs: what
        Wagtail serves to a reader its view restrictions let in. `visible` is this, for
        anyone."""
        return self.live().filter(expired=False).exclude(expire_at__lte=Now())

    def of_site(self, *, site):
        """Releases below the site's root page or one of its translations (the versions live
        below the English and Leichte-Sprache home pages)."""
        root = site.root_page
        return self.alias(site_root_path=Substr("path", 1, len(root.path))).filter(
            site_root_path__in=site_roots_paths(site)
        )

    def in_topics(self, *, topic_ids):
        """Releases in any of these topics. A subquery, not a join: a release in two of them
        is one row, the list stays one statement, and Wagtail search (API v2's `search`)
        can still take the queryset (it understands `pk__in`, not `Exists`)."""
        links = self.model.topics.through.objects.filter(topic_id__in=topic_ids)
        return self.filter(pk__in=links.values("pressreleasepage_id"))

    def tagged(self, *, slugs):
        """Releases carrying any of these tags (by the tag's slug)."""
        links = ReleaseTag.objects.filter(tag__slug__in=slugs)
        return self.filter(pk__in=links.values("content_object_id"))


ReleaseManager = PageManager.from_queryset(ReleaseQuerySet)


@functools.cache
def releases_visible_all() -> ReleaseQuerySet:
    """`visible()` of every release, made once per process and never evaluated itself.

    A queryset refined from it (a filter, a slice) is a new queryset, run on the database
    when it is read, as Django documents; only making the rule's expressions is saved, which
    cost a read that hands back stored documents about as much as running it."""
    return PressReleasePage.objects.visible()


def releases_visible(*, site=None) -> ReleaseQuerySet:
    """`PressReleasePage.objects.visible(site=site)`, refined from the rule made once."""
    queryset = releases_visible_all().all()
    if site is not None:
        queryset = queryset.of_site(site=site)
    return queryset


class OfficeSettingsMixin:
    def office_settings(self, request=None) -> PressSettings:
        """The press office settings of the site the request is for, else of the page's site."""
        site = None
        if request is not None:
            site = Site.find_for_request(request)
        if site is None:
            site = self.get_site()
        return PressSettings.for_site(site) if site is not None else PressSettings.defaults()


class FrontendRoutedMixin:
    """A page a site's headless frontend shows (PressSettings.frontend_url): its URL — and so
    every address given out for it — is the frontend's route, through the documented override
    of `get_url_parts`; its Wagtail rendering redirects there unless the site keeps it.

    Sub-routes (text version, feeds, downloads) stay on the CMS: `cms_url` is their root."""

    frontend_route = ""

    def frontend_slug(self) -> str:
        return self.slug

    def cms_url_parts(self, request=None):
        """Wagtail's own (site_id, root_url, path) of the page: where the CMS serves it."""
        return super().get_url_parts(request)

    def frontend_office(self, request=None) -> PressSettings | None:
        parts = self.cms_url_parts(request)
        if parts is None or parts[2] is None:
            return None
        return frontend_settings_for(site_id=parts[0], request=request)

    def get_url_parts(self, request=None):
        parts = self.cms_url_parts(request)
        if parts is None or parts[2] is None:
            return parts
        office = frontend_settings_for(site_id=parts[0], request=request)
        if office is None:
            return parts
        address = self.frontend_page_address(
            office, route=self.frontend_route, slug=self.frontend_slug()
        )
        scheme, _slash, rest = address.partition("://")
        host, _slash, path = rest.partition("/")
        return (parts[0], f"{scheme}://{host}", "/" + path)

    def frontend_page_address(self, office: PressSettings, *, route: str, slug: str) -> str:
        """The frontend's address of this page's `route`; a page in another language than the
        site's (a version) below its language, as the CMS's own addresses have it
        (i18n_patterns): /en/pressemitteilungen/<slug>/. (Wagtail's own address of the page
        has read its locale already.)"""
        address = office.frontend_address(route=route, slug=slug)
        code = self.locale.language_code
        if code == language_default():
            return address
        scheme, _slash, rest = address.partition("://")
        host, _slash, path = rest.partition("/")
        return f"{scheme}://{host}/{code}/{path}"

    def get_url(self, request=None, current_site=None):
        # A frontend's page is never at a path of the CMS: always the absolute address.
        if self.frontend_office(request) is not None:
            return self.get_full_url(request)
        return super().get_url(request=request, current_site=current_site)

    # Page's `url` property holds Page.get_url itself: bound anew to the override above.
    url = property(get_url)

    def relative_url(self, current_site, request=None):
        # routablepageurl builds the sub-routes' addresses (text version, feeds, downloads)
        # from this: they are always served by the CMS, so this is the CMS's address.
        parts = self.cms_url_parts(request)
        if parts is None or parts[2] is None:
            return None
        if current_site is not None and parts[0] == current_site.pk:
            return parts[2]
        return parts[1] + parts[2]

    def cms_url(self, request=None) -> str | None:
        """The absolute address of the page on the CMS itself, frontend or not."""
        parts = self.cms_url_parts(request)
        if parts is None or parts[1] is None or parts[2] is None:
            return None
        return parts[1] + parts[2]

    def frontend_redirect_url(self, request, *, view=None, slug: str = "") -> str | None:
        """Where a reader of this page's Wagtail rendering is sent; None: it is shown here."""
        if getattr(request, "is_preview", False):
            return None
        site = Site.find_for_request(request)
        office = frontend_settings_for(site_id=site.pk if site else None, request=request)
        if office is None or not office.frontend_redirect:
            return None
        if view is None or view == self.index_route:
            address = self.frontend_page_address(
                office, route=self.frontend_route, slug=self.frontend_slug()
            )
        elif slug and view == getattr(self, "topic_page", None):
            address = self.frontend_page_address(office, route="topic", slug=slug)
        else:
            return None
        query = request.META.get("QUERY_STRING", "")
        return address + (f"?{query}" if query else "")

    def serve(self, request, view=None, args=None, kwargs=None):
        target = self.frontend_redirect_url(request, view=view, slug=(kwargs or {}).get("slug", ""))
        if target:
            return HttpResponseRedirect(target)
        return super().serve(request, view=view, args=args, kwargs=kwargs)


class PlainTextFieldsMixin:
    """Text fields an editor types (the title first) refuse control characters: in the page
    editor as an error at the field, in the importer and anywhere else a page is saved."""

    plain_text_fields: tuple[str, ...] = ("title", "seo_title", "search_description")

    def clean(self):
        super().clean()
        errors = {}
        for name in self.plain_text_fields:
            try:
                control_characters_refuse(getattr(self, name, None))
            except ValidationError as error:
                errors[name] = error
        if errors:
            raise ValidationError(errors)


class PressIndexPage(
    FrontendRoutedMixin, PlainTextFieldsMixin, OfficeSettingsMixin, RoutablePageMixin, Page
):
    """The newsroom: every visible release below it, newest first, by year."""

    frontend_route = "newsroom"

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]
    subpage_types = ["press.PressReleasePage"]

    class Meta:
        verbose_name = _("newsroom")
        verbose_name_plural = _("newsrooms")

    def releases(self):
        return PressReleasePage.objects.visible().child_of(self)

    def release_years(self) -> list[int]:
        dates = self.releases().dates("release_date", "year", order="DESC")
        return [d.year for d in dates]

    def get_cached_paths(self):
        # Wagtail's frontend cache purges these with the page (the feed lists its releases).
        return ["/", *("/" + self.reverse_subpage(name) for name in ("rss", "atom", "json"))]

    def edge_tags(self) -> list[str]:
        # Every page, filter, year, topic page and feed of the newsroom; each lists topics.
        return [f"newsroom-{self.pk}", "topics"]

    def topic_cached_paths(self, *, topic: Topic) -> list[str]:
        """The topic's page and feeds below this newsroom, relative to it (without "/")."""
        return [
            self.reverse_subpage(name, kwargs={"slug": topic.slug})
            for name in ("topic", "topic_rss", "topic_atom", "topic_json")
        ]

    def topic_url(self, *, slug: str, request=None, full: bool = False) -> str:
        """A topic's page: the frontend's route when the site has one, else below this page."""
        office = self.frontend_office(request)
        if office is not None:
            return office.frontend_address(route="topic", slug=slug)
        route = self.reverse_subpage("topic", kwargs={"slug": slug})
        return (self.get_full_url(request) if full else self.get_url(request)) + route

    def topics_with_use(self) -> list[Topic]:
        """Every topic (the sign-up form offers them all), each with `in_use`: whether a
        visible release in this newsroom has it (the topic menu shows those). One query."""
        used = PressReleasePage.topics.through.objects.filter(
            topic_id=OuterRef("pk"),
            pressreleasepage_id__in=self.releases().order_by().values("pk"),
        )
        return list(Topic.objects.annotate(in_use=Exists(used)))

    @path("rss/", name="rss")
    def rss(self, request):
        return ReleasesFeed()(request, index=self)

    @path("atom/", name="atom")
    def atom(self, request):
        return AtomReleasesFeed()(request, index=self)

    @path("json/", name="json")
    def json_feed(self, request):
        return JSONReleasesFeed()(request, index=self)

    @path("thema/<slug:slug>/", name="topic")
    def topic_page(self, request, slug):
        topic = topic_or_404(slug=slug)
        return self.render(request, topic=topic, template="press/press_topic_page.html")

    @path("thema/<slug:slug>/rss/", name="topic_rss")
    def topic_rss(self, request, slug):
        return ReleasesFeed()(request, index=self, topic=topic_or_404(slug=slug))

    @path("thema/<slug:slug>/atom/", name="topic_atom")
    def topic_atom(self, request, slug):
        return AtomReleasesFeed()(request, index=self, topic=topic_or_404(slug=slug))

    @path("thema/<slug:slug>/json/", name="topic_json")
    def topic_json_feed(self, request, slug):
        return JSONReleasesFeed()(request, index=self, topic=topic_or_404(slug=slug))

    def get_context(self, request, *args, topic: Topic | None = None, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # A made-up year, page number or topic is a page that does not exist (404), never an
        # error. A topic page (`topic`) lists the topic's releases with the same filters.
        selected_year = query_number(request, "year", "jahr", maximum=9999)
        page_number = query_number(request, "page", "seite", maximum=10**6) or 1
        selected_topic = topic or query_slug(request, "thema", "topic", model=Topic)
        selected_tag = query_slug(request, "schlagwort", "tag", model=Tag)
        releases = self.releases().select_related("contact")
        if selected_year:
            releases = releases.filter(release_date__year=selected_year)
        if selected_topic:
            releases = releases.filter(
                Exists(
                    PressReleasePage.topics.through.objects.filter(
                        pressreleasepage_id=OuterRef("pk"), topic_id=selected_topic.pk
                    )
                )
            )
        if selected_tag:
            releases = releases.filter(
                Exists(
                    ReleaseTag.objects.filter(content_object_id=OuterRef("pk"), tag=selected_tag)
                )
            )
        # The same word search as the press API's `q`, newest first like the listing.
        search_query = request.GET.get("q", "").strip()[:SEARCH_QUERY_MAX_LENGTH]
        if search_query:
            releases = releases_search(queryset=releases, text=search_query)
        paginator = Paginator(releases, press_setting("PAGE_SIZE"))
        try:
            page_obj = paginator.page(page_number)
        except (EmptyPage, PageNotAnInteger) as error:
            raise Http404(_("This page does not exist.")) from error
        # The cards show each release's topics and tags: two queries for the whole page.
        page_obj.object_list = list(page_obj.object_list)
        models.prefetch_related_objects(page_obj.object_list, "topics", "tags")
        # The cards show each release's contact from its row.
        edge_tag(
            request,
            *(
                f"contact-{release.contact_id}"
                for release in page_obj.object_list
                if release.contact_id
            ),
        )
        all_topics = self.topics_with_use()
        listing_url = self.get_url(request)
        if topic is not None:
            listing_url = self.topic_url(slug=topic.slug, request=request)
            context["topic_full_url"] = self.topic_url(slug=topic.slug, request=request, full=True)
        context.update(
            newsroom=self,
            listing_url=listing_url,
            releases=page_obj,
            paginator=paginator,
            years=self.release_years(),
            selected_year=selected_year,
            selected_topic=selected_topic,
            selected_tag=selected_tag,
            topics=[listed for listed in all_topics if listed.in_use],
            subscription_topics=all_topics,
            newsroom_part_templates=[
                template
                for config in apps.get_app_configs()
                for template in getattr(config, "press_newsroom_templates", ())
            ],
            search_query=search_query,
            office=self.office_settings(request),
        )
        return context


def topic_or_404(*, slug: str) -> Topic:
    try:
        return Topic.objects.get(slug=slug)
    except Topic.DoesNotExist:
        raise Http404(_("This topic does not exist.")) from None


def query_slug(request, *names: str, model):
    """The `model` row (a topic, a tag) whose slug is the first of the query parameters
    `names`; absent or empty: None; a slug nothing has raises Http404."""
    value = next((request.GET[name] for name in names if request.GET.get(name)), None)
    if value is None:
        return None
    # Only what can be a slug is looked up: PostgreSQL refuses a NUL byte in a query.
    found = model.objects.filter(slug=value).first() if SLUG.fullmatch(value) else None
    if found is None:
        raise Http404(_("Invalid value in the address."))
    return found


def query_number(request, *names: str, maximum: int) -> int | None:
    """The first of the query parameters `names` as a number in 1..maximum; absent or empty:
    None; anything else (letters, 0, huge numbers) raises Http404."""
    value = next((request.GET[name] for name in names if request.GET.get(name)), None)
    if value is None:
        return None
    is_number = value.isascii() and value.isdigit() and len(value) <= len(str(maximum))
    if not is_number or not 1 <= int(value) <= maximum:
        raise Http404(_("Invalid value in the address."))
    return int(value)


class PressReleasePage(
    FrontendRoutedMixin, PlainTextFieldsMixin, OfficeSettingsMixin, RoutablePageMixin, Page
):
    frontend_route = "release"
    # No default: a release saved without a date takes its go-live (embargo) day, else today
    # (release_date_fill), and the editor's form starts empty so that it can.
    release_date = models.DateField(_("release date"), db_index=True)
    lead = models.TextField(
        _("lead"), blank=True, help_text=_("A summary in one or two sentences (optional).")
    )
    body = StreamField(PressBodyBlock(), verbose_name=_("body"), blank=True)
    contact = models.ForeignKey(
        PressContact,
        verbose_name=_("press contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="releases",
    )
    archive_id = models.CharField(
        _("archive id"),
        max_length=255,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_(
            "Where the release came from in the old archive (its text version's address); for re-imports."
        ),
    )
    topics = ParentalManyToManyField(
        Topic,
        verbose_name=_("topics"),
        blank=True,
        related_name="releases",
        help_text=_("The office's topics this release belongs to (managed under Topics)."),
    )
    tags = ClusterTaggableManager(
        verbose_name=_("tags"),
        through=ReleaseTag,
        blank=True,
        help_text=_("Free keywords, separated by commas."),
    )

    objects = ReleaseManager()
    plain_text_fields = ("title", "seo_title", "search_description", "lead")

    base_form_class = PressReleasePageForm
    # Everything about when a release appears, in one panel on the content tab: the embargo
    # (Wagtail's go-live), the expiry and the date the release carries.
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel(
                    "go_live_at",
                    widget=AdminDateTimeInput(attrs=TYPED_DATE_ATTRS),
                    heading=_("Embargo / publish on"),
                    help_text=_(
                        "Published with a moment in the future, the release is scheduled: it "
                        "appears at this moment and not before."
                    ),
                ),
                FieldPanel(
                    "release_date",
                    widget=AdminDateInput(attrs=TYPED_DATE_ATTRS),
                    help_text=_("Empty: the embargo day, else today."),
                ),
                FieldPanel(
                    "expire_at",
                    widget=AdminDateTimeInput(attrs=TYPED_DATE_ATTRS),
                    heading=_("Withdraw on"),
                ),
            ],
            heading=_("Publication"),
            classname="press-publication",
        ),
        FieldPanel("lead"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("topics", widget=forms.CheckboxSelectMultiple), FieldPanel("tags")],
            heading=_("Topics and tags"),
        ),
        InlinePanel(
            "related_links",
            heading=_("Related press releases"),
            label=_("Related press release"),
            max_num=RELATED_RELEASES_MAX,
            help_text=_(
                "Shown in this order below the release; up to three in all, filled with the "
                "newest releases sharing a topic."
            ),
        ),
        FieldPanel("contact"),
        FieldPanel("publish_without_contact"),
        # What the optional parts ask of the editor (to whom the release is mailed).
        *release_part_panels(),
        InlinePanel(
            "corrections",
            heading=_("Corrections"),
            label=_("Correction"),
            help_text=_(
                "A dated note on what was corrected after publication; it appears on the page, "
                "in the text version, the feeds and the APIs when the release is published again."
            ),
        ),
        # The release in other languages (press.models.versions) and, on a Leichte-Sprache
        # version, what the checker found.
        ReleaseVersionsPanel(heading=_("Versions in other languages")),
        EasyLanguageCheckPanel(heading=_("Leichte Sprache check")),
    ]
    # Wagtail's promote tab, with the slug spelled in German ("buergerbeteiligung-strasse").
    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug", widget=german_slug_input()),
                FieldPanel("seo_title"),
                FieldPanel("search_description"),
            ],
            heading=_("For search engines"),
        ),
        MultiFieldPanel([FieldPanel("show_in_menus")], heading=_("For site menus")),
    ]
    # The go-live and expiry fields are in the content tab; Wagtail's status-panel dialog for
    # them (PublishingPanel) would be a second form field of the same name.
    settings_panels = [
        panel
        for panel in Page.settings_panels
        if getattr(panel, "path", "") != "wagtail.admin.panels.PublishingPanel"
    ]
    # The admin's page search (the explorer's and the global one) matches as you type, against
    # autocomplete fields only: lead and body (paragraphs, quotes with the quoted person's name
    # and role, photo captions and credits, through the blocks' get_searchable_content) are
    # autocomplete fields too, so editors find a release by what it says, not only its title.
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.AutocompleteField("lead"),
        index.SearchField("body"),
        index.AutocompleteField("body"),
        index.FilterField("release_date"),
        index.RelatedFields(
            "contact", [index.SearchField("name"), index.AutocompleteField("name")]
        ),
    ]
    api_fields = [
        APIField("release_date"),
        APIField("lead"),
        APIField("body", serializer=DocumentBodyField()),
        APIField("contact", serializer=ContactAPIField()),
        APIField("text_url"),
        APIField("pdf_url"),
        APIField("press_kit_url"),
        APIField("topics", serializer=DocumentDataField(key="topics")),
        APIField("tags", serializer=DocumentDataField(key="tags")),
        # The same as the press API's, from the same stored document.
        APIField(
            "corrections", serializer=DocumentDataField(key="corrections", keys=("date", "text"))
        ),
        APIField("photos", serializer=DocumentDataField(key="photos")),
        APIField("last_published_at"),
    ]
    parent_page_types = ["press.PressIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("press release")
        verbose_name_plural = _("press releases")
        ordering = ["-release_date"]
        indexes = [
            # Newsroom order, and the year/month ranges of every listing.
            models.Index(fields=["-release_date", "-page_ptr"], name="press_release_newest")
        ]

    def release_date_fill(self) -> None:
        """A release saved without a release date carries its go-live (embargo) day, else
        today; the editor's form does the same for a field left empty."""
        if self.release_date is None:
            self.release_date = release_date_default(go_live_at=self.go_live_at)

    def clean_fields(self, exclude=None):
        self.release_date_fill()
        super().clean_fields(exclude=exclude)

    def full_clean(self, *args, **kwargs):
        # Saved without a slug, Wagtail would make one from the title with Django's
        # transliteration ("burgerbeteiligung"); a release gets the German one the importer
        # and the editor's slug field make ("buergerbeteiligung").
        if not self.slug and self.title:
            self.slug = german_slug(self.title)
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        self.release_date_fill()
        return super().save(*args, **kwargs)

    @property
    def text_url(self) -> str | None:
        url = self.cms_url()
        return f"{url}text/" if url else None

    @property
    def pdf_url(self) -> str | None:
        """The print version's address; None without the `pdf` extra (press.printing)."""
        if not pdf_available():
            return None
        url = self.cms_url()
        return f"{url}pdf/" if url else None

    @property
    def press_kit_url(self) -> str | None:
        url = self.cms_url()
        return f"{url}presskit/" if url else None

    def text_file_name(self) -> str:
        return f"{self.release_date:%Y%m%d}-{self.slug}.txt"

    def is_visible(self) -> bool:
        return PressReleasePage.objects.visible().filter(pk=self.pk).exists()

    def is_public_for(self, request) -> bool:
        """Whether this request's answer may go to shared caches: the release is visible.

        Known without a query of its own: the page's row says live and expiry, and the stored
        document (read already for the answer) says whether a view restriction on the release
        or an ancestor covers it; that fact is kept in the transaction that changes it."""
        if not self.serves_stored_document(request):
            return False
        expiry_passed = self.expire_at is not None and self.expire_at <= timezone.now()
        if self.expired or expiry_passed:
            return False
        if release_document_for(self).restricted:
            return False
        # A version is public only while its original is (one query, for versions alone).
        return self.is_original() or self.is_visible()

    def get_sitemap_urls(self, request=None):
        # A news sitemap (press.sitemaps.NewsSitemap) names the release and its publication.
        return [
            {
                **url,
                "news_title": self.title,
                "news_published": self.first_published_at or self.release_date,
            }
            for url in super().get_sitemap_urls(request)
        ]

    def edge_tags(self) -> list[str]:
        # The page shows its contact from the contact's row (the API from the document), and
        # links its versions in other languages.
        tags = [f"release-{self.pk}", f"versions-{self.translation_key}"]
        if self.contact_id:
            tags.append(f"contact-{self.contact_id}")
        return tags

    def edge_is_public_for(self, request) -> bool:
        return self.is_public_for(request)

    def get_cached_paths(self):
        # Wagtail's frontend cache purges the text version and press kit with the page.
        return ["/", *("/" + self.reverse_subpage(name) for name in ("text", "presskit", "pdf"))]

    def is_original(self) -> bool:
        """No version of another release: in the site's default language (German), or
        without a page of its translation_key there."""
        if self.locale.language_code == language_default():
            return True
        return not (
            PressReleasePage.objects.filter(translation_key=self.translation_key)
            .filter(locale__language_code=language_default())
            .exists()
        )

    def serve(self, request, *args, **kwargs):
        # A version (its page and its routes: text, PDF, press kit) is there only while its
        # German original is visible; Wagtail's serving knows live and view restrictions of the
        # version's own page alone.
        if not self.is_original() and not self.is_visible():
            raise Http404(_("This page does not exist."))
        return super().serve(request, *args, **kwargs)

    def serves_stored_document(self, request) -> bool:
        """The live page reads its stored document; a preview or an embargo reading of a draft
        (`draft_rendering`) is built from the revision on the spot, and nothing is stored."""
        return (
            self.live
            and not getattr(request, "is_preview", False)
            and not getattr(self, "draft_rendering", False)
        )

    def public_document(self, request) -> ReleaseDocument:
        """The document of what this request shows: the stored one of the live revision, or
        one built on the spot (never stored, no validator) for a preview or a draft."""
        if self.serves_stored_document(request):
            return release_document_for(self)
        # A preview is for the editor's browser alone: its photos are addressed below the
        # root the admin was reached at (a dev server on another port, a proxy), not the site's.
        base = getattr(request, "press_preview_root", None) if request is not None else None
        built = release_document_build(release=self, base=base)
        built["data"]["language"] = translation.get_language()
        return ReleaseDocument(data=built["data"], text=built["text"], etag="")

    def photo_addresses_checked(self, request, document: ReleaseDocument) -> dict[str, str]:
        """{public address of a photo file: its checked address} for a release behind a view
        restriction; empty for any other (and for a preview, which is the editor's alone).

        The stored document names its photos' public files, which whoever has an address can
        read; a restricted release's renditions are withdrawn (press.models.renditions) and
        its readers get each photo through `press_release_photo` instead, which asks the same
        restrictions as the page (press.views.release_photo)."""
        if not (self.serves_stored_document(request) and document.restricted):
            return {}
        base = document.data.get("base_url") or ""
        return document_photo_addresses(
            document.data,
            address=lambda image_id, size: (
                base + reverse("press_release_photo", args=[self.pk, image_id, size])
            ),
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        document = self.public_document(request)
        data = addresses_replace(
            document.data, replacements=self.photo_addresses_checked(request, document)
        )
        context["document"] = data
        context["release_meta"] = data["meta"]
        context["print_version"] = pdf_available()
        context["related_releases"] = releases_related(
            release=self,
            from_database=self.serves_stored_document(request),
            # Wagtail's serving found the request's site already (no query); a request no
            # site answers falls back to the release's own.
            site=Site.find_for_request(request) or self.get_site(),
        )
        context["topic_links"] = self.topic_links(request)
        # The release in other languages: hreflang alternates in <head>, links in the header.
        context["release_versions"] = release_versions_links(release=self, request=request)
        # The page lists its related releases and names its topics: their changes drop it too.
        edge_tag(request, *(f"release-{related.pk}" for related in context["related_releases"]))
        edge_tag(request, *(f"topic-{topic.pk}" for topic, _url in context["topic_links"]))
        return context

    def topic_links(self, request) -> list[tuple[Topic, str]]:
        """Each of the release's topics with its topic page's address (one query: the parent
        is the newsroom, whose routes are its class's)."""
        topics = list(self.topics.all())
        if not topics:
            return []
        office = self.frontend_office(request)
        if office is not None:
            return [
                (topic, office.frontend_address(route="topic", slug=topic.slug)) for topic in topics
            ]
        # The parent as Page (cached for the template's back link), routes from its class.
        newsroom_url = self.get_parent().get_url(request)
        resolver = PressIndexPage.get_resolver()
        return [
            (topic, newsroom_url + resolver.reverse("topic", slug=topic.slug)) for topic in topics
        ]

    @path("text/", name="text")
    def text_version(self, request):
        download = request.GET.get("download") in {"1", "true", "ja", "yes"}
        document = self.public_document(request)
        language = translation.get_language()

        def render() -> HttpResponse:
            text = document.text
            if document.data.get("language") != language:
                # A reader in another language than the stored one: rendered from the stored
                # block data (no StreamField conversion), with this language's labels.
                text = release_render_text_for(
                    release=self, request=request, body=document.data["body"]
                )
            # Behind a view restriction: the originals through the checked view.
            text = addresses_replace(
                text, replacements=self.photo_addresses_checked(request, document)
            )
            response = HttpResponse(text, content_type="text/plain; charset=utf-8")
            response["Content-Disposition"] = attachment_disposition(
                self.text_file_name(), inline=not download
            )
            return response

        # Conditional GET: a reader's current copy gets a 304 without sending the text again.
        return response_conditional(
            request=request,
            etag=etag_from(document.etag, download, language) if document.etag else None,
            last_modified=self.last_published_at,
            public=self.is_public_for(request),
            render=render,
        )

    @path("pdf/", name="pdf")
    def print_version(self, request):
        """The print version as a PDF (press/printing.py); a 304 for a current copy. Not there
        (404) without the `pdf` extra."""
        if not pdf_available():
            raise Http404
        document = self.public_document(request)
        language = translation.get_language()
        office = self.office_settings(request)

        def render() -> HttpResponse:
            context = {
                "language": language,
                "office_name": office.office_name,
                "service_name": office.service_name,
                "title": self.title,
                "lead": self.lead,
                "release_date": self.release_date,
                "body": document.data["body"],
                "corrections": document.data.get("corrections", []),
                "contact": self.contact.as_data() if self.contact_id else None,
                "text_url": self.text_url,
                "print_width": PRINT_WIDTH,
            }
            pdf = release_pdf(etag=document.etag, language=language, context=context)
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = attachment_disposition(
                f"{self.release_date:%Y%m%d}-{self.slug}.pdf", inline=True
            )
            return response

        return response_conditional(
            request=request,
            etag=etag_from(document.etag, "pdf", language) if document.etag else None,
            last_modified=self.last_published_at,
            public=self.is_public_for(request),
            render=render,
        )

    def press_kit_file_name(self) -> str:
        return f"{self.release_date:%Y%m%d}-{self.slug}.zip"

    @path("presskit/", name="presskit")
    def press_kit(self, request):
        """The press kit ZIP (press/presskit.py), streamed; a 304 for a current copy."""
        document = self.public_document(request)
        language = translation.get_language()

        def render() -> StreamingHttpResponse:
            stream = press_kit_stream(
                title=self.title,
                release_date=date_format(self.release_date, "DATE_FORMAT"),
                photos=document.data["photos"],
                text=document.text,
                text_name=self.text_file_name(),
            )
            response = StreamingHttpResponse(stream, content_type="application/zip")
            response["Content-Disposition"] = attachment_disposition(self.press_kit_file_name())
            return response

        return response_conditional(
            request=request,
            etag=etag_from(document.etag, "presskit", language) if document.etag else None,
            last_modified=self.last_published_at,
            public=self.is_public_for(request),
            render=render,
        )

    def make_preview_request(
        self, original_request=None, preview_mode=None, extra_request_attrs=None
    ):
        # Wagtail fakes the preview's request at the site's address (its root URL); the editor's
        # browser may have reached the admin elsewhere (`make run ADDR=…`, a proxy), where a
        # photo at the site's address would not load. The preview keeps the admin's root.
        attrs = dict(extra_request_attrs or {})
        if original_request is not None:
            attrs.setdefault("press_preview_root", request_root_url(original_request))
        return super().make_preview_request(
            original_request, preview_mode=preview_mode, extra_request_attrs=attrs
        )

    def serve_preview(self, request, mode_name):
        # With a headless frontend configured, the frontend renders the draft: the editor is
        # sent there with a signed token for the latest saved revision (see press/preview.py).
        office = self.frontend_office()
        url = preview_url_for(release=self, frontend_url=office.frontend_url if office else "")
        if url:
            return HttpResponseRedirect(url)
        return super().serve_preview(request, mode_name)


class ReleaseCorrection(Orderable):
    """A dated correction note on a published release ("Korrektur vom …: …"). Part of the
    release's revisions: it goes public when the release is published again."""

    release = ParentalKey(PressReleasePage, on_delete=models.CASCADE, related_name="corrections")
    date = models.DateField(_("date"), default=today)
    text = models.TextField(
        _("correction"),
        validators=[control_characters_refuse],
        help_text=_("What was wrong and what is right, in one or two sentences."),
    )

    panels = [FieldPanel("date"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return f"{self.date}: {self.text[:60]}"


class ReleaseRelation(Orderable):
    """A release an editor links below another one, in the editor's order (part of the
    release's revisions, like its corrections)."""

    release = ParentalKey(PressReleasePage, on_delete=models.CASCADE, related_name="related_links")
    related = models.ForeignKey(
        PressReleasePage,
        verbose_name=_("press release"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("related", page_type="press.PressReleasePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("related press release")
        verbose_name_plural = _("related press releases")

    def __str__(self) -> str:
        return str(self.related_id)


def releases_related(
    *,
    release: PressReleasePage,
    from_database: bool,
    site: Site | None,
    limit: int = RELATED_RELEASES_MAX,
) -> list[PressReleasePage]:
    """Up to `limit` visible releases to show below `release`: the ones its editor chose, in
    their order, then the newest sharing one of its topics; never the release itself.

    `site`: the site the release is read on; releases of other sites are never listed, not
    even one its editor chose (the page chooser offers every site's pages). Topics are
    shared by all sites, so without it another site's newer release would be suggested.

    `from_database`: the release's live row and relations decide, in one query (the public
    page); otherwise its in-memory state (a preview of a draft), with one more for each."""
    through = PressReleasePage.topics.through
    if from_database:
        chosen = ReleaseRelation.objects.filter(release_id=release.pk)
        topic_ids = through.objects.filter(pressreleasepage_id=release.pk).values("topic_id")
        # A relation saved outside the editor may have no sort order: chosen all the same.
        chosen_order = Subquery(
            chosen.filter(related_id=OuterRef("pk"))
            .annotate(rank=Coalesce("sort_order", models.Value(0)))
            .values("rank")[:1]
        )
        chosen_ids = chosen.values("related_id")
    else:
        links = list(release.related_links.all())
        order = {link.related_id: position for position, link in enumerate(links)}
        chosen_ids = list(order)
        topic_ids = [topic.pk for topic in release.topics.all()]
        chosen_order = models.Case(
            *(models.When(pk=pk, then=models.Value(n)) for pk, n in order.items()),
            default=None,
            output_field=models.IntegerField(),
        )
    sharing = Exists(
        through.objects.filter(pressreleasepage_id=OuterRef("pk"), topic_id__in=topic_ids)
    )
    candidates = (
        PressReleasePage.objects.visible(site=site)
        .filter(models.Q(pk__in=chosen_ids) | sharing)
        # Releases in the release's own language: a version's readers get versions.
        .filter(locale_id=release.locale_id)
        .exclude(pk=release.pk)
        .annotate(chosen_order=chosen_order)
        .order_by(
            F("chosen_order").asc(nulls_last=True),
            "-release_date",
            "-first_published_at",
            "-pk",
        )
    )
    return list(candidates[:limit])
