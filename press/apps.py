from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PressConfig(AppConfig):
    name = "press"
    label = "press"
    verbose_name = _("Press releases")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: these modules use the models, which exist only once
        # the app registry is ready.
        from . import checks  # noqa: F401  (registers the system checks)
        from .models.photos import image_search_fields_extend
        from .publishing import publishing_signals_connect

        publishing_signals_connect(app_config=self)

        image_search_fields_extend()
