"""The newsroom and its releases."""

import datetime

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import PressBodyBlock
from .conf import press_setting
from .embargo import EmbargoShareLink  # noqa: F401  (model of this app)
from .http import release_cached_response
from .selectors import releases_visible
from .serializers import ContactAPIField, release_render_text_for
from .snippets import PressContact, PressSettings


def today() -> datetime.date:
    return timezone.localdate()


class PressIndexPage(RoutablePageMixin, Page):
    """The newsroom: every visible release below it, newest first, by year."""

    intro = RichTextField(_("Einleitung"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]
    subpage_types = ["press.PressReleasePage"]

    class Meta:
        verbose_name = _("Pressedienst-Übersicht")
        verbose_name_plural = _("Pressedienst-Übersichten")

    def releases(self):
        return releases_visible().child_of(self)

    def release_years(self) -> list[int]:
        dates = self.releases().dates("release_date", "year", order="DESC")
        return [d.year for d in dates]

    @path("rss/", name="rss")
    def rss(self, request):
        from .feeds import ReleasesFeed

        return ReleasesFeed()(request, index=self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # A made-up year or page number is a page that does not exist (404), never an error.
        selected_year = query_number(request, "jahr", "year", maximum=9999)
        page_number = query_number(request, "seite", "page", maximum=10**6) or 1
        releases = self.releases().select_related("contact")
        if selected_year:
            releases = releases.filter(release_date__year=selected_year)
        paginator = Paginator(releases, press_setting("PAGE_SIZE"))
        try:
            page_obj = paginator.page(page_number)
        except (EmptyPage, PageNotAnInteger) as error:
            raise Http404("Diese Seite gibt es nicht.") from error
        context.update(
            releases=page_obj,
            paginator=paginator,
            years=self.release_years(),
            selected_year=selected_year,
        )
        return context


def query_number(request, *names: str, maximum: int) -> int | None:
    """The first of the query parameters `names` as a number in 1..maximum; absent or empty:
    None; anything else (letters, 0, huge numbers) raises Http404."""
    value = next((request.GET[name] for name in names if request.GET.get(name)), None)
    if value is None:
        return None
    is_number = value.isascii() and value.isdigit() and len(value) <= len(str(maximum))
    if not is_number or not 1 <= int(value) <= maximum:
        raise Http404("Ungültige Angabe in der Adresse.")
    return int(value)


class PressReleasePage(RoutablePageMixin, Page):
    release_date = models.DateField(_("Datum"), default=today, db_index=True)
    lead = models.TextField(
        _("Vorspann"), blank=True, help_text=_("Kurzfassung in ein bis zwei Sätzen (optional).")
    )
    body = StreamField(PressBodyBlock(), verbose_name=_("Inhalt"), blank=True)
    contact = models.ForeignKey(
        PressContact,
        verbose_name=_("Pressekontakt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="releases",
    )
    archive_id = models.CharField(
        _("Archiv-Kennung"),
        max_length=255,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_(
            "Herkunft im bisherigen Archiv (Adresse der Textversion); für erneute Importe."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("release_date"),
        FieldPanel("lead"),
        FieldPanel("body"),
        FieldPanel("contact"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("release_date"),
        index.RelatedFields("contact", [index.SearchField("name")]),
    ]
    api_fields = [
        APIField("release_date"),
        APIField("lead"),
        APIField("body"),
        APIField("contact", serializer=ContactAPIField()),
        APIField("text_url"),
    ]
    parent_page_types = ["press.PressIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("Pressemitteilung")
        verbose_name_plural = _("Pressemitteilungen")
        ordering = ["-release_date"]

    @property
    def text_url(self) -> str | None:
        url = self.get_full_url()
        return f"{url}text/" if url else None

    def text_file_name(self) -> str:
        return f"{self.release_date:%Y%m%d}-{self.slug}.txt"

    def office_settings(self, request=None) -> PressSettings:
        site = self.get_site()
        if site is None:
            return PressSettings()
        return PressSettings.for_site(site)

    def get_context(self, request, *args, **kwargs):
        from .meta import release_meta_for

        context = super().get_context(request, *args, **kwargs)
        context["release_meta"] = release_meta_for(release=self, request=request)
        return context

    @path("text/", name="text")
    def text_version(self, request):
        download = request.GET.get("download") in {"1", "true", "ja"}

        def render():
            text = release_render_text_for(release=self, request=request)
            response = HttpResponse(text, content_type="text/plain; charset=utf-8")
            if download:
                response["Content-Disposition"] = f'attachment; filename="{self.text_file_name()}"'
            else:
                response["Content-Disposition"] = f'inline; filename="{self.text_file_name()}"'
            return response

        # Conditional GET: a reader's current copy gets a 304 before the text is rendered again.
        return release_cached_response(
            request=request, release=self, kind=f"text-{int(download)}", render=render
        )

    def serve_preview(self, request, mode_name):
        # With a headless frontend configured, the frontend renders the draft: the editor is
        # sent there with a signed token for the latest saved revision (see press/preview.py).
        from django.http import HttpResponseRedirect

        from .preview import preview_url_for

        url = preview_url_for(release=self)
        if url:
            return HttpResponseRedirect(url)
        return super().serve_preview(request, mode_name)
