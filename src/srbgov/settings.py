"""srbgov settings: one file, driven by the environment (healthchecks style).

Nothing here needs editing to run: `make run` writes a local `var/dev.env` with fresh keys
and the SQLite default. Production sets `DATABASE_URL`, `SECRET_KEY`, `SRBGOV_FIELD_KEY`
and `SRBGOV_TIPS_KEY` in the environment.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from srbgov.ops.startup import require_secrets

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = envbool("DEBUG", False)
# No fallback: without SECRET_KEY, SRBGOV_FIELD_KEY and SRBGOV_TIPS_KEY the import of this
# module fails, whatever server runs it (docs/deploy.md, "Secrets"). The tests set
# test-only values (pyproject.toml, pytest `env`), `make run`/`make serve` source
# var/dev.env.
_SECRETS = require_secrets(os.environ)
SECRET_KEY = _SECRETS.secret_key
ALLOWED_HOSTS = [
    h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

# Field encryption keys (base64 of 32 random bytes), validated above and again by
# srbgov.people.checks for `manage.py check`.
FIELD_ENCRYPTION_KEY = _SECRETS.field_key
TIPS_ENCRYPTION_KEY = _SECRETS.tips_key

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Second factor (docs/administration.md): TOTP, and static tokens as recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "srbgov.core",
    "srbgov.areas",
    "srbgov.accounts",
    "srbgov.audit",
    "srbgov.files",
    "srbgov.people",
    "srbgov.providers",
    "srbgov.oversight",
    "srbgov.alerts",
    "srbgov.pregnancies",
    "srbgov.tips",
    "srbgov.monitoring",
    "srbgov.ops",
    "srbgov.operations",
    "srbgov.exchange",
    "srbgov.reconciliation",
    # The REST API for hospital systems and bulk reads (docs/api.md).
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "srbgov.restapi",
    "srbgov.workplans",
    "srbgov.villagereports",
    "srbgov.assessment",
    "srbgov.care",
    "srbgov.publicity",
    # Top layer: loads the demo county across every app (docs/architecture.md).
    "srbgov.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "srbgov.ops.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "srbgov.ops.sessions.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "srbgov.audit.middleware.AuditContextMiddleware",
    # Every view needs a login unless marked `login_not_required` (the login page, the
    # public tip pages, the language switch).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "srbgov.accounts.middleware.AccountGateMiddleware",
]

ROOT_URLCONF = "srbgov.urls"
WSGI_APPLICATION = "srbgov.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "srbgov.core.context.navigation",
            ],
        },
    },
]

DATABASE_URL = os.environ.get(
    "DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'var' / 'srbgov.sqlite3'}"
)
# Health checks: a connection kept from an earlier request is tested before use, so a
# database restart costs no failed request and needs no application restart.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worklists read while a visit is being written.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["srbgov.accounts.backends.LockoutModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock an account after this many failed logins in a row, for this many minutes.
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = envint("LOGIN_LOCKOUT_MINUTES", 15)

# Second factor: the issuer shown in authenticator apps; a password step older than
# this many seconds must start again.
OTP_TOTP_ISSUER = "srbgov"
MFA_PENDING_SECONDS = envint("MFA_PENDING_SECONDS", 5 * 60)

# Sessions end after 30 idle minutes and when the browser closes: phones get shared.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 30 * 60)
# Kept alive by srbgov.ops.sessions, which rewrites the session at most once per
# SRBGOV_SESSION_REFRESH_SECONDS rather than on every request (docs/operations.md).
SESSION_SAVE_EVERY_REQUEST = False
SRBGOV_SESSION_REFRESH_SECONDS = envint("SRBGOV_SESSION_REFRESH_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", str(PROJECT_DIR / "var" / "static")))
# Uploaded evidence lives outside the web root and is served only through scoped views.
PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("PRIVATE_MEDIA_ROOT", str(PROJECT_DIR / "var" / "private"))
)

PAGE_SIZE = 20

# The REST API (docs/api.md): token or gated session, JSON only, errors in one shape,
# pushes throttled per token (SRBGOV_API_PUSH_RATE, DRF's "<n>/<second|minute|hour>").
SRBGOV_API_PUSH_RATE = os.environ.get("SRBGOV_API_PUSH_RATE", "120/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "srbgov.restapi.auth.ApiTokenAuthentication",
        "srbgov.restapi.auth.GatedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["srbgov.restapi.throttles.PushThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "srbgov.restapi.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "srbgov API",
    "DESCRIPTION": "出生人口性别比综合治理信息平台数据接口（docs/api.md）",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI from our own static files (drf-spectacular-sidecar): no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}


# ---------------------------------------------------------------------------------------
# Deployment: HTTPS, proxy, headers, static files, logs (docs/deploy.md explains each;
# deploy/production.env.example lists the variables). Grouped here so that other parts'
# settings stay above and merges stay small.

# One switch for HTTPS (behind nginx with TLS): redirect, HSTS, secure cookies.
SRBGOV_HTTPS = envbool("SRBGOV_HTTPS", False)
SECURE_SSL_REDIRECT = SRBGOV_HTTPS
# Probes on the loopback (systemd, monitoring) reach /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = envint("SRBGOV_HSTS_SECONDS", 31_536_000) if SRBGOV_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SRBGOV_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("SRBGOV_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = SRBGOV_HTTPS or envbool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Behind a reverse proxy: which header carries the client address and how many proxies
# of ours appended to it (srbgov.ops.proxy). Empty: no proxy, REMOTE_ADDR is the client.
SRBGOV_TRUSTED_PROXY_HEADER = os.environ.get("SRBGOV_TRUSTED_PROXY_HEADER", "").strip()
SRBGOV_TRUSTED_PROXY_HOPS = envint("SRBGOV_TRUSTED_PROXY_HOPS", 1)
if SRBGOV_TRUSTED_PROXY_HEADER:
    # The same proxy says whether the client used HTTPS; it must overwrite the header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Every page: scripts and styles from our own static files only, nothing inline, nothing
# from elsewhere (intranets are offline; an injected script has nowhere to run).
# style-src-attr allows style="" attributes (data-driven bar widths, Django's admin): they
# cannot run script. Pages that set their own policy (file downloads) keep theirs.
SRBGOV_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# Static files: served by WhiteNoise from STATIC_ROOT after `collectstatic`, with hashed
# names and a long cache (srbgov.ops.staticfiles).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "srbgov.ops.staticfiles.StaticFilesStorage"},
}

# Logs: one JSON object a line on stderr (journald under systemd), one line per request
# from srbgov.ops.middleware with request id, user id, route, status and duration.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "srbgov.ops.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "srbgov.request": {
            "level": os.environ.get("SRBGOV_REQUEST_LOG_LEVEL", "INFO"),
        },
    },
}
