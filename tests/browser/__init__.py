"""Browser tests: the built site in Debian's Chromium (a package, so its conftest does not shadow tests/conftest.py)."""
