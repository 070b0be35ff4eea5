"""projects.rows: a list's project rows as the template loop wrote them, escaped."""

import datetime

from django.utils import timezone, translation

from projects.models import Project, with_name_lists
from projects.rows import project_rows
from tests import factories


def test_each_project_s_row(db):
    lead = factories.AgentFactory(user__first_name="Kaj", user__last_name="O'Neill")
    fresh = factories.ProjectFactory(
        title="Sms <påmindelser>", lead=lead,
        departments=[factories.DepartmentFactory(name="Skole & SFO"),
                     factories.DepartmentFactory(name="Jura")],
    )
    fresh.types.add(factories.ProjectTypeFactory(name="RPA"))
    old_day = timezone.make_aware(datetime.datetime(2025, 1, 2, 12))
    stale = factories.ProjectFactory(title="Robot", lead=lead, status="paused")
    Project.objects.filter(pk=stale.pk).update(last_activity_at=old_day)
    today = timezone.localdate().strftime("%d.%m.%Y")
    projects = with_name_lists(list(Project.objects.for_list().order_by("title")))

    with translation.override("da"):
        html = project_rows(projects)

    assert html == (
        f'<tr><th scope="row"><a href="{stale.get_absolute_url()}">Robot</a></th>'
        '<td><span class="badge status-paused">Sat på pause</span>'
        ' <span class="badge badge-stale">I stå</span></td>'
        "<td>Kaj O&#x27;Neill</td><td>–</td><td>–</td><td>02.01.2025</td></tr>"
        f'<tr><th scope="row"><a href="{fresh.get_absolute_url()}">Sms &lt;påmindelser&gt;</a>'
        '</th><td><span class="badge status-running">I gang</span></td>'
        "<td>Kaj O&#x27;Neill</td><td>Jura, Skole &amp; SFO</td><td>RPA</td>"
        f"<td>{today}</td></tr>"
    )
