from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = "Patients"

    def ready(self) -> None:
        from clinic import notify
        from patients.reminders import diary_reminder_still_due

        notify.register_delivery_check(notify.DIARY_REMINDER, diary_reminder_still_due)
