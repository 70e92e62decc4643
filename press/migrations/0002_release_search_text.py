import re

from django.conf import settings
from django.db import migrations, models
from django.db.models import F

# On PostgreSQL the word search reads a tsvector column that PostgreSQL itself keeps equal to
# the search text (a stored generated column, so every way a document is written updates it)
# and its GIN index (press.models.search reads both). Not a field of the model: it
# exists on PostgreSQL only, and other databases search through Wagtail search. A vector
# computed at query time (a functional index on to_tsvector(search_text)) would be parsed
# again for every row the planner does not find through the index: seconds for a common word.
SEARCH_VECTOR_SQL = """
ALTER TABLE press_releasedocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS
    (to_tsvector('{config}'::regconfig, COALESCE(search_text, ''))) STORED;
CREATE INDEX press_releasedocument_search ON press_releasedocument USING gin (search_vector);
"""
SEARCH_VECTOR_DROP_SQL = "ALTER TABLE press_releasedocument DROP COLUMN search_vector"


def search_vector_config(schema_editor):
    """Wagtail's SEARCH_CONFIG where the database is PostgreSQL, else None (and None without a
    configuration: a stored vector needs a fixed one)."""
    if schema_editor.connection.vendor != "postgresql":
        return None
    backend = getattr(settings, "WAGTAILSEARCH_BACKENDS", {}).get("default", {})
    config = backend.get("SEARCH_CONFIG") or None
    if config and not re.fullmatch(r"[\w.]+", config):
        raise ValueError(f"SEARCH_CONFIG {config!r} is not a text search configuration's name")
    return config


def search_vector_add(apps, schema_editor):
    config = search_vector_config(schema_editor)
    if config:
        schema_editor.execute(SEARCH_VECTOR_SQL.format(config=config))


def search_vector_drop(apps, schema_editor):
    if search_vector_config(schema_editor):
        schema_editor.execute(SEARCH_VECTOR_DROP_SQL)


def search_text_fill(apps, schema_editor):
    """Documents stored before the column: their text version until they are rebuilt (version
    5; the rebuild after `migrate` stores exactly what Wagtail's index holds), so no release
    drops out of the search in between."""
    apps.get_model("press", "ReleaseDocument").objects.update(search_text=F("text"))


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="releasedocument",
            name="search_text",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search text"
            ),
        ),
        migrations.AlterField(
            model_name="releasedocument",
            name="version",
            field=models.PositiveSmallIntegerField(default=5, verbose_name="document version"),
        ),
        migrations.RunPython(search_text_fill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(search_vector_add, search_vector_drop),
    ]
