from django.db import migrations

# The languages of the releases' versions beside German (cms/settings/base.py, LANGUAGES):
# Wagtail offers a language in the admin's "Translate" action once its Locale exists.
VERSION_LANGUAGES = ("en", "de-x-ls")


def locales_create(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code in VERSION_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [("home", "0003_german_welcome_page_title")]

    operations = [migrations.RunPython(locales_create, migrations.RunPython.noop)]
