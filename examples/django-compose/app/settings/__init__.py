# DJANGO_SETTINGS_MODULE picks one: app.settings.dev or app.settings.production.
