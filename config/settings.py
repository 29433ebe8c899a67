"""Settings per environment: defaults here, environment variables override, production checks."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("APP_INSTANCE_DIR", PROJECT_ROOT / "instance"))


class ConfigurationError(RuntimeError):
    """Raised at start-up when a required setting is missing or unsafe."""


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value is None or value == "" else int(value)


def uses_memory_ratelimit(uri: str | None) -> bool:
    """True when the rate-limit storage is unset (Flask-Limiter then uses memory) or memory://."""
    return not uri or uri.strip().lower().startswith("memory://")


class BaseConfig:
    """Defaults shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY: str | None = _env("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'umuhuza.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, object] = {"pool_pre_ping": True}
    INSTANCE_DIR = INSTANCE_DIR
    UPLOAD_DIR = Path(_env("APP_UPLOAD_DIR", str(INSTANCE_DIR / "uploads")) or "")

    # Requests larger than this are refused with 413 before any view runs (CVs are capped at 5 MB).
    MAX_CONTENT_LENGTH = 6 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 1024 * 1024

    # Sessions: short-lived by default; Flask's defaults (31-day session, 365-day remember cookie)
    # are far too long for a platform holding personal data.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=_env_int("APP_SESSION_HOURS", 8))
    SESSION_IDLE_MINUTES = _env_int("APP_SESSION_IDLE_MINUTES", 60)
    SESSION_COOKIE_NAME = "umuhuza_session"
    # Only a changed session is written back. Re-sending an unchanged cookie on every response
    # lets a slow parallel request (a stylesheet) restore an older session, e.g. a shown flash.
    SESSION_REFRESH_EACH_REQUEST = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(days=_env_int("APP_REMEMBER_DAYS", 14))
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    PREFERRED_URL_SCHEME = "http"
    SERVER_NAME: str | None = _env("SERVER_NAME")
    APP_BASE_URL = _env("APP_BASE_URL", "http://127.0.0.1:5000")

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT: int | None = 8 * 3600

    # Internationalisation: English, French and Kinyarwanda.
    LANGUAGES = ("en", "fr", "rw")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Africa/Kigali"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "app" / "translations")

    # Passwords: argon2id (argon2-cffi's RFC 9106 low-memory profile unless overridden).
    PASSWORD_MIN_LENGTH = 10
    PASSWORD_MAX_LENGTH = 512
    ARGON2_TIME_COST = _env_int("APP_ARGON2_TIME_COST", 3)
    ARGON2_MEMORY_COST = _env_int("APP_ARGON2_MEMORY_KIB", 65536)
    ARGON2_PARALLELISM = 4
    EMAIL_TOKEN_MAX_AGE = timedelta(hours=48)
    PASSWORD_RESET_MAX_AGE = timedelta(hours=1)
    LOGIN_LOCKOUT_THRESHOLD = 5
    LOGIN_LOCKOUT_BASE_SECONDS = 30

    # Rate limits (Flask-Limiter); memory storage by default, Redis in production.
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = _env("APP_LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    SIGNUP_RATE_LIMIT = _env("APP_SIGNUP_RATE_LIMIT", "10 per hour")
    RESET_RATE_LIMIT = _env("APP_RESET_RATE_LIMIT", "5 per 15 minutes")
    API_RATE_LIMIT = _env("APP_API_RATE_LIMIT", "120 per minute")

    # Mail: "log" writes messages to the log (development), "smtp" delivers them.
    MAIL_BACKEND = _env("MAIL_BACKEND", "smtp")
    MAIL_SERVER = _env("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = _env("MAIL_USERNAME")
    MAIL_PASSWORD = _env("MAIL_PASSWORD")
    MAIL_TIMEOUT_SECONDS = _env_int("MAIL_TIMEOUT_SECONDS", 20)
    MAIL_DEFAULT_SENDER = _env("MAIL_DEFAULT_SENDER", "Umuhuza <no-reply@umuhuza.gov.rw>")

    # The privacy notice version members accept; bump it when the notice changes.
    PRIVACY_NOTICE_VERSION = _env("APP_PRIVACY_NOTICE_VERSION", "2026-11")

    # Matching: weights and thresholds live in config/matching.toml; the model path is a setting.
    MATCHING_CONFIG_PATH = Path(
        _env("APP_MATCHING_CONFIG", str(PROJECT_ROOT / "config" / "matching.toml")) or ""
    )
    # The embedding model by name (docs/matching.md, "Multilingual model"): the default
    # "use-multilingual-v3" puts French and English texts in one space; "all-MiniLM-L6-v2" is
    # the former English-only sentence-transformers model. Changing it makes the worker
    # re-embed everything while rankings keep using the previous model's vectors until done.
    MATCHING_MODEL = _env("APP_MATCHING_MODEL", "use-multilingual-v3")
    # A local sentence-transformers directory instead (overrides MATCHING_MODEL).
    MATCHING_MODEL_PATH: str | None = _env("APP_MATCHING_MODEL_PATH")
    MATCHING_EMBEDDER = _env("APP_MATCHING_EMBEDDER", "sentence-transformers")
    # "auto": bfloat16 on CPUs with native bfloat16 (AVX-512 BF16, AMX), where it encodes 2-3x
    # faster at the same ranking quality (docs/matching.md), float32 elsewhere. Its vectors are
    # stored under their own model name: web processes and the worker must resolve to the same
    # value (set "float32" or "bfloat16" explicitly when they run on different hardware).
    MATCHING_MODEL_DTYPE = _env("APP_MATCHING_MODEL_DTYPE", "auto")
    # "auto": ONNX Runtime for float32 (the same vectors as torch, encoded ~1.3x faster, and a
    # web process that embeds a query loads no torch), torch for bfloat16; or "onnx" / "torch".
    # The model is exported to ONNX once per model version, into MATCHING_ONNX_DIR.
    MATCHING_BACKEND = _env("APP_MATCHING_BACKEND", "auto")
    MATCHING_ONNX_DIR = Path(_env("APP_MATCHING_ONNX_DIR", str(INSTANCE_DIR / "onnx")) or "")

    # Ranking (app/ranking): documents the worker embeds per run, candidates ranked for the
    # alerts of a newly opened need, and the balanced-shortlist score floor (None: the
    # [fairness] score_floor of matching.toml).
    MATCHING_EMBED_BATCH_LIMIT = _env_int("APP_MATCHING_EMBED_BATCH_LIMIT", 5000)
    # "background": a changed pool is re-indexed in a thread while requests use the previous
    # index (a 100k-profile rebuild takes tens of seconds); "inline" rebuilds before answering.
    MATCHING_INDEX_REFRESH = _env("APP_MATCHING_INDEX_REFRESH", "background")
    MATCHING_ALERT_TOP_K = _env_int("APP_MATCHING_ALERT_TOP_K", 50)
    MATCHING_BALANCE_SCORE_FLOOR: float | None = None

    # Background worker.
    WORKER_POLL_SECONDS = float(_env("APP_WORKER_POLL_SECONDS", "2") or "2")

    # Outreach and worker: outbox batches, leases, retries with exponential backoff, caps.
    WORKER_BATCH_SIZE = _env_int("APP_WORKER_BATCH_SIZE", 20)
    WORKER_LEASE_SECONDS = _env_int("APP_WORKER_LEASE_SECONDS", 300)
    WORKER_MAX_ATTEMPTS = _env_int("APP_WORKER_MAX_ATTEMPTS", 5)
    WORKER_RETRY_BASE_SECONDS = float(_env("APP_WORKER_RETRY_BASE_SECONDS", "60") or "60")
    # The outbox retries a transient SMTP failure (refused connection, 4xx reply, time-out) from
    # OUTBOX_RETRY_FIRST_SECONDS, doubling with jitter up to OUTBOX_RETRY_MAX_SECONDS, until
    # OUTBOX_RETRY_WINDOW_HOURS have passed since the first attempt: a weekend-long relay outage
    # loses nothing. See app/outreach/retry.py and docs/outreach.md.
    OUTBOX_RETRY_FIRST_SECONDS = float(_env("APP_OUTBOX_RETRY_FIRST_SECONDS", "60") or "60")
    OUTBOX_RETRY_MAX_SECONDS = float(_env("APP_OUTBOX_RETRY_MAX_SECONDS", "21600") or "21600")
    OUTBOX_RETRY_WINDOW_HOURS = float(_env("APP_OUTBOX_RETRY_WINDOW_HOURS", "72") or "72")
    OUTREACH_MAX_BROADCASTS_PER_WEEK = _env_int("APP_OUTREACH_MAX_BROADCASTS_PER_WEEK", 2)
    OUTREACH_MESSAGE_ID_DOMAIN = _env("APP_OUTREACH_MESSAGE_ID_DOMAIN", "umuhuza.gov.rw")
    OUTREACH_LOCAL_SEND_TIME = _env("APP_OUTREACH_LOCAL_SEND_TIME", "10:00")
    OUTREACH_STRONG_MATCH_SCORE = float(_env("APP_OUTREACH_STRONG_MATCH_SCORE", "0.7") or "0.7")

    # Profiles: availability re-confirmation cadence, upload limits.
    PROFILE_RECONFIRM_MONTHS = _env_int("APP_PROFILE_RECONFIRM_MONTHS", 6)
    PROFILE_RECONFIRM_GRACE_DAYS = _env_int("APP_PROFILE_RECONFIRM_GRACE_DAYS", 14)
    PROFILE_CV_MAX_BYTES = 5 * 1024 * 1024
    # CVs are read by the worker in a child process under these OS limits (the page, content and
    # archive caps are in app/profiles/cvtext.py; worst case measured in docs/performance.md).
    CV_READ_CPU_SECONDS = _env_int("APP_CV_READ_CPU_SECONDS", 5)
    # A worker claims up to WORKER_BATCH_SIZE jobs under one lease (300 s): 20 CVs x 12 s fit.
    CV_READ_WALL_SECONDS = _env_int("APP_CV_READ_WALL_SECONDS", 12)
    CV_READ_MEMORY_MB = _env_int("APP_CV_READ_MEMORY_MB", 256)
    # Per account (the user id is the key), uploads only.
    CV_UPLOAD_RATE_LIMIT = _env("APP_CV_UPLOAD_RATE_LIMIT", "10 per hour;30 per day")
    PROFILE_PHOTO_MAX_BYTES = 2 * 1024 * 1024
    # Decoded size bound (a 24 MP RGBA picture is ~96 MB in memory): refuses decompression bombs.
    PROFILE_PHOTO_MAX_PIXELS = 24_000_000

    # Institutions and needs: verified institutions publish without review only when this is on.
    NEEDS_DIRECT_PUBLISH_FOR_VERIFIED = _env_bool("APP_NEEDS_DIRECT_PUBLISH_FOR_VERIFIED", False)
    NEEDS_PER_PAGE = 20
    INSTITUTION_INVITATION_MAX_AGE = timedelta(days=_env_int("APP_INVITATION_DAYS", 7))

    # Placements: response window for "interested", reminders, stuck cases, notification debounce,
    # and the evaluation waves (baseline and end waves are sent on entering these statuses).
    PLACEMENTS_RESPONSE_DAYS = _env_int("APP_PLACEMENTS_RESPONSE_DAYS", 10)
    PLACEMENTS_STUCK_DAYS = _env_int("APP_PLACEMENTS_STUCK_DAYS", 21)
    PLACEMENTS_FOLLOWUP_MONTHS = _env_int("APP_PLACEMENTS_FOLLOWUP_MONTHS", 12)
    PLACEMENTS_BASELINE_WAVE_STATUS = _env(
        "APP_PLACEMENTS_BASELINE_WAVE_STATUS", "work_plan_agreed"
    )
    PLACEMENTS_END_WAVE_STATUS = _env("APP_PLACEMENTS_END_WAVE_STATUS", "completed")

    # Surveys: cross-tab cells with fewer respondents than this show "<5".
    SURVEYS_SMALL_CELL = _env_int("APP_SURVEYS_SMALL_CELL", 5)

    DEMO_PASSWORD = "umuhuza-demo-2026"  # noqa: S105 (public demo accounts, development only)
    SECURITY_HSTS = False

    # Security: two-factor log-in, audit log, data-subject requests.
    # Staff and admins must pass a TOTP code (or a recovery code) before they are logged in.
    TWO_FACTOR_REQUIRED_FOR_STAFF = True
    TWO_FACTOR_ISSUER = _env("APP_TWO_FACTOR_ISSUER", "Umuhuza")
    # How long the "password accepted, waiting for the code" marker lives in the session.
    TWO_FACTOR_PENDING_SECONDS = 300
    TWO_FACTOR_MAX_ATTEMPTS = 5
    TWO_FACTOR_RATE_LIMIT = _env("APP_TWO_FACTOR_RATE_LIMIT", "10 per minute;60 per hour")
    AUDIT_PAGE_SIZE = 50

    @classmethod
    def validate(cls) -> None:
        """Raise ConfigurationError when the configuration is unusable."""
        if not cls.SECRET_KEY:
            raise ConfigurationError("SECRET_KEY is not set.")


class DevelopmentConfig(BaseConfig):
    ENV_NAME = "development"
    # A fixed key is fine only for the local demo; production refuses to start without a real one.
    SECRET_KEY = _env("SECRET_KEY", "development-only-not-secret")
    MAIL_BACKEND = _env("MAIL_BACKEND", "log")
    # The local demo lets staff in with the password alone so anyone can try it from the README;
    # set APP_REQUIRE_STAFF_2FA=1 to see the enrolment flow. Production refuses to run without 2FA.
    TWO_FACTOR_REQUIRED_FOR_STAFF = _env_bool("APP_REQUIRE_STAFF_2FA", False)


class TestConfig(BaseConfig):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105 (tests only)
    SQLALCHEMY_DATABASE_URI = _env("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    # Cheap hashing keeps the suite fast; the production parameters are tested separately.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    MAIL_BACKEND = "smtp"
    MATCHING_EMBEDDER = "hashing"
    MATCHING_INDEX_REFRESH = "inline"
    SERVER_NAME = None
    # Security: feature tests log staff in through the password form alone; the two-factor tests
    # (tests/security) switch this back on. Production refuses to start with it off.
    TWO_FACTOR_REQUIRED_FOR_STAFF = False


class ProductionConfig(BaseConfig):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    SECURITY_HSTS = True
    # Unset means memory, which keeps one counter per gunicorn worker: every limit would be
    # multiplied by the number of workers. validate() refuses it unless explicitly allowed.
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI") or "memory://"
    ALLOW_MEMORY_RATELIMIT = _env_bool("APP_ALLOW_MEMORY_RATELIMIT", False)

    @classmethod
    def validate(cls) -> None:
        if not cls.SECRET_KEY or len(cls.SECRET_KEY) < 32:
            raise ConfigurationError(
                "SECRET_KEY must be set to at least 32 random characters in production."
            )
        if not os.environ.get("DATABASE_URL"):
            raise ConfigurationError("DATABASE_URL must be set in production.")
        # Security: staff two-factor log-in cannot be switched off in production.
        if not cls.TWO_FACTOR_REQUIRED_FOR_STAFF:
            raise ConfigurationError("TWO_FACTOR_REQUIRED_FOR_STAFF must stay on in production.")
        if uses_memory_ratelimit(cls.RATELIMIT_STORAGE_URI) and not cls.ALLOW_MEMORY_RATELIMIT:
            raise ConfigurationError(
                "RATELIMIT_STORAGE_URI must name a shared store (e.g. redis://...) in production: "
                "in-memory counters are per process, so gunicorn workers multiply every limit. "
                "Set APP_ALLOW_MEMORY_RATELIMIT=1 to run with memory storage anyway "
                "(a single-process server only)."
            )


CONFIGS: dict[str, type[BaseConfig]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def get_config(name: str | None) -> type[BaseConfig]:
    """Return the settings class for an environment name (APP_ENV, default development)."""
    chosen = name or os.environ.get("APP_ENV", "development")
    try:
        return CONFIGS[chosen]
    except KeyError as exc:
        raise ConfigurationError(f"Unknown configuration {chosen!r}.") from exc
