"""A GIN index on `title || body` of Wagtail's search index entries (PostgreSQL only).

Wagtail's database search backend matches `(title || body) @@ query`; its GIN indexes on
`title` and `body` alone cannot serve that expression, so every search tested the entries one
by one (press/models/search.py asks the entries through this index instead). The table is
Wagtail's; the index is the plugin's, and goes with this migration."""

from django.db import migrations

INDEX = "press_search_title_body"


def index_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS {INDEX} ON "{table}" USING gin ((title || body))'
    )


def index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0014_journalists_distribution_lists"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(index_create, index_drop)]
