#!/bin/sh
# Runs before every command the image starts (gunicorn, runserver, celery).
set -eu

python manage.py migrate --noinput
python manage.py collectstatic --noinput

exec "$@"
