"""The mail engine the e-mail subscriptions and the distribution lists send with: a release's
mailings, one delivery per recipient, each sent once wherever SMTP lets us know, nothing lost
when a worker dies (press.mailings.sending). Add "press.mailings" to INSTALLED_APPS with
either of them; what a mailing sends and to whom is the business of the part that registered
its kind (press.mailings.kinds)."""
