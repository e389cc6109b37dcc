"""CSP Portal settings: one module, every difference between environments an environment variable.

Local development needs none of them (SQLite, a file-system Celery broker, console email).
Deployment sets DJANGO_DEBUG=false, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL and
REDIS_URL; ``manage.py check --deploy`` is then clean.
"""

import contextlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CSP_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
_DEV_SECRET = "django-insecure-local-development-only-never-deploy-this-key"  # noqa: S105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false.")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

SERVICE_NAME = _("CSP Portal")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "guardian",
    "crispy_forms",
    "crispy_forms_gds",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp_portal",
    "csp",
    "accounts",
    "audit",
    "authorities",
    "partnerships",
    "recorded_crime",
    "assessments",
    "plans",
    "reviews",
    "casereviews",
    "reminders",
    "oversight",
    "scrutiny",
    "engagement",
    "infosharing",
    "strategygroup",
    "retention",
    "national",
    "pages",
    "demo",
]

MIDDLEWARE = [
    # First: request id, /healthz, /readyz and /metrics, one log line and metrics per request.
    "csp_portal.observability.RequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp_portal.caching.PrivateCacheMiddleware",
    "csp_portal.api.ApiErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "accounts.middleware.PreferredLanguageMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "csp_portal.kept.KeepTypedTextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "reminders.middleware.NotificationReadOnVisitMiddleware",
]

ROOT_URLCONF = "csp_portal.urls"
WSGI_APPLICATION = "csp_portal.wsgi.application"
ASGI_APPLICATION = "csp_portal.asgi.application"

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
                "csp_portal.context_processors.service",
                "partnerships.context_processors.current_partnership",
                "reminders.context_processors.notifications",
            ],
            "builtins": ["csp_portal.templatetags.figures"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
# A database that is down, frozen or stuck behind a lock must cost a request seconds, not hold
# every web worker: connecting gives up after CSP_DB_CONNECT_TIMEOUT, PostgreSQL cancels a
# statement after CSP_DB_STATEMENT_TIMEOUT and a wait for a lock after CSP_DB_LOCK_TIMEOUT, and
# the visitor is answered 503 (csp_portal.errors). Seconds; 0 means no limit. docker-compose.yml
# gives the Celery processes and migrations longer; settings in DATABASE_URL come first.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("connect_timeout", int(os.environ.get("CSP_DB_CONNECT_TIMEOUT", "5")))
    _options["options"] = " ".join(
        filter(
            None,
            [
                f"-c statement_timeout={int(os.environ.get('CSP_DB_STATEMENT_TIMEOUT', '30'))}s",
                f"-c lock_timeout={int(os.environ.get('CSP_DB_LOCK_TIMEOUT', '10'))}s",
                _options.get("options", ""),
            ],
        )
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "reminders:your_work"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = int(timedelta(hours=2).total_seconds())
INVITATION_VALID_FOR = timedelta(days=int(os.environ.get("CSP_INVITATION_VALID_DAYS", "7")))
# Personal API tokens: how long a new one lasts unless its owner chooses, and at most.
API_TOKEN_DEFAULT_DAYS = int(os.environ.get("CSP_API_TOKEN_DEFAULT_DAYS", "90"))
API_TOKEN_MAX_DAYS = int(os.environ.get("CSP_API_TOKEN_MAX_DAYS", "365"))
# A token's "last used" time is written at most this often, not on every request.
API_TOKEN_TOUCH_SECONDS = int(os.environ.get("CSP_API_TOKEN_TOUCH_SECONDS", "60"))

# Idle expiry: the session lasts SESSION_IDLE_MINUTES after the last request, not after login.
SESSION_COOKIE_AGE = int(os.environ.get("CSP_SESSION_IDLE_MINUTES", "30")) * 60
# Not every request: accounts.middleware.IdleTimeoutMiddleware moves the idle expiry on with at
# most one write a minute, and enforces the idle time exactly (issue 17).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_ENGINE = "csp_portal.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The timeout warning (csp_portal.kept) opens this long before the session would expire.
CSP_TIMEOUT_WARNING_SECONDS = int(os.environ.get("CSP_TIMEOUT_WARNING_SECONDS", "120"))
# What someone typed into a form that arrived after their session expired is kept (encrypted)
# this long for them to sign in again; autosaved drafts of long text are kept this long.
CSP_KEPT_FORM_MINUTES = int(os.environ.get("CSP_KEPT_FORM_MINUTES", "120"))
CSP_TEXT_DRAFT_DAYS = int(os.environ.get("CSP_TEXT_DRAFT_DAYS", "14"))

# Lockout after repeated failures (accounts/lockout.py says why it works this way): an account
# at one address is locked after CSP_LOGIN_FAILURE_LIMIT failures; an account is locked
# everywhere but where its owner has signed in before after CSP_LOGIN_ACCOUNT_FAILURE_LIMIT
# failures from all addresses together. Both count within CSP_LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = int(os.environ.get("CSP_LOGIN_FAILURE_LIMIT", "5"))
CSP_LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("CSP_LOGIN_ACCOUNT_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("CSP_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_USERNAME_FORM_FIELD = "username"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# How many reverse proxies in front of the web server append the address they were reached from
# to X-Forwarded-For (1 for one nginx). 0: the client is REMOTE_ADDR, and the header is ignored.
CSP_TRUSTED_PROXY_COUNT = int(os.environ.get("CSP_TRUSTED_PROXY_COUNT", "0"))

# Password reset links: at most this many for one address, and from one client address, in the
# window; past that the page answers the same and no email goes.
CSP_PASSWORD_RESET_PER_ADDRESS = int(os.environ.get("CSP_PASSWORD_RESET_PER_ADDRESS", "3"))
CSP_PASSWORD_RESET_PER_CLIENT = int(os.environ.get("CSP_PASSWORD_RESET_PER_CLIENT", "10"))
CSP_PASSWORD_RESET_WINDOW = timedelta(
    minutes=int(os.environ.get("CSP_PASSWORD_RESET_WINDOW_MINUTES", "60"))
)

OTP_TOTP_ISSUER = "CSP Portal"
OTP_STATIC_THROTTLE_FACTOR = 1

GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

LANGUAGE_CODE = "en-gb"
# Each language is named in its own language, as GOV.UK's toggle names them, so not translated.
# The language comes from the person's preference when signed in (accounts.middleware), else the
# language cookie the toggle sets (accounts.views.LanguageView), else the browser's.
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
# Compiled by `make run`, `make test` and the Dockerfile (manage.py compilemessages); the .mo
# files are not committed.
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "csp_language"
LANGUAGE_COOKIE_AGE = int(timedelta(days=365).total_seconds())
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded documents. There is no MEDIA_URL: files are served only through views that check access.
MEDIA_ROOT = Path(os.environ.get("CSP_MEDIA_ROOT", VAR_DIR / "media"))
# Where uploads and made PDFs are kept: "local" (MEDIA_ROOT, the default, one machine) or "s3"
# (any S3-compatible object store, shared by every web and worker machine). The bucket stays
# private: files leave it only streamed through the views that check access
# (csp_portal/downloads.py), never as a bucket URL; docs/deployment.md says why.
CSP_STORAGE = os.environ.get("CSP_STORAGE", "local")


def s3_storage(environ) -> dict:
    """The default storage in the bucket that CSP_S3_* in ``environ`` name."""
    from botocore.config import Config

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": environ["CSP_S3_BUCKET"],
            "endpoint_url": environ.get("CSP_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("CSP_S3_REGION") or None,
            # Unset: boto3 finds credentials itself (an instance role, AWS_* variables).
            "access_key": environ.get("CSP_S3_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("CSP_S3_SECRET_ACCESS_KEY") or None,
            "location": environ.get("CSP_S3_PREFIX", ""),
            # No ACL: the bucket's own policy (private) applies to every object.
            "default_acl": None,
            # Like the file system: a second file of one name gets a new name, never overwrites.
            "file_overwrite": False,
            "client_config": Config(
                connect_timeout=int(environ.get("CSP_S3_CONNECT_TIMEOUT", "5")),
                read_timeout=int(environ.get("CSP_S3_READ_TIMEOUT", "30")),
                retries={"max_attempts": 3, "mode": "standard"},
                signature_version="s3v4",
                # "path" for MinIO and most self-hosted stores; "auto" lets boto3 choose.
                s3={"addressing_style": environ.get("CSP_S3_ADDRESSING_STYLE", "auto")},
            ),
        },
    }


if CSP_STORAGE == "s3":
    STORAGES["default"] = s3_storage(os.environ)
elif CSP_STORAGE != "local":
    raise RuntimeError('CSP_STORAGE must be "local" or "s3".')
CSP_UPLOAD_MAX_BYTES = int(os.environ.get("CSP_UPLOAD_MAX_MB", "10")) * 1024 * 1024
CSP_DOCUMENTS_PER_CONTRIBUTION = 10

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Where django.core.mail.backends.filebased.EmailBackend writes each email.
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A worker sending reminders must not hang on a mail server that does not answer.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "CSP Portal <no-reply@localhost>")

# Celery: Redis when REDIS_URL is set; otherwise a file-system broker so that a laptop with
# nothing but Python runs the worker and the scheduler.
REDIS_URL = os.environ.get("REDIS_URL", "")
# Set only by `manage.py benchmark_pages` for the server it starts: opens the data-free layout view.
CSP_BENCHMARK = env_bool("CSP_BENCHMARK", False)
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A page queues its task after commit: with Redis unreachable it must fail fast (the
        # work waits in the database; see csp_portal/queue.py), not hang the request.
        "socket_connect_timeout": 2,
        # A task whose worker died unacknowledged goes back on the queue after this long.
        "visibility_timeout": int(os.environ.get("CSP_BROKER_VISIBILITY_TIMEOUT", "3600")),
    }
else:
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    # The transport writes into these but never makes them: a fresh checkout (or a new
    # CSP_VAR_DIR) would fail its first publish. Unwritable, publishing fails and is logged.
    for _folder in (_broker_dir / "processed", _broker_dir / "control"):
        with contextlib.suppress(OSError):
            _folder.mkdir(parents=True, exist_ok=True)
# The queue pages put tasks on and workers take them from (one deployment, one queue).
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CSP_CELERY_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = TIME_ZONE

# The cache: the rendered bodies of frozen records (csp_portal/frozen.py). Redis when REDIS_URL is
# set, shared by every web process and node; otherwise each process keeps its own in memory. An
# unreachable Redis costs a page its cache (frozen.py renders instead), not the page.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "csp-cache",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def env_time(name: str, default: str) -> tuple[int, int]:
    hour, minute = os.environ.get(name, default).split(":")
    return int(hour), int(minute)


# Every link in every email starts with CSP_SITE_URL (csp_portal/site.py), whoever sends it: a
# request, the worker or the scheduler. When debugging it follows PORT, the port `make run` serves
# on (scripts/run.sh also sets CSP_SITE_URL itself, from HOST and PORT).
CSP_SITE_URL = os.environ.get("CSP_SITE_URL") or (
    f"https://{ALLOWED_HOSTS[0]}"
    if not DEBUG and ALLOWED_HOSTS
    else f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
)

# Reminders (reminders/): the daily sweep, the stages before a due date, the digests and the
# outbox's retries.
REMINDERS_STAGE_DAYS = [int(days) for days in env_list("CSP_REMINDER_STAGE_DAYS", "14,7,1")]
REMINDERS_SWEEP_AT = env_time("CSP_REMINDER_SWEEP_AT", "06:30")
REMINDERS_DIGEST_AT = env_time("CSP_REMINDER_DIGEST_AT", "07:00")
# 0 is Monday: coordinators' weekly digest of what is overdue goes from this day of each week.
REMINDERS_WEEKLY_DIGEST_WEEKDAY = int(os.environ.get("CSP_REMINDER_WEEKLY_DIGEST_WEEKDAY", "0"))
REMINDERS_FLUSH_SECONDS = int(os.environ.get("CSP_REMINDER_FLUSH_SECONDS", "60"))
REMINDERS_CLAIM_TIMEOUT_SECONDS = int(os.environ.get("CSP_REMINDER_CLAIM_TIMEOUT_SECONDS", "300"))
REMINDERS_RETRY_SECONDS = float(os.environ.get("CSP_REMINDER_RETRY_SECONDS", "60"))
REMINDERS_RETRY_MAX_SECONDS = float(os.environ.get("CSP_REMINDER_RETRY_MAX_SECONDS", "3600"))
REMINDERS_MAX_ATTEMPTS = int(os.environ.get("CSP_REMINDER_MAX_ATTEMPTS", "8"))
# An email queued on commit but still unsent after this long is sent by the outbox flush.
CSP_UNSENT_EMAIL_GRACE_SECONDS = int(os.environ.get("CSP_UNSENT_EMAIL_GRACE_SECONDS", "600"))
# The strategy group signs off an assessment within this many days of its submission.
CSP_ASSESSMENT_REVIEW_DAYS = int(os.environ.get("CSP_ASSESSMENT_REVIEW_DAYS", "14"))
# A plan's consultation runs this many days unless the coordinator chooses its closing date.
CSP_PLAN_CONSULTATION_DAYS = int(os.environ.get("CSP_PLAN_CONSULTATION_DAYS", "28"))
# The seats sign a plan off within this many days of its consultation closing.
CSP_PLAN_SIGN_OFF_DAYS = int(os.environ.get("CSP_PLAN_SIGN_OFF_DAYS", "14"))
# Days a PCC office has to read an answer to its report request, then close it or ask for more.
CSP_PCC_ANSWER_REVIEW_DAYS = int(os.environ.get("CSP_PCC_ANSWER_REVIEW_DAYS", "14"))
# A progress report issued to scrutiny and the PCC stays on their Your work, as new, this long.
CSP_NEW_REPORT_DAYS = int(os.environ.get("CSP_NEW_REPORT_DAYS", "28"))
# The crime and disorder committee (the scrutiny app; Police and Justice Act 2006 s19-20 and the
# Crime and Disorder (Overview and Scrutiny) Regulations 2009, SI 2009/942). An information
# request is answered by the date the committee sets in it; its form proposes this many days
# ahead, a local default. The responsible authorities answer the committee's report or
# recommendations in writing within CSP_SCRUTINY_RESPONSE_DAYS: 28 is the period the Home Office
# guidance gives for SI 2009/942. Checked again (issue 20): s19(1)-(2) of the 2006 Act (the
# committee's power, and a copy of its report to each responsible authority and co-operating
# body) is confirmed on legislation.gov.uk; the regulations' own text was not to be found, so
# neither period is confirmed and both stay settings.
CSP_SCRUTINY_INFORMATION_DAYS = int(os.environ.get("CSP_SCRUTINY_INFORMATION_DAYS", "28"))
CSP_SCRUTINY_RESPONSE_DAYS = int(os.environ.get("CSP_SCRUTINY_RESPONSE_DAYS", "28"))
# Community engagement (the engagement app; reg 12 of SI 2007/1830 and its Welsh counterpart SI
# 2007/3076, the Crime and Disorder (Formulation and Implementation of Strategy) (Wales)
# Regulations 2007, made jointly by the Secretary of State and the Welsh Ministers, so numbered
# without a "(W. …)"; which of its regulations holds the public meetings was not confirmed).
# The regulations set no period for telling people what was discussed at a public meeting (reg
# 12(4)(c)(ii)): a held event is recorded, and its summary published, this many days after its
# date, a local default.
CSP_ENGAGEMENT_RECORD_DAYS = int(os.environ.get("CSP_ENGAGEMENT_RECORD_DAYS", "14"))
# The strategy group's minutes (the strategygroup app) are recorded and published to members this
# many days after the meeting: a local default, no statute sets it.
# A responsible authority's quarterly return of depersonalised information (infosharing; Crime
# and Disorder Act 1998 s17A, SI 2007/1831) falls due this many days after the quarter ends: a
# local target. The law's limit is the end of the next quarter (SI 2007/1831 reg 3(1), confirmed
# on legislation.gov.uk), and no setting moves a due date past it (infosharing.services).
CSP_QUARTERLY_RETURN_DAYS = int(os.environ.get("CSP_QUARTERLY_RETURN_DAYS", "28"))
CSP_STRATEGY_MINUTES_DAYS = int(os.environ.get("CSP_STRATEGY_MINUTES_DAYS", "10"))
# A form (or an API request with an Idempotency-Key) acted on is remembered this long: sent
# again meanwhile, it changes nothing (csp_portal.submissions).
CSP_SUBMISSION_TOKEN_HOURS = int(os.environ.get("CSP_SUBMISSION_TOKEN_HOURS", "24"))
# Plan PDFs: a render still waiting after this long never reached the broker, one still being
# made after this long lost its worker; the heal queues each again, at most
# CSP_DOCUMENT_REQUEUE_LIMIT times before the document is shown as failed (plans/tasks.py).
CSP_DOCUMENT_QUEUED_MINUTES = int(os.environ.get("CSP_DOCUMENT_QUEUED_MINUTES", "5"))
CSP_DOCUMENT_RENDERING_MINUTES = int(os.environ.get("CSP_DOCUMENT_RENDERING_MINUTES", "10"))
CSP_DOCUMENT_REQUEUE_LIMIT = int(os.environ.get("CSP_DOCUMENT_REQUEUE_LIMIT", "3"))

# Retention (retention/selectors.py): how many days each kind of record is kept, and from when,
# before the nightly run at CSP_RETENTION_RUN_AT deletes it (files too). The defaults below are a
# starting point for a council's records manager, not legal advice; each is set with
# CSP_RETAIN_<KIND>_DAYS. Nothing of a review on hold or under legal hold is ever deleted.
CSP_RETENTION_DAYS = {
    kind: int(os.environ.get(f"CSP_RETAIN_{kind.upper()}_DAYS", str(default)))
    for kind, default in {
        # From upload: an assessment's evidence, kept three years (three assessment cycles).
        "contribution_documents": 3 * 365,
        # From the review's last change of step: six years, the Limitation Act period.
        "review_documents": 6 * 365,
        # An ASB case review (the applicant's details, the letters, the agencies' responses),
        # from its last change of step once finished: six years, the same Limitation Act period.
        "case_reviews": 6 * 365,
        # From when made, once sent or no longer due: a year.
        "notifications": 365,
        # From the change recorded: seven years.
        "audit_events": 7 * 365,
        # From expiry or revocation: 90 days, to answer "whose token was that".
        "api_tokens": 90,
        # Password reset and security emails, from when asked: 90 days (the rate limits need 1).
        "account_emails": 90,
        # Sign-in sessions, from their expiry.
        "sessions": 0,
    }.items()
}
# The public ASB case review form: applications accepted from one address in an hour (the rest
# are asked to wait), so that a script cannot flood a partnership's coordinators.
CSP_CASE_REVIEW_APPLICATIONS_PER_HOUR = int(
    os.environ.get("CSP_CASE_REVIEW_APPLICATIONS_PER_HOUR", "5")
)
CSP_RETENTION_RUN_AT = env_time("CSP_RETENTION_RUN_AT", "02:30")

CELERY_BEAT_SCHEDULE: dict = {
    "retention-apply": {
        "task": "retention.tasks.apply_retention",
        "schedule": crontab(hour=CSP_RETENTION_RUN_AT[0], minute=CSP_RETENTION_RUN_AT[1]),
    },
    "reminders-sweep": {
        "task": "reminders.tasks.sweep_reminders",
        "schedule": crontab(hour=REMINDERS_SWEEP_AT[0], minute=REMINDERS_SWEEP_AT[1]),
    },
    "reminders-daily-digests": {
        "task": "reminders.tasks.send_daily_digests",
        "schedule": crontab(hour=REMINDERS_DIGEST_AT[0], minute=REMINDERS_DIGEST_AT[1]),
    },
    # Retries, rows whose task never reached the broker, unsent invitations, and a sweep the
    # scheduler missed (so `make run` shows the demo's reminders about a minute after start).
    "reminders-flush-outbox": {
        "task": "reminders.tasks.flush_outbox",
        "schedule": timedelta(seconds=REMINDERS_FLUSH_SECONDS),
    },
    # Its sibling for plan PDFs whose render was lost (see CSP_DOCUMENT_QUEUED_MINUTES).
    "plans-heal-documents": {
        "task": "plans.tasks.heal_plan_documents",
        "schedule": timedelta(seconds=REMINDERS_FLUSH_SECONDS),
    },
    # Letters to ASB case review applicants whose task was lost (casereviews.services).
    "casereviews-send-unsent-letters": {
        "task": "casereviews.tasks.send_unsent_letters",
        "schedule": timedelta(minutes=5),
    },
    "csp-portal-expire-submissions": {
        "task": "csp_portal.tasks.expire_submissions",
        "schedule": timedelta(hours=1),
    },
    "csp-portal-expire-kept-text": {
        "task": "csp_portal.tasks.expire_kept_text",
        "schedule": timedelta(hours=1),
    },
}

REST_FRAMEWORK = {
    # Bearer first, so that a caller without credentials is told 401 with a WWW-Authenticate
    # header. The session serves the browsable docs; DRF enforces CSRF on its writes.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "csp_portal.api_schema.ErrorDocumentingSchema",
    "DEFAULT_PAGINATION_CLASS": "csp_portal.api.PagePagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": ["csp_portal.api.LimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "csp_portal.api.exception_handler",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CSP Portal API",
    "DESCRIPTION": (
        "Partner agencies' systems read their contribution requests and the actions their "
        "organisation leads, answer and report progress, and read published partnership plans. "
        "Authenticate with a personal API token: `Authorization: Bearer <token>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ActionStatusEnum": "plans.models.ActionStatus",
        "ContributionStatusEnum": "assessments.models.ContributionStatus",
        "RoleEnum": "partnerships.models.Role",
    },
}

# Only this server's own scripts, styles, images and fonts. An inline <script> or <style> runs
# only with the request's nonce (the API docs pages: templates/drf_spectacular/); style
# attributes never apply, so templates use classes. data: images are the two-factor set-up's QR
# code. No framing, no plugins, forms send only here. tests/browser fail on any violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features the service never uses, refused to this site and to anything it could embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "csp_portal.views.csrf_failure"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# Health, metrics and logs (docs/deployment.md). /readyz gives each of the database, Redis and
# the object store this many seconds to answer. /metrics answers only
# "Authorization: Bearer <CSP_METRICS_TOKEN>" and is not there without one. A Celery worker serves
# its own metrics on CSP_WORKER_METRICS_PORT (0: none), on an address only monitoring reaches.
CSP_READY_TIMEOUT = float(os.environ.get("CSP_READY_TIMEOUT", "2"))
CSP_METRICS_TOKEN = os.environ.get("CSP_METRICS_TOKEN", "")
CSP_WORKER_METRICS_PORT = int(os.environ.get("CSP_WORKER_METRICS_PORT", "0"))
CSP_WORKER_METRICS_ADDRESS = os.environ.get("CSP_WORKER_METRICS_ADDRESS", "127.0.0.1")
# "json": one JSON object a line (csp_portal/logs.py), the default when not debugging; "text"
# for a developer's console.
CSP_LOG_FORMAT = os.environ.get("CSP_LOG_FORMAT", "text" if DEBUG else "json")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "database_unavailable": {"()": "csp_portal.unavailable.OneLineWhenDatabaseUnavailable"},
        "redact_paths": {"()": "csp_portal.logs.RedactPaths"},
    },
    "formatters": {
        "json": {"()": "csp_portal.logs.JsonFormatter"},
        "text": {"()": "csp_portal.logs.TextFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": CSP_LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint reports every layout step at INFO; only its warnings matter.
    "loggers": {
        # One line per request the database could not serve, not one traceback each.
        "django.request": {"filters": ["database_unavailable", "redact_paths"]},
        # csp_portal.requests says it once, without the path (which may hold a token).
        "django.server": {"level": "WARNING", "filters": ["redact_paths"]},
        "axes": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Credentials and URLs at DEBUG; only its warnings matter.
        "botocore": {"level": "WARNING"},
        "boto3": {"level": "WARNING"},
        "s3transfer": {"level": "WARNING"},
    },
}
