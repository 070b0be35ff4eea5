"""AgentNet settings: one file, driven by environment variables (see README)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
# Production is DJANGO_DEBUG=False, said explicitly (agentnet/wsgi.py says it for the server
# unless told otherwise): then nothing falls back to a development value. Without the
# variable (the test suite, management commands on a developer's machine) DEBUG is off as
# well, but the development fallbacks below still apply.
PRODUCTION = os.environ.get("DJANGO_DEBUG", "").strip().lower() in {"0", "false", "no", "off"}


def production_setting(name, development_default):
    """The variable's value; in production a missing one stops the server from starting."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(
            f"{name} must be set when DJANGO_DEBUG is False (see README.md, Deploying)."
        )
    return development_default


SECRET_KEY = production_setting(
    "DJANGO_SECRET_KEY", "django-insecure-agentnet-development-only-key-do-not-deploy"
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
# The portal's address, for links in e-mails: in production the one people reach it at,
# never a guess.
SITE_URL = production_setting("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "agents",
    "projects",
    "meetings",
    "competencies",
    # Site-wide parts above the apps: the demo command.
    "agentnet",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "social_django",
    "django_tasks_db",
]

MIDDLEWARE = [
    # Outermost, so that every response carries the policy: static files, the redirect to
    # https, and an error page whatever raised it.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The language first, so that the 404 of an address with a NUL is in the reader's.
    "agentnet.middleware.DanishFirstLocaleMiddleware",
    # Before the session: a session cookie with a NUL is dropped before it is looked up.
    "agentnet.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Must come last: it turns a lockout raised by the backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "agentnet.urls"
WSGI_APPLICATION = "agentnet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agentnet.context_processors.roles",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL points elsewhere (e.g. PostgreSQL).
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'agentnet.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# No server-side cursors: a model choice field reads its choices with QuerySet.iterator(),
# which on PostgreSQL opens a cursor held past the commit (DECLARE, two FETCHes, CLOSE:
# four round trips) for a list of a dozen rows. The export's iterator() then gets its rows
# in one result, which a municipality's portfolio allows; a connection pooler in
# transaction mode needs the setting anyway.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions and WAL keep concurrent requests from failing with
    # "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "agents.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: after AXES_FAILURE_LIMIT wrong passwords for one user name from one
# address, further attempts are refused until the cool-off has passed.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The client's address, from the proxy's header only when one is in front (agentnet/proxy.py).
AXES_CLIENT_IP_CALLABLE = "agentnet.proxy.client_ip"

# Single sign-on with the municipality's work accounts by OpenID Connect (Entra ID, AD FS,
# OS2faktor Login; docs/deployment.md). On only when OIDC_ISSUER is set: without it the
# portal has its own passwords and nothing else. What the sign-in does with a person
# (matching, roles, manager) is in agents/sso.py.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").strip().rstrip("/")
SSO_ENABLED = bool(OIDC_ISSUER)
# Hides the password form for everyone but superusers (who keep it as the way in when the
# identity provider is down).
SSO_ONLY = SSO_ENABLED and env_bool("SSO_ONLY")
# The claims that carry the person's app roles and (where HR provides it) their manager's
# e-mail address; empty turns that part off and AgentNet's admin keeps the groups or the
# managers. With a manager claim, managers come from it and no form sets them.
OIDC_ROLES_CLAIM = os.environ.get("OIDC_ROLES_CLAIM", "roles").strip()
OIDC_MANAGER_CLAIM = os.environ.get("OIDC_MANAGER_CLAIM", "").strip()
if SSO_ENABLED:
    from urllib.parse import urlsplit

    from django.core.exceptions import ImproperlyConfigured

    _issuer = urlsplit(OIDC_ISSUER)
    # One tenant: Entra's multi-tenant endpoints would let any organisation's accounts in.
    if {"common", "organizations", "consumers"} & set(_issuer.path.split("/")):
        raise ImproperlyConfigured("OIDC_ISSUER must name one tenant, not a shared endpoint.")
    if _issuer.scheme != "https" and _issuer.hostname not in {"localhost", "127.0.0.1"}:
        raise ImproperlyConfigured("OIDC_ISSUER must be an https:// address.")
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "agents.sso.WorkAccount"]
    SOCIAL_AUTH_OIDC_OIDC_ENDPOINT = OIDC_ISSUER
    # The ID token's `iss` must be this exact issuer, not only what discovery says.
    SOCIAL_AUTH_OIDC_ID_TOKEN_ISSUER = OIDC_ISSUER
    SOCIAL_AUTH_OIDC_KEY = os.environ.get("OIDC_CLIENT_ID", "")
    SOCIAL_AUTH_OIDC_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
    if not (SOCIAL_AUTH_OIDC_KEY and SOCIAL_AUTH_OIDC_SECRET):
        raise ImproperlyConfigured("OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.")
# The sign-in and sign-out forms send the browser on to the identity provider.
SSO_FORM_ACTION = [f"{_issuer.scheme}://{_issuer.netloc}"] if SSO_ENABLED else []
SOCIAL_AUTH_OIDC_USE_PKCE = True
SOCIAL_AUTH_PIPELINE = (
    "social_core.pipeline.social_auth.social_details",
    "social_core.pipeline.social_auth.social_names",
    "social_core.pipeline.social_auth.social_uid",
    "agents.sso.refuse_disabled_account",
    "agents.sso.find_person",
    "agents.sso.create_person",
    "social_core.pipeline.social_auth.associate_user",
    "agents.sso.remember_sign_in",
    "agents.sso.update_person",
    "agents.sso.sync_roles",
    "agents.sso.sync_manager",
)
# Sign-in errors become a message on the sign-in page (agents.views.sso_complete).
SOCIAL_AUTH_LOGIN_ERROR_URL = "login"
SOCIAL_AUTH_RAISE_EXCEPTIONS = False

# The municipality's IT systems, their superusers and IT contacts read from OS2kitos
# (agents/kitos, `manage.py sync_kitos`). Off when KITOS_URL is unset: systems are then kept
# by hand in the admin. The user needs API access in KITOS; the role types are found by name.
KITOS_URL = os.environ.get("KITOS_URL", "").strip().rstrip("/")
KITOS_EMAIL = os.environ.get("KITOS_EMAIL", "")
KITOS_PASSWORD = os.environ.get("KITOS_PASSWORD", "")
KITOS_ORGANIZATION_CVR = os.environ.get("KITOS_ORGANIZATION_CVR", "").strip()
KITOS_SUPERUSER_ROLE = os.environ.get("KITOS_SUPERUSER_ROLE", "Superbruger").strip()
KITOS_IT_CONTACT_ROLE = os.environ.get("KITOS_IT_CONTACT_ROLE", "Systemansvarlig").strip()

# Internationalisation: Danish first, English selectable.
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Agenda material is sent by a signed-in view; an nginx `internal` location here (e.g.
# "/protected-media/") lets the proxy send the file instead (docs/deployment.md).
MEDIA_ACCEL_REDIRECT = os.environ.get("DJANGO_MEDIA_ACCEL_REDIRECT", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security. Production is served over HTTPS unless DJANGO_HTTPS=False is said (e.g. a trial
# on a closed network): HSTS, secure cookies and the redirect to https.
HTTPS = env_bool("DJANGO_HTTPS", default=PRODUCTION)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# A refused CSRF check gets the portal's own page, in the reader's language.
CSRF_FAILURE_VIEW = "agentnet.views.csrf_failure"
# A reverse proxy in front (DJANGO_BEHIND_PROXY) says which scheme the browser used and, to
# the login throttling, which address it came from; without it neither header is believed.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY")
# How many proxies in a row add to X-Forwarded-For before the request reaches the portal.
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "1"))
if PROXY_COUNT < 1:
    raise ImproperlyConfigured("DJANGO_PROXY_COUNT counts the proxies in front: 1 or more.")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10
# The cache: each worker's memory, unless REDIS_URL names a Redis server that every worker of
# every server shares (redis://host:6379/0). What is kept in it is keyed by a version of its
# data (a changed heatmap or erfa-day is a new key), so a worker of its own is never stale.
# Sessions are read from a cache and written through to the database: a signed-in request then
# makes no session query. Their cache must be one that every worker reads, or a sign-out on
# one worker would leave the session open on the others: Redis, or without it a directory
# that the workers of one server share (DJANGO_CACHE_DIR; more than one server needs Redis).
REDIS_URL = os.environ.get("REDIS_URL", "")
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        },
    }
    SESSION_CACHE_ALIAS = "default"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "sessions": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("DJANGO_CACHE_DIR", str(VAR_DIR / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        },
    }
    SESSION_CACHE_ALIAS = "sessions"
# The parts of every page that only a deployment changes (the menu, the footer: see
# templates/base.html), drawn once and kept in each worker's memory.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "TIMEOUT": None,
    # A variant per language, section and page name: a few hundred at most.
    "OPTIONS": {"MAX_ENTRIES": 1000},
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline scripts or styles anywhere; scripts carry the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF, *SSO_FORM_ACTION],
    "frame-ancestors": [CSP.NONE],
}

# E-mail: SMTP when DJANGO_EMAIL_HOST is set, otherwise printed to the console.
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["DJANGO_EMAIL_HOST"],
                "port": int(os.environ.get("DJANGO_EMAIL_PORT", "587")),
                "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
                "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", default=True),
            },
        }
        if os.environ.get("DJANGO_EMAIL_HOST")
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
# Background work (mail above all) goes to a queue in the same database, which the worker
# (`manage.py db_worker`, started by `make run` and by its own service in production) sends.
# DJANGO_TASKS=immediate runs each task inside the request instead, as the test suite does.
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("DJANGO_TASKS") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "AgentNet <agentnet@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("AgentNet", a) for a in env_list("DJANGO_ADMINS", "")]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
