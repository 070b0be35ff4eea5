"""What is due for each person: the start page's "Waiting for you" and the daily digest both
read it, so the two never disagree.

due_items(users, today) answers for any number of people in a fixed number of queries (one
per kind of item), never one per person. Each item has a key that stays the same while the
item does, so the digest mails it once (agentnet/digest.py); the page shows it for as long
as it is due.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from competencies.models import Assessment, DevelopmentGoal
from meetings.models import Action, Attendance, Meeting
from projects.models import STALE_AFTER as STALE
from projects.models import Project

# How long before an erfa-day an unanswered invitation is a reminder.
ANSWER_BEFORE = timedelta(days=3)
# The self-assessment is reminded of from 14 days before the round's deadline, and again
# from 3 days before.
SELF_ASSESSMENT_STAGES = (14, 3)
# A development goal is due from 14 days before its deadline.
GOAL_BEFORE = timedelta(days=14)


@dataclass
class Item:
    # The field of agentnet.models.MailChoice that says whether the person wants it mailed.
    topic: str
    key: str
    message: str
    params: dict = field(default_factory=dict)
    url: str = ""

    @property
    def text(self):
        """In the active language: the digest renders each person's items in theirs."""
        return str(self.message) % {
            name: formats.date_format(value, "SHORT_DATE_FORMAT") if isinstance(value, date)
            else value
            for name, value in self.params.items()
        }


def due_items(users, today=None):
    """{user id: [Item, …]} for the users (a queryset or a list of ids) on `today`."""
    today = today or timezone.localdate()
    now = timezone.make_aware(datetime.combine(today, time(7)))
    items = {}

    def add(user_id, item):
        items.setdefault(user_id, []).append(item)

    for user_id, pk, title, went_stale in _stale_projects(users, now):
        add(user_id, Item(
            "projects", f"project:{pk}:{went_stale:%Y%m%d}",
            _("Your project “%(title)s” has had no update for 60 days"), {"title": title},
            reverse("projects:detail", args=[pk]),
        ))
    for user_id, pk, day in Attendance.objects.filter(
        user__in=users, response=Attendance.Response.INVITED,
        meeting__status=Meeting.Status.PUBLISHED,
        meeting__date__range=(today, today + ANSWER_BEFORE),
    ).values_list("user_id", "meeting_id", "meeting__date"):
        add(user_id, Item(
            "erfa_days", f"answer:{pk}",
            _("Say whether you are coming to the erfa-day on %(date)s"),
            {"date": day}, reverse("meetings:detail", args=[pk]),
        ))
    for user_id, pk, deadline in Assessment.objects.filter(
        agent__user__in=users, status=Assessment.Status.DRAFT,
        round__deadline__range=(today, today + timedelta(days=max(SELF_ASSESSMENT_STAGES))),
    ).values_list("agent__user_id", "pk", "round__deadline"):
        left = (deadline - today).days
        stage = min(s for s in SELF_ASSESSMENT_STAGES if left <= s)
        add(user_id, Item(
            "self_assessments", f"self-assessment:{pk}:{stage}",
            _("Send your self-assessment to your manager by %(date)s"),
            {"date": deadline}, reverse("competencies:assessment", args=[pk]),
        ))
    team = reverse("competencies:team")
    for user_id, pk, status, name, deadline in Assessment.objects.filter(
        manager__in=users, status__in=[Assessment.Status.SENT, Assessment.Status.REVIEWED],
    ).values_list(
        "manager_id", "pk", "status", "agent__user__first_name", "round__deadline"
    ).order_by("round__deadline", "pk"):
        if status == Assessment.Status.SENT:
            add(user_id, Item(
                "reviews", f"review:{pk}",
                _("%(name)s's self-assessment waits for your view"), {"name": name},
                reverse("competencies:assessment", args=[pk]),
            ))
        if deadline and deadline < today:
            add(user_id, Item(
                "reviews", f"talk:{pk}",
                _("The MUS talk with %(name)s is past the round's deadline"), {"name": name},
                team,
            ))
    for user_id, pk, text, assessment, deadline in DevelopmentGoal.objects.filter(
        assessment__agent__user__in=users, deadline__lte=today + GOAL_BEFORE,
        status__in=[DevelopmentGoal.Status.OPEN, DevelopmentGoal.Status.RUNNING],
    ).values_list("assessment__agent__user_id", "pk", "text", "assessment_id", "deadline"):
        add(user_id, Item(
            "goals", f"goal:{pk}:{'passed' if deadline < today else 'soon'}",
            _("Your development goal “%(goal)s” has its deadline on %(date)s"),
            {"goal": text, "date": deadline},
            reverse("competencies:assessment", args=[assessment]),
        ))
    actions = reverse("meetings:index") + "#actions-heading"
    for user_id, pk, text in Action.objects.filter(owner__in=users, done=False).values_list(
        "owner_id", "pk", "text"
    ).order_by("deadline", "pk"):
        add(user_id, Item(
            "actions", f"action:{pk}", _("Follow-up action from an erfa-day: %(action)s"),
            {"action": text}, actions,
        ))
    return items


def _stale_projects(users, now):
    """(user id, project, title, when it went stale) for the open projects without an update
    for 60 days that each user leads or works on: two queries."""
    stale = Project.objects.stale(now)
    fields = ("pk", "title", "last_activity_at")
    led = stale.filter(lead__user__in=users).values_list("lead__user_id", *fields)
    joined = stale.filter(co_agents__user__in=users).values_list("co_agents__user_id", *fields)
    for rows in (led, joined):
        for user_id, pk, title, last_activity in rows.order_by("last_activity_at"):
            yield user_id, pk, title, timezone.localdate(last_activity + STALE)
