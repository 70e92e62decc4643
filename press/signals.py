"""What the core announces about releases. Optional parts (e-mail subscriptions, distribution
lists) and a site's own code listen; the core knows nothing of who does.

- `release_published(sender=PressReleasePage, release=…)`: a release became public, or was
  published again while public (an editor, a schedule going live, a workflow approval). A
  release published into a schedule, or behind a view restriction, is not announced.
- `release_withdrawn(sender=PressReleasePage, release=…, deleted=bool)`: a public release went
  offline (unpublished, expired through `publish_scheduled`) or was deleted.

Sent inside the transaction that made the change, with `send_robust`: a receiver that fails
is logged and stops neither the change nor the other receivers. A receiver that sends
something to the outside world defers it with `transaction.on_commit`.
"""

from django.dispatch import Signal

release_published = Signal()
release_withdrawn = Signal()
