"""Topics (a managed list an office keeps, e.g. "Wirtschaft", "Verkehr") and free tags on
releases. A topic has a page of its own in each newsroom, with its feeds; a tag is a word an
editor types, for finer filters in the newsroom and the APIs."""

from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, TitleFieldPanel
from wagtail.search import index

from ..slugs import german_slug, german_slug_input
from ..validators import control_characters_refuse


class Topic(index.Indexed, models.Model):
    name = models.CharField(
        _("name"), max_length=100, unique=True, validators=[control_characters_refuse]
    )
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        # Left empty, it is made from the name (clean, save; the admin fills it as you type).
        blank=True,
        allow_unicode=False,
        help_text=_("The topic's part of addresses, e.g. “verkehr”: filled from the name."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        validators=[control_characters_refuse],
        help_text=_("One or two sentences shown on the topic's page and in its feeds."),
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    # The name fills the slug as the editor types it (Wagtail's TitleFieldPanel), in German.
    panels = [
        TitleFieldPanel("name", targets=["slug"]),
        FieldPanel("slug", widget=german_slug_input()),
        FieldPanel("description"),
    ]

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.slug_fill()
        super().save(*args, **kwargs)

    def clean(self):
        # Before the uniqueness check: a slug made from a name another topic's slug has is
        # an error at the slug field, not a failed save.
        super().clean()
        self.slug_fill()

    def slug_fill(self) -> None:
        if not self.slug:
            self.slug = german_slug(self.name or "", max_length=100)

    def as_data(self) -> dict[str, str]:
        return {"slug": self.slug, "name": self.name}


class ReleaseTag(TaggedItemBase):
    """Through model of a release's free tags (part of its revisions, like its other fields)."""

    content_object = ParentalKey(
        "press.PressReleasePage", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("release tag")
        verbose_name_plural = _("release tags")


def topic_slugs_resolve(*, slugs) -> tuple[list[int], list[str]]:
    """The ids of the topics with these slugs, and the slugs no topic has (a frontend's typo
    must be told, not answered with an empty list)."""
    found = dict(Topic.objects.filter(slug__in=set(slugs)).values_list("slug", "pk"))
    unknown = [slug for slug in dict.fromkeys(slugs) if slug not in found]
    return list(found.values()), unknown


def topics_counted(*, releases) -> models.QuerySet:
    """Every topic, by name, with `release_count`: how many of `releases` (the visible ones of
    a site) it has — one statement, for a frontend's filter menu."""
    return Topic.objects.annotate(
        release_count=Count(
            "releases", filter=Q(releases__in=releases.order_by().values("pk")), distinct=True
        )
    ).order_by("name")
