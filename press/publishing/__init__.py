"""What happens when a release changes: its stored document, frontend-cache purge, webhooks."""

from .documents import document_signals_connect
from .edge import edge_signals_connect
from .signals import release_signals_connect
from .visibility import visibility_signals_connect


def publishing_signals_connect(*, app_config) -> None:
    """Connected once from PressConfig.ready()."""
    document_signals_connect(app_config)
    release_signals_connect()
    visibility_signals_connect()
    edge_signals_connect()
