"""Jiaoguan's settings, read from environment variables (see docs/deployment.md)."""

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from jiaoguan.config.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(env_str("JIAOGUAN_VAR_DIR", str(PROJECT_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

ENVIRONMENT = env_str("JIAOGUAN_ENV", "development", choices=("development", "production", "test"))
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("JIAOGUAN_DEBUG", False)  # JIAOGUAN_DEBUG=true for Django's debug pages


def _secret_key() -> str:
    key = env_str("SECRET_KEY", "")
    if key:
        if PRODUCTION and len(key) < 50:
            raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production.")
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY is required when JIAOGUAN_ENV=production.")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when JIAOGUAN_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The reverse proxies whose X-Forwarded-For the audit log believes (their own addresses); none by default.
TRUSTED_PROXIES = env_list("JIAOGUAN_TRUSTED_PROXIES", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "jiaoguan.core",
    "jiaoguan.accounts",
    "jiaoguan.registry",
    "jiaoguan.exams",
    "jiaoguan.inspections",
    "jiaoguan.reporting",
    "jiaoguan.petitions",
    "jiaoguan.projects",
    "jiaoguan.workforce",
    "jiaoguan.dropout",
    "jiaoguan.aid",
    "jiaoguan.summary",
    "jiaoguan.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jiaoguan.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jiaoguan.core.middleware.RequestContextMiddleware",
    "jiaoguan.core.middleware.BusyDatabaseMiddleware",
]

ROOT_URLCONF = "jiaoguan.config.urls"
WSGI_APPLICATION = "jiaoguan.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jiaoguan.core.context_processors.navigation",
            ],
        },
    }
]


def _database() -> dict:
    url = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jiaoguan.sqlite3'}")
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0))
    except Exception as error:  # dj-database-url raises several kinds for a malformed URL
        raise ImproperlyConfigured(f"DATABASE_URL={url!r} is not a database URL: {error}") from None
    engine = config.get("ENGINE", "")
    if engine == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # WAL lets readers go on while one writer writes; IMMEDIATE avoids upgrade deadlocks.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
                " PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    elif engine != "django.db.backends.postgresql":
        raise ImproperlyConfigured(f"DATABASE_URL={url!r}: only sqlite:// and postgres:// work.")
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": env_str(
            "JIAOGUAN_TASKS_BACKEND",
            "django_tasks_db.DatabaseBackend",
            choices=("django_tasks_db.DatabaseBackend", "django_tasks.backends.immediate.ImmediateBackend"),
        ),
        "QUEUES": ["default"],
    }
}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "jiaoguan.accounts.passwords.LengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jiaoguan.accounts.passwords.CharacterClassValidator"},
]
if ENVIRONMENT == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Sign-in rules (等保): lock after repeated failures, sign out when idle.
LOGIN_FAILURE_LIMIT = env_int("JIAOGUAN_LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCK_MINUTES = env_int("JIAOGUAN_LOGIN_LOCK_MINUTES", 15, minimum=1)
SESSION_COOKIE_AGE = env_int("JIAOGUAN_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

SECURE = env_bool("JIAOGUAN_SECURE_COOKIES", PRODUCTION)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = env_bool("JIAOGUAN_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("JIAOGUAN_HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only the app's own scripts and styles run: no inline script, handler or style, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"], "script-src": ["'self'"], "style-src": ["'self'"], "img-src": ["'self'", "data:"],
        "font-src": ["'self'"], "connect-src": ["'self'"], "object-src": ["'none'"], "base-uri": ["'self'"],
        "form-action": ["'self'"], "frame-ancestors": ["'none'"],
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
NODE_MODULES = Path(env_str("JIAOGUAN_NODE_MODULES", str(PROJECT_DIR / "node_modules")))
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = VAR_DIR / "media"

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_BYTES = env_int("JIAOGUAN_IMPORT_MAX_MB", 200, minimum=1) * 1024 * 1024
# What an imported sheet may hold; core.spreadsheets refuses more before any spreadsheet library reads
# the file. The reader keeps 32 bytes for every cell of a sheet's range, empty or not (60 million: 2 GB);
# a column bound of 1,000 leaves room for item scores (one column per item of every subject).
IMPORT_MAX_ROWS = env_int("JIAOGUAN_IMPORT_MAX_ROWS", 3_000_000, minimum=1)
IMPORT_MAX_COLUMNS = env_int("JIAOGUAN_IMPORT_MAX_COLUMNS", 1_000, minimum=1)
IMPORT_MAX_CELLS = env_int("JIAOGUAN_IMPORT_MAX_CELLS", 60_000_000, minimum=1)
IMPORT_MAX_UNPACKED_MB = env_int("JIAOGUAN_IMPORT_MAX_UNPACKED_MB", 2048, minimum=1)  # an xlsx's parts, unzipped
# The work summary: official font names (each with an open fallback) and an optional language model.
# JIAOGUAN_SUMMARY_FONTS="body=仿宋,h2=楷体" names the fonts a machine has (title, body, h1, h2, page).
SUMMARY_FONTS = {}
for _pair in filter(None, env_str("JIAOGUAN_SUMMARY_FONTS", "").split(",")):
    _role, _sep, _name = _pair.partition("=")
    if _role.strip() not in ("title", "body", "h1", "h2", "page") or not _name.strip():
        raise ImproperlyConfigured(f"JIAOGUAN_SUMMARY_FONTS: “{_pair}” is not role=font (roles: title, body, h1, "
                                   "h2, page).")
    SUMMARY_FONTS[_role.strip()] = (_name.strip(), "Noto Sans CJK SC" if _role.strip() == "h1" else "Noto Serif CJK SC")
SUMMARY_LLM_URL = env_str("JIAOGUAN_SUMMARY_LLM_URL", "")  # e.g. http://10.0.0.5:8000 (OpenAI-compatible)
SUMMARY_LLM_MODEL = env_str("JIAOGUAN_SUMMARY_LLM_MODEL", "local")
SUMMARY_LLM_TIMEOUT = env_int("JIAOGUAN_SUMMARY_LLM_TIMEOUT", 30, minimum=1)
PHOTO_MAX_MB = env_int("JIAOGUAN_PHOTO_MAX_MB", 10, minimum=1)  # photos of visits, evidence of rectification
IMPORT_BACKGROUND_ROWS = env_int("JIAOGUAN_IMPORT_BACKGROUND_ROWS", 10_000, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # 403 and 404 are answers, not faults: only server errors are logged.
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}

SITE_NAME = _("Jiaoguan")

# Import progress is written outside the import's own transaction, so pages can read it.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(VAR_DIR / "cache")},
    "sessions": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                 "LOCATION": str(VAR_DIR / "sessions"), "TIMEOUT": SESSION_COOKIE_AGE},
}
# Sessions are saved on every request (the idle time-out). On SQLite a long import holds the one
# write lock, so sessions live in files there; PostgreSQL keeps them in the database.
SESSION_ENGINE = env_str(
    "JIAOGUAN_SESSION_ENGINE",
    "django.contrib.sessions.backends.db"
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    else "django.contrib.sessions.backends.cache",
    choices=("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cache"),
)
SESSION_CACHE_ALIAS = "sessions"
