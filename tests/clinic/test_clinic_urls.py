"""``{% uuid_url %}`` gives the same text as ``{% url %}``, under any script prefix."""

import uuid

import pytest
from django.template import Context, Template
from django.urls import clear_script_prefix, get_script_prefix, reverse, set_script_prefix

from clinic.templatetags.clinic_urls import uuid_url

NAMES = ["treatments:chart", "treatments:followup_detail"]


def render(viewname: str, value) -> tuple[str, str]:
    context = Context({"name": viewname, "value": value})
    ours = Template("{% load clinic_urls %}{% uuid_url name value %}").render(context)
    django = Template("{% url name value %}").render(context)
    return ours, django


@pytest.mark.parametrize("viewname", NAMES)
def test_it_renders_what_the_url_tag_renders(viewname):
    for _ in range(3):
        value = uuid.uuid4()
        ours, django = render(viewname, value)
        assert ours == django
        assert str(value) in ours


@pytest.mark.parametrize("viewname", NAMES)
def test_it_follows_the_script_prefix(viewname):
    before = get_script_prefix()
    value = uuid.uuid4()
    try:
        set_script_prefix("/clinic-a/")
        first = uuid_url(viewname, value)
        set_script_prefix("/clinic-b/")
        second = uuid_url(viewname, value)
        assert second == reverse(viewname, args=[value])
    finally:
        clear_script_prefix()
        set_script_prefix(before)
    assert first.startswith("/clinic-a/")
    assert second.startswith("/clinic-b/")


def test_a_value_that_is_not_a_uuid_goes_through_reverse():
    value = uuid.uuid4()
    assert uuid_url("treatments:chart", str(value)) == reverse("treatments:chart", args=[value])
