"""Settings for the Lanshan flowing-party-member platform, read from the environment.

Zero configuration gives a working development setup (SQLite, Celery eager, console e-mail).
Every variable is documented in `.env.example`.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "true")
_DEV_SECRET = "dev-only-secret-key-never-use-in-production-lanshan-431127"
SECRET_KEY = os.getenv("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("SECRET_KEY is the development key written in settings.py: set a random one")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

# Keys for personal data at rest (ID numbers, phones). FIELD_ENCRYPTION_KEYS is a comma-separated
# list of Fernet keys, newest first (older keys still decrypt, for rotation). BLIND_INDEX_KEY keys
# the HMAC used for exact search and uniqueness. In development both derive from SECRET_KEY.
FIELD_ENCRYPTION_KEYS = envlist("FIELD_ENCRYPTION_KEYS", "")
BLIND_INDEX_KEY = os.getenv("BLIND_INDEX_KEY", "")
if not DEBUG and (not FIELD_ENCRYPTION_KEYS or not BLIND_INDEX_KEY):
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS and BLIND_INDEX_KEY must be set when DEBUG is off")
# Phone numbers a user may have shown in one day to call members for an open census campaign (the campaign is the
# reason, so users without the right to reveal personal data may too; every one is in the audit log).
CENSUS_CALL_REVEALS_PER_DAY = envint("CENSUS_CALL_REVEALS_PER_DAY", "50")
# Requests one API token may make per minute (the read-only API, /api/v1/); 0 turns the limit off.
API_RATE_LIMIT = envint("API_RATE_LIMIT", "60")
# Days a personal link sent to a member (党员找组织: whereabouts, yearly report, census answer) stays valid.
PERSONAL_LINK_DAYS = envint("PERSONAL_LINK_DAYS", "14")
# Days after the departure within which a flowing member reports in (报到) at the destination; later is overdue.
REPORT_IN_DUE_DAYS = envint("REPORT_IN_DUE_DAYS", "30")
# Months per expected meeting of each activity type (支部工作条例): 支委会 and 党小组会 monthly, 党员大会 quarterly,
# 主题党日 monthly, 组织生活会 yearly; the organizational life compliance page counts against it (yearly.compliance).
ORG_LIFE_FREQUENCY = {
    "committee_meeting": 1,
    "group_meeting": 1,
    "members_meeting": 3,
    "theme_day": 1,
    "life_meeting": 12,
}
# Party dues of a farmer member, yuan a month, as the province sets it (0.2 to 1; dues.rates checks it).
DUES_FARMER_MONTHLY = os.environ.get("DUES_FARMER_MONTHLY", "0.5")
# Days an introduction letter of a transfer (组织关系介绍信) is valid for; 3 months at most (transfers.checks).
TRANSFER_LETTER_VALID_DAYS = envint("TRANSFER_LETTER_VALID_DAYS", "90")

INSTALLED_APPS = [
    "lanshan_party",
    "organizations",
    "members",
    "activities",
    "services",
    "transfers",
    "certificates",
    "inflow",
    "dues",
    "api",
    "yearly",
    "selfservice",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "ninja",  # the API's OpenAPI docs page, with its Swagger UI served from our own static files
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lanshan_party.security.SecurityHeadersMiddleware",
    "lanshan_party.middleware.LoginRequiredMiddleware",  # Django's, with the public pages it names let through
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lanshan_party.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lanshan_party.urls"
WSGI_APPLICATION = "lanshan_party.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "lanshan_party.context_processors.unread_notifications",
                "lanshan_party.context_processors.rights",
            ],
        },
    },
]

# Empty or unset: the SQLite file beside the code.
DATABASE_URL = os.getenv("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", "60"), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server and a management command work on the file at the same time.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "lanshan_party.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "lanshan_party.validators.NotBlankPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
CSRF_FAILURE_VIEW = "lanshan_party.views.csrf_failure"

# Lockout after repeated failed logins (django-axes): per username and IP pair.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", "30") / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The lockout counts per real client address, as the audit log records it (see middleware.client_ip).
AXES_CLIENT_IP_CALLABLE = "lanshan_party.middleware.client_ip"
AXES_ENABLED = envbool("AXES_ENABLED", "true")

# The product speaks Simplified Chinese to everyone, whatever language their browser asks for.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# In development (and tests) WhiteNoise serves straight from the app and static folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"

# Widgets render with the project's templates too (the member picker lives in templates/members/includes).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle", "thead": {"class": "table-light"}}

# Celery: with REDIS_URL a real broker; without it tasks run eagerly in-process.
REDIS_URL = os.getenv("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Publishing gives up within a second when Redis is down or unreachable: web requests never wait on the broker
# (what a failed publish would have done is picked up by the next sweep).
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
    "socket_connect_timeout": 0.4,
    "socket_timeout": 5,
}

# Longest a web request waits on the broker to publish a task (a hung broker must not hold pages up); the sweep
# publishes whatever did not make it.
BROKER_PUBLISH_WAIT = float(os.getenv("BROKER_PUBLISH_WAIT", "0.4"))
# A running export or import that has not shown progress for this long lost its worker: the sweep starts it again.
LEDGER_JOB_STALLED_SECONDS = envint("LEDGER_JOB_STALLED_SECONDS", "120")

# The beat schedule: a few idempotent sweeps, never long-delayed tasks (Redis would redeliver those).
CELERY_BEAT_SCHEDULE = {
    "sweep-reminders": {"task": "lanshan_party.tasks.sweep_reminders", "schedule": 15 * 60},
    "dispatch-due-notifications": {"task": "lanshan_party.tasks.dispatch_due_notifications", "schedule": 60},
    "expire-ledger-files": {"task": "lanshan_party.ledgers.tasks.expire_ledger_files", "schedule": 3600},
}


def next_redis_database(url: str) -> str:
    """The same Redis, one database number up: the cache must never share the broker's database, where
    `cache.clear()` (FLUSHDB) would drop every queued task."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    number = parts.path.strip("/") or "0"
    if not number.isdigit():
        raise ImproperlyConfigured(f"REDIS_URL must end in a database number such as /0, not {parts.path!r}")
    return urlunsplit(parts._replace(path=f"/{int(number) + 1}"))


# The cache (progress of ledger jobs, sweep heartbeat, lockout-free counters): CACHE_URL, else the broker's Redis in
# the next database, else in-process memory.
CACHE_URL = os.getenv("CACHE_URL", "") or (next_redis_database(REDIS_URL) if REDIS_URL else "")
if CACHE_URL and REDIS_URL and CACHE_URL.rstrip("/") == REDIS_URL.rstrip("/"):
    raise ImproperlyConfigured("CACHE_URL must not be the broker's Redis database (REDIS_URL): use another number")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            # A cache that is down or hung costs a page a fraction of a second, never the page itself: with the
            # publish wait above, a request that meets a hung Redis for the first time in its process still answers
            # well inside a second (each breaker then skips Redis for its cooldown).
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# For the file-based backend (one file per message, e.g. on a staging server): the folder to write to.
EMAIL_FILE_PATH = os.getenv("EMAIL_FILE_PATH") or str(BASE_DIR / "sent-mail")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "20")
# The domain part of the Message-ID every reminder e-mail carries (one per reminder, so a repeat shows once).
EMAIL_MESSAGE_ID_DOMAIN = os.getenv("EMAIL_MESSAGE_ID_DOMAIN", "lanshan.local")
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "noreply@lanshan.local")
# Text messages go through this class (a `send(phone, text)` method); the default writes them to the log.
SMS_BACKEND = os.getenv("SMS_BACKEND", "lanshan_party.notifications.ConsoleSMSBackend")
# The address users open the application at, for links in e-mails and text messages.
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000")

# Uploads: refuse large bodies before Django reads them into memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", str(5 * 1024 * 1024))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Largest single uploaded file (agreement scan, activity photo), in bytes (default 10 MB).
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024))

# Production hardening, on whenever DEBUG is off.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false" if DEBUG else "true")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(8 * 3600))
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "false" if DEBUG else "true")
BEHIND_PROXY = envbool("BEHIND_PROXY", "false")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# Addresses of the reverse proxies whose X-Forwarded-For is believed (only with BEHIND_PROXY).
TRUSTED_PROXIES = frozenset(envlist("TRUSTED_PROXIES", "127.0.0.1,::1"))
SECURE_CONTENT_TYPE_NOSNIFF = True
# Monitoring asks gunicorn for /healthz directly, over plain HTTP on the loopback.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = envlist("SILENCED_SYSTEM_CHECKS", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Ledgers (Excel export and import). Exports of up to LEDGER_EXPORT_SYNC_ROWS rows download at once; larger ones, and
# imports of more than LEDGER_IMPORT_SYNC_ROWS rows, run as background jobs with a progress bar. Without Redis
# (eager Celery) such jobs run in a thread of the web process, so the progress page still works in development.
LEDGER_EXPORT_SYNC_ROWS = envint("LEDGER_EXPORT_SYNC_ROWS", "2000")
LEDGER_IMPORT_SYNC_ROWS = envint("LEDGER_IMPORT_SYNC_ROWS", "500")
LEDGER_FILES_KEEP_HOURS = envint("LEDGER_FILES_KEEP_HOURS", "24")
LEDGER_IMPORT_MAX_BYTES = envint("LEDGER_IMPORT_MAX_BYTES", str(20 * 1024 * 1024))
LEDGER_IMPORT_MAX_ROWS = envint("LEDGER_IMPORT_MAX_ROWS", "50000")
# What an uploaded workbook may unpack to, checked from the zip's directory at upload and again while the worker
# unpacks it, before anything parses it. A 50,000-row member ledger measures: our own export 121 MB of sheet (inline
# texts); as Excel saves it 60 MB of sheet plus 9 MB and 288,000 shared texts; styles 3 KB. The defaults are about
# three times that; one cell holds at most 32,767 characters (Excel's limit).
LEDGER_IMPORT_MAX_SHEET_BYTES = envint("LEDGER_IMPORT_MAX_SHEET_BYTES", str(360 * 1024 * 1024))
LEDGER_IMPORT_MAX_SHARED_STRINGS_BYTES = envint("LEDGER_IMPORT_MAX_SHARED_STRINGS_BYTES", str(32 * 1024 * 1024))
LEDGER_IMPORT_MAX_SHARED_STRINGS = envint("LEDGER_IMPORT_MAX_SHARED_STRINGS", "1000000")
LEDGER_IMPORT_MAX_PART_BYTES = envint("LEDGER_IMPORT_MAX_PART_BYTES", str(8 * 1024 * 1024))
LEDGER_IMPORT_MAX_UNPACKED_BYTES = envint("LEDGER_IMPORT_MAX_UNPACKED_BYTES", str(384 * 1024 * 1024))
# Seconds a ledger check or import may run in the worker: past the soft limit it stops and the upload is refused
# with a message; past the hard one the worker process is killed (and the recovery sweep takes over).
LEDGER_TASK_SOFT_TIME_LIMIT = envint("LEDGER_TASK_SOFT_TIME_LIMIT", "900")
LEDGER_TASK_TIME_LIMIT = envint("LEDGER_TASK_TIME_LIMIT", "960")
LEDGER_EAGER_JOBS_IN_THREAD = True
