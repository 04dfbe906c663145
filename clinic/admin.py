from __future__ import annotations

from datetime import datetime

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from clinic.access import LOOKS_AFTER_PATIENTS, looks_after_patients
from clinic.audit import record_event
from clinic.models import AuditEvent, Delivery, EmergencyAccess, Notification, User
from clinic.notify import given_up_before, send_again


class ClinicUserChangeForm(UserChangeForm):
    """The admin's change form of a user: a patient's account keeps the patient role."""

    PATIENT_ROLE_KEPT = (
        "This is a patient's account (it is linked to a patient's record), so it stays a "
        "patient's: another role would open every patient's record to them. A person who "
        "also works at the clinic gets a separate account."
    )

    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        account = self.instance
        linked = account.pk is not None and account.has_patient_record
        if role != User.Role.PATIENT and linked:
            raise ValidationError(self.PATIENT_ROLE_KEPT, code="patient_role_kept")
        if role == User.Role.PATIENT and account.role != role and not linked:
            # Made a patient's, the account would be linked to no record: its start page
            # is the patient's Today, which has nothing to show it.
            raise ValidationError(ClinicUserCreationForm.PATIENT_NOT_HERE, code="patient_not_here")
        return role


class ClinicUserCreationForm(AdminUserCreationForm):
    """The admin's add form: a clinic member's account, whose role the administrator
    chooses (none preselected). A patient's account is made by the patient, from the
    invitation sent from their record, which links the two."""

    PATIENT_NOT_HERE = (
        "A patient's account is made by the patient, from the invitation sent from their "
        "record (Patients → the patient → Send the invitation): one made here would be "
        "linked to no record. Choose the role of the clinic member."
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields.get("role")
        if role is not None:
            role.choices = [("", "Choose the role…"), *User.Role.choices]
            role.initial = None
            self.initial.pop("role", None)

    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        if role == User.Role.PATIENT:
            raise ValidationError(self.PATIENT_NOT_HERE, code="patient_not_here")
        return role


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = ClinicUserChangeForm
    add_form = ClinicUserCreationForm
    list_display = ("username", "first_name", "last_name", "role", "is_active", "access_until")
    list_filter = ("role", "is_active")
    # No staff, superuser, group or permission boxes: they follow the role
    # (``User.access_follows_role``), so a box ticked here would be silently undone.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Clinic", {"fields": ("role", "is_active", "access_until", "theme")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    # The address at once: a clinician added without a password chooses theirs by email.
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Clinic", {"fields": ("role", "first_name", "last_name", "email", "access_until")}),
    )
    # A patient's account takes its name and address from the patient's record, where staff
    # correct them (patients.services.registration._sync_account): typed here they would
    # disagree with it, and the next edit of the record would put the old ones back.
    PATIENT_RECORD_FIELDS = ("first_name", "last_name", "email")
    PATIENT_RECORD_NOTE = (
        "A patient's name and email address are corrected on the patient's record "
        "(Patients → the patient → Edit), which copies them to the account."
    )

    def get_deleted_objects(self, objs, request):
        """The delete page refuses an account on a care team, saying why (``protected``):
        ``User.care_teams_kept``."""
        deleted, counts, permissions_needed, protected = super().get_deleted_objects(objs, request)
        for user in objs:
            reason = user.care_teams_kept()
            if reason:
                protected = [*protected, f"{user.username}: {reason}"]
        return deleted, counts, permissions_needed, protected

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and obj.role == User.Role.PATIENT:
            fields += self.PATIENT_RECORD_FIELDS
        return fields

    def save_model(self, request, obj, form, change) -> None:
        """A neurologist switched off, or given another role, stays on their patients'
        care teams until staff choose another: say how many patients that leaves without
        an active neurologist, and where staff find them."""
        was_looking_after = change and User.objects.filter(LOOKS_AFTER_PATIENTS, pk=obj.pk).exists()
        super().save_model(request, obj, form, change)
        if was_looking_after and not looks_after_patients(obj):
            self._tell_patients_left(request, obj)

    def _tell_patients_left(self, request, member: User) -> None:
        # ``care_patients``: the reverse name of the patients' care team (clinic names no app).
        memberships = User.care_patients.through.objects.filter(
            patient=OuterRef("pk"), user__in=User.objects.filter(LOOKS_AFTER_PATIENTS)
        )
        patients = member.care_patients.all()
        total = patients.count()
        if not total:
            return
        alone = patients.exclude(Exists(memberships)).count()
        messages.warning(
            request,
            format_html(
                "{} is still on the care team of {} patient{}; {} of them have no other "
                "active neurologist, so nobody sees their diary or gets their alerts until "
                'staff choose another neurologist: <a href="{}?care=none">Patients with no '
                'active neurologist</a>, or <a href="{}?from={}">hand over their patients</a>.',
                str(member),
                total,
                "" if total == 1 else "s",
                alone,
                reverse("patients:patient_list"),
                reverse("patients:care_team_handover"),
                member.uuid,
            ),
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.role != User.Role.PATIENT:
            return fieldsets
        return tuple(
            (name, {**options, "description": self.PATIENT_RECORD_NOTE})
            if name == "Personal info"
            else (name, options)
            for name, options in fieldsets
        )


def moment_with_offset(moment: datetime | None) -> str:
    """``moment`` on the clinic's clock with its zone and UTC offset, '26 Oct 2025,
    01:30:00 GMT (UTC+00:00)': on the night the clocks go back an hour happens twice, and
    a trail must tell which."""
    if moment is None:
        return "-"
    local = timezone.localtime(moment)
    offset = f"{local:%z}"
    return f"{local:%d %b %Y, %H:%M:%S} {local:%Z} (UTC{offset[:3]}:{offset[3:]})"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable, never added, changed or deleted through the admin, even by superusers."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The trail is append-only. Filter by patient (?patient_uuid=), actor and date."""

    list_display = (
        "when",
        "actor_username",
        "action",
        "patient_uuid",
        "object_type",
        "object_id",
        "path",
        "ip_address",
    )
    list_filter = ("action", "created")
    search_fields = ("actor_username", "=patient_uuid", "=object_id")
    date_hierarchy = "created"
    show_full_result_count = False  # the trail grows large; skip the second COUNT
    fields = (
        "when",
        "actor",
        "actor_username",
        "action",
        "patient_uuid",
        "object_type",
        "object_id",
        "path",
        "ip_address",
    )
    readonly_fields = ("when",)

    @admin.display(description="Time", ordering="created")
    def when(self, event: AuditEvent) -> str:
        return moment_with_offset(event.created)

    def lookup_allowed(self, lookup, value, request=None) -> bool:
        # Links like ?patient_uuid=<uuid>&actor_username=<name> from the grants page.
        if lookup in {"patient_uuid", "actor_username", "actor__id__exact"}:
            return True
        return super().lookup_allowed(lookup, value, request)


@admin.register(EmergencyAccess)
class EmergencyAccessAdmin(ReadOnlyAdmin):
    """Every break-glass grant with its reason, for review."""

    list_display = ("started_at", "neurologist", "patient_uuid", "expires_at", "reason")
    fields = ("started_at", "expires_at", "neurologist", "patient_uuid", "reason")
    readonly_fields = ("started_at", "expires_at")
    list_filter = ("started",)
    search_fields = ("neurologist__username", "=patient_uuid")
    date_hierarchy = "started"
    list_select_related = ("neurologist",)

    @admin.display(description="Started", ordering="started")
    def started_at(self, grant: EmergencyAccess) -> str:
        return moment_with_offset(grant.started)

    @admin.display(description="Expires", ordering="expires")
    def expires_at(self, grant: EmergencyAccess) -> str:
        return moment_with_offset(grant.expires)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Delivery state only: a notification's text can be clinical (a cycle alert names the
    patient and the treatment response), which is for the care team, not administrators."""

    list_display = ("created", "recipient", "kind", "read_at")
    list_filter = ("kind",)
    fields = ("recipient", "kind", "read_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        """Written by the app only: moved to another recipient, a notice would show that
        user a patient's appointment. An admin may look, or delete (a request to erase)."""
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """The notification outbox, for the clinic's IT person: which inbox entries are still
    pending and which emails are owed (the mail server has not taken them yet: retried
    with backoff, then by the scan, for ``notify.GIVE_UP_AFTER``) or refused for good (the
    server refused the address: fix it on the account or the patient's record). Never the
    text, link, key or patient: a cycle alert's name the patient and the treatment response."""

    list_display = (
        "created_at",
        "recipient",
        "kind",
        "inbox",
        "email_state",
        "attempts",
        "enqueued",
    )
    list_filter = ("email", "kind", "created")
    search_fields = ("recipient__username",)
    date_hierarchy = "created"
    list_select_related = ("recipient",)
    show_full_result_count = False
    fields = (
        "created_at",
        "recipient",
        "kind",
        "inbox",
        "email_state",
        "attempts",
        "enqueued",
    )
    readonly_fields = ("created_at", "inbox", "email_state", "enqueued")
    actions = ("send_again",)

    def has_send_again_permission(self, request) -> bool:
        """Whoever may see the outbox may send again what it still owes (the rows are not
        changed by hand: the sender does it, once)."""
        return self.has_view_permission(request)

    @admin.action(
        description="Send again (owed emails, pending inbox entries)", permissions=["send_again"]
    )
    def send_again(self, request, queryset) -> None:
        """Publish again the selected deliveries that still owe an email or an inbox entry,
        given up or not (``notify.send_again``): each goes out at most once. Each one sent
        again is in the audit trail; the others are skipped, and the message says so."""
        selected = list(queryset.values_list("pk", flat=True))
        published = send_again(selected)
        for delivery in Delivery.objects.filter(pk__in=published):
            record_event(request=request, action=AuditEvent.Action.UPDATE, obj=delivery)
        skipped = len(selected) - len(published)
        if published:
            self.message_user(request, f"{len(published)} sent again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} skipped: nothing owed (already sent, refused for good or closed), "
                "or the broker is unavailable.",
                messages.WARNING,
            )

    @admin.display(description="Recorded", ordering="created")
    def created_at(self, delivery: Delivery) -> str:
        return moment_with_offset(delivery.created)

    @staticmethod
    def _given_up(delivery: Delivery) -> bool:
        return delivery.created < given_up_before(timezone.now())

    @admin.display(description="Inbox entry")
    def inbox(self, delivery: Delivery) -> str:
        if delivery.sent_at is None:
            return "pending, given up" if self._given_up(delivery) else "pending"
        if delivery.notification_id is None:
            return f"closed without a message, {moment_with_offset(delivery.sent_at)}"
        return f"written {moment_with_offset(delivery.sent_at)}"

    @admin.display(description="Email", ordering="email")
    def email_state(self, delivery: Delivery) -> str:
        """Owed past the give-up age: nothing will send it (``notify.GIVE_UP_AFTER``)."""
        if delivery.email == Delivery.Email.OWED and self._given_up(delivery):
            return "owed, given up"
        return delivery.get_email_display()

    @admin.display(description="Last published", ordering="enqueued_at")
    def enqueued(self, delivery: Delivery) -> str:
        return moment_with_offset(delivery.enqueued_at)
