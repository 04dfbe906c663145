"""Small helpers shared by the treatment views of one patient."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest

from clinic.audit import Action, audited_change
from clinic.meanwhile import SavedMeanwhile
from patients.models import Patient


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the form has it."""
    errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, messages in errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def save_correction(
    request: HttpRequest,
    form: forms.Form,
    *,
    patient: Patient,
    write: Callable[[], models.Model],
) -> bool:
    """Save a correction (an entered-in-error mark included) through ``write`` (a service)
    with its audit event; True once saved.

    A refusal is shown on ``form`` (``add_service_errors``) and nothing is saved; one because
    the record was saved after the page was opened (``SavedMeanwhile``) also gives the form
    the record's revision now, so that saving again applies the values knowingly."""
    try:
        audited_change(
            request=request, action=Action.UPDATE, patient_uuid=patient.uuid, write=write
        )
    except SavedMeanwhile as error:
        add_service_errors(form, error)
        form.carry_mark(error.now)
        return False
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True
