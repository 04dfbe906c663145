from django.urls import path

from treatments.views import calendar, charts, dashboard, followups, my_chart

app_name = "treatments"
urlpatterns = [
    path("clinic/", dashboard.neurologist_home, name="neurologist_home"),
    path("follow-ups/", followups.followup_queue, name="followup_queue"),
    path("patients/<uuid:patient_uuid>/chart/", charts.chart, name="chart"),
    path("my-chart/", my_chart.my_chart, name="my_chart"),
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
        "follow-ups/<uuid:followup_uuid>/early/",
        followups.followup_approve_early,
        name="followup_approve_early",
    ),
    path(
        "calendar/<slug:token>.ics",
        calendar.followup_calendar_feed,
        name="followup_calendar_feed",
    ),
]
