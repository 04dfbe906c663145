from django.urls import path

from treatments import views

app_name = "treatments"
urlpatterns = [
    path("clinic/", views.neurologist_home, name="neurologist_home"),
    path("follow-ups/", views.followup_queue, name="followup_queue"),
]
