"""Renderers: pure functions from validated models to site HTML and handbook sources."""
