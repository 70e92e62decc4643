"""The archive importer: `parse` reads a release file (pure), `save` stores it (thin)."""
