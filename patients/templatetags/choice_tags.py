"""The radio and checkbox buttons of a choice field, built in Python in one pass.

Why: the diary page shows up to a dozen 0-10 scales of eleven radio buttons each. Django's
``{{ choice.tag }}`` renders three nested widget templates per option (option, input,
attrs), which made those scales most of the Today page's server time (issue 8). This filter
builds the same ``<input>`` markup from the same widget data (``BoundField.subwidgets``:
names, values, ids, ``required``, ``checked``, ``aria-invalid``), so the HTML, field names,
ids and attributes are unchanged; crispy-forms still lays out the form and its field
templates (``patients/fields/*.html``) keep the fieldsets, legends, hints, errors and labels.
"""

from __future__ import annotations

from html import escape as _html_escape

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def escape(value) -> str:
    """Django's ``escape`` (the same ``html.escape``) without its lazy-string wrapper."""
    return _html_escape(str(value))


def esc(value) -> str:
    """Django's ``conditional_escape``: safe strings as they are, anything else escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return _html_escape(str(value))


def _attrs(attrs: dict) -> str:
    """Attributes as Django's ``attrs.html`` writes them: in order, True bare, False left out.

    ``esc`` where the template printed the value itself (conditional escaping, as
    autoescape does), ``escape`` where it printed ``value|stringformat:'s'`` (a plain str).
    """
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_attr_name(name)}")
        else:
            parts.append(f' {_attr_name(name)}="{escape(value)}"')  # |stringformat:'s', escaped
    return "".join(parts)


MAX_ATTR_NAMES = 64  # a bound, should a widget ever be given computed attribute names
_ATTR_NAMES: dict[str, str] = {}


def _attr_name(name: str) -> str:
    """``esc(name)``, remembered: attribute names are the widgets' own few words (id, class,
    required, checked, aria-invalid), escaped once per process instead of per option."""
    escaped = _ATTR_NAMES.get(name)
    if escaped is None:
        escaped = esc(name)
        if len(_ATTR_NAMES) < MAX_ATTR_NAMES:
            _ATTR_NAMES[name] = escaped
    return escaped


def _type_and_name(option: dict) -> str:
    return f'type="{esc(option["type"])}" name="{esc(option["name"])}"'


def _input_tag(option: dict, type_and_name: str | None = None) -> str:
    """Django's ``input.html`` for one option (``BoundWidget.tag()`` without a label).

    ``type_and_name``: the option's ``type="…" name="…"``, when the caller has written it
    once for all the options of a field (they share both)."""
    value = option["value"]
    value_attr = f' value="{escape(value)}"' if value is not None else ""
    if type_and_name is None:
        type_and_name = _type_and_name(option)
    return f"<input {type_and_name}{value_attr}{_attrs(option['attrs'])}>"


@register.filter
def choice_buttons(field: BoundField, label_class: str) -> SafeString:
    """Each option's ``<input>`` and its ``<label class=label_class>``, space-separated.

    Each pair is in its own ``<span class="choice">``, which the hidden input covers
    (clinic.css): the focus is then where its button is drawn, so the browser scrolls that
    button into view and a screen magnifier shows it. Directly in the wrapping row, the
    input would sit at the row's start, one or two rows above a button such as "8".
    """
    html = []
    label_attr = esc(label_class)
    type_and_name = None
    for widget in field.subwidgets:
        option = widget.data
        if type_and_name is None:  # the same for every option of the field
            type_and_name = _type_and_name(option)
        html.append(
            f'<span class="choice">{_input_tag(option, type_and_name)}'
            f'<label class="{label_attr}" for="{esc(option["attrs"].get("id"))}">'
            f"{esc(option['label'])}</label></span>"
        )
    return mark_safe(" ".join(html))  # nosec B308 B703 # every value in it is escaped above
