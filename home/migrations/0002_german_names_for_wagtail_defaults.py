from django.db import migrations


def rename(apps, schema_editor):
    from home.wagtail_defaults import rename_wagtail_defaults

    rename_wagtail_defaults(apps)


class Migration(migrations.Migration):
    # Wagtail's root page, root collection and default workflow exist by then.
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
