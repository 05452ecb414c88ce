"""Django settings for Gongkai, read from environment variables.

Every variable is documented in docs/settings.md (a test enforces it). Defaults give the
embedded, zero-setup mode: SQLite in the data directory, a file-system broker for Celery,
mail written to files. Set DATABASE_URL and BROKER_URL for a real deployment.
"""

from __future__ import annotations

import ipaddress
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from gongkai.config.env import (
    env_bool,
    env_int,
    env_list,
    env_path,
    env_str,
    env_zone,
)

# Lets annotations such as ModelAdmin[Unit] and QuerySet[Unit] run at run time too.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent.parent

# -- where Gongkai keeps its files -----------------------------------------------------------
#: GONGKAI_DATA_DIR: SQLite database, uploaded files, broker queue, generated secret key.
DATA_DIR = env_path("GONGKAI_DATA_DIR", Path.cwd() / "var")
DATA_DIR.mkdir(parents=True, exist_ok=True)
#: Uploaded files (evidence, imports). Outside any web root; served only through views.
MEDIA_ROOT = DATA_DIR / "files"
MEDIA_URL = "/files/"


def _secret_key() -> str:
    """SECRET_KEY if set, else a random key kept in the data directory (created once)."""
    configured = env_str("SECRET_KEY", "")
    if configured:
        return configured
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
#: DEBUG: Django's debug mode. Never on a server that the public can reach.
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
#: Behind a TLS-terminating proxy (nginx), trust its X-Forwarded-Proto header.
if env_bool("GONGKAI_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",  # with it installed, /api/docs serves Swagger UI from our static files, not a CDN
    "gongkai.accounts",
    "gongkai.audit",
    "gongkai.units",
    "gongkai.holidays",
    "gongkai.jobs",
    "gongkai.plans",
    "gongkai.work",
    "gongkai.disclosure",
    "gongkai.reports",
    "gongkai.search",
    "gongkai.publishing",
    "gongkai.portal",
    "gongkai.interact",
    "gongkai.consult",
    "gongkai.inspection",
    "gongkai.opinion",
    "gongkai.proposals",
    "gongkai.newmedia",
    "gongkai.decisions",
    "gongkai.withheld",
    "gongkai.institutions",
    "gongkai.gazette",
    "gongkai.web",
    "gongkai.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gongkai.audit.context.AuditOriginMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "gongkai.config.urls"
WSGI_APPLICATION = "gongkai.config.wsgi.application"

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
                "gongkai.web.context.navigation",
            ],
        },
    },
]

# -- database ---------------------------------------------------------------------------------
#: DATABASE_URL: sqlite:///path or postgres://user:pass@host:5432/name.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'gongkai.sqlite3'}")
_db: dict[str, Any] = dict(dj_database_url.parse(DATABASE_URL, conn_max_age=60))
_sqlite_busy_timeout = env_int("GONGKAI_SQLITE_BUSY_TIMEOUT", 20, minimum=1)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at BEGIN,
    # so two writers queue on the busy timeout instead of failing mid-transaction.
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        "timeout": _sqlite_busy_timeout,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA foreign_keys=ON;",
    }
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# -- people -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["gongkai.accounts.backends.RoleBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# -- language and time ------------------------------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = env_zone("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# -- static files: all vendored, served by WhiteNoise (no CDN) --------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# -- background jobs --------------------------------------------------------------------------
#: BROKER_URL: empty = embedded file-system queue in the data directory (one machine);
#: redis://127.0.0.1:6379/0 or amqp://guest:guest@127.0.0.1:5672// to share work across machines.
BROKER_URL = env_str("BROKER_URL", "")
# "localhost" only quiets kombu's "no hostname" warning; the file-system queue has no host.
CELERY_BROKER_URL = BROKER_URL or "filesystem://localhost//"
if not BROKER_URL:
    _queue = DATA_DIR / "queue"
    for _sub in ("in", "processed", "control"):
        (_queue / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue / "in"),
        "data_folder_out": str(_queue / "in"),
        "processed_folder": str(_queue / "processed"),
        # Broadcast/control messages; kombu's default is ./control in the working directory.
        "control_folder": str(_queue / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
#: GONGKAI_TASKS_EAGER: run background tasks inline in the calling process (tests, debugging).
CELERY_TASK_ALWAYS_EAGER = env_bool("GONGKAI_TASKS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
# Periodic work, sent by the one beat process (`gongkai serve`'s worker, or `gongkai worker
# --beat`). A heartbeat no worker picks up within a minute expires: a backlog proves nothing.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "inspection-start-due": {
        "task": "gongkai.inspection.start_due",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    "jobs-heartbeat": {
        "task": "gongkai.jobs.heartbeat",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "work-reminders": {
        "task": "gongkai.work.reminders",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    "disclosure-refresh-clocks": {
        "task": "gongkai.disclosure.refresh_clocks",
        "schedule": 3600.0,
        "options": {"expires": 3500},
    },
    "interact-raise-alarms": {
        "task": "gongkai.interact.raise_alarms",
        "schedule": 3600.0,
        "options": {"expires": 3500},
    },
    "publishing-refresh-interpretations": {
        "task": "gongkai.publishing.refresh_interpretations",
        "schedule": 21600.0,
        "options": {"expires": 21000},
    },
    "work-recheck-links": {
        "task": "gongkai.work.recheck_links",
        "schedule": 3600.0,
        "options": {"expires": 3500},
    },
    # 政务舆情 clocks run in hours: an alert is owed within a minute of its time.
    "opinion-alerts": {
        "task": "gongkai.opinion.send_alerts",
        "schedule": 30.0,
        "options": {"expires": 25},
    },
    "newmedia-fetch-due": {
        "task": "gongkai.newmedia.fetch_due",
        "schedule": 3600.0,
        "options": {"expires": 3500},
    },
    "jobs-fail-stuck": {
        "task": "gongkai.jobs.fail_stuck_jobs",
        "schedule": 600.0,
        "kwargs": {"hours": 6},
        "options": {"expires": 550},
    },
}

# -- cache ------------------------------------------------------------------------------------
#: GONGKAI_CACHE_URL: empty = files under <data dir>/cache, shared by the processes of one
#: machine (web and worker); redis://127.0.0.1:6379/1 to share it across machines.
CACHE_URL = env_str("GONGKAI_CACHE_URL", "")
CACHES: dict[str, dict[str, Any]]
if CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# -- mail -------------------------------------------------------------------------------------
#: EMAIL_HOST: SMTP server. Empty = mail is written as files to <data dir>/outbox.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "gongkai@localhost")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "outbox"

# -- uploads ----------------------------------------------------------------------------------
#: GONGKAI_UPLOAD_MAX_MB: largest accepted upload (import files, evidence).
UPLOAD_MAX_BYTES = env_int("GONGKAI_UPLOAD_MAX_MB", 20, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024

# -- outbound HTTP (gongkai.net): evidence links, webhooks, later the site inspector ---------
#: GONGKAI_FETCH_ALLOW_PRIVATE: let outbound requests reach private, loopback and link-local
#: addresses (an intranet-only deployment; the tests' local servers). Off: such targets are
#: refused, so a form field cannot make the server probe its own network.
FETCH_ALLOW_PRIVATE = env_bool("GONGKAI_FETCH_ALLOW_PRIVATE", False)
FETCH_TIMEOUT_SECONDS = env_int("GONGKAI_FETCH_TIMEOUT", 15, minimum=1)
FETCH_MAX_BYTES = env_int("GONGKAI_FETCH_MAX_MB", 5, minimum=1) * 1024 * 1024

# -- reminders ------------------------------------------------------------------------------
#: GONGKAI_BASE_URL: the address people open Gongkai at (https://gongkai.example.gov.cn), so
#: links in e-mails and chat messages can be followed. Empty: messages carry paths only.
BASE_URL = env_str("GONGKAI_BASE_URL", "").rstrip("/")
#: GONGKAI_REMINDER_HOUR: local hour from which each day's reminder digests are made and sent.
REMINDER_HOUR = env_int("GONGKAI_REMINDER_HOUR", 8, minimum=0)
#: GONGKAI_REMINDER_DAYS: "due soon" lead time in working days for units without their own.
REMINDER_DAYS = env_int("GONGKAI_REMINDER_DAYS", 3, minimum=1)

# -- requests for government information (依申请公开) ----------------------------------------
#: GONGKAI_REQUEST_COUNT_RECEIPT_DAY: count the receipt day as the first of the 20 working days
#: (domain-rules A3's open question). Off (the default) follows 民法典 Art. 201: counting starts
#: the next day, so a request received 2025-09-26 is due 2025-10-30.
REQUEST_COUNT_RECEIPT_DAY = env_bool("GONGKAI_REQUEST_COUNT_RECEIPT_DAY", False)
#: GONGKAI_REQUEST_REVIEW_WORKDAYS: the unit files its draft reply with the office this many
#: working days before the reply is due (seed 002 says 3).
REQUEST_REVIEW_WORKDAYS = env_int("GONGKAI_REQUEST_REVIEW_WORKDAYS", 3, minimum=0)
#: GONGKAI_REQUEST_PREFIX: the letters before a tracking number (YSQ-2025-00042).
REQUEST_PREFIX = env_str("GONGKAI_REQUEST_PREFIX", "YSQ")

# -- the document register (主动公开) ------------------------------------------------------------
#: GONGKAI_INDEX_SCHEME: how a 索引号 is written; fields {unit_code}, {year} and {serial} (which
#: must be there, with a format such as :05d). Checked at start-up (gongkai.publishing.indexnumber).
INDEX_SCHEME = env_str("GONGKAI_INDEX_SCHEME", "{unit_code}/{year}-{serial:05d}")
#: GONGKAI_INTERPRETATION_WORKDAYS: working days after a policy document's publication by which
#: its interpretation (政策解读) is due; 0 = the same day (三同步).
INTERPRETATION_WORKDAYS = env_int("GONGKAI_INTERPRETATION_WORKDAYS", 3, minimum=0)

# -- the public request form (/apply/) ---------------------------------------------------------
#: GONGKAI_PUBLIC_RATE_LIMIT: application form submissions per client address per minute.
PUBLIC_RATE_LIMIT = env_int("GONGKAI_PUBLIC_RATE_LIMIT", 20, minimum=1)
#: GONGKAI_STATUS_RATE_LIMIT: status lookups (number + 查询码) per client address per minute.
STATUS_RATE_LIMIT = env_int("GONGKAI_STATUS_RATE_LIMIT", 10, minimum=1)
#: GONGKAI_SEARCH_RATE_LIMIT: portal searches (/portal/search/?q=…) per client address per minute.
SEARCH_RATE_LIMIT = env_int("GONGKAI_SEARCH_RATE_LIMIT", 60, minimum=1)
#: GONGKAI_TRUSTED_PROXIES: proxy addresses or networks (127.0.0.1, 10.0.0.0/8) whose
#: X-Forwarded-For is believed; empty: only REMOTE_ADDR counts.
TRUSTED_PROXIES = env_list("GONGKAI_TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"GONGKAI_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network"
        ) from None

# -- questions from the public (互动交流, gongkai.interact) -----------------------------------
#: GONGKAI_QUESTION_WORKDAYS: working days to reply to a question, the day of receipt not
#: counted (domain-rules E4).
QUESTION_WORKDAYS = env_int("GONGKAI_QUESTION_WORKDAYS", 5, minimum=1)
#: GONGKAI_QUESTION_SIMPLE_WORKDAYS: the same for a question the office marks 简单.
QUESTION_SIMPLE_WORKDAYS = env_int("GONGKAI_QUESTION_SIMPLE_WORKDAYS", 3, minimum=1)
#: GONGKAI_QUESTION_ALARM_DAYS: calendar days after receipt at which an unanswered question
#: raises the alarm; must stay below 90, ahead of the 3-month single veto (domain-rules D4).
QUESTION_ALARM_DAYS = env_int("GONGKAI_QUESTION_ALARM_DAYS", 60, minimum=1)
if QUESTION_ALARM_DAYS >= 90:
    raise ImproperlyConfigured(
        f"GONGKAI_QUESTION_ALARM_DAYS={QUESTION_ALARM_DAYS}: the alarm must come before the "
        "3-month veto (告警须早于 3 个月单项否决), use a value below 90"
    )
#: GONGKAI_QUESTION_RATE_LIMIT: questions the public form accepts per client address per minute.
QUESTION_RATE_LIMIT = env_int("GONGKAI_QUESTION_RATE_LIMIT", 10, minimum=1)
#: GONGKAI_QUESTION_PREFIX: the letters before a question's number (HD-2026-00042).
QUESTION_PREFIX = env_str("GONGKAI_QUESTION_PREFIX", "HD")

# -- public comment on drafts (意见征集, /portal/yjzj/) -----------------------------------------
#: GONGKAI_COMMENT_RATE_LIMIT: comments sent through the public form per client address per minute.
COMMENT_RATE_LIMIT = env_int("GONGKAI_COMMENT_RATE_LIMIT", 10, minimum=1)

# -- website inspection (网站检查, gongkai.inspection) ---------------------------------------
#: GONGKAI_INSPECTION_TICKET_WORKDAYS: working days a unit has to fix a problem an inspection
#: found, the day the ticket was opened (or reopened) not counted.
INSPECTION_TICKET_WORKDAYS = env_int("GONGKAI_INSPECTION_TICKET_WORKDAYS", 5, minimum=1)
#: GONGKAI_INSPECTION_TIMEOUT_MINUTES: an inspection still crawling after this long is stopped
#: (keep it below the 6-hour stuck-job sweep).
INSPECTION_TIMEOUT_MINUTES = env_int("GONGKAI_INSPECTION_TIMEOUT_MINUTES", 240, minimum=1)
#: GONGKAI_INSPECTION_QUEUED_STALE_MINUTES: an inspection whose job is still queued after this
#: long is treated as lost (失败) and no longer blocks the site.
INSPECTION_QUEUED_STALE_MINUTES = env_int("GONGKAI_INSPECTION_QUEUED_STALE_MINUTES", 120, minimum=1)

# -- the other duties of the task lists (issue 8) ----------------------------------------------
#: GONGKAI_NEWMEDIA_STALE_DAYS: days without a post after which a 政务新媒体 account alerts its
#: unit and counts as an inspection finding. The national rule (one post in every 2 weeks) is the
#: floor every office must meet: a local rule may be stricter (闽侯: 10), never looser than 14.
NEWMEDIA_STALE_DAYS = env_int("GONGKAI_NEWMEDIA_STALE_DAYS", 14, minimum=1, maximum=14)
#: GONGKAI_INSTITUTION_STALE_DAYS: days after which a unit's 机构职能 information not confirmed
#: or changed is listed as out of date.
INSTITUTION_STALE_DAYS = env_int("GONGKAI_INSTITUTION_STALE_DAYS", 365, minimum=1)

# -- unit-name resolution ---------------------------------------------------------------------
#: GONGKAI_RESOLVE_THRESHOLD: lowest fuzzy score (0-100) at which a unit name is accepted.
RESOLVE_THRESHOLD = env_int("GONGKAI_RESOLVE_THRESHOLD", 85, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("GONGKAI_LOG_LEVEL", "INFO")},
}
