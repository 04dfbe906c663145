from django.urls import path

from patients.views import (
    care_teams,
    diary,
    emergency,
    history,
    invitations,
    registration,
    reminders,
)

app_name = "patients"
urlpatterns = [
    path("today/", diary.today, name="today"),
    path("history/", history.history, name="history"),
    path("reminders/", reminders.reminders, name="reminders"),
    path("patients/", registration.patient_list, name="patient_list"),
    path("patients/new/", registration.patient_create, name="patient_create"),
    path("patients/hand-over/", care_teams.care_team_handover, name="care_team_handover"),
    path("patients/<uuid:patient_uuid>/", registration.patient_edit, name="patient_edit"),
    path(
        "patients/<uuid:patient_uuid>/invite/", registration.patient_invite, name="patient_invite"
    ),
    path(
        "patients/<uuid:patient_uuid>/diary/<str:day>/",
        diary.diary_entry_edit,
        name="diary_entry_edit",
    ),
    path("emergency-access/", emergency.emergency_access, name="emergency_access"),
    path("invitation/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
]
