"""competencies.rows: a manager's list of assessments as the template loop wrote it."""

from django.utils import translation

from competencies.models import Assessment
from competencies.rows import assessment_rows


def test_a_row_per_assessment_linked_once_sent(mus_round, agent, other_agent):
    sent = mus_round.assessments.get(agent=agent)
    Assessment.objects.filter(pk=sent.pk).update(status="sent")
    agent.user.first_name = "Kaj <K>"
    agent.user.save()
    assessments = (
        Assessment.objects.filter(pk__in=[sent.pk, mus_round.assessments.get(agent=other_agent).pk])
        .select_related("agent__user", "agent__department", "round")
        .order_by("-status")
    )

    with translation.override("da"):
        html = assessment_rows(assessments)

    name = str(agent.user).replace("<", "&lt;").replace(">", "&gt;")
    assert html == (
        f'<tr><th scope="row"><a href="{sent.get_absolute_url()}">{name}</a>'
        f'<br><small class="fw-normal">{agent.department}</small></th>'
        f"<td>{mus_round}</td><td>Sendt til leder</td></tr>"
        f'<tr><th scope="row">{other_agent.user}'
        f'<br><small class="fw-normal">{other_agent.department}</small></th>'
        f"<td>{mus_round}</td><td>Kladde <small>(ikke sendt endnu)</small></td></tr>"
    )
