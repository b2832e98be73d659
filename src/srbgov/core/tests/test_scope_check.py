"""Views, exports and API modules reach scoped models only through the scope primitive
(srbgov.core.scopecheck, docs/access.md)."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps

import srbgov
from srbgov.core.scope import is_scoped
from srbgov.core.scopecheck import Finding, check_tree, is_guarded_module

SRC = Path(srbgov.__file__).parent
FIXTURE = Path(__file__).parent / "fixtures" / "unscoped_app"

# The only unscoped reads in request-answering modules, with the reason. Keep it short.
ALLOWED = {
    (
        "tips/public_views.py",
        "Area.objects without scope",
    ): "the anonymous report form lists the counties: names, not anyone's data",
    (
        "pregnancies/views.py",
        "Pregnancy.objects without scope",
    ): "a handed-over pregnancy names the village it went to; that record's own "
    "page stays scoped",
}


def scoped_model_names() -> list[str]:
    return [m.__name__ for m in apps.get_models() if is_scoped(m)]


def test_no_view_export_or_api_module_uses_an_unscoped_manager() -> None:
    findings = check_tree(SRC, scoped_model_names(), allowed=ALLOWED)
    assert not findings, "\n".join(str(f) for f in findings)


def test_every_allowance_is_still_needed() -> None:
    everything = check_tree(SRC, scoped_model_names())
    used = {(f.path, f.what) for f in everything}
    assert set(ALLOWED) <= used, set(ALLOWED) - used


def test_the_check_catches_a_deliberately_unscoped_view() -> None:
    findings = check_tree(FIXTURE.parent, scoped_model_names())
    assert findings == [
        Finding("unscoped_app/views.py", 13, "Woman.objects without scope"),
        Finding("unscoped_app/views.py", 18, "Woman._default_manager"),
        Finding(
            "unscoped_app/views.py",
            23,
            "hand-written area filter village__code__startswith",
        ),
    ]


def test_it_guards_every_layout_of_views_and_no_tests() -> None:
    for path in (
        "people/views.py",
        "oversight/views_cases.py",
        "tips/public_views.py",
        "providers/views/registry.py",
        "monitoring/exports.py",
        "api.py",
    ):
        assert is_guarded_module(Path(path)), path
    for path in ("people/services.py", "people/tests/test_views.py"):
        assert not is_guarded_module(Path(path)), path
