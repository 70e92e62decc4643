"""German names for the rows Wagtail's migrations create in English.

Wagtail names its tree's root page "Root", the root collection "Root" and the default
moderation workflow (and its task) "Moderators approval"; the admin shows these names as they
are, no catalogue translates them ("Erkunden: Root", "In Moderators approval einreichen").
The host's migration home/0002 renames them once; a row someone already renamed is left alone.
"""

ROOT_PAGE_TITLE = "Alle Websites"
ROOT_COLLECTION_NAME = "Hauptsammlung"
MODERATION_NAME = "Freigabe durch Moderatoren"
# Wagtail's installer page below the root; the demo deletes it, and the site history keeps its
# title ("Welcome to your new Wagtail site!") in the log entry of the deletion.
WELCOME_PAGE_ENGLISH = "Welcome to your new Wagtail site!"
WELCOME_PAGE_TITLE = "Wagtail-Willkommensseite"

# Wagtail's English names → German ones
RENAMES = {
    ("wagtailcore", "Page", "title", "Root"): ROOT_PAGE_TITLE,
    ("wagtailcore", "Page", "draft_title", "Root"): ROOT_PAGE_TITLE,
    ("wagtailcore", "Collection", "name", "Root"): ROOT_COLLECTION_NAME,
    ("wagtailcore", "Workflow", "name", "Moderators approval"): MODERATION_NAME,
    ("wagtailcore", "Task", "name", "Moderators approval"): MODERATION_NAME,
    ("wagtailcore", "Page", "title", WELCOME_PAGE_ENGLISH): WELCOME_PAGE_TITLE,
    ("wagtailcore", "Page", "draft_title", WELCOME_PAGE_ENGLISH): WELCOME_PAGE_TITLE,
    ("wagtailcore", "PageLogEntry", "label", WELCOME_PAGE_ENGLISH): WELCOME_PAGE_TITLE,
}
# Only the tree's top rows (the welcome page: right below the root): a page or collection of
# that name further down is someone's own.
TOP_ONLY = {"Page", "Collection"}
DEPTH = {WELCOME_PAGE_ENGLISH: 2}


def rename_wagtail_defaults(apps) -> None:
    """Give Wagtail's default rows their German names (`apps`: a migration's app registry or
    django.apps.apps)."""
    for (app_label, model_name, field, english), german in RENAMES.items():
        rows = apps.get_model(app_label, model_name).objects.filter(**{field: english})
        if model_name in TOP_ONLY:
            rows = rows.filter(depth=DEPTH.get(english, 1))
        rows.update(**{field: german})


# Column headers Wagtail names from their fields, in English, because it gives them no label
# (the sites listing's Column("site_name"), Column("root_page")):
# templates/wagtailadmin/tables/column_header.html passes every header through the catalogue,
# where cms/locale/de has these.
UNLABELLED_COLUMNS = {"Site name", "Root page"}
