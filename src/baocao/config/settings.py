"""Settings for baocao, read from environment variables (twelve-factor).

DATABASE_URL selects the database (embedded SQLite in WAL mode when unset; PostgreSQL 15 in
production). SECRET_KEY, ALLOWED_HOSTS, DEBUG and the EMAIL_* variables complete the deployment.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("BAOCAO_DATA_DIR", Path.cwd() / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # A default key would sign every deployment's sessions, password-reset links and CSRF
        # tokens alike. `make run` and the tests pass a development key (baocao.config.dev_settings).
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: give it a long random value (or DEBUG=1 on a developer's machine)"
        )
    # DEBUG only: a fixed key keeps sessions valid across restarts of the development server.
    SECRET_KEY = "baocao-insecure-development-key-change-me-in-production-0123456789"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "baocao.core",
    "baocao.accounts",
    "baocao.audit",
    "baocao.orgunits",
    "baocao.notifications",
    "baocao.reporting",
    "baocao.submissions",
    "baocao.analytics",
    "baocao.documents",
    "baocao.consolidation",
    "baocao.work",
    "baocao.meetings",
    "baocao.cases",
    "baocao.exchange",
    "baocao.transition",
    "baocao.web",
    "baocao.demo",
    "baocao.config",  # the top layer's commands (export_openapi reads the whole API)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Page form posts lose control characters right after the CSRF check parsed them (core.input).
    "baocao.core.input.CleanTextMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view (and the CSRF check): NUL in the path or parameters is a 400.
    "baocao.web.middleware.HostileInputMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "baocao.web.errors.AppErrorMiddleware",
    # An empty 405 (require_POST) becomes the Vietnamese 405 page.
    "baocao.web.errors.MethodNotAllowedMiddleware",
    # Last, as django-axes requires: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "baocao.config.urls"
WSGI_APPLICATION = "baocao.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The unread count of the top menu (one query, none for anonymous visitors).
                "baocao.notifications.context_processors.unread_notifications",
            ],
            "builtins": ["baocao.web.templatetags.vn"],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "baocao.sqlite3"),
            "OPTIONS": {
                # WAL lets readers run while a writer commits; IMMEDIATE avoids
                # "database is locked" upgrades inside write transactions.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;PRAGMA busy_timeout=20000;"
                ),
            },
            # Tests use a file too, never Django's shared in-memory database: the browser tests' live
            # server answers concurrent requests (autosave while a button is clicked) in threads, and
            # an in-memory database hands all of them one connection, whose savepoints then collide
            # ("no such savepoint"). A file gives each thread its own connection, as in production.
            "TEST": {"NAME": str(DATA_DIR / "test-baocao.sqlite3")},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Django's validators speak Vietnamese through LANGUAGE_CODE, except the minimum length one
# (tests/accounts/test_passwords.py checks every message).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "baocao.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "baocao.accounts.passwords.UsernameInPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("username", "full_name", "email")}},
]
CSRF_FAILURE_VIEW = "baocao.web.errors.csrf_failure_view"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:login"

# Login throttling (django-axes): lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "baocao.accounts.views.lockout_response"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "baocao.accounts.throttle.client_ip"
# Password-reset page (accounts.throttle): requests an hour from one client address, and mails an
# hour to one address.
PASSWORD_RESET_LIMIT_PER_ADDRESS = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_ADDRESS", "10"))
PASSWORD_RESET_LIMIT_PER_EMAIL = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_EMAIL", "3"))

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
try:
    # WhiteNoise warns on every start when the collectstatic folder is missing.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
except OSError:
    pass
STORAGES = {
    # Uploads are kept under core.text.clean_filename's names.
    "default": {"BACKEND": "baocao.core.storage.UploadStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
# SECURE_COOKIES=1: the site is served over HTTPS only. Cookies never travel in clear, plain HTTP
# is redirected to HTTPS (behind the proxy, X-Forwarded-Proto tells which one the client used) and
# browsers are told to use HTTPS only for this host and its subdomains (HSTS).
SECURE_COOKIES = env_bool("SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = SECURE_COOKIES
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600))) if SECURE_COOKIES else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_COOKIES
# Behind the documented reverse proxy (one nginx that sets X-Forwarded-Proto and appends the
# client's address to X-Forwarded-For); both headers are ignored otherwise.
BEHIND_PROXY = env_bool("BEHIND_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts, styles, images and fonts only from this site, no
# inline script at all (the pages' behaviour is in web/static/baocao/app.js), no framing, forms post
# only here. Official documents shown as HTML carry their computed layout as inline CSS and say so
# per response (baocao.core.csp.allow_inline_styles).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# E-mail goes out from the task worker (notifications.tasks), never from a request. The default
# prints mails on the console; `make run` writes them as files under BAOCAO_DATA_DIR/mail
# (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend); production sets the SMTP backend.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "baocao@localhost")

# Background tasks (Django's tasks framework through the django-tasks backport): queued in the
# database, run by `baocao db_worker` (started by `make run`; a systemd unit in production,
# docs/operations.md "Tác vụ nền").
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# API tokens live this long (days) before the client must ask again.
API_TOKEN_TTL_DAYS = int(os.environ.get("API_TOKEN_TTL_DAYS", "30"))
# A user holds at most this many tokens; issuing one more revokes the oldest.
API_TOKENS_PER_USER = int(os.environ.get("API_TOKENS_PER_USER", "5"))

# Public address of the site, for absolute links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

# Bulk import (exchange): largest upload accepted and most rows in one file. An .xlsx may inflate
# to at most 30 times the upload limit (zip bombs are refused before openpyxl reads them).
EXCHANGE_MAX_UPLOAD_BYTES = int(os.environ.get("EXCHANGE_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
EXCHANGE_MAX_ROWS = int(os.environ.get("EXCHANGE_MAX_ROWS", "2000000"))

# Non-worksheet parts of an imported .xlsx (shared strings above all, which openpyxl holds in
# memory whole) may expand to at most this many bytes.
EXCHANGE_XLSX_MAX_PART_BYTES = int(os.environ.get("EXCHANGE_XLSX_MAX_PART_BYTES", str(16 * 1024 * 1024)))
