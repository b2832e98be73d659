"""Every named route must have an out-of-scope test (docs/conventions.md §5, zulip's URL coverage)."""

from __future__ import annotations

import importlib
import pkgutil

from django.urls import URLPattern, URLResolver, get_resolver

import srbgov
from srbgov.testing import SCOPE_COVERED

# Routes that hold nothing of anyone's area, with the reason.
NOT_AREA_SCOPED = {
    "core:home": "shows only counts of the user's own area",
    "operations:job_list": "installation-wide scheduled jobs, no personal data; by role",
    "operations:job_detail": "installation-wide scheduled jobs, no personal data; by role",
    "operations:job_run": "installation-wide scheduled jobs, no personal data; by role",
    "accounts:login": "public",
    "accounts:logout": "ends one's own session",
    "accounts:password_change": "one's own password",
    "accounts:login_verify": "the second login step, before any account is open",
    "accounts:mfa_enrol": "one's own second factor",
    "set_language": "the language switch",
    "report:start": "public, anonymous",
    "report:new": "public, anonymous",
    "report:follow_up": "public, anonymous",
    "report:reply": "public, anonymous",
    "report:poster": "public, anonymous",
    "healthz": "public probe: three words about the server, nothing of any area",
    "restapi:schema": "the OpenAPI schema: endpoints and shapes, no record of anyone",
    "restapi:docs": "the schema's documentation page (Swagger UI), no record of anyone",
    "exchange:template": "a blank import template (headers, one example row); by kind and role",
}


def named_routes() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin" or p.urlconf_name == "django.conf.urls.i18n":
                    continue  # Django admin (role-gated site) and the language switch
                walk(
                    p.url_patterns,
                    f"{namespace}{p.namespace}:" if p.namespace else namespace,
                )
            elif p.name:
                names.add(namespace + p.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_route_has_an_out_of_scope_test() -> None:
    for module in pkgutil.walk_packages(srbgov.__path__, "srbgov."):
        if ".tests." in module.name and module.name.rsplit(".", 1)[-1].startswith(
            "test_"
        ):
            importlib.import_module(module.name)
    missing = named_routes() - SCOPE_COVERED - set(NOT_AREA_SCOPED)
    assert not missing, (
        f"routes without a 404 test for users outside their area: {sorted(missing)}"
    )
