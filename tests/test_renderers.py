"""The form renderer writes inputs and text areas in Python: to the same HTML as Django's
templates, for any name, value and attributes."""

from pathlib import Path

import django
from django import forms
from django.apps import apps
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import SafeString, mark_safe
from hypothesis import given
from hypothesis import strategies as st

from agentnet.renderers import INPUTS, TEXTAREA, Renderer

# Text with the characters HTML cares about, and the other values a widget's context holds.
text = st.text(alphabet=st.sampled_from('ab <>&"\'=\næø'), max_size=8)
values = st.one_of(
    st.none(), text, st.integers(-5, 5), text.map(mark_safe), st.just(SafeString(""))
)
attrs = st.dictionaries(
    st.one_of(st.sampled_from(["id", "class", "required", "aria-label", "rows"]), text),
    st.one_of(st.booleans(), st.none(), text, st.integers(0, 9), text.map(mark_safe)),
    max_size=5,
)
contexts = st.fixed_dictionaries(
    {"name": text, "value": values, "attrs": attrs, "type": text, "template_name": text}
)


@given(template=st.sampled_from(sorted(INPUTS | {TEXTAREA})), widget=contexts)
def test_the_python_widgets_match_djangos_templates(template, widget):
    context = {"widget": widget}

    assert Renderer().render(template, context) == DjangoTemplates().render(template, context)


def test_every_other_template_is_djangos():
    select = forms.Select(choices=[("1", "<En>"), ("2", "To")])
    context = select.get_context("level", "1", {"id": "id_level"})

    html = Renderer().render(select.template_name, context)

    assert html == DjangoTemplates().render(select.template_name, context)
    assert '<option value="1" selected>&lt;En&gt;</option>' in html


def test_the_site_draws_its_forms_with_it():
    assert settings.FORM_RENDERER == "agentnet.renderers.Renderer"
    html = str(forms.CharField(max_length=5).widget.render("q", "<b>", {"id": "id_q"}))
    assert html == '<input type="text" name="q" value="&lt;b&gt;" maxlength="5" id="id_q">'


def test_no_installed_app_overrides_the_widget_templates_it_writes():
    """An app's own django/forms/widgets/text.html (say) would be passed over."""
    own = Path(django.__file__).parent / "forms" / "templates"
    overriding = [
        f"{config.name}: {name}"
        for config in apps.get_app_configs()
        for name in sorted(INPUTS | {TEXTAREA})
        if (Path(config.path) / "templates" / name).exists()
        and Path(config.path) / "templates" != own
    ]
    assert overriding == []
