"""The injection-visit form: the visit's fields and a formset of sites.

Rows can be added and removed without JavaScript: the "add a row", "remove row N" and
"start from the last visit" buttons submit the form, and the page comes back with every
typed value kept and nothing saved (static/js/visit-sites.js does the same in the page
when scripts run). Every row is optional; at least one filled row is required.

"Start from the last visit" copies the muscles, sides and points of the patient's last
visit (not entered in error), and its units and dilution only when the product chosen now
is the same (``is_same_product``): both are in the product's own units, and units of
different products are not interchangeable, so they are never carried over.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.db.models import Q

from clinic.meanwhile import CarriesMark, seen_revision_field
from clinic.widgets import Textarea
from patients.models import Patient
from treatments.models import Indication, InjectionSite, InjectionVisit, Side, ToxinProduct
from treatments.selectors.visits import (
    MuscleChoices,
    RegionTotal,
    muscle_choices,
    muscles_by_pk,
    region_totals,
    visit_total,
)
from treatments.services.visits import SiteInput, VisitInput
from treatments.units import format_units

SITES_PREFIX = "sites"
SITE_FIELDS = ("muscle", "side", "units", "points")
MAX_SITES = 60
ADD_ROW = "add_row"
REMOVE_ROW = "remove_row"
START_FROM_LAST = "start_from_last"
# The checkboxes that confirm a dose above a usual maximum (services.visits, the rules).
CONFIRMATION_BOXES = ("over_maximum_confirmed", "over_site_maximum_confirmed")
DateInput = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The visit fields the clinical rules read (besides the reason and the confirmation boxes).
RULE_FIELDS = ("date", "indication", "product")


class SiteForm(forms.ModelForm):
    """One injection site: muscle (grouped by region), side, units, points."""

    class Meta:
        model = InjectionSite
        fields = SITE_FIELDS
        labels = {"units": "Units", "points": "Points"}

    def __init__(self, *args, muscle_choices: MuscleChoices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["muscle"].widget.choices = [("", "Choose a muscle"), *muscle_choices]
        self.fields["side"].choices = [("", "Choose a side"), *Side.choices]
        self.fields["units"].widget.attrs.update(min="0.01", step="any", inputmode="decimal")
        self.fields["points"].widget.attrs.update(min="1", step="1", inputmode="numeric")
        for name, css in (("muscle", "form-select"), ("side", "form-select")):
            self.fields[name].widget.attrs["class"] = css
        for name in ("units", "points"):
            self.fields[name].widget.attrs["class"] = "form-control"

    def mark_invalid_fields(self) -> None:
        """Flag fields with errors for assistive technology and styling."""
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-describedby"] = f"{self[name].auto_id}-error"


class BaseSiteFormSet(forms.BaseFormSet):
    """Rows are numbered from 0 with no "initial" rows: any row may be left empty."""

    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_few_forms": "Add at least one injection site.",
        "too_many_forms": f"A visit has at most {MAX_SITES} sites.",
    }

    def initial_form_count(self) -> int:
        return 0

    def total_form_count(self) -> int:
        if self.is_bound:
            return super().total_form_count()
        return max(len(self.initial or ()), self.min_num)

    def _construct_form(self, i, **kwargs):
        kwargs["empty_permitted"] = True
        return super()._construct_form(i, **kwargs)

    def clean(self) -> None:
        seen: dict[tuple, int] = {}
        for number, form in enumerate(self.forms, start=1):
            if not form.has_changed() or form.errors:
                continue
            key = (form.cleaned_data["muscle"].pk, form.cleaned_data["side"])
            if key in seen:
                form.add_error(
                    "side",
                    f"Row {seen[key]} already has this muscle and side: put the units and "
                    "points together in one row.",
                )
            else:
                seen[key] = number

    def filled_forms(self) -> list[SiteForm]:
        return [form for form in self.forms if form.has_changed()]


SiteFormSet = forms.formset_factory(
    SiteForm,
    formset=BaseSiteFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_SITES,
    validate_max=True,
    absolute_max=MAX_SITES,
)


class VisitForm(forms.ModelForm):
    """The visit's own fields. The product is one for the whole visit.

    ``copied_units_product`` (hidden) is the product whose units "start from the last visit"
    copied into the site rows. Saving with another product is refused once, next to the
    product, with the rows kept for checking: units of different products are not
    interchangeable (the page's script clears the copied units on a product change; this
    covers a browser without scripts). The dilution pre-filled from the last visit
    (``copied_dilution_product``, ``copied_dilution``) is refused the same way, next to the
    dilution, when it is saved unchanged with another product.
    """

    copied_units_product = forms.ModelChoiceField(
        queryset=ToxinProduct.objects.all(), required=False, widget=forms.HiddenInput
    )
    # The dilution pre-filled from the last visit (``initial_for_new_visit``): its product
    # and amount. Saved unchanged with another product, it is refused once, as copied units.
    copied_dilution_product = forms.ModelChoiceField(
        queryset=ToxinProduct.objects.all(), required=False, widget=forms.HiddenInput
    )
    copied_dilution = forms.DecimalField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = InjectionVisit
        fields = (
            "date",
            "indication",
            "product",
            "lot_number",
            "lot_expiry",
            "dilution_units_per_ml",
            "guidance",
            "notes",
            "early_reason",
            "over_maximum_confirmed",
            "over_site_maximum_confirmed",
        )
        widgets = {
            "date": DateInput,
            "lot_expiry": DateInput,
            "notes": Textarea(attrs={"rows": 3}),
            "early_reason": Textarea(attrs={"rows": 2}),
        }
        labels = {
            "date": "Visit date",
            "lot_number": "Lot number",
            "lot_expiry": "Lot expiry date",
            "early_reason": "Reason for an early injection",
            "over_maximum_confirmed": "I confirm a total above the product's usual maximum "
            "per session",
            "over_site_maximum_confirmed": "I confirm units in a site above the product's "
            "usual maximum per site",
        }
        help_texts = {
            "early_reason": "Needed (and kept) only when this visit comes sooner than the "
            "product's minimum interval after the previous one.",
            "over_maximum_confirmed": "Needed only when the total is above the usual maximum "
            "for this product and indication.",
            "over_site_maximum_confirmed": "Needed only when a site has more units than the "
            "usual maximum per site for this product and indication.",
            "dilution_units_per_ml": "Units of this product per mL of solution.",
        }

    def __init__(self, *args, keep_product_id: int | None = None, **kwargs) -> None:
        """``keep_product_id``: the product of the visit being corrected, offered even when
        it has left the catalog since, so that a correction never has to move the visit's
        units onto another product (units are not interchangeable)."""
        super().__init__(*args, **kwargs)
        self.keep_product_id = keep_product_id
        offered = Q(active=True) | Q(pk=keep_product_id) if keep_product_id else Q(active=True)
        self.fields["product"].queryset = ToxinProduct.objects.filter(offered)
        self.fields["product"].empty_label = "Choose a product"
        _name_blank_choice(self.fields["indication"], "Choose an indication")
        _name_blank_choice(self.fields["guidance"], "Choose how it was guided")
        self.fields["dilution_units_per_ml"].widget.attrs.update(step="any", inputmode="decimal")

    def clean(self) -> dict:
        cleaned = super().clean()
        getlist = getattr(self.data, "getlist", None)
        if getlist is not None and len(set(getlist(self.add_prefix("product")))) > 1:
            self.add_error(
                "product",
                "A visit uses one product. Record a second product as a separate visit.",
            )
        self._refuse_units_copied_from_another_product(cleaned)
        self._refuse_dilution_copied_from_another_product(cleaned)
        return cleaned

    def _refuse_dilution_copied_from_another_product(self, cleaned: dict) -> None:
        copied, amount = cleaned.get("copied_dilution_product"), cleaned.get("copied_dilution")
        product, dilution = cleaned.get("product"), cleaned.get("dilution_units_per_ml")
        if None in (copied, amount, product, dilution) or copied.pk == product.pk:
            return
        if dilution != amount:
            return  # typed anew: the new product's own dilution
        self.add_error(
            "dilution_units_per_ml",
            f"This dilution was filled in from the last visit, in {copied.brand_name} units "
            f"per mL. Units of different products are not interchangeable: enter the "
            f"dilution of {product.brand_name}, then save again.",
        )
        # Asked once, as for copied units: saved again as checked, it is accepted.
        self._forget(("copied_dilution_product", "copied_dilution"))

    def _refuse_units_copied_from_another_product(self, cleaned: dict) -> None:
        copied, product = cleaned.get("copied_units_product"), cleaned.get("product")
        if copied is None or product is None or copied.pk == product.pk:
            return
        self.add_error(
            "product",
            f"The units in the sites were copied from the last visit, in {copied.brand_name} "
            f"units. Units of different products are not interchangeable: enter each site's "
            f"units of {product.brand_name}, then save again.",
        )
        # Asked once: the page shown again no longer carries the mark, so saving the rows
        # as checked is accepted.
        self._forget(("copied_units_product",))

    def _forget(self, marks: tuple[str, ...]) -> None:
        """Clear hidden marks in the posted data, so the page shown again no longer
        carries them."""
        self.data = self.data.copy()
        for name in marks:
            self.data[self.add_prefix(name)] = ""

    def visit_input(self) -> VisitInput:
        """The visit as entered (every field valid: ``is_valid()``)."""
        data = self.cleaned_data
        return VisitInput(
            date=data["date"],
            indication=data["indication"],
            product=data["product"],
            lot_number=data.get("lot_number", "").strip(),
            lot_expiry=data.get("lot_expiry"),
            dilution_units_per_ml=data.get("dilution_units_per_ml"),
            guidance=data.get("guidance", ""),
            notes=data.get("notes", ""),
            early_reason=data.get("early_reason", ""),
            over_maximum_confirmed=bool(data.get("over_maximum_confirmed")),
            over_site_maximum_confirmed=bool(data.get("over_site_maximum_confirmed")),
        )

    def rules_input(self) -> VisitInput | None:
        """What the clinical rules (``services.visits.visit_rules``) read, as soon as the
        fields they read are valid (date, indication, product), even while another is not:
        an expired lot or a missing dilution does not hide a missing early reason or an
        unconfirmed maximum until the next round. The fields the rules never read may be
        missing here (empty). None while a field the rules read is not valid."""
        if any(self.cleaned_data.get(name) in (None, "") for name in RULE_FIELDS):
            return None
        return self.visit_input()


def _name_blank_choice(field: forms.ChoiceField, label: str) -> None:
    field.choices = [("", label), *[c for c in field.choices if c[0] != ""]]


class VisitCorrectionForm(CarriesMark, VisitForm):
    """A correction: the same fields and the reason, kept in the history. The early reason
    starts with the stored one (``initial_of_visit``); what is typed there is taken only
    when the corrected visit is early (``services.visits.early_reason_to_store``)."""

    change_reason = forms.CharField(
        label="Reason for the correction",
        max_length=100,
        help_text="Kept in the visit's history with your name and the time.",
    )
    # The visit's revision as the page showed it (``visit_revision``): a correction saved
    # meanwhile, in another tab or by a colleague, is not silently undone.
    seen_revision = seen_revision_field()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["early_reason"].help_text = (
            "Needed only when the corrected visit comes sooner than the product's minimum "
            "interval after the previous one; what is written here is then kept. A visit "
            "no longer early keeps the reason it was recorded with, and a change here is "
            "not saved."
        )


class VisitErrorForm(forms.Form):
    """Why a visit is marked as entered in error: kept with the visit and shown with it."""

    reason = forms.CharField(
        label="Reason",
        max_length=InjectionVisit._meta.get_field("entered_in_error_reason").max_length,
        widget=Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the visit was entered in error."},
    )


@dataclass
class VisitEntry:
    """The visit form and its site rows, bound or not, with the page's totals."""

    form: VisitForm
    sites: BaseSiteFormSet
    muscles: dict
    action: str = ""

    def is_valid(self) -> bool:
        form_ok = self.form.is_valid()
        sites_ok = self.sites.is_valid()
        return form_ok and sites_ok

    def site_inputs(self) -> list[SiteInput]:
        """The filled rows that passed their own checks (all of them once is_valid())."""
        return [
            SiteInput(
                muscle=f.cleaned_data["muscle"],
                side=f.cleaned_data["side"],
                units=f.cleaned_data["units"],
                points=f.cleaned_data["points"],
            )
            for f in self.sites.filled_forms()
            if not f.errors
        ]

    def mark_invalid_fields(self) -> None:
        if self.sites.is_bound:
            for form in self.sites.forms:
                form.mark_invalid_fields()

    def add_rule_errors(self, errors: Mapping[str, list[str]]) -> None:
        """Show the service's errors next to their fields (others at the top)."""
        for field, messages in errors.items():
            target = field if field in self.form.fields else None
            for message in messages:
                self.form.add_error(target, message)

    @property
    def product(self) -> ToxinProduct | None:
        """The chosen product, or None while none is chosen or the posted value is no product
        (the field's own error says so; a raw filter on " " used to raise, a 500)."""
        value = _value(self.form, "product")
        if not value:
            return None
        try:
            return self.form.fields["product"].clean(value)
        except forms.ValidationError:
            return None

    def totals(self) -> tuple[list[RegionTotal], Decimal]:
        """Totals of the rows as typed so far (rows that do not parse yet are left out)."""
        pairs = []
        for form in self.sites.forms:
            muscle = self.muscles.get(str(_value(form, "muscle") or ""))
            units = _decimal(_value(form, "units"))
            if muscle is not None and units is not None and units > 0:
                pairs.append((muscle.region.name, units))
        return region_totals(pairs), visit_total(pairs)


def _value(form: forms.Form, name: str):
    """The field's current value: posted when bound, initial otherwise."""
    return form[name].value()


# The page's running totals count rows as typed; a number no site can hold (units have at
# most 7 digits) is left out like one that does not parse. Without this, "NaN" raised
# InvalidOperation in ``units > 0`` and "9e999999" twice overflowed the sum: 500s found
# by tests/security/test_fuzz_visit.py.
TYPED_UNITS_LIMIT = Decimal(10) ** 7


def _decimal(value) -> Decimal | None:
    try:
        number = Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None
    if number is None or not number.is_finite() or abs(number) >= TYPED_UNITS_LIMIT:
        return None
    return number


def _site_formset(data=None, initial=None) -> BaseSiteFormSet:
    return SiteFormSet(
        data,
        initial=initial,
        prefix=SITES_PREFIX,
        form_kwargs={"muscle_choices": muscle_choices()},
    )


def posted_rows(data: Mapping[str, str]) -> list[dict[str, str]]:
    """The site rows as posted (raw text), in order."""
    try:
        count = int(data.get(f"{SITES_PREFIX}-TOTAL_FORMS", 0))
    except (TypeError, ValueError):
        count = 0
    count = max(0, min(count, MAX_SITES))
    return [
        {name: data.get(f"{SITES_PREFIX}-{i}-{name}", "") for name in SITE_FIELDS}
        for i in range(count)
    ]


def blank_row() -> dict[str, str]:
    return {"muscle": "", "side": "", "units": "", "points": "1"}


def rows_of_visit(visit: InjectionVisit, sites, *, with_units: bool = True) -> list[dict]:
    """Rows copied from a visit's sites; units only when ``with_units`` (same product)."""
    return [
        {
            "muscle": str(site.muscle_id),
            "side": site.side,
            "units": format_units(site.units) if with_units else "",
            "points": str(site.points),
        }
        for site in sites
    ]


def bound_entry(
    data, *, form_class: type[VisitForm], keep_product_id: int | None = None
) -> VisitEntry:
    """The entry as posted, ready to validate."""
    return VisitEntry(
        form=form_class(data, keep_product_id=keep_product_id),
        sites=_site_formset(data),
        muscles=muscles_by_pk(),
    )


def unbound_entry(
    initial: Mapping[str, object],
    rows: list[dict],
    *,
    form_class: type[VisitForm],
    action="",
    keep_product_id: int | None = None,
) -> VisitEntry:
    """An entry showing ``initial`` values and ``rows`` without any error messages."""
    return VisitEntry(
        form=form_class(initial=dict(initial), keep_product_id=keep_product_id),
        sites=_site_formset(initial=rows or [blank_row()]),
        muscles=muscles_by_pk(),
        action=action,
    )


def posted_initial(data, form_class: type[VisitForm]) -> dict[str, object]:
    """The visit fields as posted, as initial values (a checkbox posts "on" or nothing)."""
    values: dict[str, object] = {name: data.get(name, "") for name in form_class.base_fields}
    for box in CONFIRMATION_BOXES:
        values[box] = bool(data.get(box))
    return values


def editor_action(data) -> str:
    """Which non-saving button was pressed, if any."""
    for action in (ADD_ROW, REMOVE_ROW, START_FROM_LAST):
        if action in data:
            return action
    return ""


def rows_after_action(data, action: str, last_visit, product_id: str) -> list[dict]:
    """The rows after "add a row", "remove row N" or "start from the last visit"."""
    rows = posted_rows(data)
    if action == ADD_ROW:
        rows.append(blank_row())
    elif action == REMOVE_ROW:
        # OverflowError: a row number too large for a list index ("9" * 1000).
        with contextlib.suppress(ValueError, IndexError, OverflowError):
            rows.pop(_row_index(data.get(REMOVE_ROW, "")))
    elif action == START_FROM_LAST and last_visit is not None:
        same_product = is_same_product(last_visit, product_id)
        rows = rows_of_visit(last_visit, last_visit.loaded_sites, with_units=same_product)
    return rows or [blank_row()]


def chosen_indication(data) -> str:
    """The indication posted with the form, if it is one (else "": none chosen yet)."""
    posted = data.get("indication", "")
    return posted if posted in Indication.values else ""


def is_same_product(last_visit: InjectionVisit, product_id: object) -> bool:
    """Whether ``product_id`` (as posted; empty: none chosen, so the last visit's) is the
    last visit's product: only then do its units and dilution carry over."""
    return str(last_visit.product_id) == str(product_id or last_visit.product_id)


def initial_from_last_visit(
    values: Mapping[str, object], last_visit: InjectionVisit
) -> dict[str, object]:
    """The visit fields after "start from the last visit" (``last_visit``: the last one of
    the chosen indication, or of any when none is chosen: then its indication is taken).

    No product chosen: the last visit's. The same product: its dilution when none is
    entered. Another product: a dilution equal to the last visit's (pre-filled with that
    product) is cleared; dilution is in units of the product, so it never carries over.
    A dilution typed for the new product is kept.
    """
    result = dict(values)
    if not result.get("product"):
        result["product"] = last_visit.product_id
    if not result.get("indication"):
        result["indication"] = last_visit.indication
    dilution = result.get("dilution_units_per_ml")
    same_product = is_same_product(last_visit, result["product"])
    # The rows now hold that product's units (``rows_after_action``) or none.
    result["copied_units_product"] = last_visit.product_id if same_product else ""
    if same_product:
        if dilution in ("", None):
            result["dilution_units_per_ml"] = last_visit.dilution_units_per_ml
            result.update(copied_dilution_of(last_visit))
    elif _same_amount(dilution, last_visit.dilution_units_per_ml):
        result["dilution_units_per_ml"] = ""
        result.update(copied_dilution_product="", copied_dilution="")
    return result


def copied_dilution_of(visit: InjectionVisit) -> dict[str, object]:
    """The hidden marks of a dilution pre-filled from ``visit``: its product and amount."""
    return {
        "copied_dilution_product": visit.product_id,
        "copied_dilution": visit.dilution_units_per_ml,
    }


def _same_amount(posted: object, stored: Decimal) -> bool:
    """Whether a posted number ("200", "200.00", "200,0") is the stored amount."""
    try:
        return Decimal(str(posted).strip().replace(",", ".")) == stored
    except (InvalidOperation, ValueError):
        return False


def _row_index(text: str) -> int:
    index = int(text)
    if index < 0:
        raise IndexError(index)
    return index


def initial_for_new_visit(patient: Patient, today, last_visit) -> dict[str, object]:
    """A new visit starts today; product, indication, guidance and dilution as last time
    (never units: the rows start empty unless "start from the last visit" is used). The
    dilution goes with its product: choosing another product clears it (in the page by
    static/js/visit-sites.js, on "start from the last visit" by ``initial_from_last_visit``)."""
    initial: dict[str, object] = {"date": today}
    if last_visit is not None:
        initial.update(
            product=last_visit.product_id,
            indication=last_visit.indication,
            guidance=last_visit.guidance,
            dilution_units_per_ml=last_visit.dilution_units_per_ml,
            **copied_dilution_of(last_visit),
        )
    return initial


def initial_of_visit(visit: InjectionVisit) -> dict[str, object]:
    """The correction form's starting values. The confirmation boxes start unticked: a
    stored confirmation was of the stored total (or sites), and a corrected visit is
    confirmed anew."""
    values = {name: getattr(visit, name) for name in VisitForm.Meta.fields if name != "product"}
    return values | {"product": visit.product_id} | dict.fromkeys(CONFIRMATION_BOXES, False)
