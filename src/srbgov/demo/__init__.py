"""The demo county (示范县): the one package allowed to import every app.

See docs/architecture.md: foundation apps import no feature app, so the loader that
fills every app with demo data lives above them all.
"""
