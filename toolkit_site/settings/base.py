"""Settings shared by every environment; values come from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
# Where the site is reached, with scheme and without a trailing slash: e-mailed links start with
# it (core.site), never with the Host a request names. Required in production.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation must come before admin so the admin shows the language fields.
    "modeltranslation",
    "toolkit_site.apps.AdminConfig",  # Django's admin behind two factors for staff
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "django_countries",
    "django_otp",
    "django_otp.plugins.otp_totp",  # before otp_static: the app is offered first, then codes
    "django_otp.plugins.otp_static",
    "core.apps.AxesConfig",  # axes, with a name the admin shows in our languages
    "accounts",
    "content",
    "assessments",
    "practices",
    "surveys",
    "peers",
    "networks",
    "reporting",
    "operations",
]

MIDDLEWARE = [
    "core.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body: one larger than any form is refused unread.
    "core.middleware.RequestSizeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After the view: a busy database becomes a 503, a NUL no form checked a 400.
    "core.middleware.DatabaseBusyMiddleware",
    "core.middleware.RefuseNulMiddleware",
    # Last, so that it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: after 5 failures for the same address and login name, 30 minutes' pause;
# the same name from another address is not locked (a guesser cannot lock a member out).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The client's address (login throttling and rate limits) as django-ipware reads it: behind
# AXES_PROXY_COUNT trusted proxies, the entry of X-Forwarded-For that the farthest of them
# added, counted from the right (what a client wrote to the left of it is ignored). ipware
# counts only the proxies listed in the header: the nearest one is REMOTE_ADDR. Without a
# proxy the header is not read at all (anyone could write it).
TRUSTED_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_PROXY_COUNT = None
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# A longer chain (a client's own proxy in front of ours) still yields the entry at that place.
IPWARE_STRICT = False
# Rate limits on the forms that send e-mail or create accounts (core.throttle), per
# client address as read above, per e-mail address asked for, per account. Counted in the
# default cache; when it cannot be reached the forms work unlimited (RATELIMIT_FAIL_OPEN).
RATELIMIT_IP_META_KEY = "core.throttle.client_ip"
RATELIMIT_FAIL_OPEN = True
RATE_PASSWORD_RESETS_PER_ADDRESS = "5/h"
RATE_PASSWORD_RESETS_PER_EMAIL = "3/h"
RATE_INVITATIONS_PER_ACCOUNT = "20/h"
RATE_INVITATIONS_PER_ADDRESS = "40/h"
RATE_SIGNUPS_PER_ADDRESS = "20/h"
# PDF downloads per account (core.pdf.pdf_guarded): a cached report costs little, a render
# about a second of a worker.
RATE_PDFS_PER_USER = "30/10m"

# Bounded work: what one round may hold, so that its pages and PDF stay quick to build (the
# text lengths are the models' limits: assessments.models, surveys.models).
ROUND_MAX_ACTIONS = 200
# A PDF whose HTML is longer than this is not rendered (core.pdf): the round at its limits
# is about a third of it.
PDF_MAX_HTML_CHARACTERS = 3_000_000
# Evidence files (assessments.evidence): the largest file, and what one organisation's files
# may take together.
EVIDENCE_MAX_FILE_BYTES = int(os.environ.get("EVIDENCE_MAX_FILE_BYTES", 10 * 1024 * 1024))
EVIDENCE_MAX_ORG_BYTES = int(os.environ.get("EVIDENCE_MAX_ORG_BYTES", 100 * 1024 * 1024))

# Request bodies: only the evidence upload takes files, so no other body may be larger than a
# form's data (Django's default, 2.5 MB, kept explicit); core.middleware.RequestSizeMiddleware
# refuses a larger one, multipart included, from its Content-Length and before reading it (the
# upload view declares its own limit: EVIDENCE_MAX_FILE_BYTES and a form's data). The proxy's
# limits (Caddyfile) are a little higher, so the app's own answer is the one people see.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

ROOT_URLCONF = "toolkit_site.urls"
WSGI_APPLICATION = "toolkit_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # An operator's own templates (e.g. privacy/notice_lv.html) shadow the toolkit's.
        "DIRS": [*filter(None, [os.environ.get("TEMPLATES_OVERRIDE_DIR")]), BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]


def database(url: str, **options) -> dict:
    """Django's settings for the database at `url`; PostgreSQL as production runs it."""
    settings = dj_database_url.parse(url, **options)
    if settings["ENGINE"] == "django.db.backends.postgresql":
        # Parameters bound by the server, and a statement run five times on a connection is
        # prepared there: PostgreSQL then skips parsing and planning it. Not for a
        # transaction-pooling PgBouncer older than 1.21.
        # A request waits a few seconds at most for a lock (then a 503 asks to try again,
        # core.middleware), and no statement or idle transaction holds on for long.
        server = " ".join(
            f"-c {name}={os.environ.get(variable, default)}"
            for name, variable, default in (
                ("lock_timeout", "DB_LOCK_TIMEOUT_MS", "5000"),
                ("statement_timeout", "DB_STATEMENT_TIMEOUT_MS", "30000"),
                ("idle_in_transaction_session_timeout", "DB_IDLE_TIMEOUT_MS", "60000"),
            )
        )
        settings["OPTIONS"] = {
            **settings.get("OPTIONS", {}),
            "server_side_binding": True,
            "prepare_threshold": 5,
            "connect_timeout": int(os.environ.get("DB_CONNECT_TIMEOUT", "2")),
            # Options given in DATABASE_URL come last, so they win.
            "options": f"{server} {settings.get('OPTIONS', {}).get('options', '')}".strip(),
        }
    elif settings["ENGINE"] == "django.db.backends.sqlite3":
        # Several writers at once (runserver's threads): each transaction takes the write lock
        # when it begins, so a second one waits for it (up to `timeout` seconds) instead of
        # failing with "database is locked"; with WAL, readers never wait for a writer.
        settings["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            **settings.get("OPTIONS", {}),
        }
    return settings


DATABASES = {
    "default": database(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's rules, in our words (accounts.passwords).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.MinimumLengthValidator"},
    {"NAME": "accounts.passwords.CommonPasswordValidator"},
    {"NAME": "accounts.passwords.NumericPasswordValidator"},
]

# Latvian is the default language; every URL carries its language prefix.
LANGUAGE_CODE = "lv"
LANGUAGES = [("lv", _("Latvian")), ("en", _("English"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = "lv"
MODELTRANSLATION_LANGUAGES = ("lv", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("lv",)
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Riga"
USE_I18N = True
USE_TZ = True
# urlize (handbook texts) links a bare "www.example.org" with https, as Django 2028 will.
URLIZE_ASSUME_HTTPS = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (evidence) are private: MEDIA_ROOT is outside the static files and no URL
# serves it; members download through assessments.views.evidence, which checks membership.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))


def evidence_storage() -> dict:
    """The "evidence" storage: the file system under MEDIA_ROOT, or an S3-compatible bucket
    through django-storages when EVIDENCE_BUCKET is set (README, "Evidence files")."""
    bucket = os.environ.get("EVIDENCE_BUCKET", "")
    if not bucket:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": MEDIA_ROOT / "evidence", "base_url": None},
        }
    options = {
        "bucket_name": bucket,
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
        "location": os.environ.get("EVIDENCE_BUCKET_PREFIX", "evidence"),
    }
    for option, variable in (
        ("endpoint_url", "EVIDENCE_BUCKET_ENDPOINT_URL"),
        ("region_name", "EVIDENCE_BUCKET_REGION"),
        ("access_key", "EVIDENCE_BUCKET_ACCESS_KEY_ID"),
        ("secret_key", "EVIDENCE_BUCKET_SECRET_ACCESS_KEY"),
    ):
        if os.environ.get(variable):
            options[option] = os.environ[variable]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "evidence": evidence_storage(),
}

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# E-mail goes to the console unless an SMTP server is configured.
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "toolkit@localhost")

# Cached public pages, handbook fragments and PDF reports. Their keys carry the content
# revision (and a round's revision), read from the database, so nothing cached is ever stale.
# With REDIS_URL the cache is shared by every process; without it each process keeps its own.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "toolkit",
            # A Redis that hangs costs a request a second or two, never the page.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "toolkit",
        }
    }
# Public pages are kept by each process in its own memory: a page served from there costs a
# dictionary lookup instead of two Redis round trips and an unpickling (the key area page
# 1,536 against 722 req/s), and their keys carry the content revision, so no process serves
# a stale one.
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "toolkit-pages",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}
# Sessions live in the database, which every process shares: a logout ends a session
# everywhere at once, and the cache can be down without logging anyone out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Where load_toolkit finds the curated handbook.
TOOLKIT_CONTENT_DIR = BASE_DIR / "content" / "data"
INVITATION_VALID_DAYS = int(os.environ.get("INVITATION_VALID_DAYS", "7"))
LOGIN_URL = "login"
# Authenticator apps show this name beside the staff member's code.
OTP_TOTP_ISSUER = "Refugee inclusion toolkit"
LOGIN_REDIRECT_URL = "assessments:home"
LOGOUT_REDIRECT_URL = "content:home"

# The assessment table's verdict thresholds (practices.scoring reads them as exact fractions).
PRACTICE_GOOD_OVERALL = 0.70
PRACTICE_DOMAIN_MINIMUM = "2/3"
PRACTICE_PROMISING_OVERALL = 0.50
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"
CONTENT_REVISION_SECONDS = float(os.environ.get("CONTENT_REVISION_SECONDS", "1.0"))
# Public pages (handbook, library, glossary, statistics) for anonymous readers: browsers keep
# them a minute, shared caches (a reverse proxy, a CDN) ten minutes, and either may serve a
# stale copy for a day while it asks again (an ETag revalidation, answered 304 unrendered).
PUBLIC_MAX_AGE = int(os.environ.get("PUBLIC_MAX_AGE", "60"))
PUBLIC_S_MAXAGE = int(os.environ.get("PUBLIC_S_MAXAGE", "600"))
PUBLIC_STALE_WHILE_REVALIDATE = int(os.environ.get("PUBLIC_STALE_WHILE_REVALIDATE", "86400"))

# The participant survey: the languages its pages, questions and thank-you page exist in
# (code, the language's own name, writing direction). Adding one is a content change (its
# texts in content/data/40_participant_survey.yaml) and a catalogue (locale/<code>), no code.
SURVEY_LANGUAGES = [
    ("lv", "latviešu", "ltr"),
    ("en", "English", "ltr"),
    ("uk", "українська", "ltr"),
    ("ru", "русский", "ltr"),
    ("ar", "العربية", "rtl"),
]
# A figure (key area or group) is shown from this many people who really answered it, and
# moves only in steps of as many (surveys/scoring.py).
SURVEY_MIN_RESPONSES = int(os.environ.get("SURVEY_MIN_RESPONSES", "5"))
# Free texts are shown from this many, in steps of as many, in random order.
SURVEY_MIN_FREE_TEXTS = int(os.environ.get("SURVEY_MIN_FREE_TEXTS", "10"))
# Submissions per client address and hour; the address is kept only as a salted hash in the
# cache, for the hour.
SURVEY_SUBMISSIONS_PER_HOUR = int(os.environ.get("SURVEY_SUBMISSIONS_PER_HOUR", "30"))
# Free texts are deleted (by `housekeeping`) this many days after their round closed.
SURVEY_FREE_TEXT_RETENTION_DAYS = int(os.environ.get("SURVEY_FREE_TEXT_RETENTION_DAYS", "365"))

# The privacy notice (/<lang>/privacy/): who runs the site for the organisations (their
# processor) and where people write about their data.
PRIVACY_OPERATOR_NAME = os.environ.get("PRIVACY_OPERATOR_NAME", "")
PRIVACY_CONTACT_EMAIL = os.environ.get("PRIVACY_CONTACT_EMAIL", "")
