"""Local development under docker compose: values come from compose and .env."""

import os

import dj_database_url

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-a-secret")
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "0.0.0.0"]

DATABASES = {
    "default": dj_database_url.parse(os.environ["DATABASE_URL"]),
}

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://"),
}

CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]

# Mailpit catches every message; its web UI is on http://localhost:8025.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "mail")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "1025"))
