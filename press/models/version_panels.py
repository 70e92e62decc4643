"""The release editor's panels for versions: which languages exist and which are out of date,
and, on a Leichte-Sprache version, what the checker (press.easy_language) found."""

from django.apps import apps
from django.urls import reverse
from django.utils.html import strip_tags
from wagtail.admin.panels import Panel

from ..easy_language import easy_language_check
from .versions import language_default, release_versions_state

# The language code of Leichte Sprache (cms/settings/base.py, LANGUAGES).
EASY_LANGUAGE_CODE = "de-x-ls"


def release_plain_text(release) -> str:
    """What a reader reads of a release, as plain text in paragraphs: title, lead, the body's
    paragraphs and quotes, the photos' captions."""
    parts = [release.title, release.lead]
    for block in release.body:
        value = block.value
        if block.block_type == "paragraph":
            parts.append(strip_tags(value.source))
        elif block.block_type == "quote":
            parts.append(strip_tags(value["text"].source))
        elif block.block_type == "image":
            parts.append(value.get("caption") or "")
    return "\n".join(part.strip() for part in parts if part and part.strip())


class ReleaseVersionsPanel(Panel):
    """Each language with its version: original, published, draft, out of date, or missing
    (with the link to create it through the admin's "Translate" action)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "press/admin/versions_panel.html"

        def is_shown(self):
            return self.instance is not None and self.instance.pk is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            states = release_versions_state(release=self.instance)
            original = next((state.page for state in states if state.is_original), None)
            translate_url = None
            if original is not None and apps.is_installed("wagtail.contrib.simple_translation"):
                translate_url = reverse(
                    "simple_translation:submit_page_translation", args=[original.pk]
                )
            context.update(
                versions=[
                    {
                        "state": state,
                        "edit_url": (
                            reverse("wagtailadmin_pages:edit", args=[state.page.pk])
                            if state.page is not None
                            else None
                        ),
                        "is_this": state.page is not None and state.page.pk == self.instance.pk,
                    }
                    for state in states
                ],
                translate_url=translate_url,
            )
            return context


class EasyLanguageCheckPanel(Panel):
    """On a Leichte-Sprache version: the checker's findings on the saved text. A warning for
    the editor, never an error: the release saves and publishes whatever it says."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "press/admin/easy_language_panel.html"

        def is_shown(self):
            return (
                self.instance is not None
                and self.instance.locale_id is not None
                and self.instance.locale.language_code == EASY_LANGUAGE_CODE
                and language_default() != EASY_LANGUAGE_CODE
            )

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["findings"] = easy_language_check(release_plain_text(self.instance))
            return context
