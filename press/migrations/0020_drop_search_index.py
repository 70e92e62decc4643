"""Drops the plugin's GIN index on Wagtail's search table (added by 0015): the plugin searches
through Wagtail search's documented API alone and leaves Wagtail's tables as Wagtail makes them.
Going back recreates it, as 0015 made it."""

from django.db import migrations

INDEX = "press_search_title_body"


def index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def index_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS {INDEX} ON "{table}" USING gin ((title || body))'
    )


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0019_delivery_handover"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(index_drop, index_create)]
