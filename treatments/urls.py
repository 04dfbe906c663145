from django.urls import path

from treatments.views import (
    assessments,
    calendar,
    care,
    charts,
    courses,
    dashboard,
    followups,
    my_chart,
    my_record,
    visits,
)

app_name = "treatments"

PATIENT = "patients/<uuid:patient_uuid>/"
VISIT = PATIENT + "visits/<uuid:visit_uuid>/"

urlpatterns = [
    path("clinic/", dashboard.neurologist_home, name="neurologist_home"),
    path("follow-ups/", followups.followup_queue, name="followup_queue"),
    path("patients/<uuid:patient_uuid>/chart/", charts.chart, name="chart"),
    path("my-chart/", my_chart.my_chart, name="my_chart"),
    path("my-record/", my_record.my_record_export, name="my_record_export"),
    path("follow-ups/day/", followups.followup_day, name="followup_day"),
    path("follow-ups/calendar/", calendar.followup_calendar, name="followup_calendar"),
    path("follow-ups/<uuid:followup_uuid>/", followups.followup_detail, name="followup_detail"),
    path(
        "follow-ups/<uuid:followup_uuid>/schedule/",
        followups.followup_schedule,
        name="followup_schedule",
    ),
    path(
        "follow-ups/<uuid:followup_uuid>/status/",
        followups.followup_status,
        name="followup_status",
    ),
    path(
        "follow-ups/<uuid:followup_uuid>/reopen/",
        followups.followup_reopen,
        name="followup_reopen",
    ),
    path(
        "follow-ups/<uuid:followup_uuid>/early/",
        followups.followup_approve_early,
        name="followup_approve_early",
    ),
    path(
        "calendar/<slug:token>.ics",
        calendar.followup_calendar_feed,
        name="followup_calendar_feed",
    ),
    path(PATIENT + "follow-ups/", followups.patient_followups_list, name="patient_followups"),
    path(PATIENT + "leave-care/", care.patient_leave_care, name="patient_leave_care"),
    # injection visits
    path(PATIENT + "record/", my_record.patient_record_export, name="patient_record_export"),
    path(PATIENT + "visits/", visits.visit_list, name="visit_list"),
    path(PATIENT + "visits/new/", visits.visit_create, name="visit_create"),
    path(VISIT, visits.visit_detail, name="visit_detail"),
    path(VISIT + "edit/", visits.visit_edit, name="visit_edit"),
    path(VISIT + "error/", visits.visit_error, name="visit_error"),
    # other treatments
    path(PATIENT + "treatments/", courses.course_list, name="course_list"),
    path(PATIENT + "treatments/new/", courses.course_create, name="course_create"),
    path(PATIENT + "treatments/<uuid:course_uuid>/edit/", courses.course_edit, name="course_edit"),
    path(
        PATIENT + "treatments/<uuid:course_uuid>/error/", courses.course_error, name="course_error"
    ),
    # assessments (rating scales)
    path(PATIENT + "assessments/", assessments.assessment_list, name="assessment_list"),
    path(PATIENT + "assessments/new/", assessments.assessment_create, name="assessment_create"),
    path(
        PATIENT + "assessments/<uuid:assessment_uuid>/edit/",
        assessments.assessment_edit,
        name="assessment_edit",
    ),
]
