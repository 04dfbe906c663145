"""Users and roles, the audit trail and the in-app inbox."""

from __future__ import annotations

import uuid

from django.contrib.auth.hashers import is_password_usable
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac


class UserManager(DjangoUserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """``manage.py createsuperuser`` makes the clinic's administrator: the role is what
        gives the admin site, asks for two-factor and opens the Administration start page."""
        extra_fields.setdefault("role", "admin")
        if extra_fields["role"] != "admin":
            raise ValueError("A superuser is an administrator: role must be 'admin'.")
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in: a patient, a neurologist, clinic staff or an administrator.

    The role alone decides what a user may do: ``is_staff`` and ``is_superuser`` (Django's
    admin site and its permissions) follow it at every save (``access_follows_role``), so
    a user made an administrator gets the admin site and one who is no longer loses it.
    """

    class Role(models.TextChoices):
        PATIENT = "patient", "Patient"
        NEUROLOGIST = "neurologist", "Neurologist"
        STAFF = "staff", "Clinic staff"
        ADMIN = "admin", "Administrator"

    class Theme(models.TextChoices):
        AUTO = "auto", "Follow the device"
        LIGHT = "light", "Light"
        DARK = "dark", "Dark"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PATIENT)
    theme = models.CharField(max_length=8, choices=Theme.choices, default=Theme.AUTO)
    # Raised when two-factor is turned on, moved to a new authenticator or turned off: it
    # enters the session auth hash, so the user's other sessions end as after a password
    # change (``update_session_auth_hash`` keeps the current one).
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    # A locum's or temporary colleague's last day, the clinic's date: the account signs in
    # to the end of it (``clinic.backends``), then beat switches it off
    # (``clinic.account_end``). Empty: no end.
    access_until = models.DateField(
        "Access until",
        null=True,
        blank=True,
        help_text=(
            "The last day this account may sign in (a locum's cover, say), in the clinic's "
            "time zone; the next day it is switched off. Leave empty for no end."
        ),
    )

    objects = UserManager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["patient", "neurologist", "staff", "admin"]),
                name="user_role_known",
            ),
            # Sign-in takes the username in any case (clinic/backends.py): one person each.
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_unique_any_case",
                violation_error_message="That username is taken.",
            ),
        ]

    @property
    def is_clinician(self) -> bool:
        """Neurologists, staff and admins: the roles that must use two-factor sign-in."""
        return self.role in {self.Role.NEUROLOGIST, self.Role.STAFF, self.Role.ADMIN}

    def access_ended(self, today) -> bool:
        """Whether ``today`` (the clinic's date) is past the account's last day."""
        return self.access_until is not None and self.access_until < today

    @property
    def has_patient_record(self) -> bool:
        """Whether a patient's record is linked to this account (one query)."""
        return User.objects.filter(pk=self.pk, patient__isnull=False).exists()

    KEPT_ON_CARE_TEAMS = (
        "on the care team of {count} patient(s): switch the account off instead (Clinic → "
        "Active unticked); it stays named on those care teams until staff choose another "
        "neurologist"
    )

    def care_teams_kept(self) -> str | None:
        """Why this account may not be deleted, or None: one on a patient's care team is
        switched off instead, as a neurologist who leaves is, so the record still names
        them until staff choose another (a deletion would drop them without a trace). One
        query; the count only, no patient is named."""
        count = User.objects.filter(pk=self.pk, care_patients__isnull=False).count()
        return self.KEPT_ON_CARE_TEAMS.format(count=count) if count else None

    def _get_session_auth_hash(self, secret=None) -> str:
        """Django's HMAC of the password, with ``session_generation`` mixed in once raised
        (Django derives both the current and the SECRET_KEY_FALLBACKS hashes from this).
        Generation 0 gives Django's own hash, so existing sessions stay valid."""
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "clinic.models.User.get_session_auth_hash",
            f"{self.password}#{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def save(self, *args, **kwargs) -> None:
        """A full save of an existing user writes every field but ``session_generation``.

        Only ``clinic.two_factor.end_sessions_of`` changes it, with an UPDATE of its own:
        an object loaded before that (a password change, an admin edit) must not write the
        old value back and so re-open the sessions it ended. A new user is saved whole; an
        explicit ``update_fields`` is taken as given (with the access flags when it names
        the role: ``access_follows_role``). The object's own value is left as
        loaded: a session hash computed from it after an ``end_sessions_of`` it did not see
        ends that session too (``two_factor._end_other_sessions`` refreshes it where a view
        keeps its own session).
        """
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            saves_role = "role" not in self.get_deferred_fields()
        else:
            saves_role = "role" in update_fields
        if saves_role:
            self.access_follows_role()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "is_staff", "is_superuser"}
        ends_feeds = self._ends_calendar_feeds()
        existing = not self._state.adding and not kwargs.get("force_insert")
        if existing and not args and kwargs.get("update_fields") is None:
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                field.attname
                for field in self._meta.concrete_fields
                if not field.primary_key
                and field.attname not in deferred
                and field.name != "session_generation"
            ]
        super().save(*args, **kwargs)
        if ends_feeds:
            CalendarFeedToken.revoke_all_of(self.pk)
        self._loaded_feed_state = self._feed_state()

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._loaded_feed_state = user._feed_state()
        return user

    def _feed_state(self) -> tuple[bool | None, str | None, bool | None]:
        """What a calendar feed address was made under, as loaded (None: not loaded; a
        deferred field is not read, which would cost a query): active, role, and whether
        the password could sign in."""
        loaded = self.__dict__
        password = loaded.get("password")
        usable = None if password is None else is_password_usable(password)
        return loaded.get("is_active"), loaded.get("role"), usable

    def _ends_calendar_feeds(self) -> bool:
        """Whether this save ends the user's calendar feed addresses (``CalendarFeedToken``):
        a new password (``set_password``; not the rehash Django does at sign-in) or password
        sign-in switched off, or an account that was active staff and no longer is
        (switched off, another role). Switching it back does not revive an address: the
        user makes a new one."""
        if self._state.adding:
            return False
        if self._password is not None:
            return True
        was_active, was_role, was_usable = getattr(self, "_loaded_feed_state", (None, None, None))
        if was_usable and not is_password_usable(self.password):
            return True
        if not (was_active is True and was_role == self.Role.STAFF):
            return False
        return not (self.is_active and self.role == self.Role.STAFF)

    def access_follows_role(self) -> None:
        """The admin site (``is_staff``) and its permissions (``is_superuser``) are the
        administrator's, and only theirs."""
        administrator = self.role == self.Role.ADMIN
        self.is_staff = administrator
        self.is_superuser = administrator

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[override]
        raise PermissionError("Audit events are append-only")

    def delete(self):  # type: ignore[override]
        raise PermissionError("Audit events are append-only")


class AuditEvent(models.Model):
    """One access to, or change of, clinical data; append-only, never holds health data."""

    class Action(models.TextChoices):
        VIEW = "view", "View"
        CREATE = "create", "Create"
        UPDATE = "update", "Update"
        DELETE = "delete", "Delete"
        EXPORT = "export", "Export"
        LOGIN = "login", "Login"
        LOGIN_FAILED = "login_failed", "Failed login"
        LOGOUT = "logout", "Logout"
        BREAK_GLASS = "break_glass", "Emergency access"
        # An emergency-access lookup whose record number matched nobody (no number kept).
        BREAK_GLASS_MISS = "break_glass_miss", "Emergency access: no match"
        # A patient's page refused for being out of the user's scope (answered 404).
        REFUSED = "refused", "Access refused"

    actor = models.ForeignKey(
        "clinic.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    # A plain UUID, not a foreign key: the trail must outlive and never cascade from the record.
    patient_uuid = models.UUIDField(null=True, blank=True, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    path = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["actor", "created"])]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_username or 'anonymous'} at {self.created}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only")


class EmergencyAccess(models.Model):
    """A break-glass grant: a neurologist opens a patient outside the care team, for a while.

    The patient is a plain UUID, as in AuditEvent (clinic names no other app, and the grant
    is part of the trail). Who may see whom still lives only in patients/access.py, which
    reads the unexpired grants.
    """

    DURATION_MINUTES = 60
    REASON_MIN_LENGTH = 10

    neurologist = models.ForeignKey(
        "clinic.User", on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    patient_uuid = models.UUIDField(db_index=True)
    reason = models.TextField(validators=[MinLengthValidator(REASON_MIN_LENGTH)])
    started = models.DateTimeField()
    expires = models.DateTimeField()

    class Meta:
        ordering = ["-started", "-id"]
        verbose_name_plural = "emergency accesses"
        indexes = [models.Index(fields=["neurologist", "expires"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires__gt=models.F("started")),
                name="emergency_access_expires_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"Emergency access by {self.neurologist_id} at {self.started:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """A message in a user's in-app inbox; email goes beside it, never instead of it."""

    recipient = models.ForeignKey(
        "clinic.User", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True)
    # The patient the message is about, if any (e.g. a cycle alert): the inbox shows it only
    # while the recipient may see that patient (clinic/inbox.py). No FK: clinic imports no app.
    patient_uuid = models.UUIDField(null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        # Not the text: admin pages name objects by str() and the text can be clinical.
        return f"{self.kind} #{self.pk}"


class Heartbeat(models.Model):
    """The last time a background process proved it was alive (shown by /healthz)."""

    name = models.CharField(max_length=40, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


class Delivery(models.Model):
    """One notification to one user, recorded under a unique key before it is sent.

    The key is (recipient, kind, key): e.g. a diary reminder for one local date, or an
    appointment reminder for one follow-up at one booked time. A sender claims the row
    (``select_for_update(skip_locked=True)``) inside the transaction that writes the
    in-app Notification and marks it sent, so a retry, a second worker or a second beat
    tick never sends it twice. Pending rows are the outbox the scan re-enqueues.
    """

    recipient = models.ForeignKey("clinic.User", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=80)
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True)
    # Copied onto the Notification it becomes (see Notification.patient_uuid).
    patient_uuid = models.UUIDField(null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    notification = models.OneToOneField(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="delivery"
    )

    class Email(models.TextChoices):
        """The email beside the inbox entry (clinic/notify.py ``send_owed_email``)."""

        NONE = "", "none"  # no address, no message, or recorded before emails were owed
        OWED = "owed", "owed"  # the inbox entry is written; the mail server has not taken it
        SENT = "sent", "sent"
        REFUSED = "refused", "refused for good"  # the server refused the address (5xx)

    email = models.CharField(max_length=10, choices=Email.choices, default=Email.NONE, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "key"], name="delivery_once_per_key"
            )
        ]
        indexes = [
            models.Index(fields=["sent_at", "enqueued_at"]),
            models.Index(fields=["email", "enqueued_at"]),
        ]

    def __str__(self) -> str:
        # Not the key: admin pages name objects by str(), and a cycle alert's key names the
        # patient and the treatment response.
        return f"{self.kind} #{self.pk}"


class CalendarFeedToken(models.Model):
    """A secret, revocable iCalendar feed address of one staff member (only its hash is kept)."""

    user = models.ForeignKey(
        "clinic.User", on_delete=models.CASCADE, related_name="calendar_feed_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    @classmethod
    def revoke_all_of(cls, user_id: int) -> int:
        """Revoke every active feed address of ``user_id``; returns how many were active.
        The one place feeds end: the user's own "Revoke", a new password, the account
        switched off or no longer staff, a lost authenticator deleted."""
        return cls.objects.filter(user_id=user_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "active"
        return f"Calendar feed of {self.user_id} ({state})"


class PasswordResetAsk(models.Model):
    """One "Forgot your password?" ask, kept an hour or so to limit them
    (clinic/password_reset.py): the address as a keyed digest (never the address itself)
    and the connection's address."""

    address_digest = models.CharField(max_length=64)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    created = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["address_digest", "created"]),
            models.Index(fields=["client_address", "created"]),
        ]

    def __str__(self) -> str:
        return f"Password reset ask at {self.created}"
