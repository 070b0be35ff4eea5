import datetime

import factory
from django.contrib.auth.models import Group

from agents.models import Agent, Department, Location, System, SystemRole, User
from agents.permissions import FACILITATOR, MANAGER

TEST_PASSWORD = "test-password-123"


def in_groups(*default):
    """Post-generation hook: put the user in the named groups (or those passed in)."""

    def add(user, create, extracted, **kwargs):
        names = extracted if extracted is not None else default
        if create and names:
            user.groups.add(*Group.objects.filter(name__in=names))

    return factory.PostGeneration(add)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(TEST_PASSWORD)

    group_names = in_groups()


class FacilitatorFactory(UserFactory):
    is_staff = True
    group_names = in_groups(FACILITATOR)


class ManagerFactory(UserFactory):
    group_names = in_groups(MANAGER)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Afdeling {n}")
    kind = Department.Kind.LINE


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"By {n}")


class AgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agent

    user = factory.SubFactory(UserFactory)
    title = "Digitaliseringskonsulent"
    department = factory.SubFactory(DepartmentFactory)
    location = factory.SubFactory(LocationFactory)
    time_share = 50


class SystemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = System
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"System {n}")
    vendor = "Leverandør A/S"
    owner_department = factory.SubFactory(DepartmentFactory)


class SystemRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SystemRole

    system = factory.SubFactory(SystemFactory)
    user = factory.SubFactory(UserFactory)
    role = SystemRole.Role.SUPERUSER


class ProjectTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.ProjectType"
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Type {n}")


class StrategyGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.StrategyGoal"

    title = factory.Sequence(lambda n: f"Strategimål {n}")
    first_year = 2024
    last_year = 2027


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.Project"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Projekt {n}")
    lead = factory.SubFactory(AgentFactory)
    status = "running"

    @factory.post_generation
    def co_agents(self, create, agents, **kwargs):
        if create and agents:
            self.co_agents.set(agents)

    @factory.post_generation
    def departments(self, create, departments, **kwargs):
        if create and departments:
            self.departments.set(departments)


class ProjectUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.ProjectUpdate"

    project = factory.SubFactory(ProjectFactory)
    author = factory.LazyAttribute(lambda u: u.project.lead.user)
    kind = "progress"
    text = "Fremdrift i projektet."


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Meeting"

    date = factory.Sequence(lambda n: datetime.date(2027, 1, 1) + datetime.timedelta(days=n))
    location = factory.SubFactory(LocationFactory)
    status = "published"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.AgendaItem"

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Punkt {n}")
    duration = 30
    position = factory.Sequence(int)
