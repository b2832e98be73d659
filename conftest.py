"""The test suite's secrets come from pytest-env (`env` in pyproject.toml).

They cannot be set here: pytest-django imports the settings before this file, and the
settings refuse to load without SECRET_KEY, SRBGOV_FIELD_KEY and SRBGOV_TIPS_KEY
(srbgov.ops.startup). pytest-env runs first and sets only what the environment lacks.
"""

from __future__ import annotations
