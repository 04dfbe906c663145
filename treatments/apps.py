from django.apps import AppConfig


class TreatmentsConfig(AppConfig):
    name = "treatments"
    verbose_name = "Treatments"

    def ready(self) -> None:
        from clinic import notify
        from treatments import followup_receivers, receivers
        from treatments.services.followups import (
            appointment_reminder_still_due,
            may_receive_cycle_alert,
        )

        receivers.connect()
        followup_receivers.connect()
        notify.register_delivery_check(notify.CYCLE_ALERT, may_receive_cycle_alert)
        notify.register_delivery_check(notify.APPOINTMENT_REMINDER, appointment_reminder_still_due)
