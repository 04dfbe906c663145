from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = "Patients"

    def ready(self) -> None:
        from clinic import inbox, notify
        from patients.access import patient_uuids_visible_to
        from patients.reminders import diary_reminder_still_due
        from patients.selectors.patients import own_time_zone

        notify.register_delivery_check(notify.DIARY_REMINDER, diary_reminder_still_due)
        inbox.register_patient_scope(patient_uuids_visible_to)
        inbox.register_user_time_zone(own_time_zone)
