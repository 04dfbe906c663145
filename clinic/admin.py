from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from clinic.models import AuditEvent, Notification, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (*BaseUserAdmin.fieldsets, ("Clinic", {"fields": ("role", "theme")}))
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("Clinic", {"fields": ("role",)}))


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only, even for administrators."""

    list_display = ("created", "actor_username", "action", "patient_uuid", "object_type", "path")
    list_filter = ("action", "created")
    search_fields = ("actor_username", "=patient_uuid")
    date_hierarchy = "created"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Delivery state only: a notification's text can be clinical (a cycle alert names the
    patient and the treatment response), which is for the care team, not administrators."""

    list_display = ("created", "recipient", "kind", "read_at")
    list_filter = ("kind",)
    fields = ("recipient", "kind", "read_at")

    def has_add_permission(self, request) -> bool:
        return False
