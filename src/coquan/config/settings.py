"""CoQuan settings: one module, driven by environment variables with safe defaults.

Every value a deployment may change is read from the environment through the small typed
parsers below (the Paperless-ngx habit). Nothing here reads files other than `.env`-free
environment variables, so the same code serves a laptop, CI and a province.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(env_str("COQUAN_BASE_DIR", str(PACKAGE_DIR.parent.parent)))
VAR_DIR = Path(env_str("COQUAN_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("COQUAN_DEBUG", False)
# Under pytest the test settings apply without any variable to remember.
TESTING = env_bool("COQUAN_TESTING", "pytest" in sys.modules)
SECRET_KEY = env_str("COQUAN_SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured("COQUAN_SECRET_KEY must be set when COQUAN_DEBUG is off.")

# Private signing keys are stored encrypted with this passphrase (core.keyvault); when it is
# empty, with one derived from SECRET_KEY. Keep it out of the database backups.
COQUAN_KEY_PASSPHRASE = env_str("COQUAN_KEY_PASSPHRASE")

ALLOWED_HOSTS = env_list("COQUAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("COQUAN_CSRF_TRUSTED_ORIGINS")

# CoQuan apps first: their templates and translations win over Django's and third parties'.
INSTALLED_APPS = [
    "coquan.core",
    "coquan.accounts",
    "coquan.org",
    "coquan.audit",
    "coquan.workdays",
    "coquan.documents",
    "coquan.registry",
    "coquan.exchange",
    "coquan.onestop",
    "coquan.search",
    "coquan.notifications",
    "coquan.web",
    "coquan.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "coquan.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "coquan.accounts.middleware.RequireSecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",
    "coquan.audit.middleware.PermissionDeniedAuditMiddleware",
]

ROOT_URLCONF = "coquan.config.urls"
WSGI_APPLICATION = "coquan.config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "coquan.web.context_processors.navigation",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default (WAL, IMMEDIATE transactions, busy timeout); PostgreSQL is the
# production path, chosen by DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("TEST", {})["NAME"] = env_str(
            "COQUAN_TEST_DB_NAME", DATABASES["default"]["NAME"]
        )
        # JIT compilation costs 1–2.5 s on the large counts of the inboxes and reports and
        # gains nothing on these short statements (docs/documents.md, bench/inbox.py).
        if not env_bool("COQUAN_PG_JIT", False):
            options = DATABASES["default"].setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c jit=off".strip()
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("COQUAN_SQLITE_PATH", str(VAR_DIR / "coquan.sqlite3")),
            # Kept open between requests: closing the last connection to a WAL database
            # checkpoints and truncates the WAL, about 12 ms per request (bench/exchange.py).
            "CONN_MAX_AGE": env_int("COQUAN_SQLITE_CONN_MAX_AGE", 600),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": env_int("COQUAN_SQLITE_TIMEOUT", 20),
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Files ----------------------------------------------------------------------------------
MEDIA_ROOT = Path(env_str("COQUAN_MEDIA_ROOT", str(VAR_DIR / "files")))
STATIC_ROOT = Path(env_str("COQUAN_STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_URL = "/static/"
STORAGES = {
    "default": {
        "BACKEND": env_str("COQUAN_FILE_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": {"location": str(MEDIA_ROOT)} if not env_str("COQUAN_FILE_STORAGE") else {},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
# Upload size limit (bytes) for any single uploaded file, checked by forms and the API.
COQUAN_MAX_UPLOAD_BYTES = env_int("COQUAN_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
# Text of attachments kept for search: at most this many characters and (PDF) pages.
COQUAN_ATTACHMENT_TEXT_MAX_CHARS = env_int("COQUAN_ATTACHMENT_TEXT_MAX_CHARS", 200_000)
COQUAN_ATTACHMENT_TEXT_MAX_PAGES = env_int("COQUAN_ATTACHMENT_TEXT_MAX_PAGES", 300)
# OCR of scans (images, PDFs without a text layer) with tesseract, in the same background task.
# On by default: without the tesseract binary it reads nothing and logs one warning.
COQUAN_OCR = env_bool("COQUAN_OCR", True)
COQUAN_OCR_LANGUAGES = env_str("COQUAN_OCR_LANGUAGES", "vie+eng")
COQUAN_OCR_MAX_PAGES = env_int("COQUAN_OCR_MAX_PAGES", 30)
COQUAN_OCR_PAGE_TIMEOUT = env_int("COQUAN_OCR_PAGE_TIMEOUT", 60)
COQUAN_TESSERACT = env_str("COQUAN_TESSERACT", "tesseract")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Authentication and security -----------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING or env_bool("COQUAN_FAST_PASSWORD_HASHER"):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AXES_FAILURE_LIMIT = env_int("COQUAN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("COQUAN_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLED = env_bool("COQUAN_AXES_ENABLED", True)

OTP_TOTP_ISSUER = "CoQuan"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("COQUAN_SECURE_COOKIES", not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env_int("COQUAN_SESSION_SECONDS", 8 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("COQUAN_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("COQUAN_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("COQUAN_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("COQUAN_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("COQUAN_BEHIND_PROXY") else None
)

# Map tiles for the registry's BTS map; empty = offline coordinate plot without tiles.
COQUAN_MAP_TILE_URL = env_str("COQUAN_MAP_TILE_URL", "")
_TILE_ORIGIN = (
    "{0.scheme}://{0.netloc}".format(urlsplit(COQUAN_MAP_TILE_URL)) if COQUAN_MAP_TILE_URL else None
)

# Strict CSP: everything from our own origin, scripts only with a nonce or from 'self'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Language, time ----------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = []
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["coquan.config.formats"]
LANGUAGE_COOKIE_NAME = "coquan_language"

# --- E-mail (reminders, notifications); console output unless a server is configured ------
EMAIL_BACKEND = env_str(
    "COQUAN_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("COQUAN_EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("COQUAN_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("COQUAN_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("COQUAN_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("COQUAN_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("COQUAN_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("COQUAN_EMAIL_FROM", "coquan@localhost")
# Notifications are also e-mailed to people with an address (coquan.notifications).
COQUAN_EMAIL_NOTIFICATIONS = env_bool("COQUAN_EMAIL_NOTIFICATIONS", False)
# Incoming documents: remind the handlers this many days before the deadline.
COQUAN_DUE_SOON_DAYS = env_int("COQUAN_DUE_SOON_DAYS", 2)
# Electronic exchange hub mode (docs/exchange.md §7, ADR 0007): this deployment relays
# packages between registered nodes and appends its TraceHeader with this OrganId;
# receivers set aside the trace headers of the hubs they know when checking signatures.
COQUAN_EXCHANGE_HUB = env_bool("COQUAN_EXCHANGE_HUB", False)
COQUAN_EXCHANGE_HUB_ORGAN_ID = env_str("COQUAN_EXCHANGE_HUB_ORGAN_ID", "")
COQUAN_EXCHANGE_KNOWN_HUBS = env_list("COQUAN_EXCHANGE_KNOWN_HUBS")

# --- Background tasks --------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str(
            "COQUAN_TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend",
        ),
    }
}
# A worker writes a heartbeat at least this often; /healthz reports it stale after 3 periods.
COQUAN_WORKER_HEARTBEAT_SECONDS = env_int("COQUAN_WORKER_HEARTBEAT_SECONDS", 30)
# Daily jobs that run_worker enqueues (core.schedule): once a day each, at or after the local
# time given (TIME_ZONE), whatever the number of workers; a missed time runs when a worker starts.
# Off under pytest, so that tests running run_worker do not depend on the hour they run at.
COQUAN_SCHEDULER = env_bool("COQUAN_SCHEDULER", not TESTING)
COQUAN_SCHEDULER_SECONDS = env_int("COQUAN_SCHEDULER_SECONDS", 60)
COQUAN_DAILY_JOBS = {
    # Due-soon and overdue reminders of incoming documents (documents/reminders.py).
    "send_due_reminders": {
        "at": env_str("COQUAN_DUE_REMINDERS_AT", "07:00"),
        "tasks": ["coquan.documents.reminders.send_due_reminders"],
    },
    # Licence expiry and expiry e-mails, what the registry_expire command enqueues.
    "registry_expire": {
        "at": env_str("COQUAN_REGISTRY_EXPIRE_AT", "06:30"),
        "tasks": [
            "coquan.registry.tasks.expire_licences_task",
            "coquan.registry.tasks.licence_reminders_task",
        ],
    },
}
# Jobs that run_worker enqueues every N minutes (once per slot across workers; 0 = off).
COQUAN_INTERVAL_JOBS = {
    # Re-index search entries left dirty by a lost or failed index task (search/tasks.py).
    "repair_search_index": {
        "minutes": env_int("COQUAN_SEARCH_REPAIR_MINUTES", 10),
        "tasks": ["coquan.search.tasks.repair_index"],
    },
}

# --- API ---------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "coquan.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "coquan.api.pagination.StandardPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "coquan.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CoQuan API",
    "DESCRIPTION": "API of CoQuan, the electronic agency platform.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for a choice set used by several fields or apps (no generated hash names).
    "ENUM_NAME_OVERRIDES": {
        "SatisfactionEnum": "coquan.onestop.models.evaluation.Satisfaction",
        "RatingChannelEnum": "coquan.onestop.models.evaluation.RatingChannel",
        "ArrivalChannelEnum": "coquan.documents.choices.Channel",
        "RecordedRatingChannelEnum": [("paper", "paper"), ("device", "device")],
    },
}

# --- Working-day calendar ----------------------------------------------------------------------
# Unconfirmed rules (standards §3.7, §7 item 6) are settings, not code.
COQUAN_WORKDAY_CUTOFF = env_str("COQUAN_WORKDAY_CUTOFF", "15:00")
COQUAN_WORKDAY_MORNING_END = env_str("COQUAN_WORKDAY_MORNING_END", "12:00")
COQUAN_WORKDAY_END = env_str("COQUAN_WORKDAY_END", "17:00")
# Weekly rest days (Monday=0); the public-sector week is Monday–Friday (standards §4.1 ❓).
COQUAN_WORKDAY_WEEKEND = tuple(int(x) for x in env_list("COQUAN_WORKDAY_WEEKEND", "5,6"))

# --- Registry: licence expiry reminders (days before the expiry date) --------------------------
COQUAN_LICENCE_REMINDER_DAYS = tuple(
    int(x) for x in env_list("COQUAN_LICENCE_REMINDER_DAYS", "30,7")
)
# Absolute links in e-mails and printed receipts (empty: paths only).
COQUAN_PUBLIC_BASE_URL = env_str("COQUAN_PUBLIC_BASE_URL", "")

# --- Logging -----------------------------------------------------------------------------------
LOG_JSON = env_bool("COQUAN_LOG_JSON", False)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "coquan.core.logging.JsonFormatter"},
    },
    "filters": {"request_id": {"()": "coquan.core.logging.RequestIdFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_JSON else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("COQUAN_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # pyHanko logs a traceback for every untrusted signature; CoQuan reports the result.
        "pyhanko.sign.validation.generic_cms": {"level": "ERROR"},
    },
}
