"""The API base cannot be left unscoped (srbgov/api.py, docs/access.md)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from django.db.models import QuerySet
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate

import srbgov
from srbgov.accounts import roles
from srbgov.api import ScopedAPIView
from srbgov.audit.models import AuditAction, AuditEntry
from srbgov.people.models import Spouse, Woman
from srbgov.testing import BaseTestCase, make_woman


class WomanName(ScopedAPIView):
    model = Woman
    reach = staticmethod(roles.can_manage_people)

    def get(self, request: Request, pk: str) -> Response:
        return Response({"name": self.get_object(pk).name})


class WidenedNames(ScopedAPIView):
    """Tries to widen the rows through the hook: it must not work."""

    model = Woman
    reach = staticmethod(roles.can_manage_people)

    def scoped_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return Woman.objects.visible_to(self.request.user) | Woman.objects.all()  # type: ignore[arg-type]

    def get(self, request: Request) -> Response:
        return Response(sorted(w.name for w in self.get_queryset()))


def test_a_subclass_cannot_override_the_scoped_reads() -> None:
    for name in ("get_queryset", "get_object"):
        with pytest.raises(TypeError, match=name):
            type("Leaky", (ScopedAPIView,), {name: lambda self: None})


def test_a_subclass_cannot_serve_an_unscoped_model() -> None:
    with pytest.raises(TypeError, match="not scoped"):
        type("Unscoped", (ScopedAPIView,), {"model": AuditEntry})
    type("Scoped", (ScopedAPIView,), {"model": Spouse})


def test_every_api_view_in_the_project_inherits_the_base() -> None:
    root = Path(srbgov.__file__).parent
    offenders = []
    for path in root.rglob("api.py"):
        if path == root / "api.py" or "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases = {ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases}
                if bases & {"APIView", "GenericAPIView", "ViewSet", "ModelViewSet"}:
                    offenders.append(f"{path.relative_to(root)}:{node.name}")
    assert not offenders, offenders


class ScopedAPITests(BaseTestCase):
    def call(self, view: Any, user: Any, **kwargs: Any) -> Any:
        request = APIRequestFactory().get("/api/")
        force_authenticate(request, user=user)
        return view.as_view()(request, **kwargs)

    def test_outsiders_and_other_roles_get_404_and_readers_are_logged(self) -> None:
        fang = make_woman(by=self.cun_a, village=self.village_a, name="王芳")
        for user in (self.cun_b, self.zhen_b, self.other_xian, self.auditor):
            response = self.call(WomanName, user, pk=str(fang.pk))
            self.assertEqual(response.status_code, 404, user)
        self.assertEqual(self.call(WomanName, self.zhen_a, pk="٣").status_code, 404)
        response = self.call(WomanName, self.cun_a, pk=str(fang.pk))
        self.assertEqual(response.data, {"name": "王芳"})
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.READ, username="cun_a", object_id=str(fang.pk)
            ).exists()
        )

    def test_the_hook_cannot_widen_the_rows(self) -> None:
        make_woman(by=self.cun_a, village=self.village_a, name="王芳")
        make_woman(by=self.other_xian, village=self.other_village, name="赵丽")
        response = self.call(WidenedNames, self.cun_a)
        self.assertEqual(response.data, ["王芳"])
