"""Expected outcomes of every URL pattern for every persona (DESIGN.md §4).

``ROWS`` maps a URL name (``namespace:name``, or the route text of an unnamed pattern) to
``{persona: "GET POST"}``; each word is a status code, ``login`` (redirect to the site's
login page), ``admin-login`` (to the admin's login page) or ``302`` (any other redirect).
POSTs are sent empty, so a ``200`` POST is a form shown again with its errors.

Paths hold the real objects of the ``patient`` persona's record (tests/security/world.py):
- the patient and the treating neurologist see the clinical pages (200);
- other patients and other neurologists get 404 (the object's existence is not revealed:
  the matrix also checks that a made-up id gets the same answer);
- staff and admins get 403 on clinical pages (a wrong role, refused before any lookup, so
  the same for every id) and 200 on the administrative ones; the chart resolves the
  patient first and answers 404 to them;
- anonymous and inactive users are sent to the login page.

To add a page: add its row (the failing test prints the observed one; check it against
DESIGN §4 before pasting). Policies below cover the common shapes; ``row`` overrides one.
"""

from __future__ import annotations

from tests.conftest import PERSONAS

SIGNED_OUT = ("anonymous", "inactive_user")
SIGNED_IN = tuple(persona for persona in PERSONAS if persona not in SIGNED_OUT)
LOGIN = "login login"
ADMIN_LOGIN = "admin-login admin-login"
GET_ONLY = "200 405"
FORM = "200 200"
REFUSED = "403 403"
HIDDEN = "404 404"


def row(*, signed_out: str = LOGIN, others: str = REFUSED, **outcomes: str) -> dict[str, str]:
    """A row: ``signed_out`` for anonymous and inactive users, ``others`` for every
    signed-in persona not named in ``outcomes``."""
    result = {persona: signed_out for persona in SIGNED_OUT}
    result |= {persona: outcomes.get(persona, others) for persona in SIGNED_IN}
    unknown = set(outcomes) - set(SIGNED_IN)
    assert not unknown, f"unknown personas {unknown}"
    return result


PUBLIC_PAGE = row(signed_out=GET_ONLY, others=GET_ONLY)
SIGNED_IN_PAGE = row(others=GET_ONLY)
SIGNED_IN_FORM = row(others=FORM)

# A patient's own pages (no id in the address: each patient sees their own record).
OWN_DIARY_PAGE = row(patient=GET_ONLY, other_patient=GET_ONLY)
OWN_DIARY_FORM = row(patient=FORM, other_patient=FORM)

# A patient's clinical records: read by the patient and the care team.
CARE_TEAM_READ = row(
    patient=GET_ONLY,
    other_patient=HIDDEN,
    treating_neurologist=GET_ONLY,
    other_neurologist=HIDDEN,
)
# Recording and correcting them: the care team's neurologists only.
CARE_TEAM_FORM = row(treating_neurologist=FORM, other_neurologist=HIDDEN)

# Registration and contact details: neurologists (their care team), staff and admins.
REGISTRAR = {"treating_neurologist": FORM, "staff": FORM, "admin": FORM}
REGISTRAR_FORM = row(**REGISTRAR, other_neurologist=FORM)
PATIENT_RECORD_FORM = row(**REGISTRAR, other_neurologist=HIDDEN)

# Follow-ups: neurologists (own patients) and staff (all); admins and patients 403.
FOLLOWUP_PAGE = {"treating_neurologist": GET_ONLY, "staff": GET_ONLY}
FOLLOWUP_ACTION = {"treating_neurologist": "405 200", "staff": "405 200"}


def admin_site(admin: str = FORM, signed_out: str = ADMIN_LOGIN) -> dict[str, str]:
    """Django admin: only the ``admin`` persona (is_staff) gets in; other signed-in users
    are sent to the admin's login page."""
    return row(signed_out=signed_out, others=ADMIN_LOGIN, admin=admin)


# Model pages of the admin: anonymous users meet the site's login page first.
ADMIN_MODEL = admin_site(signed_out=LOGIN)
ADMIN_MODEL_READ_ONLY = admin_site(admin=REFUSED, signed_out=LOGIN)
ADMIN_MODEL_REDIRECT = admin_site(admin="302 302", signed_out=LOGIN)  # .../<id>/ -> change


def admin_model_rows(app: str, name: str, *, delete: bool = True) -> dict[str, dict[str, str]]:
    """The six patterns Django admin gives a registered model (app label, model name)."""
    model = f"{app}_{name}"
    return {
        f"admin:{model}_changelist": ADMIN_MODEL,
        f"admin:{model}_add": ADMIN_MODEL,
        f"admin:{model}_history": ADMIN_MODEL,
        f"admin:{model}_delete": ADMIN_MODEL if delete else ADMIN_MODEL_READ_ONLY,
        f"admin:{model}_change": ADMIN_MODEL,
        f"admin/{app}/{name}/<path:object_id>/": ADMIN_MODEL_REDIRECT,
    }


ROWS: dict[str, dict[str, str]] = {
    # --- clinic --------------------------------------------------------------------------
    "home": row(others="302 405"),  # each role's start page
    # A patient account linked to no record; linked patients are sent on to their start page.
    "account_not_linked": row(patient="302 405", other_patient="302 405"),
    "healthz": PUBLIC_PAGE,
    "ping": PUBLIC_PAGE,
    "theme_toggle": row(others="405 302"),
    "inbox": SIGNED_IN_PAGE,
    "inbox_mark_read": row(others="405 404"),  # an empty POST names no notification
    "login": row(signed_out=FORM, others="302 302"),  # signed in: on to the start page
    "logout": row(signed_out="405 login", others="405 login"),
    # "Stay signed in" (the idle warning): JSON with the idle seconds left; POST only.
    "keep_alive": row(others="405 200"),
    # "Forgot your password?": open to everybody (an empty POST is the form with errors);
    # the link's page takes the token into the session and goes on to "set-password".
    "password_reset": row(signed_out=FORM, others=FORM),
    "password_reset_done": PUBLIC_PAGE,
    "password_reset_confirm": row(signed_out="302 302", others="302 302"),
    "password_reset_complete": PUBLIC_PAGE,
    "password_change": SIGNED_IN_FORM,
    "password_change_done": SIGNED_IN_PAGE,
    # Two-factor (clinic/two_factor.py). The matrix's clinicians hold a verified device;
    # the patients have none: verify and new recovery codes send them on to set one up.
    "two_factor_status": SIGNED_IN_PAGE,
    "two_factor_setup": SIGNED_IN_FORM,
    "two_factor_verify": row(others=FORM, patient="302 302", other_patient="302 302"),
    "two_factor_recovery_codes": row(others="405 200", patient="405 302", other_patient="405 302"),
    # Patients may turn it off (an empty POST is a form with errors); clinicians may not.
    "two_factor_disable": row(others="405 403", patient="405 200", other_patient="405 200"),
    # --- patients ------------------------------------------------------------------------
    "patients:today": OWN_DIARY_FORM,
    "patients:history": OWN_DIARY_PAGE,
    "patients:reminders": row(patient="200 302", other_patient="200 302"),  # empty POST: off
    # The search is a POST (the term never in the address); an empty one redirects back.
    "patients:patient_list": row(**dict.fromkeys([*REGISTRAR, "other_neurologist"], "200 302")),
    "patients:patient_create": REGISTRAR_FORM,
    # Handing a neurologist's patients to another: staff and admins (care teams at large).
    "patients:care_team_handover": row(staff=FORM, admin=FORM),
    # Break-glass: any neurologist may ask (by exact record number, with a reason).
    "patients:emergency_access": row(treating_neurologist=FORM, other_neurologist=FORM),
    "patients:patient_edit": PATIENT_RECORD_FORM,
    "patients:patient_invite": row(
        treating_neurologist="405 302", other_neurologist=HIDDEN, staff="405 302", admin="405 302"
    ),
    "patients:diary_entry_edit": CARE_TEAM_FORM,
    "patients:invitation_accept": row(signed_out=FORM, others=FORM),  # the token is the key
    # --- treatments ----------------------------------------------------------------------
    "treatments:neurologist_home": row(treating_neurologist=GET_ONLY, other_neurologist=GET_ONLY),
    # Leaving care (or coming back): staff and the care team; an empty POST means "under care".
    "treatments:patient_followups": row(**FOLLOWUP_PAGE, other_neurologist=HIDDEN),
    "treatments:patient_leave_care": row(
        treating_neurologist="200 302", staff="200 302", other_neurologist=HIDDEN
    ),
    "treatments:followup_day": row(**FOLLOWUP_PAGE, other_neurologist=GET_ONLY),
    "treatments:followup_queue": row(**FOLLOWUP_PAGE, other_neurologist=GET_ONLY),
    # The chart resolves the patient first: out of clinical scope is 404 for every role.
    "treatments:chart": row(
        others=HIDDEN, patient=REFUSED, treating_neurologist=GET_ONLY, other_neurologist=HIDDEN
    ),
    "treatments:my_chart": OWN_DIARY_PAGE,
    "treatments:my_record_export": OWN_DIARY_PAGE,
    "treatments:patient_record_export": row(
        treating_neurologist=GET_ONLY, other_neurologist=HIDDEN
    ),
    "treatments:followup_calendar": row(staff=FORM),
    "treatments:followup_detail": row(**FOLLOWUP_PAGE, other_neurologist="404 405"),
    "treatments:followup_schedule": row(**FOLLOWUP_ACTION, other_neurologist="405 404"),
    "treatments:followup_status": row(**FOLLOWUP_ACTION, other_neurologist="405 404"),
    # An open follow-up is not reopened: the page says so (a redirect to it).
    "treatments:followup_reopen": row(
        treating_neurologist="405 302", staff="405 302", other_neurologist="405 404"
    ),
    "treatments:followup_approve_early": row(
        treating_neurologist="405 200", other_neurologist="405 404"
    ),
    "treatments:followup_calendar_feed": PUBLIC_PAGE,  # the secret token is the key
    "treatments:visit_list": CARE_TEAM_READ,
    "treatments:visit_create": CARE_TEAM_FORM,
    "treatments:visit_detail": CARE_TEAM_READ,
    "treatments:visit_edit": CARE_TEAM_FORM,
    "treatments:visit_error": CARE_TEAM_FORM,
    "treatments:course_list": CARE_TEAM_READ,
    "treatments:course_create": CARE_TEAM_FORM,
    "treatments:course_edit": CARE_TEAM_FORM,
    "treatments:course_error": CARE_TEAM_FORM,
    "treatments:assessment_list": CARE_TEAM_READ,
    "treatments:assessment_create": CARE_TEAM_FORM,
    "treatments:assessment_edit": CARE_TEAM_FORM,
    # --- Django admin: the site's own pages ------------------------------------------------
    "admin:index": admin_site(),
    # No sign-in page of its own: to the clinic's (tests/clinic/test_admin_login_path.py).
    "admin:login": row(signed_out=LOGIN, others=REFUSED, admin="302 302"),
    # Signed-in non-admins are sent to the admin index (which sends them to its login).
    "admin:logout": row(signed_out=ADMIN_LOGIN, others="302 302", admin="405 login"),
    "admin:password_change": admin_site(),
    "admin:password_change_done": admin_site(admin=GET_ONLY),
    "admin:autocomplete": admin_site(admin="403 405"),  # no field named: refused
    "admin:jsi18n": admin_site(admin=GET_ONLY),
    "admin:view_on_site": admin_site(admin=HIDDEN),  # users have no page on the site
    "admin:app_list": admin_site(),
    "admin/(?P<url>.*)$": admin_site(admin=HIDDEN),
    "admin:auth_user_password_change": ADMIN_MODEL,
    "admin:treatments_producttimeline_simple_history": ADMIN_MODEL,
    # --- Django admin: registered models (catalogs, users, audit trail, beat) --------------
    **admin_model_rows("auth", "group"),
    **admin_model_rows("clinic", "user"),
    **admin_model_rows("clinic", "auditevent", delete=False),
    **admin_model_rows("clinic", "emergencyaccess", delete=False),
    **admin_model_rows("clinic", "notification"),
    **admin_model_rows("clinic", "delivery", delete=False),
    **admin_model_rows("patients", "bodyregion"),
    **admin_model_rows("treatments", "toxinproduct", delete=False),
    **admin_model_rows("treatments", "producttimeline", delete=False),
    **admin_model_rows("treatments", "muscle", delete=False),
    **admin_model_rows("treatments", "closedday"),
    **admin_model_rows("django_celery_beat", "periodictask"),
    **admin_model_rows("django_celery_beat", "clockedschedule"),
    **admin_model_rows("django_celery_beat", "crontabschedule"),
    **admin_model_rows("django_celery_beat", "solarschedule"),
    **admin_model_rows("django_celery_beat", "intervalschedule"),
    # --- Django admin: sign-in (django-otp devices, django-axes attempts and logs) --------
    **admin_model_rows("otp_totp", "totpdevice"),
    **admin_model_rows("otp_static", "staticdevice"),
    **admin_model_rows("axes", "accessattempt"),
    **admin_model_rows("axes", "accesslog"),
    **admin_model_rows("axes", "accessfailurelog"),
    # A device's secret and QR code stay hidden from admins (OTP_ADMIN_HIDE_SENSITIVE_DATA).
    "admin:otp_totp_totpdevice_config": ADMIN_MODEL_READ_ONLY,
    "admin:otp_totp_totpdevice_qrcode": ADMIN_MODEL_READ_ONLY,
}
# Axes rows are written by sign-in attempts only; admins read them and delete (unlock).
for _model in ("accessattempt", "accesslog", "accessfailurelog"):
    ROWS[f"admin:axes_{_model}_add"] = ADMIN_MODEL_READ_ONLY
    ROWS[f"admin:axes_{_model}_change"] = admin_site(admin="200 302", signed_out=LOGIN)
# The audit trail is append-only: no add, change (POST) or delete, even for admins.
ROWS["admin:clinic_auditevent_add"] = ADMIN_MODEL_READ_ONLY
ROWS["admin:clinic_auditevent_change"] = admin_site(admin="200 403", signed_out=LOGIN)
# Break-glass grants are written by the emergency-access page only: read-only in the admin.
ROWS["admin:clinic_emergencyaccess_add"] = ADMIN_MODEL_READ_ONLY
ROWS["admin:clinic_emergencyaccess_change"] = admin_site(admin="200 403", signed_out=LOGIN)
# Notifications are written by the app only (their text can be clinical: never shown).
ROWS["admin:clinic_notification_add"] = ADMIN_MODEL_READ_ONLY
ROWS["admin:clinic_notification_change"] = admin_site(admin="200 403", signed_out=LOGIN)
# The notification outbox (owed and refused emails) is written by the app only: read-only.
ROWS["admin:clinic_delivery_add"] = ADMIN_MODEL_READ_ONLY
ROWS["admin:clinic_delivery_change"] = admin_site(admin="200 403", signed_out=LOGIN)
