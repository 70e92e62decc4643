"""The plugin's models: pages with the visibility rule, contacts, office settings, embargo links."""

from .contacts import ContactAPIField, PressContact
from .documents import ReleaseDocument, release_document_for
from .embargo import EmbargoShareLink
from .office import PressSettings
from .pages import (
    PressIndexPage,
    PressReleasePage,
    ReleaseCorrection,
    ReleaseRelation,
    releases_related,
    today,
)
from .photos import PhotoRights
from .reading import documents_window
from .topics import ReleaseTag, Topic
from .visibility import images_visible, pages_visible

__all__ = [
    "ContactAPIField",
    "EmbargoShareLink",
    "PhotoRights",
    "PressContact",
    "PressIndexPage",
    "PressReleasePage",
    "PressSettings",
    "ReleaseCorrection",
    "ReleaseDocument",
    "ReleaseRelation",
    "ReleaseTag",
    "Topic",
    "documents_window",
    "images_visible",
    "pages_visible",
    "release_document_for",
    "releases_related",
    "today",
]
