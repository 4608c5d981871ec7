"""Settings for the Step-Change Portal.

Everything that differs between a laptop and production is read from the
environment here, once, with embedded defaults that need no server: SQLite
in var/, a filesystem Celery broker in var/, emails written to var/mail/.
With DEBUG off, a missing SECRET_KEY or ALLOWED_HOSTS stops start-up with a
message naming the variable.
"""

# The long blocks live in modules of their own, each reading the environment
# once: security headers and cookies, accounts and two factors, retention.
from .accounts import *  # noqa: F403
from .environment import (
    BASE_DIR,
    DEBUG,
    SERVICE_NAME,  # noqa: F401  (a setting: pages and notices show it)
    VAR_DIR,
    env,
    required_in_production,
)
from .retention import *  # noqa: F403
from .security import *  # noqa: F403

# A fixed, obviously unsafe key is only ever used with DEBUG on.
SECRET_KEY = env.str("SECRET_KEY", default="")
if DEBUG and not SECRET_KEY:
    SECRET_KEY = "insecure-development-key-never-use-in-production"
required_in_production("SECRET_KEY", SECRET_KEY)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
required_in_production("ALLOWED_HOSTS", ALLOWED_HOSTS)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "stepchange.admin_site.AdminConfig",  # Django's admin, on our site (admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",  # allauth.usersessions' list of sessions
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "crispy_forms",
    "crispy_forms_gds",
    "django_celery_beat",
    "simple_history",
    "stepchange",
    "participants",
    "workstreams",
    "projects",
]

MIDDLEWARE = [
    "stepchange.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # CSP, Permissions-Policy, no-store on personal pages; after WhiteNoise, so
    # static files stay cacheable.
    "stepchange.security.SecurityHeadersMiddleware",
    "stepchange.request_guard.RefuseNulMiddleware",  # 400 for a NUL anywhere in a request
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "stepchange.auth_backend.AuthenticationMiddleware",  # Django's, for old sessions too
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "stepchange.session_limits.PrivilegedSessionMiddleware",
    "stepchange.two_factor.RequireTwoFactorMiddleware",
    "stepchange.refusals.RefusalLoggingMiddleware",
    # Records the signed-in user as the author of each change simple-history keeps.
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "stepchange.urls"
WSGI_APPLICATION = "stepchange.wsgi.application"

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
                "stepchange.context_processors.service",
                "projects.context_processors.current_call",
                "workstreams.context_processors.co_chair",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL names another (PostgreSQL in
# production and in the test command).
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'stepchange.sqlite3'}")
}
EMBEDDED_DIRS = []  # folders the embedded defaults write to; made at start-up
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    EMBEDDED_DIRS.append(VAR_DIR)
    # Under `make run` the web process, the worker and beat write to one file at
    # once. A transaction that reads and then writes cannot wait for another's
    # write lock (SQLite answers "database is locked" at once), so each takes
    # the lock as it begins (IMMEDIATE) and waits up to `timeout` seconds for
    # it. WAL lets reads go on while one process writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds rate-limit counters (allauth's and ours): in production it
# must be shared by every web process, so CACHE_URL names Redis there.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"].endswith(".RedisCache"):  # Django's or django-redis's
    # django-redis; while Redis restarts, pages carry on as if the cache were
    # empty, with a logged error a call (stepchange/cache.py).
    CACHES["default"]["BACKEND"] = "stepchange.cache.ResilientRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1}
    )
    # Sessions read from Redis, written through to the database (which stays the
    # record: allauth's "sign out other sessions", an account deactivated and an
    # erasure end sessions through the session store, which drops both), kept in
    # Redis for SESSION_CACHE_SECONDS at most (stepchange/session_store.py: an
    # ending Redis missed lasts no longer). Not with a cache of one process, which
    # another process's ending could not reach.
    SESSION_ENGINE = "stepchange.session_store"
SESSION_CACHE_SECONDS = env.int("SESSION_CACHE_SECONDS", default=60)
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "stepchange.cache"


LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
# Every GOV.UK input styled, and red when in error (stepchange/govuk_fields.py).
CRISPY_CLASS_CONVERTERS = {
    "urlinput": "govuk-input",
    "telinput": "govuk-input",
    "numberinput": "govuk-input",
    "searchinput": "govuk-input",
    "dateinput": "govuk-input",
    "datetimeinput": "govuk-input",
    "timeinput": "govuk-input",
    "nullbooleanselect": "govuk-select",
    "fileinput": "govuk-file-upload",
}
FORM_RENDERER = "stepchange.govuk_fields.FormRenderer"

# Email: written to files in var/mail/ unless EMAIL_URL names an SMTP server.
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Step-Change Programme <noreply@stepchange.invalid>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
    EMBEDDED_DIRS.append(EMAIL_FILE_PATH)
# A mail server that hangs must not hold a worker (and its unacknowledged task) forever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# Celery: a filesystem broker in var/ needs no server; Redis in production.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        "store_processed": False,
        # kombu's exchange table; by default a "control" folder wherever the
        # process was started.
        "control_folder": str(VAR_DIR / "broker" / "control"),
    }
    EMBEDDED_DIRS += [
        VAR_DIR / "broker" / "queue",
        VAR_DIR / "broker" / "processed",
        VAR_DIR / "broker" / "control",
    ]
else:
    # Longer than any task can run, so an unacknowledged task is not
    # redelivered while its worker is still busy with it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# django-celery-beat's database schedule, with a heartbeat for the health check.
CELERY_BEAT_SCHEDULER = "stepchange.beat:HeartbeatScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that queues a task gives up on a dead broker quickly: the
# outbox row is already saved and the sweep sends it once the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}

for folder in EMBEDDED_DIRS:
    folder.mkdir(parents=True, exist_ok=True)


# One JSON line per record (stepchange/request_log.py), with the request's or
# task's id; LOG_FORMAT=plain for reading by eye.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "stepchange.request_log.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# The health endpoint (/health/): how long the worker's and beat's heartbeats
# may be silent, and how long to wait for the broker.
HEALTH_HEARTBEAT_MAX_AGE = env.int("HEALTH_HEARTBEAT_MAX_AGE", default=180)
HEALTH_BROKER_TIMEOUT = env.float("HEALTH_BROKER_TIMEOUT", default=2.0)

# How long a public page is kept for anonymous visitors (stepchange/page_cache.py).
PUBLIC_PAGE_SECONDS = env.int("PUBLIC_PAGE_SECONDS", default=60)
# How long a signed-in page is kept for the session that asked for it
# (stepchange/personal_pages.py; 0 for never); kept only where every process
# shares the cache (Redis), so that a write by the worker drops it too.
PERSONAL_PAGE_SECONDS = env.int("PERSONAL_PAGE_SECONDS", default=60)
PERSONAL_PAGES_SHARED_CACHE = CACHES["default"]["BACKEND"].endswith("RedisCache")

# The benchmarks' baseline views (/bench/...), for bench/'s own stack only.
BENCHMARK_VIEWS = env.bool("BENCHMARK_VIEWS", default=False)
# How often an EOI may be sent, per network address and per account, an hour.
# An address may be a whole office (200 people behind one gateway).
EOI_SUBMISSIONS_PER_ADDRESS = env.int("EOI_SUBMISSIONS_PER_ADDRESS", default=300)
EOI_SUBMISSIONS_PER_ACCOUNT = env.int("EOI_SUBMISSIONS_PER_ACCOUNT", default=10)

# The privacy notice's version, stored with each expression of interest so that
# we know which notice the applicant read. Change it when the notice changes.
PRIVACY_NOTICE_VERSION = "2026-12"

# Periodic tasks live in the database (django-celery-beat), created by the
# migration stepchange/0004_periodic_tasks, so that the coordination office's
# changes in the admin survive a restart of beat (a CELERY_BEAT_SCHEDULE
# setting would overwrite them each time beat starts).


# Records who viewed or exported applicants' personal data (the admin's EOI
# pages, the co-chairs' applicant pages); innermost, so it sees the response.
MIDDLEWARE += ["participants.data_protection.access_log.PersonalDataAccessMiddleware"]
