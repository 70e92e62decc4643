"""German names for the rows Wagtail's migrations create in English.

Wagtail names its tree's root page "Root", the root collection "Root" and the default
moderation workflow (and its task) "Moderators approval"; the admin shows these names as they
are, no catalogue translates them ("Erkunden: Root", "In Moderators approval einreichen").
The host's migration home/0002 renames them once; a row someone already renamed is left alone.
"""

ROOT_PAGE_TITLE = "Alle Websites"
ROOT_COLLECTION_NAME = "Hauptsammlung"
MODERATION_NAME = "Freigabe durch Moderatoren"

# Wagtail's English names → German ones
RENAMES = {
    ("wagtailcore", "Page", "title", "Root"): ROOT_PAGE_TITLE,
    ("wagtailcore", "Page", "draft_title", "Root"): ROOT_PAGE_TITLE,
    ("wagtailcore", "Collection", "name", "Root"): ROOT_COLLECTION_NAME,
    ("wagtailcore", "Workflow", "name", "Moderators approval"): MODERATION_NAME,
    ("wagtailcore", "Task", "name", "Moderators approval"): MODERATION_NAME,
}
# Only the tree's top rows: a page or collection of that name further down is someone's own.
TOP_ONLY = {"Page", "Collection"}


def rename_wagtail_defaults(apps) -> None:
    """Give Wagtail's default rows their German names (`apps`: a migration's app registry or
    django.apps.apps)."""
    for (app_label, model_name, field, english), german in RENAMES.items():
        rows = apps.get_model(app_label, model_name).objects.filter(**{field: english})
        if model_name in TOP_ONLY:
            rows = rows.filter(depth=1)
        rows.update(**{field: german})
