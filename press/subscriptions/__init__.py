"""E-mail subscriptions with double opt-in, and sending releases to the subscribers.

tokens.py   signed links (confirm: expiring and single-use; unsubscribe and data: lasting)
service.py  sign-up with rate limits and cool-down, confirmation, unsubscribe, data, clean-up
mail.py     the mails: confirmation and release (multipart, List-Unsubscribe per RFC 8058)
sending.py  a mailing per release, one delivery per recipient, sent in batches over SMTP
tasks.py    the sending task (django_tasks, PRESS["MAIL_TASK_BACKEND"])
forms.py, views.py   the form and the pages the links lead to
"""
