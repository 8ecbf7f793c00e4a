"""Production: every value comes from the environment the container is started with."""

import os

import dj_database_url

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = env.bool("DEBUG", default=False)
# A comma-separated list, e.g. "example.com,www.example.com".
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "").split(",")
    if host.strip()
]

DATABASES = {
    "default": dj_database_url.config(conn_max_age=600, conn_health_checks=True),
}

CACHES = {
    "default": env.cache("CACHE_URL", default="pymemcache://cache:11211"),
}

CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = EMAIL_PORT == 587

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
