from django.urls import path

from treatments.views import charts, dashboard, followups, my_chart

app_name = "treatments"
urlpatterns = [
    path("clinic/", dashboard.neurologist_home, name="neurologist_home"),
    path("follow-ups/", followups.followup_queue, name="followup_queue"),
    path("patients/<uuid:patient_uuid>/chart/", charts.chart, name="chart"),
    path("my-chart/", my_chart.my_chart, name="my_chart"),
]
