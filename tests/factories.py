"""wagtail-factories for the press plugin's pages, contacts and images."""

import datetime

import factory
import wagtail_factories
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from home.models import HomePage
from press.models import PressContact, PressIndexPage, PressReleasePage, Topic


class PressContactFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Annemarie Wotschke {n}")
    email = "presse@duesseldorf.de"
    phone = "+49.211.89-93131"

    class Meta:
        model = PressContact


class TopicFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")
    description = "Was die Stadt dazu mitteilt."

    class Meta:
        model = Topic
        django_get_or_create = ("slug",)


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Pressefoto {n}")
    file = factory.django.ImageField(width=1200, height=800, color="steelblue", filename="foto.jpg")


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Startseite"

    class Meta:
        model = HomePage


class PressIndexPageFactory(wagtail_factories.PageFactory):
    title = "Presse"
    slug = "presse"

    class Meta:
        model = PressIndexPage


class PressReleasePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Pressemitteilung {n}")
    release_date = datetime.date(2023, 2, 7)
    lead = ""
    contact = factory.SubFactory(PressContactFactory)

    class Meta:
        model = PressReleasePage


def body_paragraph(html: str) -> tuple[str, RichText]:
    return ("paragraph", RichText(html))


def body_quote(text: str, name: str, role: str = "") -> tuple[str, dict]:
    return ("quote", {"text": RichText(text), "name": name, "role": role})


def body_image(
    image, caption: str = "", credit: str = "Landeshauptstadt Düsseldorf", alt: str = ""
):
    return ("image", {"image": image, "caption": caption, "credit": credit, "alt": alt})


def site_with_newsroom() -> tuple[HomePage, PressIndexPage]:
    """A site whose root is a HomePage with the newsroom `/presse/` below it."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="start")
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "testserver", "port": 80, "root_page": home, "site_name": "Test"},
    )
    newsroom = PressIndexPageFactory(parent=home)
    return home, newsroom


def original_path(image) -> str:
    """Where readers download a photo's original: the plugin's view, never the storage."""
    return f"/photos/{image.pk}/{image.file.name.rsplit('/', 1)[-1]}"
