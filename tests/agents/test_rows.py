"""agents.rows: the directory's rows as its template loop wrote them, escaped."""

from django.utils import translation

from agents.models import Agent, SystemRole, with_superuser_roles
from agents.rows import agent_rows, capacity_rows, department_rows, system_rows
from tests import factories


def test_each_agent_s_row(db):
    agent = factories.AgentFactory(
        user__first_name="Kaj", user__last_name="O'Neill", title="IT & digitalisering",
        department__name="Skole <SFO>", time_share=25,
    )
    for name in ("Nexus", "KMD <Sag>"):
        factories.SystemRoleFactory(user=agent.user, system=factories.SystemFactory(name=name))
    factories.SystemRoleFactory(user=agent.user, role=SystemRole.Role.OWNER)
    other = factories.AgentFactory(user__first_name="Bo", user__last_name="Bach")
    systems = {role.system.name: role.system for role in agent.user.system_roles.all()}

    html = agent_rows(
        with_superuser_roles(list(Agent.objects.for_list().order_by("user__first_name")))
    )

    assert html == (
        f'<tr><th scope="row"><a href="{other.get_absolute_url()}">Bo Bach</a></th>'
        "<td>Digitaliseringskonsulent</td>"
        f'<td><a href="{other.department.get_absolute_url()}">{other.department}</a></td>'
        f'<td>{other.location}</td><td class="text-end">50 %</td><td>–</td></tr>'
        f'<tr><th scope="row"><a href="{agent.get_absolute_url()}">Kaj O&#x27;Neill</a></th>'
        "<td>IT &amp; digitalisering</td>"
        f'<td><a href="{agent.department.get_absolute_url()}">Skole &lt;SFO&gt;</a></td>'
        f'<td>{agent.location}</td><td class="text-end">25 %</td>'
        f'<td><a href="{systems["KMD <Sag>"].get_absolute_url()}">KMD &lt;Sag&gt;</a>, '
        f'<a href="{systems["Nexus"].get_absolute_url()}">Nexus</a></td></tr>'
    )


def test_each_department_s_row(db):
    parent = factories.DepartmentFactory(name="Børn & Unge")
    school = factories.DepartmentFactory(name="Skoler", parent=parent)
    empty = factories.DepartmentFactory(name="Jura")
    school.agent_count, school.shown_agents = 5, [("/a/1/", "Anna"), ("/a/2/", "Bo <B>")]
    empty.agent_count, empty.shown_agents = 0, []

    with translation.override("da"):
        html = department_rows([school, empty])

    kind = school.get_kind_display()
    assert html == (
        f'<tr><th scope="row"><a href="{school.get_absolute_url()}">Skoler</a><br>'
        '<small class="text-body-secondary">del af Børn &amp; Unge</small></th>'
        f'<td>{kind}</td><td class="text-end">5</td>'
        '<td><a href="/a/1/">Anna</a>, <a href="/a/2/">Bo &lt;B&gt;</a>'
        f' … <a href="{school.get_absolute_url()}">se alle 5</a></td></tr>'
        f'<tr><th scope="row"><a href="{empty.get_absolute_url()}">Jura</a></th>'
        f'<td>{kind}</td><td class="text-end">0</td>'
        '<td><span class="badge badge-missing">Ingen agent</span></td></tr>'
    )


def test_each_system_s_row(db):
    owner = factories.DepartmentFactory(name="IT & Digitalisering")
    nexus = factories.SystemFactory(name="Nexus <Care>", vendor="KMD", owner_department=owner)
    bare = factories.SystemFactory(name="Outlook", vendor="", owner_department=None)
    nexus.superuser_count, nexus.shown_superusers = 4, ["Anna", "Bo O'Hara"]
    nexus.it_contact_count, nexus.shown_it_contacts = 1, ["Carl"]
    bare.superuser_count = bare.it_contact_count = 0
    bare.shown_superusers = bare.shown_it_contacts = []

    with translation.override("da"):
        html = system_rows([nexus, bare])

    url = nexus.get_absolute_url()
    assert html == (
        f'<tr><th scope="row"><a href="{url}">Nexus &lt;Care&gt;</a></th><td>KMD</td>'
        "<td>IT &amp; Digitalisering</td>"
        f'<td>Anna, Bo O&#x27;Hara … <a href="{url}">se alle 4</a></td><td>Carl</td></tr>'
        f'<tr><th scope="row"><a href="{bare.get_absolute_url()}">Outlook</a></th>'
        "<td>–</td><td>–</td><td>–</td><td>–</td></tr>"
    )


def test_each_department_s_capacity(db):
    staffed = factories.DepartmentFactory(name="Skole & SFO")
    empty = factories.DepartmentFactory(name="Jura")
    staffed.agent_count, staffed.fte = 3, 1.25
    empty.agent_count, empty.fte = 0, 0

    with translation.override("da"):
        html = capacity_rows([staffed, empty])

    assert html == (
        f'<tr><th scope="row"><a href="{staffed.get_absolute_url()}">Skole &amp; SFO</a></th>'
        '<td class="text-end">3</td><td class="text-end">1,25</td></tr>'
        f'<tr><th scope="row"><a href="{empty.get_absolute_url()}">Jura</a>'
        ' <span class="badge badge-missing">Ingen agent</span></th>'
        '<td class="text-end">0</td><td class="text-end">0,00</td></tr>'
    )
