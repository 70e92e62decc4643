"""Journalist distribution lists (Presseverteiler): import, sending, admin.

importing.py  reading a CSV/XLSX of journalists and checking its rows (pure, no database)
saving.py     the preview's view of the database and the all-or-nothing import
sending.py    a release to the lists at publication, or ahead of the embargo with personal links
admin.py      the admin: lists, journalists, the import and the embargo send
"""
