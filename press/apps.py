from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PressConfig(AppConfig):
    name = "press"
    label = "press"
    verbose_name = _("Pressedienst")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .cache import cache_signals_connect
        from .signals import release_signals_connect

        release_signals_connect()
        cache_signals_connect()
