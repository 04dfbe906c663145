"""The diary's button questions (a 0-10 score, the trigger toggles) as crispy layout
objects that write their markup in Python.

Each question was a field template (``score.html``, ``toggles.html``) rendered by crispy
once per question, up to a dozen times a page: with its buttons (``choice_buttons``), most
of the Today page's form (issue 8). The markup is the text those templates printed
(tests/patients/test_question_markup.py renders both and compares, the templates kept
there as the reference), every value escaped as autoescape did.
"""

from __future__ import annotations

from dataclasses import dataclass

from crispy_forms.layout import Field
from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe

from patients.templatetags.choice_tags import choice_buttons, esc


@dataclass(frozen=True)
class QuestionLook:
    """What tells one kind of question from the other: its classes and its hint."""

    group_class: str  # the fieldset's
    hint_suffix: str  # the hint's id after the field's id
    options_class: str  # the buttons' row
    label_class: str  # each button's label
    hint_attribute: str  # where the hint's text is: "hint" (the field's) or "help_text"


SCORE = QuestionLook("score-question", "_hint", "score-options", "score-option", "hint")
TOGGLES = QuestionLook(
    "toggle-question", "_helptext", "toggle-options", "toggle-option", "help_text"
)


def _hint(field: BoundField, look: QuestionLook) -> object:
    if look.hint_attribute == "help_text":
        return field.help_text
    return field.field.hint


def question_markup(field: BoundField, look: QuestionLook) -> SafeString:
    """One question's ``<fieldset>``: legend, hint, errors, then its buttons."""
    auto_id = esc(field.auto_id)
    errors = field.errors
    error_id = f" {auto_id}_error" if errors else ""
    error_box = ""
    if errors:
        messages = "".join(
            f'<p class="mb-1"><span class="visually-hidden">Error: </span>{esc(error)}</p>'
            for error in errors
        )
        error_box = (
            f'\n  <div class="field-error" id="{auto_id}_error">\n    {messages}\n  </div>\n  '
        )
    return mark_safe(  # nosec B308 B703 # every value in it is escaped
        f'\n<fieldset class="{look.group_class}{" has-error" if errors else ""}" '
        f'id="{auto_id}_group"\n'
        f'          aria-describedby="{auto_id}{look.hint_suffix}{error_id}">\n'
        f'  <legend class="score-legend">{esc(field.label)}</legend>\n'
        f'  <p class="form-text mt-0 mb-2" id="{auto_id}{look.hint_suffix}">'
        f"{esc(_hint(field, look))}</p>\n"
        f"  {error_box}\n"
        f'  <div class="{look.options_class}">\n'
        f"    {choice_buttons(field, look.label_class)}\n"
        "  </div>\n"
        "</fieldset>\n"
    )


class Question(Field):
    """A crispy ``Field`` drawn as a button question (``SCORE`` or ``TOGGLES``)."""

    def __init__(self, *fields: str, look: QuestionLook) -> None:
        super().__init__(*fields)
        self.look = look

    def render(self, form, context, template_pack=None, extra_context=None, **kwargs) -> str:
        html = []
        for name in self.fields:
            # crispy's bookkeeping of the fields it has drawn (render_field does this)
            rendered = getattr(form, "rendered_fields", None)
            if rendered is not None:
                rendered.add(name)
            html.append(question_markup(form[name], self.look))
        return mark_safe("".join(html))  # nosec B308 B703 # question_markup escapes
