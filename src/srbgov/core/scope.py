"""The one scope primitive: every scoped model declares its path to the area once.

A model that holds personal or area data says where its area is::

    class Visit(models.Model):
        area_path = "pregnancy__village"
        objects = ScopedQuerySet["Visit"].as_manager()

and `Visit.objects.in_area(area)` / `.visible_to(user)` keep the area's subtree only (by
the 12-digit code prefix). A tuple of paths means "the first of these that is set" (a
tip belongs to its township once assigned, to its county before). Views never filter by
area themselves; they read through `get_for_user` (one object) or `visible_to` (a list),
usually via their app's `access.py`. See docs/access.md.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.http import Http404

from srbgov.audit.models import AuditAction
from srbgov.audit.services import record

if TYPE_CHECKING:
    from srbgov.accounts.models import User
    from srbgov.areas.models import Area

M = TypeVar("M", bound=models.Model)

# Primary keys are bigint: anything longer cannot name a row, and int() of it would
# only hand the database an out-of-range value to reject.
MAX_ID = 2**63 - 1
# [0-9] and not \d: \d also matches Arabic-Indic and other Unicode digits, and
# str.isdigit() even accepts superscripts ("²"), on which int() raises (a 500).
_ID = re.compile(r"[0-9]{1,19}")


def area_paths(model: type[models.Model]) -> tuple[str, ...]:
    """The model's declared path(s) to its area; "" is the Area itself."""
    path = getattr(model, "area_path", None)
    if path is None:
        raise ImproperlyConfigured(f"{model.__name__} declares no area_path")
    return (path,) if isinstance(path, str) else tuple(path)


def is_scoped(model: type[models.Model]) -> bool:
    return getattr(model, "area_path", None) is not None


def _join(path: str, lookup: str) -> str:
    return f"{path}__{lookup}" if path else lookup


def area_filter(model: type[models.Model], area: Area) -> Q:
    """The rows of `model` whose area lies in `area`'s subtree."""
    paths = area_paths(model)
    condition = Q()
    for i, path in enumerate(paths):
        term = Q(**{_join(path, "code__startswith"): area.scope_prefix})
        for earlier in paths[:i]:
            term &= Q(**{f"{earlier}__isnull": True})
        condition = term if i == 0 else condition | term
    return condition


def area_of(obj: models.Model) -> Area:
    """The area a record belongs to, following the same declared path."""
    for path in area_paths(type(obj)):
        node: Any = obj
        for step in path.split("__") if path else []:
            node = getattr(node, step)
            if node is None:
                break
        if node is not None:
            return node  # type: ignore[no-any-return]
    raise ValueError(f"{obj!r} has no area")


class ScopedQuerySet(models.QuerySet[M]):
    """A queryset that knows its model's path to the area (`area_path`)."""

    def in_area(self, area: Area) -> Self:
        """The rows of the area itself and its whole subtree."""
        return self.filter(area_filter(self.model, area))

    def visible_to(self, user: User) -> Self:
        """The rows of the user's area subtree; a user without an area sees nothing
        (`User.scope` raises 404)."""
        return self.in_area(user.scope)


def parse_id(raw: object) -> int:
    """A primary key from a path or a query string: ASCII digits only, else 404."""
    if isinstance(raw, bool):
        raise Http404
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and _ID.fullmatch(raw):
        value = int(raw)
    else:
        raise Http404
    if not 0 < value <= MAX_ID:
        raise Http404
    return value


def optional_id(raw: str | None) -> int | None:
    """An optional `?name=` id: absent or empty is None; present but malformed, 404."""
    if raw is None or raw == "":
        return None
    return parse_id(raw)


def get_for_user(
    source: models.QuerySet[M] | type[M],
    user: User,
    pk: object,
    *,
    log_read: bool = True,
) -> M:
    """One record the user may open, or 404 for missing, malformed and out-of-scope
    alike (the user cannot tell them apart). A denied attempt is logged for the
    auditor; an opened record is logged as a read unless the caller is about to
    write it (the service logs the write instead).

    `source` is a queryset already narrowed to what the user may see (an access.py
    declaration) or a scoped model, which is then narrowed by `visible_to`."""
    if isinstance(source, models.QuerySet):
        queryset = source
    else:
        if not is_scoped(source):
            raise ImproperlyConfigured(f"{source.__name__} is not a scoped model")
        queryset = source._default_manager.all()
        queryset = queryset.filter(area_filter(source, user.scope))
    label = queryset.model._meta.label_lower
    try:
        found = queryset.filter(pk=parse_id(pk)).first()
    except Http404:
        found = None
    if found is None:
        record(
            user=user,
            action=AuditAction.DENIED,
            object_type=label,
            object_id=str(pk)[:40],
        )
        raise Http404
    if log_read:
        record(user=user, action=AuditAction.READ, obj=found)
    return found
