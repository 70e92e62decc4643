"""Reporting a barrier and the accessibility statement (BITV 2.0 § 7, EN 301 549), an optional
part: add "press.accessibility" to INSTALLED_APPS beside "press"."""
