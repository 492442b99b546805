"""Settings for Civic Portal, read from the environment.

Every variable is documented in README.md. With no DATABASE_URL the portal runs
on SQLite under var/, and with no REDIS_URL Celery runs tasks eagerly and the
cache is local memory, so a bare machine can serve it.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from core.env import env_bool, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# Mounts /bench/floor, a bare view the benchmark compares every page with (docs/performance.md).
BENCHMARK = env_bool("BENCHMARK", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

# Keys the hashes that must stay stable for years (voter keys, the census list): kept apart from
# SECRET_KEY so rotating that one never lets a deleted account vote again. Never change it once set.
IDENTITY_HASH_KEY = env_str("IDENTITY_HASH_KEY") or SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_jalali",
    "accounts.apps.SignInGuardConfig",  # django-axes, named in Persian
    "core",
    "civic_portal",
    "places",
    "accounts",
    "neighborhoods",
    "ngos",
    "projects",
    "notifications",
]

MIDDLEWARE = [
    # First, so its time covers every other middleware (core/metrics.py).
    "core.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.db_router.ReplicaMiddleware",
    "core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.HeadAsGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.PersianFirstLocaleMiddleware",
    # Below the language choice, so its 405 page speaks the visitor's language.
    "core.middleware.MethodNotAllowedMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.pagecache.AnonymousPageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "civic_portal.urls"
# A failed CSRF check answers with the portal's Persian page (JSON under /api/), not Django's English one.
CSRF_FAILURE_VIEW = "civic_portal.views.csrf_failure"
WSGI_APPLICATION = "civic_portal.wsgi.application"

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
                "notifications.context_processors.unread_notifications",
                "places.branding.city_branding",
            ],
            "builtins": ["core.templatetags.persian"],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASE_URL = env_url("DATABASE_URL", ("postgres", "postgresql", "sqlite"))
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0))}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "civic_portal.sqlite3",
        }
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Read replicas (streaming copies of the primary): read-only GET requests read from
# them, everything else uses the primary (core/db_router.py).
DATABASE_REPLICAS: list[str] = []
for _index, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    if _url.partition("://")[0].lower() not in ("postgres", "postgresql"):
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URLS must hold postgres:// URLs; got {_url!r}.")
    _alias = f"replica{_index}"
    DATABASES[_alias] = dj_database_url.parse(_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0))
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
    DATABASE_REPLICAS.append(_alias)
DATABASE_ROUTERS = ["core.db_router.ReplicaRouter"]
# After a browser writes, its reads stay on the primary this long (replication lag).
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 10, minimum=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache and Celery broker -----------------------------------------
REDIS_URL = env_url("REDIS_URL", ("redis", "rediss"))
CACHE_URL = env_url("CACHE_URL", ("redis", "rediss")) or REDIS_URL
if CACHE_URL:
    CACHES = {
        "default": {
            # Redis down reads as a miss and writes as a no-op (core/cache.py).
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "civic"),
            "OPTIONS": {
                "socket_connect_timeout": env_int("CACHE_TIMEOUT_SECONDS", 1, minimum=1),
                "socket_timeout": env_int("CACHE_TIMEOUT_SECONDS", 1, minimum=1),
                "CIRCUIT_RESET_SECONDS": 5,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Anonymous pages are cached this long at most; every write makes them stale at once
# (core/pagecache.py). 0 turns the page cache off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600, minimum=0)

# Imports (projects CSV/XLSX, geography CSV; core/importing.py, docs/projects-import.md):
# the file's size, an XLSX file's unpacked size, the run of blank rows after
# which reading stops, and the characters one cell may hold.
IMPORT_MAX_FILE_BYTES = env_int("IMPORT_MAX_FILE_BYTES", 10 * 1024 * 1024, minimum=1)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024, minimum=1)
IMPORT_MAX_BLANK_ROWS = env_int("IMPORT_MAX_BLANK_ROWS", 1000, minimum=1)
IMPORT_MAX_CELL_CHARS = env_int("IMPORT_MAX_CELL_CHARS", 10_000, minimum=1)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = env_bool("CELERY_TASK_EAGER_PROPAGATES", False)
CELERY_TASK_ACKS_LATE = True
# Queues: notifications (many small deliveries), imports (long bulk jobs) and the
# default one for everything else, so a big import never delays an SMS. A worker
# started without -Q consumes all three (one worker in development); production runs
# one pool per queue (docs/deployment.md).
# One-time SMS codes have a queue of their own (`otp`), served by a worker pool of their own in
# production: a citizen waiting for a sign-in code must not wait behind a digest run or an import.
# (On Redis a message's priority only orders messages within the lists a worker polls, and every
# task is published at the same default priority, so the queue is what puts a code first.)
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [Queue("otp"), Queue("celery"), Queue("notifications"), Queue("imports")]
CELERY_TASK_ROUTES = {
    "accounts.tasks.send_code": {"queue": "otp"},
    "notifications.tasks.*": {"queue": "notifications"},
    "projects.notices.*": {"queue": "notifications"},
    "*.tasks.import_*": {"queue": "imports"},
}
# Deliveries (and the moderation notices) on another queue than `notifications` when set: a pool of their
# own, or a test's worker, which then hears the deliveries its own tasks publish.
NOTIFICATIONS_QUEUE = env_str("NOTIFICATIONS_QUEUE", "")
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A publish while Redis is down must fail fast: the outbox sweep re-sends later.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    "visibility_timeout": 3600,
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TIMEZONE = "Asia/Tehran"
# Each app adds its periodic tasks here; the schedule lives in one place.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Expired licences and 30/7-day reminders; each is recorded once, so a rerun is harmless.
    "ngos-licence-sweep": {
        "task": "ngos.tasks.licence_sweep_task",
        "schedule": crontab(hour=6, minute=30),
    },
    "clear-expired-sessions": {
        "task": "core.tasks.clear_expired_sessions",
        "schedule": timedelta(hours=6),
    },
    # Re-publish outbox rows a broker or gateway outage left pending.
    "notifications-sweep": {
        "task": "notifications.tasks.sweep_pending",
        "schedule": timedelta(minutes=1),
    },
    # Digests fold the previous day's (or week's) held emails into one; safe to run twice.
    "notifications-daily-digest": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(hour=7, minute=0),
        "kwargs": {"frequency": "daily"},
    },
    "notifications-weekly-digest": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(hour=7, minute=0, day_of_week="saturday"),
        "kwargs": {"frequency": "weekly"},
    },
    # One-time codes are kept a day (the hourly limits count them), then deleted.
    "accounts-delete-old-codes": {
        "task": "accounts.tasks.delete_old_codes",
        "schedule": timedelta(hours=1),
    },
    # Budgeting rounds whose voting closed get their results counted and published.
    "projects-publish-closed-rounds": {
        "task": "projects.tasks.publish_closed_rounds",
        "schedule": timedelta(hours=1),
    },
}

# --- Authentication ---------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.PhoneOrEmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "home"

AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
# JSON under /api/, the lockout page elsewhere
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Proxies in front of the portal that append to X-Forwarded-For: per-address limits count the
# address the outermost one saw, not the load balancer's.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if env_bool("BEHIND_PROXY", False) else 0, minimum=0)
# Requests per window for actions people can abuse (see core.ratelimit).
RATE_LIMITS = {
    # Per-address limits are sized for carrier-grade NAT: Iranian mobile carriers put very many
    # subscribers behind one address, so these only stop floods; the per-account limits and the
    # axes lockout do the real work (docs/security.md).
    "signup": (env_int("RATE_LIMIT_SIGNUP", 100, minimum=1), 3600),
    "password_reset": (env_int("RATE_LIMIT_PASSWORD_RESET", 100, minimum=1), 3600),
    # reset emails per address asked for (one mailbox is not flooded from many addresses)
    "password_reset_account": (env_int("RATE_LIMIT_PASSWORD_RESET_ACCOUNT", 5, minimum=1), 3600),
    # sign-in attempts (page, admin and API token) per address and per account, beside the axes lockout
    "login_ip": (env_int("RATE_LIMIT_LOGIN_IP", 600, minimum=1), 600),
    "login_account": (env_int("RATE_LIMIT_LOGIN_ACCOUNT", 10, minimum=1), 600),
    # one-time SMS codes: codes sent to one number (rolling hour, counted in the database) and codes
    # asked for from one address (accounts/otp.py); the address limit is strict for an SMS costs money,
    # raise it where many subscribers share a carrier address (docs/security.md)
    "otp_number": (env_int("RATE_LIMIT_OTP_NUMBER", 5, minimum=1), 3600),
    "otp_address": (env_int("RATE_LIMIT_OTP_ADDRESS", 20, minimum=1), 3600),
    # a citizen's export of their own data (page and API together): it reads every table they touch
    "account_export": (env_int("RATE_LIMIT_ACCOUNT_EXPORT", 5, minimum=1), 3600),
    # neighbourhoods: need reports a board member files per hour (page and API together)
    "need_report": (20, 3600),
    # staff announcements to a district's or neighbourhood's followers and residents, per staff member
    "staff_announcement": (env_int("RATE_LIMIT_STAFF_ANNOUNCEMENT", 5, minimum=1), 3600),
    # organisations: registrations and manager invitations per user, volunteer applications per user
    "ngo_register": (10, 3600),
    "ngo_invite": (20, 3600),
    "volunteer_apply": (30, 3600),
    # projects: per user (or address) across pages and API
    "project_comment": (10, 600),
    "project_flag": (20, 3600),
    "project_support": (60, 600),
    "project_follow": (60, 600),
    "project_idea": (10, 3600),
    # accounts: residency checks against the census (national codes typed) per account per hour
    "residency_verify": (5, 3600),
}

# Who can confirm that a citizen lives in their home neighbourhood (accounts.residency.verifiers), tried in
# order; a city plugs in its own census service by adding a class with verify(user, national_code, neighborhood).
RESIDENCY_VERIFIERS = ["accounts.residency.CensusListVerifier"]

# One-time SMS codes (accounts/otp.py): how long a code lives, wrong tries before it dies, the wait
# before a number may ask again, and the Celery queue that sends them.
OTP_CODE_SECONDS = env_int("OTP_CODE_SECONDS", 120, minimum=30)
OTP_MAX_ATTEMPTS = env_int("OTP_MAX_ATTEMPTS", 5, minimum=1)
OTP_RESEND_SECONDS = env_int("OTP_RESEND_SECONDS", 60, minimum=1)
OTP_QUEUE = env_str("OTP_QUEUE", "otp")
# Staff see a campaign on a project's and a round's admin page: sign-up networks (keyed labels, never
# addresses) from which at least this many of its supporters or voters were created.
ABUSE_NETWORK_MIN_ACCOUNTS = env_int("ABUSE_NETWORK_MIN_ACCOUNTS", 3, minimum=2)

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", "فارسی"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Files with no public URL (trustee decrees, licence scans, plan attachments), served through
# permission-checked views.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
# Production serves hashed, compressed files collected by `collectstatic`;
# development and tests serve straight from static/ without that step.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "core.staticfiles.ManifestStaticStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploads on S3-compatible storage (AWS S3, MinIO, Ceph, ArvanCloud…) when S3_BUCKET is
# set, so any web node can serve any upload: public media under media/, decree scans,
# licence scans and plan attachments under private/ (never public: read through the
# permission-checked views only).
S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    _s3 = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": env_url("S3_ENDPOINT_URL", ("http", "https")),
        "region_name": env_str("S3_REGION"),
        "access_key": env_str("S3_ACCESS_KEY_ID"),
        "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "location": "media",
            "custom_domain": env_str("S3_CUSTOM_DOMAIN"),
            "querystring_auth": env_bool("S3_SIGNED_URLS", False),
        },
    }
    STORAGES["private"] = {
        "BACKEND": "core.s3.PrivateS3Storage",
        "OPTIONS": {
            **_s3,
            "bucket_name": env_str("S3_PRIVATE_BUCKET", S3_BUCKET),
            "location": "private",
            "default_acl": "private",
        },
    }
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = not STATIC_MANIFEST
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880
# Request bodies of the API (core.api.parsers.JSONParser) and lists of ids in any form or serializer.
API_JSON_MAX_BYTES = env_int("API_JSON_MAX_BYTES", 1_048_576, minimum=1024)
API_JSON_MAX_DEPTH = env_int("API_JSON_MAX_DEPTH", 32, minimum=4)
API_JSON_MAX_ITEMS = env_int("API_JSON_MAX_ITEMS", 10_000, minimum=100)
MAX_IDS_PER_FIELD = env_int("MAX_IDS_PER_FIELD", 500, minimum=1)
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)

# --- Email and SMS ----------------------------------------------------------
_email_backend = env_str("EMAIL_BACKEND", "console")
EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "filebased": "django.core.mail.backends.filebased.EmailBackend",
}.get(_email_backend or "")
if EMAIL_BACKEND is None:
    raise ImproperlyConfigured(f"EMAIL_BACKEND must be console, smtp, locmem or filebased, got {_email_backend!r}.")
# One file per message (the filebased backend): lets a test read what another process sent.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Civic Portal <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# file: one file per message under SMS_FILE_PATH (first line the number, then the text), the
# development default so `make run` shows sign-in codes without a gateway (core/sms.py).
SMS_BACKEND = env_str("SMS_BACKEND", "file" if DEBUG else "console")
if SMS_BACKEND not in {"console", "http", "file"}:
    raise ImproperlyConfigured(f"SMS_BACKEND must be console, http or file, got {SMS_BACKEND!r}.")
SMS_FILE_PATH = env_str("SMS_FILE_PATH", str(VAR_DIR / "sms"))
SMS_GATEWAY_URL = env_url("SMS_GATEWAY_URL", ("http", "https"))
SMS_GATEWAY_KEY = env_str("SMS_GATEWAY_KEY", "")
SMS_GATEWAY_TIMEOUT = env_int("SMS_GATEWAY_TIMEOUT", 5, minimum=1)
if SMS_BACKEND == "http" and not SMS_GATEWAY_URL:
    raise ImproperlyConfigured("SMS_GATEWAY_URL must be set when SMS_BACKEND is http.")

# A need report still "reported" after this many days shows on the staff dashboard as unanswered too long.
NEED_REPORT_ANSWER_DAYS = env_int("NEED_REPORT_ANSWER_DAYS", 7, minimum=1)

# --- REST API ---------------------------------------------------------------
# DRF's HTML view of the API: for development; production answers JSON only.
API_BROWSABLE = env_bool("API_BROWSABLE", DEBUG)
# An API token unused for this many days is refused; its owner signs in again.
API_TOKEN_IDLE_DAYS = env_int("API_TOKEN_IDLE_DAYS", 30, minimum=1)
REST_FRAMEWORK = {
    # Throttles identify clients as the rate limiter does: a forged X-Forwarded-For
    # from the client must not buy a fresh allowance.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.sessions.SessionAuthentication",
        "accounts.backends.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "120/min"),
        "user": env_str("API_THROTTLE_USER", "600/min"),
        "write": env_str("API_THROTTLE_WRITE", "30/min"),
    },
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        *(["core.api.renderers.BrowsableAPIRenderer"] if API_BROWSABLE else []),
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.api.renderers.ContentNegotiation",
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Civic Portal API",
    "DESCRIPTION": "Projects, organisations, neighbourhoods and participation.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Two "status" choice sets: each keeps a stable name instead of one getting a hash.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "neighborhoods.models.NeedStatus",
        "ResidencyStatusEnum": "accounts.models.ResidencyStatus",
    },
}

# --- Metrics ----------------------------------------------------------------
# The bearer token Prometheus sends for /metrics; unset, /metrics answers 404 (core/metrics.py).
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
# The PROMETHEUS_MULTIPROC_DIR of the Celery workers on the same host: their task outcomes,
# deliveries and code sends are added to this server's /metrics.
METRICS_WORKER_DIRS = env_list("METRICS_WORKER_DIRS")

# --- Security ---------------------------------------------------------------
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
# Probes and Prometheus call each web node directly on the private network (docs/deployment.md, "Metrics").
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Sent by core.security on every response. No 'unsafe-inline' or 'unsafe-eval':
# every page, the admin and the API docs work without them (tests/e2e/test_csp.py).
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# DRF's browsable API (HTML views of /api/v1/ for people) ships templates with inline style
# attributes; only those pages also allow inline styles. Scripts stay 'self' everywhere.
CONTENT_SECURITY_POLICY_BROWSABLE_API = {"style-src": ["'self'", "'unsafe-inline'"]}
# true only while trying a policy change in production: violations are reported, not blocked.
CONTENT_SECURITY_POLICY_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)
# django-jalali's admin date picker without inline handlers or styles (the CSP refuses them): on
# jQuery 3.7 (the copy Django's admin ships) instead of its bundled 1.10, and a patched datepicker.
JALALI_SETTINGS = {
    "ADMIN_JS_STATIC_FILES": [
        "js/vendor/jquery-3.7.1.min.js",
        "admin/jquery.ui.datepicker.jalali/scripts/jquery.ui.core.js",
        "js/vendor/jquery.ui.datepicker-cc.js",
        "admin/jquery.ui.datepicker.jalali/scripts/calendar.all.js",
        "admin/jquery.ui.datepicker.jalali/scripts/calendar.js",
        "admin/jquery.ui.datepicker.jalali/scripts/jquery.ui.datepicker-cc-fa.js",
        "admin/main.js",
    ],
    "ADMIN_CSS_STATIC_FILES": {
        "all": [
            "admin/jquery.ui.datepicker.jalali/themes/base/jquery-ui.min.css",
            "admin/css/main.css",
            "css/admin-datepicker.css",
        ]
    },
}
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
}
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache (Redis) and written through to the database, so a
# signed-in page view skips one query and a cache flush logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Tokens in URLs (password reset, unsubscribe) are blanked before any line is written (core/logs.py).
    "filters": {"redact_secrets": {"()": "core.logs.RedactSecretsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_secrets"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # runserver's request lines, otherwise written by Django's own unfiltered handler
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

PORTAL_NAME = _("Civic Portal")
