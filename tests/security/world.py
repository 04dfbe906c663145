"""One of each object, owned by the ``patient`` persona's record, and real URLs to them.

The access matrix and the canary request every URL pattern with the ids of these
objects, so a 404 means "refused", never "no such object". ``World.path`` builds the path
of a route from its converters' names (``patient_uuid``, ``visit_uuid``...); a route with
a converter this module does not know fails with the name to add.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from clinic.audit import record_event
from clinic.models import AuditEvent, Delivery, EmergencyAccess, Notification, User
from clinic.password_reset import reset_link
from patients.days import patient_today
from patients.models import BodyRegion, DiaryEntry, Invitation, Patient, RegionSeverity
from patients.services.invitations import invitation_token, token_hash
from tests.factories import PatientFactory, UserFactory
from tests.urlwalk import Route
from treatments.models import (
    Assessment,
    ClosedDay,
    FollowUp,
    Indication,
    InjectionSite,
    InjectionVisit,
    Muscle,
    ProductTimeline,
    ToxinProduct,
    TreatmentCourse,
)
from treatments.services.followups import calendar_token_create, followups_sync_for_visit

CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


@dataclass
class Markers:
    """What the clinical records of the world's patient carry (the canary looks for them).

    Defaults are ordinary values; the canary passes unique ones.
    """

    diary_note: str = "Neck pulled to the left."
    region_severity: int = 6
    units: Decimal = Decimal("50")
    dilution: Decimal = Decimal("50")
    lot_number: str = "C1234AB"
    visit_notes: str = ""
    assessment_total: Decimal = Decimal("40")
    subscores: dict = field(default_factory=lambda: {"severity": 20, "disability": 12, "pain": 8})
    course_dose: str = "2 mg three times a day"
    course_notes: str = ""
    early_reason: str = ""
    correction_reason: str = ""


@dataclass
class World:
    patient: Patient
    neurologist: User
    staff: User
    diary_entry: DiaryEntry
    visit: InjectionVisit
    course: TreatmentCourse
    assessment: Assessment
    followup: FollowUp
    invited_patient: Patient
    invitation: Invitation
    admin_objects: dict[str, object]

    def values(self) -> dict[str, str]:
        """A value for each URL converter name."""
        return {
            "patient_uuid": str(self.patient.uuid),
            "visit_uuid": str(self.visit.uuid),
            "course_uuid": str(self.course.uuid),
            "assessment_uuid": str(self.assessment.uuid),
            "followup_uuid": str(self.followup.uuid),
            "day": self.diary_entry.date.isoformat(),
        }

    def path(self, route: Route) -> str:
        """The path of ``route`` with this world's objects in it."""
        if route.name == "patients:invitation_accept":
            return f"/invitation/{invitation_token(self.invitation)}/"
        if route.name == "password_reset_confirm":
            # The patient persona's reset link: it opens the set-password step.
            return reset_link(self.patient.user).removeprefix(settings.SITE_URL.rstrip("/"))
        if route.name == "treatments:followup_calendar_feed":
            # A fresh token each time: a staff POST to the calendar page replaces the last.
            return f"/calendar/{calendar_token_create(user=self.staff)}.ics"
        if route.namespace == "admin":
            return self._admin_path(route)
        values = self.values()

        def fill(match: re.Match) -> str:
            name = match.group(2)
            if name not in values:
                raise KeyError(f"tests/security/world.py: no value for <{name}> in {route.name}")
            return values[name]

        return "/" + CONVERTER.sub(fill, route.pattern)

    def _admin_path(self, route: Route) -> str:
        """Admin patterns: a real object of the model the pattern's name or path names."""
        pattern = route.pattern
        if route.name == "admin:app_list":
            return "/admin/treatments/"
        if route.name == "admin:view_on_site":
            user = self.admin_objects["clinic.user"]
            content_type = ContentType.objects.get_for_model(User)
            return f"/admin/r/{content_type.pk}/{user.pk}/"
        if pattern == "admin/(?P<url>.*)$":
            return "/admin/no-such-page/"
        if route.name == "admin:treatments_producttimeline_simple_history":
            timeline = self.admin_objects["treatments.producttimeline"]
            history_id = timeline.history.first().history_id
            return f"/admin/treatments/producttimeline/{timeline.pk}/history/{history_id}/"
        parts = pattern.split("/")
        if "<" not in pattern:
            return "/" + pattern
        if route.name == "admin:auth_user_password_change":
            obj = self.admin_objects["clinic.user"]
        else:
            obj = self.admin_objects[f"{parts[1]}.{parts[2]}"]
        return "/" + CONVERTER.sub(str(obj.pk), pattern)


def build_world(
    *, patient: Patient, neurologist: User, staff: User, markers: Markers | None = None
) -> World:
    """One diary day (with region scores), visit, course, assessment, follow-up,
    invitation (of a second, unregistered patient), and a row for each admin model."""
    markers = markers or Markers()
    today = patient_today(patient)
    entry = DiaryEntry.objects.create(
        patient=patient,
        date=today - timedelta(days=1),
        severity=5,
        pain=3,
        interference=4,
        note=markers.diary_note,
        correction_reason=markers.correction_reason,
    )
    for region in patient.regions.all():
        RegionSeverity.objects.create(
            entry=entry, affected_region=region, severity=markers.region_severity
        )
    product = ToxinProduct.objects.get(code="botox")
    visit = InjectionVisit.objects.create(
        patient=patient,
        date=today - timedelta(days=7),
        indication=Indication.CERVICAL,
        product=product,
        lot_number=markers.lot_number,
        dilution_units_per_ml=markers.dilution,
        guidance=InjectionVisit.Guidance.EMG,
        injector=neurologist,
        notes=markers.visit_notes,
        early_reason=markers.early_reason,
    )
    InjectionSite.objects.create(
        visit=visit,
        muscle=Muscle.objects.get(code="sternocleidomastoid"),
        side="left",
        units=markers.units,
        points=2,
    )
    followups = followups_sync_for_visit(visit=visit)
    course = TreatmentCourse.objects.create(
        patient=patient,
        kind=TreatmentCourse.Kind.ORAL,
        name="Trihexyphenidyl",
        dose_text=markers.course_dose,
        notes=markers.course_notes,
        start=today - timedelta(days=100),
        created_by=neurologist,
    )
    assessment = Assessment.objects.create(
        patient=patient,
        visit=visit,
        date=today - timedelta(days=7),
        scale=Assessment.Scale.TWSTRS,
        total=markers.assessment_total,
        subscores=markers.subscores,
        rated_by=neurologist,
    )
    invited = PatientFactory(care_team=[neurologist], email="invited@example.invalid")
    invitation = Invitation(
        patient=invited, created_by=staff, expires_at=timezone.now() + timedelta(days=7)
    )
    invitation.token_hash = token_hash(invitation_token(invitation))
    invitation.save()
    return World(
        patient=patient,
        neurologist=neurologist,
        staff=staff,
        diary_entry=entry,
        visit=visit,
        course=course,
        assessment=assessment,
        followup=followups[0],
        invited_patient=invited,
        invitation=invitation,
        admin_objects=_admin_objects(neurologist),
    )


def _admin_objects(user: User) -> dict[str, object]:
    """A row of every model registered in the admin, keyed "<app_label>.<model_name>"."""
    record_event(request=None, action=AuditEvent.Action.VIEW, actor=user)
    Notification.objects.create(recipient=user, kind="test", text="A message")
    timeline = ProductTimeline.objects.order_by("pk").first()
    timeline.save()  # a history row for the simple_history pattern
    interval = IntervalSchedule.objects.create(every=10, period=IntervalSchedule.MINUTES)
    return {
        "auth.group": Group.objects.create(name="matrix"),
        "clinic.user": user,
        "clinic.auditevent": AuditEvent.objects.order_by("pk").first(),
        "clinic.notification": Notification.objects.order_by("pk").first(),
        "clinic.delivery": Delivery.objects.create(
            recipient=user, kind="test", key="matrix", text="A message"
        ),
        "patients.bodyregion": BodyRegion.objects.order_by("pk").first(),
        "treatments.toxinproduct": ToxinProduct.objects.order_by("pk").first(),
        "treatments.producttimeline": timeline,
        "treatments.muscle": Muscle.objects.order_by("pk").first(),
        "treatments.closedday": ClosedDay.objects.create(date=date(2026, 12, 25), reason="Holiday"),
        "django_celery_beat.periodictask": PeriodicTask.objects.create(
            name="matrix", task="clinic.tasks.heartbeat", interval=interval
        ),
        "django_celery_beat.clockedschedule": ClockedSchedule.objects.create(
            clocked_time=timezone.now()
        ),
        "django_celery_beat.crontabschedule": CrontabSchedule.objects.create(minute="5"),
        "django_celery_beat.solarschedule": SolarSchedule.objects.create(
            event="sunrise", latitude=Decimal("38.7"), longitude=Decimal("-9.1")
        ),
        "django_celery_beat.intervalschedule": interval,
        **_sign_in_admin_objects(user),
        "clinic.emergencyaccess": _expired_grant(),
    }


def _expired_grant() -> EmergencyAccess:
    """A break-glass grant of a third neurologist, long expired (it opens nothing now)."""
    started = timezone.now() - timedelta(days=2)
    return EmergencyAccess.objects.create(
        neurologist=UserFactory(username="dr_emergency", role=User.Role.NEUROLOGIST),
        patient_uuid=uuid.uuid4(),
        reason="Seen in the emergency department, records needed.",
        started=started,
        expires=started + timedelta(minutes=EmergencyAccess.DURATION_MINUTES),
    )


def _sign_in_admin_objects(user: User) -> dict[str, object]:
    """Two-factor devices (django-otp) and sign-in records (django-axes) of ``user``."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    seen = {"username": user.username, "ip_address": "10.0.0.1", "user_agent": "matrix"}
    attempt = {"get_data": "", "post_data": "", "http_accept": "*/*", "path_info": "/"}
    return {
        "otp_totp.totpdevice": TOTPDevice.objects.create(user=user, name="matrix"),
        "otp_static.staticdevice": StaticDevice.objects.create(user=user, name="matrix"),
        "axes.accessattempt": AccessAttempt.objects.create(
            **seen, **attempt, failures_since_start=1
        ),
        "axes.accesslog": AccessLog.objects.create(**seen, http_accept="*/*", path_info="/"),
        "axes.accessfailurelog": AccessFailureLog.objects.create(
            **seen, http_accept="*/*", path_info="/"
        ),
    }
