"""The press office's site-wide settings: who publishes, and the wording around the photos."""

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.http import HttpRequest
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from ..conf import press_setting


def default_office_name() -> str:
    return str(press_setting("OFFICE_NAME"))


def default_service_name() -> str:
    return str(press_setting("SERVICE_NAME"))


def default_download_sentence() -> str:
    return str(press_setting("DOWNLOAD_SENTENCE"))


def validate_page_address(value: str) -> None:
    """An address on this site (`/impressum/`) or anywhere (`https://www.stadt.de/impressum`)."""
    if value.startswith("/") and not value.startswith("//"):
        return
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError as error:
        raise ValidationError(
            _("Enter an address starting with “/” or “https://”."), code="invalid"
        ) from error


def validate_frontend_route(value: str) -> None:
    """A path on the frontend (`/themen/{slug}/`); a release's and a topic's name the slug."""
    if not value.startswith("/") or value.startswith("//"):
        raise ValidationError(_("Enter a path starting with “/”."), code="invalid")
    if any(character.isspace() or character in "?#" for character in value):
        raise ValidationError(_("A path has no spaces, “?” or “#”."), code="invalid")


def validate_slug_route(value: str) -> None:
    validate_frontend_route(value)
    if value.count("{slug}") != 1:
        raise ValidationError(_("The path names “{slug}” exactly once."), code="slug")


def page_address_field(verbose_name, help_text) -> models.CharField:
    return models.CharField(
        verbose_name,
        max_length=500,
        blank=True,
        validators=[validate_page_address],
        help_text=help_text,
    )


@register_setting(icon="site")
class PressSettings(BaseSiteSetting):
    office_name = models.CharField(
        _("name of the office"), max_length=200, default=default_office_name
    )
    service_name = models.CharField(
        _("name of the service"), max_length=100, default=default_service_name
    )
    download_sentence = models.TextField(
        _("introduction to the press photos"),
        default=default_download_sentence,
        help_text=_(
            "Stands before the press photos for download, on the page and in the text version."
        ),
    )
    # A public body's site must link its legal notice, privacy policy and accessibility
    # statement (BITV 2.0) from every page; they usually live on the city's main site.
    imprint_url = page_address_field(
        _("legal notice (Impressum) address"),
        _("Linked in the footer of every page. Empty: no link."),
    )
    privacy_url = page_address_field(
        _("privacy policy address"), _("Linked in the footer of every page. Empty: no link.")
    )
    accessibility_url = page_address_field(
        _("accessibility statement address"),
        _("Linked in the footer of every page. Empty: no link."),
    )

    default_contact = models.ForeignKey(
        "press.PressContact",
        verbose_name=_("default press contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "New releases name this contact unless the editor has a press contact of their own."
        ),
    )

    # A headless frontend serves the site's newsroom, releases and topics: every address the
    # product gives out (APIs, feeds, sitemaps, ninjs, mails, "view live") points there.
    frontend_url = models.URLField(
        _("frontend address"),
        blank=True,
        help_text=_(
            "Root of the public frontend that shows this site's releases, e.g. "
            "https://presse.stadt.de. Empty: the releases are shown on the pages of this site."
        ),
    )
    frontend_newsroom_path = models.CharField(
        _("newsroom path"), max_length=200, default="/", validators=[validate_frontend_route]
    )
    frontend_release_path = models.CharField(
        _("release path"),
        max_length=200,
        default="/pressemitteilungen/{slug}/",
        validators=[validate_slug_route],
        help_text=_("“{slug}” stands for the release's slug."),
    )
    frontend_topic_path = models.CharField(
        _("topic path"),
        max_length=200,
        default="/themen/{slug}/",
        validators=[validate_slug_route],
        help_text=_("“{slug}” stands for the topic's slug."),
    )
    frontend_redirect = models.BooleanField(
        _("send readers to the frontend"),
        default=True,
        help_text=_(
            "The newsroom, topic and release pages of this site redirect to the frontend. "
            "Off: they are still shown here (text version, feeds and downloads always are)."
        ),
    )

    panels = [
        FieldPanel("office_name"),
        FieldPanel("service_name"),
        FieldPanel("download_sentence"),
        FieldPanel("default_contact"),
        MultiFieldPanel(
            [
                FieldPanel("imprint_url"),
                FieldPanel("privacy_url"),
                FieldPanel("accessibility_url"),
            ],
            heading=_("Legal pages"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("frontend_url"),
                FieldPanel("frontend_newsroom_path"),
                FieldPanel("frontend_release_path"),
                FieldPanel("frontend_topic_path"),
                FieldPanel("frontend_redirect"),
            ],
            heading=_("Headless frontend"),
        ),
    ]

    class Meta:
        verbose_name = _("press office settings")

    def __str__(self) -> str:
        return f"{self.office_name} – {self.service_name}"

    def legal_links(self) -> list[tuple[str, str]]:
        """(label, address) of the legal pages the office has set, for every page's footer."""
        links = [
            (_("Legal notice"), self.imprint_url),
            (_("Privacy"), self.privacy_url),
            (_("Accessibility"), self.accessibility_url),
        ]
        links = [(str(label), url) for label, url in links if url]
        # An optional part adds its own (press.accessibility: its statement page, the form to
        # report a barrier): its AppConfig's `press_footer_links`, a function's dotted path.
        for config in apps.get_app_configs():
            if path := getattr(config, "press_footer_links", None):
                links = import_string(path)(site=self.site if self.site_id else None, links=links)
        return links

    def frontend_address(self, *, route: str, slug: str = "") -> str | None:
        """The frontend's absolute address of the newsroom, a release or a topic (`route`);
        None when the site has no frontend."""
        if not self.frontend_url:
            return None
        path = {
            "newsroom": self.frontend_newsroom_path,
            "release": self.frontend_release_path,
            "topic": self.frontend_topic_path,
        }[route]
        return self.frontend_url.rstrip("/") + path.replace("{slug}", slug)

    @classmethod
    def defaults(cls) -> "PressSettings":
        """Unsaved settings with the configured defaults, for a release outside any site."""
        return cls(
            office_name=default_office_name(),
            service_name=default_service_name(),
            download_sentence=default_download_sentence(),
        )


# Which sites name a headless frontend, read for every page address the product gives out
# (a listing of 50 releases asks 50 times, often without a request). Kept in the cache like
# Wagtail's own site root paths, and forgotten whenever press settings are saved or deleted
# (press.publishing.documents connects that, before the documents are rebuilt on commit).
SITE_FRONTENDS_CACHE_KEY = "press:site_frontends"
FRONTEND_FIELDS = (
    "frontend_url",
    "frontend_newsroom_path",
    "frontend_release_path",
    "frontend_topic_path",
    "frontend_redirect",
)


def site_frontends() -> dict[int, dict]:
    """{site_id: {frontend field: value}} of the sites that name a frontend."""
    frontends = cache.get(SITE_FRONTENDS_CACHE_KEY)
    if frontends is None:
        rows = PressSettings.objects.exclude(frontend_url="").values("site_id", *FRONTEND_FIELDS)
        frontends = {row.pop("site_id"): row for row in rows}
        cache.set(SITE_FRONTENDS_CACHE_KEY, frontends, 300)
    return frontends


def site_frontends_forget(**kwargs) -> None:
    cache.delete(SITE_FRONTENDS_CACHE_KEY)


def frontend_settings_for(*, site_id: int | None, request=None) -> PressSettings | None:
    """The frontend settings (unsaved PressSettings with the frontend fields) of a site that
    names a frontend, else None. Read once per request when there is one."""
    if site_id is None:
        return None
    frontends = getattr(request, "press_site_frontends", None)
    if frontends is None:
        frontends = site_frontends()
        if isinstance(request, HttpRequest):
            request.press_site_frontends = frontends
    fields = frontends.get(site_id)
    return PressSettings(site_id=site_id, **fields) if fields else None
