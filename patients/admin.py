"""Django admin for the patients app: only the body-region catalog (DESIGN §4: admins edit
catalogs). Patients and diaries are not here: administrators see no clinical data."""

from django.contrib import admin

from patients.models import BodyRegion


@admin.register(BodyRegion)
class BodyRegionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "lateral", "order")
    ordering = ("order", "name")
