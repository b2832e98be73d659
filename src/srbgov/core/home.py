"""Figures on the role home page that feature apps contribute.

`core` is a foundation app and imports no feature app (docs/architecture.md), so it
cannot count pregnancies or alerts itself. A feature app appends a `HomeFigure` to
`HOME_FIGURES` from its `AppConfig.ready()`; the home page shows each figure whose
predicate admits the user. `count` must read through the app's scoped getter
(`<app>/access.py`): the figure is of the user's own area only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from srbgov.accounts.models import User


@dataclass(frozen=True)
class HomeFigure:
    key: str
    label: str | Promise
    url_name: str
    allowed: Callable[[User], bool]
    count: Callable[[User], int]


HOME_FIGURES: list[HomeFigure] = []


def register(figure: HomeFigure) -> None:
    """Add a figure once (ready() may run more than once); a key replaces its figure."""
    HOME_FIGURES[:] = [f for f in HOME_FIGURES if f.key != figure.key] + [figure]


def figures_for(user: User) -> list[tuple[str, int, str, str | Promise]]:
    """(key, value, url name, label) of every registered figure the user may see."""
    return [
        (f.key, f.count(user), f.url_name, f.label)
        for f in HOME_FIGURES
        if f.allowed(user)
    ]
