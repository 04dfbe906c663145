from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = "Patients"

    def ready(self) -> None:
        from clinic import inbox, notify
        from patients.access import patient_uuids_visible_to
        from patients.reminders import diary_reminder_still_due

        notify.register_delivery_check(notify.DIARY_REMINDER, diary_reminder_still_due)
        inbox.register_patient_scope(patient_uuids_visible_to)
