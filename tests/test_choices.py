"""The models' get_FOO_display() read their labels from a table made once: they must answer
exactly as Django's own does, for every choice, for a value that is not one, and in the
language active when they are called."""

import pytest
from django.apps import apps
from django.db.models import CharField, Model
from django.test.utils import isolate_apps
from django.utils import translation

from agentnet.choices import quick_displays

# projects, competencies and meetings use Django's own get_FOO_display.
PROJECT_APPS = ["agents"]

CHOICE_FIELDS = [
    (model, field)
    for label in PROJECT_APPS
    for model in apps.get_app_config(label).get_models()
    for field in model._meta.local_fields
    if field.choices is not None
]


def test_every_field_with_choices_has_its_quick_display():
    slow = [
        f"{model.__name__}.{field.name}"
        for model, field in CHOICE_FIELDS
        if getattr(model, f"get_{field.name}_display").__module__ != "agentnet.choices"
    ]

    assert CHOICE_FIELDS
    assert slow == []


@pytest.mark.parametrize(
    ("model", "field"), CHOICE_FIELDS, ids=[f"{m.__name__}.{f.name}" for m, f in CHOICE_FIELDS]
)
@pytest.mark.parametrize("language", ["da", "en"])
def test_quick_display_answers_as_djangos(model, field, language):
    values = [value for value, _label in field.flatchoices] + ["not-a-choice", "", None]
    with translation.override(language):
        for value in values:
            instance = model(**{field.attname: value})

            quick = getattr(instance, f"get_{field.name}_display")()
            django = Model._get_FIELD_display(instance, field)

            assert quick == django
            assert type(quick) is type(django)


def test_the_label_follows_the_language_active_when_it_is_read():
    from projects.models import Project

    project = Project(status=Project.Status.RUNNING)
    with translation.override("da"):
        danish = project.get_status_display()
    with translation.override("en"):
        english = project.get_status_display()

    assert danish != english
    assert english == "In progress"


@isolate_apps("projects")
def test_a_display_the_model_writes_itself_is_kept():
    @quick_displays
    class Kept(Model):
        kind = CharField(max_length=1, choices=[("a", "A")])

        class Meta:
            app_label = "projects"

        def __str__(self):
            return self.kind

        def get_kind_display(self):
            return "own"

    assert Kept(kind="a").get_kind_display() == "own"
