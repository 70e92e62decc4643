"""What happens when a release changes: cache generations, frontend-cache purge, webhooks."""

from .cache import cache_signals_connect
from .signals import release_signals_connect


def publishing_signals_connect() -> None:
    """Connected once from PressConfig.ready()."""
    release_signals_connect()
    cache_signals_connect()
