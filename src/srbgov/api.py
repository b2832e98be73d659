"""The base every API view inherits: scoped by construction (docs/access.md).

A subclass names its model and the role predicate that reaches it; its queryset is
`Model.objects.visible_to(user)`, narrowed (never widened) by `scoped_queryset`, and
its object comes from the one getter (404 for missing, malformed and out-of-scope
alike, every read logged). Overriding `get_queryset` or `get_object` raises when the
class is defined, so no endpoint can leave the scope by accident.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from django.http import Http404
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from srbgov.core.http import REACH_ATTRIBUTE
from srbgov.core.scope import ScopedQuerySet, get_for_user, is_scoped

LOCKED = ("get_queryset", "get_object")


class ScopedAPIView(APIView):
    model: ClassVar[type[Model]]
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in LOCKED:
            if name in cls.__dict__:
                raise TypeError(
                    f"{cls.__name__} may not override {name}: narrow the rows "
                    "with scoped_queryset() instead"
                )
        model = cls.__dict__.get("model")
        if model is not None and not is_scoped(model):
            raise TypeError(f"{cls.__name__}.model {model.__name__} is not scoped")

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        """The URL's view: past the pages' login redirect (an API client gets 401 in
        JSON instead, srbgov/restapi/auth.py), and carrying its role predicate for
        the scope matrix, as `@authed(reach=…)` does for pages (docs/access.md)."""
        view = super().as_view(**initkwargs)
        view.login_required = False  # type: ignore[attr-defined]
        setattr(view, REACH_ATTRIBUTE, cls.reach)
        return view

    @staticmethod
    def reach(user: Any) -> bool:
        """The role predicate of the endpoint (`staticmethod(roles.can_…)`); a
        subclass that names none is refused to everyone."""
        return False

    def scoped_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Narrow the user's rows (filters, select_related); whatever is returned is
        intersected with the scoped rows, so it cannot widen them."""
        return queryset

    def get_queryset(self) -> QuerySet[Any]:
        user: Any = self.request.user
        if not user.is_authenticated or not user.role or user.area_id is None:
            raise NotFound
        if not self.reach(user):
            raise NotFound
        manager: Any = self.model._default_manager
        base: ScopedQuerySet[Any] = manager.visible_to(user)
        return base & self.scoped_queryset(base)

    def get_object(self, pk: object, *, log_read: bool = True) -> Any:
        user: Any = self.request.user
        try:
            return get_for_user(self.get_queryset(), user, pk, log_read=log_read)
        except Http404 as missing:
            raise NotFound from missing
