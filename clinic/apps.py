from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from clinic import checks, signals  # noqa: F401  (registers checks and receivers)
        from clinic.beat import keep_to_schedule_after_migrate

        post_migrate.connect(keep_to_schedule_after_migrate, sender=self)


class ClinicAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the clinic's site (clinic/admin_site.py) as its default; named in
    INSTALLED_APPS (``default = False``: "clinic" itself stays ClinicConfig)."""

    default = False

    default_site = "clinic.admin_site.ClinicAdminSite"
