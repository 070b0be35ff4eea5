"""The site's own field drawing (agentnet.fields, agentnet.forms): what crispy-forms and
Django would draw, in one pass."""

from django import forms
from django.forms.utils import flatatt
from django.template import engines

from agentnet.forms import (
    QuickSelect,
    ReadOnce,
    _flat_attributes,
    option_rows,
    options_from_columns,
)
from agents.models import Department


class Sample(forms.Form):
    level = forms.TypedChoiceField(
        label="Niveau <1>", coerce=int, required=False, empty_value=None, widget=QuickSelect,
        choices=[("", "Ikke besvaret"), (1, "1 <kender>"), (2, "2 & mere")],
    )
    note = forms.CharField(label="Note", max_length=5, required=False)


def draw(form, *names):
    tags = "".join(f"{{% field f.{name} %}}" for name in names or ("level", "note"))
    return engines["django"].from_string("{% load fields %}" + tags).render({"f": form})


def test_a_valid_field_has_its_label_and_no_error_marks():
    html = draw(Sample(initial={"level": 2, "note": "ok"}))

    assert '<label for="id_level" class="form-label">Niveau &lt;1&gt;</label>' in html
    assert '<option value="2" selected>2 &amp; mere</option>' in html
    assert '<option value="1">1 &lt;kender&gt;</option>' in html
    assert '<option value="1">1 &lt;kender&gt;</option>' in html
    assert 'class="form-select"' in html and 'class="form-control"' in html
    assert "is-invalid" not in html and "aria-describedby" not in html


def test_errors_sit_beside_the_field_and_are_tied_to_it():
    form = Sample({"level": "9", "note": "<script>x</script>"})
    assert not form.is_valid()

    html = draw(form)

    for name in ("level", "note"):
        assert f'aria-describedby="id_{name}_error"' in html
        assert f'<div id="id_{name}_error" class="invalid-feedback"><p><strong>' in html
    assert html.count('aria-invalid="true"') == 2
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html


def test_choices_made_when_first_needed_and_only_once():
    made = []

    def make():
        made.append(1)
        return [("", "–"), (1, "En")]

    select = QuickSelect(choices=ReadOnce(make))
    assert made == []
    html = select.render("x", 1)
    select.render("x", None)
    assert made == [1]
    assert '<option value="1" selected>En</option>' in html


class Filters(forms.Form):
    stale = forms.BooleanField(label="Kun stille", required=False)
    q = forms.CharField(label="Søg", help_text="Mindst <2> tegn.", min_length=2, required=False)


def test_a_checkbox_has_its_label_after_it_and_help_text_is_tied_to_its_field():
    form = Filters({"stale": "on", "q": "x"})
    assert not form.is_valid()

    html = draw(form, "stale", "q")

    assert html.startswith(
        '<div class="mb-3 form-check"><input type="checkbox" name="stale" class="form-check-input"'
    )
    assert 'id="id_stale" checked><label for="id_stale" class="form-check-label">Kun stille' in html
    assert 'aria-describedby="id_q_helptext id_q_error"' in html
    assert '<div id="id_q_helptext" class="form-text">Mindst &lt;2&gt; tegn.</div>' in html


def test_options_from_columns_read_the_queryset_once_when_drawn(
    agent, django_assert_num_queries
):
    required = forms.ModelChoiceField(queryset=Department.objects.all(), empty_label=None)
    optional = forms.ModelChoiceField(queryset=Department.objects.all(), empty_label="Alle")
    with django_assert_num_queries(0):
        options_from_columns(required, ["name"])
        options_from_columns(optional, ["name"], str.upper)
    with django_assert_num_queries(2):
        required_html = required.widget.render("d", agent.department_id)
        optional_html = optional.widget.render("d", None)
        optional.widget.render("d", None)

    name = agent.department.name
    assert required_html.count("<option") == 1
    assert f'<option value="{agent.department_id}" selected>{name}</option>' in required_html
    assert '<option value="" selected>Alle</option>' in optional_html
    assert f">{name.upper()}</option>" in optional_html


class Courses(forms.Form):
    courses = forms.MultipleChoiceField(
        label="Kurser", widget=forms.CheckboxSelectMultiple, help_text="Vælg dem, I aftalte.",
        choices=[("1", "Ledelse <af> forandringer"), ("2", "Procesledelse")],
    )
    date = forms.DateField(label="Dato", widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("Noget <galt>")


def render(template, form):
    return engines["django"].from_string("{% load fields %}" + template).render({"f": form})


def test_a_checkbox_list_is_a_fieldset_with_its_errors_and_help_tied_to_every_box():
    form = Courses({"courses": ["9"]})
    assert not form.is_valid()

    html = render("{% field f.courses %}", form)

    assert '<fieldset class="mb-3"><legend class="form-label fs-6">Kurser</legend>' in html
    assert html.count('type="checkbox" name="courses"') == 2
    assert '<label for="id_courses_0" class="form-check-label">Ledelse &lt;af&gt; forandringer' in (
        html
    )
    assert html.count('aria-describedby="id_courses_helptext id_courses_error"') == 2
    assert html.count('aria-invalid="true"') == 2
    assert '<div id="id_courses_error" class="invalid-feedback d-block">' in html


def test_a_chosen_box_is_checked():
    html = render("{% field f.courses %}", Courses(initial={"courses": ["2"]}))

    assert 'value="2" id="id_courses_1" class="form-check-input" checked aria' in html
    assert 'value="1" id="id_courses_0" class="form-check-input" aria' in html


class Kinds(forms.Form):
    kind = forms.ChoiceField(
        label="Slags", widget=forms.RadioSelect, disabled=True, initial="sms",
        choices=[("Kanaler", [("sms", "SMS"), ("mail", "Mail")]), ("rpa", "RPA")],
    )


def test_grouped_choices_are_listed_in_turn_and_a_disabled_list_cannot_be_changed():
    html = render("{% field f.kind %}", Kinds())

    assert html.count('type="radio" name="kind"') == 3
    assert 'value="sms" id="id_kind_0" class="form-check-input" checked disabled>' in html
    assert 'value="mail" id="id_kind_1" class="form-check-input" disabled>' in html
    assert 'value="rpa" id="id_kind_2" class="form-check-input" disabled>' in html
    assert "Kanaler" not in html


def test_a_whole_form_has_its_own_errors_first_then_hidden_and_visible_fields():
    form = Courses({"courses": ["1"]})
    assert not form.is_valid()

    html = render("{% fields f %}", form)

    assert html.startswith('<div class="alert alert-danger" role="alert"><p>Noget &lt;galt&gt;')
    assert html.index('type="hidden" name="date"') < html.index("<fieldset")


def test_radio_buttons_are_a_fieldset_with_the_chosen_one_checked():
    class Kind(forms.Form):
        kind = forms.ChoiceField(label="Slags", widget=forms.RadioSelect,
                                 choices=[("progress", "Fremdrift"), ("problem", "Problem")])

    html = render("{% field f.kind %}", Kind(initial={"kind": "problem"}))

    assert '<legend class="form-label fs-6">Slags</legend>' in html
    assert 'value="problem" id="id_kind_1" class="form-check-input" checked' in html
    assert html.count('type="radio"') == 2 and html.count(" checked") == 1


def test_a_select_s_attributes_as_django_writes_them():
    attrs = {
        "id": "id_x", "class": 'form-select "x"', "required": True, "disabled": False,
        "data-n": 3, "title": None, "autofocus": True, "aria-label": "Niveau: <A & B>",
    }
    assert _flat_attributes(attrs) == flatatt(attrs)
    assert _flat_attributes({}) == flatatt({}) == ""


def test_options_read_by_a_query_compiled_once_are_the_same(agent, django_assert_num_queries):
    """option_rows(): the same options as the field's own queryset gives, read once per
    drawing, for every form that draws the field."""
    queryset = Department.objects.all()
    read = option_rows(queryset, ["name"])
    drawn = []
    for shared in (None, read, read):
        field = forms.ModelChoiceField(queryset=queryset, empty_label="Alle")
        options_from_columns(field, ["name"], read=shared)
        with django_assert_num_queries(1):
            drawn.append(field.widget.render("d", agent.department_id))
            field.widget.render("d", agent.department_id)

    assert drawn[0] == drawn[1] == drawn[2]
    assert f'<option value="{agent.department_id}" selected>' in drawn[1]
