"""Static files with content-hashed names once `collectstatic` has run, plain otherwise.

WhiteNoise serves hashed names with a one-year immutable cache. Django's manifest storage
refuses to render a page when the manifest is missing, which is the state of every test
run and of `make run` (runserver serves from the app folders); there this storage falls
back to the plain name. `make serve` and the deployment steps run `collectstatic`, and
`/healthz` does not depend on it. See docs/deploy.md ("Static files").
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


# WhiteNoise ships no type information.
class StaticFilesStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    def stored_name(self, name: str) -> str:
        if not self.hashed_files:
            return name
        return str(super().stored_name(name))
