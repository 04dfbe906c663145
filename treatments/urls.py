from django.urls import path

from treatments.views import dashboard, followups

app_name = "treatments"
urlpatterns = [
    path("clinic/", dashboard.neurologist_home, name="neurologist_home"),
    path("follow-ups/", followups.followup_queue, name="followup_queue"),
]
