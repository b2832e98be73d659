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
from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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


# Work-list items (docs/homes.md): a number with the exact list behind it. Unlike a
# HomeFigure, an item names its section and the query string of the linked list, so
# the count on the home page and the rows of the list it links to are one set (the
# tests compare them). `count` returns (label suffix, count, query) rows: one row for a
# plain number, several for a breakdown such as open alerts by kind.

SECTIONS: dict[str, str | Promise] = {
    "todo": _("今天要做的"),
    "review": _("等待审核"),
    "watch": _("需要关注"),
}


@dataclass(frozen=True)
class HomeRow:
    label: str | Promise
    value: int
    url: str


@dataclass(frozen=True)
class HomeItem:
    key: str
    section: str
    label: str | Promise
    allowed: Callable[[User], bool]
    rows: Callable[[User], list[HomeRow]]
    order: int = 100


@dataclass(frozen=True)
class HomeAction:
    """A one-tap shortcut (e.g. 登记孕情) shown at the top of the home page."""

    key: str
    label: str | Promise
    url_name: str
    allowed: Callable[[User], bool]


HOME_ITEMS: list[HomeItem] = []
HOME_ACTIONS: list[HomeAction] = []


def register_item(item: HomeItem) -> None:
    if item.section not in SECTIONS:
        raise ValueError(item.section)
    HOME_ITEMS[:] = [i for i in HOME_ITEMS if i.key != item.key] + [item]


def register_action(action: HomeAction) -> None:
    HOME_ACTIONS[:] = [a for a in HOME_ACTIONS if a.key != action.key] + [action]


def list_url(url_name: str, *args: object, **query: str) -> str:
    """The URL of a list filtered by `query`, without an empty `?`."""
    url = reverse(url_name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


@dataclass(frozen=True)
class HomeSection:
    key: str
    title: str | Promise
    items: list[tuple[HomeItem, list[HomeRow]]]


def _rows_or_none(item: HomeItem, user: User) -> list[HomeRow] | None:
    """The item's rows, or None when its scoped getter finds nothing the user may
    read (Http404: a facility clerk not yet linked to her facility). Her home page
    leaves the item out instead of being a 404 itself."""
    try:
        return item.rows(user)
    except Http404:
        return None


def work_list(*, user: User) -> list[HomeSection]:
    """The sections of the user's home page with the rows each item contributes."""
    allowed = sorted(
        (i for i in HOME_ITEMS if i.allowed(user)), key=lambda i: (i.order, i.key)
    )
    sections = []
    for key, title in SECTIONS.items():
        items = [
            (i, rows)
            for i in allowed
            if i.section == key and (rows := _rows_or_none(i, user)) is not None
        ]
        if items:
            sections.append(HomeSection(key=key, title=title, items=items))
    return sections


def actions_for(*, user: User) -> list[HomeAction]:
    return [a for a in HOME_ACTIONS if a.allowed(user)]


# Summaries (docs/homes.md): a figure with the sentence that says what it means, at
# the top of the home page (the county's SRB with its verdict). The link opens the
# page the figure comes from, with the same selection.


@dataclass(frozen=True)
class HomeSummary:
    title: str | Promise
    value: str
    sentence: str
    url: str
    tone: str = ""  # "high", "low" or "": the colour of the verdict


@dataclass(frozen=True)
class HomeSummaryItem:
    key: str
    allowed: Callable[[User], bool]
    summary: Callable[[User], HomeSummary | None]
    order: int = 100


HOME_SUMMARIES: list[HomeSummaryItem] = []


def register_summary(item: HomeSummaryItem) -> None:
    HOME_SUMMARIES[:] = [s for s in HOME_SUMMARIES if s.key != item.key] + [item]


def summaries_for(*, user: User) -> list[HomeSummary]:
    items = sorted(
        (s for s in HOME_SUMMARIES if s.allowed(user)), key=lambda s: (s.order, s.key)
    )
    return [found for s in items if (found := s.summary(user)) is not None]
