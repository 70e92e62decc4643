"""Press releases for Wagtail (the distribution `wagtail-press-releases`)."""

# Kept equal to the version in pyproject.toml by tests/test_distribution.py.
__version__ = "1.0.0"
