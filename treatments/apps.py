from django.apps import AppConfig


class TreatmentsConfig(AppConfig):
    name = "treatments"
    verbose_name = "Treatments"

    def ready(self) -> None:
        from clinic import notify
        from treatments import followup_receivers, receivers
        from treatments.services.delivery_checks import (
            appointment_still_booked,
            appointment_still_cancelled,
            may_receive_cycle_alert,
        )

        receivers.connect()
        followup_receivers.connect()
        notify.register_delivery_check(notify.CYCLE_ALERT, may_receive_cycle_alert)
        # A booking notice or reminder goes out only while the booking it names stands.
        notify.register_delivery_check(notify.APPOINTMENT_BOOKED, appointment_still_booked)
        notify.register_delivery_check(notify.APPOINTMENT_REMINDER, appointment_still_booked)
        notify.register_delivery_check(notify.APPOINTMENT_CANCELLED, appointment_still_cancelled)
