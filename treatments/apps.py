from django.apps import AppConfig


class TreatmentsConfig(AppConfig):
    name = "treatments"
    verbose_name = "Treatments"

    def ready(self) -> None:
        from treatments import followup_receivers, receivers

        receivers.connect()
        followup_receivers.connect()
