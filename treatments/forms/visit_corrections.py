"""The forms that change a recorded visit: its correction (the visit form with the reason,
the revision it was opened at and a product change asked about once) and the reason it
was entered in error."""

from __future__ import annotations

from django import forms

from clinic.meanwhile import CarriesMark, seen_revision_field
from clinic.widgets import Textarea
from treatments.forms.visits import VisitForm
from treatments.models import InjectionVisit, ToxinProduct
from treatments.services.visits import NO_CHANGE_REASON


class VisitCorrectionForm(CarriesMark, VisitForm):
    """A correction: the same fields and the reason, kept in the history. The early reason
    starts with the stored one (``initial_of_visit``); what is typed there is taken only
    when the corrected visit is early (``services.visits.early_reason_to_store``)."""

    change_reason = forms.CharField(
        label="Reason for the correction",
        max_length=100,
        help_text="Kept in the visit's history with your name and the time.",
        error_messages={"required": NO_CHANGE_REASON},
    )
    # The visit's revision as the page showed it (``visit_revision``): a correction saved
    # meanwhile, in another tab or by a colleague, is not silently undone.
    seen_revision = seen_revision_field()

    # The product a change to which was refused once (``_ask_once_about_a_product_change``):
    # the page sent again with it applies the change knowingly.
    product_change_checked = forms.ModelChoiceField(
        queryset=ToxinProduct.objects.all(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["early_reason"].help_text = (
            "Needed only when the corrected visit comes sooner than the product's minimum "
            "interval after the previous one; what is written here is then kept. A visit "
            "no longer early keeps the reason it was recorded with, and a change here is "
            "not saved."
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        self._ask_once_about_a_product_change(cleaned)
        return cleaned

    def _ask_once_about_a_product_change(self, cleaned: dict) -> None:
        """A product changed from the stored one (``keep_product_id``) leaves the dilution
        and every site's units as recorded, in the old product's units: refused once, next
        to the product, so they are checked (units are not interchangeable). The page then
        carries the mark, and saving it again applies the change."""
        product, checked = cleaned.get("product"), cleaned.get("product_change_checked")
        stored_id = self.keep_product_id
        if product is None or stored_id is None or product.pk == stored_id:
            return
        if checked is not None and checked.pk == product.pk:
            return
        old = ToxinProduct.objects.get(pk=stored_id).brand_name
        self.add_error(
            "product",
            f"The product is changed from {old} to {product.brand_name}: the dilution and "
            f"every site's units were recorded as {old} units. Units of different products "
            f"are not interchangeable: check that each is in {product.brand_name} units, "
            "then save again.",
        )
        self.data = self.data.copy()
        self.data[self.add_prefix("product_change_checked")] = str(product.pk)


class VisitErrorForm(forms.Form):
    """Why a visit is marked as entered in error: kept with the visit and shown with it."""

    reason = forms.CharField(
        label="Reason",
        max_length=InjectionVisit._meta.get_field("entered_in_error_reason").max_length,
        widget=Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the visit was entered in error."},
    )
