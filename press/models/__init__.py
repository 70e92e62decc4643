"""The plugin's models: pages with the visibility rule, contacts, office settings, embargo links."""

from .contacts import ContactAPIField, PressContact
from .distribution import DistributionList, Journalist
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
from .subscriptions import ConsentRecord, Delivery, Mailing, Subscriber
from .topics import ReleaseTag, Topic
from .visibility import images_visible, pages_visible

__all__ = [
    "ConsentRecord",
    "ContactAPIField",
    "Delivery",
    "DistributionList",
    "EmbargoShareLink",
    "Journalist",
    "Mailing",
    "PhotoRights",
    "PressContact",
    "PressIndexPage",
    "PressReleasePage",
    "PressSettings",
    "ReleaseCorrection",
    "ReleaseDocument",
    "ReleaseRelation",
    "ReleaseTag",
    "Subscriber",
    "Topic",
    "documents_window",
    "images_visible",
    "pages_visible",
    "release_document_for",
    "releases_related",
    "today",
]
