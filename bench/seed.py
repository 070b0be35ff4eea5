"""The benchmark's networks, fictional and written with bulk inserts, on an empty database.

    python -m bench seed                 # the large network (Counts' defaults)
    python -m bench seed --small         # the small one
    python -m bench seed --agents 1000   # any count can be changed

DATABASE_URL names the database (migrated, without departments). Every user shares one
password, hashed once: hashing is slow on purpose. Each kind of row is a step in STEPS, run
in order in one transaction; a step reads what earlier ones made from the Network it is
handed and returns how many rows it wrote. Data for a new page joins as one more step.
"""

import argparse
import json
import random
import time
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Subquery
from django.utils import timezone

from agents.models import Agent, Department, Location, System, SystemRole, User
from agents.permissions import FACILITATOR, MANAGER
from competencies import demo as competencies_demo
from competencies.models import (
    NOT_RELEVANT,
    Assessment,
    Competency,
    Course,
    DevelopmentGoal,
    MusRound,
    Rating,
)
from meetings import services as meetings_services
from meetings.demo import TALKS
from meetings.models import Action, AgendaItem, Attendance, Meeting, Speaker
from projects import history
from projects.demo import GOALS, TYPES, UPDATE_TEXTS
from projects.models import (
    Idea,
    Project,
    ProjectChange,
    ProjectType,
    ProjectUpdate,
    Rollout,
    StrategyGoal,
)

PASSWORD = "agentnet-bench"  # noqa: S105 - fictional users in a throwaway database
BATCH = 1000


@dataclass(frozen=True)
class Counts:
    """How much to make. The defaults are the benchmark's large network."""

    departments: int = 40
    towns: int = 6
    agents: int = 300
    managers: int = 20
    it_contacts: int = 6
    systems: int = 30
    superusers_per_system: int = 3
    projects: int = 5000
    project_updates: int = 60000  # spread over the last 12 months
    rollouts: int = 3000  # rows, one per project and department
    ideas: int = 200
    meetings: int = 120  # erfa-days, about eleven a year
    meetings_ahead: int = 8  # of them still to come
    speakers: int = 20
    mus_rounds: int = 2
    assessments: int = 300  # per MUS round


class Network:
    """What the steps have made so far (each sets its own attributes), for the steps after."""

    def __init__(self, counts, rng, password):
        self.counts, self.rng, self.password = counts, rng, password
        # One moment for the whole network: "the last 12 months" means the same to every step.
        self.now = timezone.now()
        self.teams = {}  # project pk: the users who write its updates


class SeedError(Exception):
    pass


def if_field(model, **values):
    """The values of the fields the model has: the same seed serves an earlier commit, which
    `--before` measures, whose models may not have a field added since."""
    names = {f.attname for f in model._meta.get_fields() if hasattr(f, "attname")}
    return {name: value for name, value in values.items() if name in names}


FIRST_NAMES = [
    "Anne", "Bo", "Camilla", "Dorte", "Emil", "Frida", "Gustav", "Helle", "Ida", "Jakob",
    "Karen", "Lars", "Maja", "Niels", "Ole", "Pernille", "Rasmus", "Sofie", "Torben", "Ulla",
    "Viggo", "Winnie", "Aksel", "Birthe", "Christian", "Ditte", "Erik", "Freja", "Hans", "Inge",
]
LAST_NAMES = [
    "Andersen", "Bach", "Christensen", "Dalgaard", "Eriksen", "Frost", "Gregersen", "Holm",
    "Iversen", "Jensen", "Kristiansen", "Lund", "Mikkelsen", "Nielsen", "Olesen", "Poulsen",
    "Quist", "Rasmussen", "Sørensen", "Thomsen", "Udsen", "Vestergaard", "Winther", "Østergaard",
    "Ågaard", "Bundgaard", "Kjær", "Møller", "Skov", "Hedegaard", "Toft",
]
TOWNS = [
    "Ringkøbing", "Skjern", "Tarm", "Videbæk", "Hvide Sande", "Spjald", "Kloster", "Lem",
    "Hee", "No", "Vorgod-Barde", "Borris",
]
# subject, kind ("fag" line or "stab" staff department)
SUBJECTS = [
    ("Jobcenter", "fag"), ("Borgerservice", "fag"), ("Børn og Familie", "fag"),
    ("Skole", "fag"), ("Dagtilbud", "fag"), ("Ældrepleje", "fag"), ("Sundhed", "fag"),
    ("Handicap", "fag"), ("Psykiatri", "fag"), ("Byggeri", "fag"), ("Natur og Miljø", "fag"),
    ("Vej og Park", "fag"), ("Kultur og Fritid", "fag"), ("Personale", "stab"),
    ("Økonomi", "stab"), ("IT", "stab"), ("Kommunikation", "stab"), ("Jura", "stab"),
]
TITLES = [
    "Sagsbehandler", "Socialrådgiver", "Jobkonsulent", "Administrativ medarbejder",
    "Sygeplejerske", "Pædagogisk konsulent", "Digitaliseringskonsulent", "Teamleder",
    "Økonomikonsulent", "IT-supporter", "Planlægger", "Ergoterapeut", "Byggesagsbehandler",
]
SYSTEM_NAMES = [
    "ESDH", "Momentum", "SMS-service", "RPA-platform", "Medarbejder-indberetning",
    "Omsorgssystem", "Børnesagssystem", "Aula", "Økonomisystem", "Byggesagssystem",
    "Microsoft 365", "Lønsystem", "Ydelsessystem", "Borgerportal", "Booking", "Intranet",
]
VENDORS = ["KMD", "Netcompany", "Systematic", "Fujitsu", "Microsoft", "UiPath", "Link Mobility"]
SHARES = [10, 15, 20, 25, 30, 40, 50, 60, 75, 100]


def _numbered(names, count):
    """count distinct names: the list first, then the list again with 2, 3, … after each."""
    return [
        names[i % len(names)] + ("" if i < len(names) else f" {i // len(names) + 1}")
        for i in range(count)
    ]


def towns(net):
    net.towns = Location.objects.bulk_create(
        [Location(name=name, address=f"Torvet {i + 1}")
         for i, name in enumerate(_numbered(TOWNS, net.counts.towns))], batch_size=BATCH)
    return len(net.towns)


def departments(net):
    """A few top-level areas, the other departments each part of one of them."""
    count = net.counts.departments
    names = _numbered([name for name, _kind in SUBJECTS], count)
    rows = [Department(name=name, kind=SUBJECTS[i % len(SUBJECTS)][1])
            for i, name in enumerate(names)]
    areas = max(1, count // 8)
    Department.objects.bulk_create(rows[:areas], batch_size=BATCH)
    for i, department in enumerate(rows[areas:]):
        department.parent = rows[i % areas]
    Department.objects.bulk_create(rows[areas:], batch_size=BATCH)
    net.departments = rows
    return len(rows)


def _user(net, username, i):
    return User(username=username, first_name=FIRST_NAMES[i % len(FIRST_NAMES)],
                last_name=LAST_NAMES[(i // len(FIRST_NAMES) + i) % len(LAST_NAMES)],
                email=f"{username}@agentnet.example", password=net.password)


def users(net):
    """Managers (group Leder), IT contacts and the agents' users; the first agent is the
    facilitator (group Facilitator, staff)."""
    c = net.counts
    net.managers = [_user(net, f"leder{i:02d}", i) for i in range(c.managers)]
    net.it_people = [_user(net, f"it{i:02d}", i + 7) for i in range(c.it_contacts)]
    net.agent_users = [_user(net, f"agent{i:04d}", i + 13) for i in range(c.agents)]
    if net.agent_users:
        net.agent_users[0].is_staff = True
    everyone = [*net.managers, *net.it_people, *net.agent_users]
    User.objects.bulk_create(everyone, batch_size=BATCH)

    groups = dict(Group.objects.filter(name__in=[FACILITATOR, MANAGER]).values_list("name", "pk"))
    membership = User.groups.through
    rows = [membership(user_id=u.pk, group_id=groups[MANAGER]) for u in net.managers]
    rows += [membership(user_id=u.pk, group_id=groups[FACILITATOR]) for u in net.agent_users[:1]]
    membership.objects.bulk_create(rows, batch_size=BATCH)
    return len(everyone) + len(rows)


def agents(net):
    """Agents spread over all departments but the last tenth, which are left without one
    (the departments page flags those); one in twenty agents is inactive."""
    rng = net.rng
    staffed = net.departments[: max(1, len(net.departments) - len(net.departments) // 10)]
    rows = []
    for i, user in enumerate(net.agent_users):
        d = i % len(staffed) if i < len(staffed) else rng.randrange(len(staffed))
        rows.append(Agent(
            user=user, title=rng.choice(TITLES), department=staffed[d],
            location=rng.choice(net.towns),
            # Each department has one manager, as in the municipality.
            manager=net.managers[d % len(net.managers)] if net.managers else None,
            time_share=rng.choice(SHARES),
            joined=date(2016, 1, 1) + timedelta(days=rng.randrange(3500)),
            phone=f"96 74 {i // 100 % 100:02d} {i % 100:02d}" if i % 3 else "",
            bio="Superbruger og bindeled mellem fagområdet og IT. Spørg mig om arbejdsgange, "
            "selvbetjening og robotter." if i % 4 == 0 else "",
            is_active=i % 20 != 19,
        ))
    net.agents = Agent.objects.bulk_create(rows, batch_size=BATCH)
    return len(net.agents)


def systems(net):
    net.systems = System.objects.bulk_create(
        [System(name=name, vendor=VENDORS[i % len(VENDORS)],
                owner_department=net.departments[i % len(net.departments)],
                description=f"{name}: fagsystem i kommunen. Spørg superbrugerne om adgang.")
         for i, name in enumerate(_numbered(SYSTEM_NAMES, net.counts.systems))],
        batch_size=BATCH)
    return len(net.systems)


def system_roles(net):
    """Superusers (one more or one fewer than the average now and then), one IT contact per
    system, and a system owner (a manager) for every other system."""
    rng = net.rng
    active = [agent.user for agent in net.agents if agent.is_active]
    per_system = net.counts.superusers_per_system
    rows = []
    for i, system in enumerate(net.systems):
        count = min(len(active), max(1, per_system + (i % 3) - 1))
        for user in rng.sample(active, count):
            rows.append(SystemRole(system=system, user=user, role=SystemRole.Role.SUPERUSER))
        if net.it_people:
            contact = net.it_people[i % len(net.it_people)]
            rows.append(SystemRole(system=system, user=contact, role=SystemRole.Role.IT_CONTACT))
        if net.managers and i % 2 == 0:
            owner = net.managers[i % len(net.managers)]
            rows.append(SystemRole(system=system, user=owner, role=SystemRole.Role.OWNER))
    SystemRole.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


# Projects -----------------------------------------------------------------------------------

# (status, weight, phases it can be in); most projects run or are done, a few are ideas.
STATUSES = [
    (Project.Status.IDEA, 8, [""]),
    (Project.Status.PLANNED, 14, ["analysis", "procurement"]),
    (Project.Status.RUNNING, 38, ["development", "pilot", "implementation"]),
    (Project.Status.PAUSED, 6, ["procurement", "pilot"]),
    (Project.Status.DONE, 28, ["operation"]),
    (Project.Status.DROPPED, 6, ["analysis", "pilot"]),
]
# How many updates a project of each status gets, relatively.
UPDATE_WEIGHT = {"idea": 1, "planned": 3, "running": 8, "paused": 2, "done": 3, "dropped": 1}
TASKS = [
    "aktindsigt", "bankafstemning", "journalisering", "tidsbestilling", "fraværsregistrering",
    "kørselsafregning", "ansøgninger", "påmindelser", "visitation", "byggesager",
    "opkrævninger", "borgerhenvendelser", "medicinhåndtering", "ruteplanlægning",
    "skoleindskrivning", "lokalebooking",
]
ROLLOUT_NOTES = ["", "", "Nattevagter mangler adgang.", "Introduceret på personalemødet.",
                 "Planlagt efter nytår.", "Bruger fortsat papirblanket."]
IDEA_WISHES = [
    "se dagens køreruter på en skærm i bilen", "sende en sms, når sagen skifter status",
    "slippe for at taste fravær ind to gange", "lade forældre booke samtaler selv",
    "søge i gamle sager med fritekst", "få robotten til at tømme opvaskemaskinen",
    "underskrive aftaler digitalt", "se ledige lokaler på en skærm",
]


def project_catalogue(net):
    """The project types and strategy goals of the demo (projects/demo.py)."""
    net.project_types = ProjectType.objects.bulk_create(
        [ProjectType(name=name) for name in TYPES], batch_size=BATCH
    )
    net.goals = StrategyGoal.objects.bulk_create(
        [StrategyGoal(title=title, first_year=first, last_year=last)
         for title, first, last in GOALS],
        batch_size=BATCH,
    )
    return len(net.project_types) + len(net.goals)


def projects(net):
    """Projects led by active agents, with co-agents, departments, systems, goals and types;
    last_activity_at is set from the updates in the next step."""
    c, rng = net.counts, net.rng
    active = [agent for agent in net.agents if agent.is_active]
    if c.projects and not active:
        raise SeedError("Projects need at least one active agent to lead them.")
    statuses = [status for status, _weight, _phases in STATUSES]
    weights = [weight for _status, weight, _phases in STATUSES]
    phases = {status: choices for status, _weight, choices in STATUSES}
    today = net.now.date()
    rows, links = [], []
    for i in range(c.projects):
        status = rng.choices(statuses, weights)[0]
        lead = rng.choice(active)
        kinds = rng.sample(net.project_types, rng.choice([1, 1, 1, 2]))
        department = lead.department
        start = today - timedelta(days=rng.randint(30, 2000))
        planned = status != Project.Status.IDEA or rng.random() < 0.3
        hours = rng.choice([None, None, 50, 100, 200, 300, 500, 800, 1200, 2500])
        rows.append(Project(
            title=f"{kinds[0].name} til {TASKS[i % len(TASKS)]} i {department.name}",
            summary=f"Nye arbejdsgange for {TASKS[(i // 3) % len(TASKS)]}: "
            "afklaring, test i ét team og udrulning til resten af området.",
            status=status, phase=rng.choice(phases[status]), lead=lead,
            start_date=start if planned else None,
            target_date=start + timedelta(days=rng.randint(90, 720)) if planned else None,
            hours_saved_per_year=hours,
            realised_hours_per_year=int(hours * rng.uniform(0.4, 1.2))
            if hours and status == Project.Status.DONE else None,
            benefit="Mindre tid på rutineopgaver og hurtigere svar til borgerne." if hours else "",
            dpia_done=rng.random() < 0.4, journalised=rng.random() < 0.5,
            dpa_in_place=rng.random() < 0.5, updated_by=lead.user,
            # Projects without updates keep this; the others get their newest update's.
            last_activity_at=timezone.make_aware(datetime.combine(start, datetime.min.time())),
        ))
        # bulk_create() skips Project.save(), which keeps the day an ended project ended.
        if status in (Project.Status.DONE, Project.Status.DROPPED):
            rows[-1].ended_on = min(rows[-1].target_date or today, today)
        links.append((lead, kinds))
    net.projects = Project.objects.bulk_create(rows, batch_size=BATCH)

    through = {name: getattr(Project, name).through for name in
               ("co_agents", "departments", "systems", "goals", "types")}
    m2m = {name: [] for name in through}
    for project, (lead, kinds) in zip(net.projects, links, strict=True):
        co = [a for a in rng.sample(active, min(len(active), rng.choice([0, 1, 1, 2, 3])))
              if a.pk != lead.pk]
        m2m["co_agents"] += [through["co_agents"](project_id=project.pk, agent_id=a.pk)
                             for a in co]
        served = {lead.department_id}
        if rng.random() < 0.3:
            served.update(d.pk for d in rng.sample(net.departments,
                                                   min(len(net.departments), 3)))
        m2m["departments"] += [through["departments"](project_id=project.pk, department_id=d)
                               for d in sorted(served)]
        m2m["systems"] += [through["systems"](project_id=project.pk, system_id=s.pk)
                           for s in rng.sample(net.systems,
                                               min(len(net.systems), rng.choice([0, 1, 1, 2])))]
        m2m["goals"] += [through["goals"](project_id=project.pk, strategygoal_id=g.pk)
                         for g in rng.sample(net.goals,
                                             min(len(net.goals), rng.choice([0, 1, 1, 2])))]
        m2m["types"] += [through["types"](project_id=project.pk, projecttype_id=t.pk)
                         for t in kinds]
        net.teams[project.pk] = [lead.user, *(a.user for a in co)]
    for name, model in through.items():
        model.objects.bulk_create(m2m[name], batch_size=BATCH)
    return len(net.projects) + sum(len(rows) for rows in m2m.values())


def project_changes(net):
    """The change history: "created the project" for each, a status change for a third."""
    rng = net.rng
    rows = []
    for project in net.projects:
        created = net.now - timedelta(days=rng.randint(30, 900))
        rows.append(ProjectChange(project=project, user=project.updated_by, at=created,
                                  changes=[]))
        if rng.random() < 0.33:
            rows.append(ProjectChange(
                project=project, user=project.updated_by,
                at=created + timedelta(days=rng.randint(1, 25)),
                changes=[history.entry("status", "planned", "running")],
            ))
    ProjectChange.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def project_updates(net):
    """Updates over the last 12 months, mostly on running projects; a fifth of the open
    projects have gone quiet (nothing for 60 days). Each project's last_activity_at becomes
    its newest update's time."""
    rng = net.rng
    if not net.projects:
        return 0
    weights = [UPDATE_WEIGHT[p.status] for p in net.projects]
    kinds = list(UPDATE_TEXTS)
    kind_weights = [60, 15, 15, 10]  # progress, problem, milestone, decision
    rows = []
    for project in rng.choices(net.projects, weights, k=net.counts.project_updates):
        quiet = project.pk % 5 == 0 and project.status in Project.OPEN_STATUSES
        kind = rng.choices(kinds, kind_weights)[0]
        rows.append(ProjectUpdate(
            project=project,
            **if_field(ProjectUpdate, lead_department_id=project.lead.department_id),
            author=rng.choice(net.teams[project.pk]), kind=kind,
            text=rng.choice(UPDATE_TEXTS[kind]),
            for_erfa=rng.random() < (0.5 if kind == ProjectUpdate.Kind.PROBLEM else 0.08),
            created_at=net.now - timedelta(days=rng.randint(61 if quiet else 0, 364),
                                           minutes=rng.randint(0, 600)),
        ))
    ProjectUpdate.objects.bulk_create(rows, batch_size=BATCH)
    updates = ProjectUpdate.objects.filter(project=OuterRef("pk"))
    newest = updates.order_by().values("project").annotate(newest=Max("created_at"))
    Project.objects.filter(Exists(updates)).update(
        last_activity_at=Subquery(newest.values("newest")))
    return len(rows)


def rollouts(net):
    """Projects rolled out to several departments each (5 to 30), one row per department."""
    rng = net.rng
    people = [*net.managers, *(a.user for a in net.agents if a.is_active)]
    candidates = [p for p in net.projects if p.status != Project.Status.IDEA]
    rng.shuffle(candidates)
    statuses = [s for s, _label in Rollout.Status.choices]
    rows, left = [], net.counts.rollouts
    for project in candidates:
        if left <= 0:
            break
        count = min(left, len(net.departments), rng.randint(5, 30))
        for department in rng.sample(net.departments, count):
            status = rng.choices(statuses, [25, 30, 35, 10])[0]
            rows.append(Rollout(
                project=project, department=department, status=status,
                date=(net.now - timedelta(days=rng.randint(0, 400))).date()
                if status != Rollout.Status.NOT_STARTED else None,
                contact=rng.choice(people) if people and rng.random() < 0.8 else None,
                note=rng.choice(ROLLOUT_NOTES),
            ))
        left -= count
    Rollout.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def ideas(net):
    """Ideas heard in the departments over two years; some became projects, some shelved."""
    rng = net.rng
    recorders = [a.user for a in net.agents if a.is_active]
    rows = []
    for i in range(net.counts.ideas):
        status = rng.choices(["new", "investigating", "project", "shelved"], [35, 20, 20, 25])[0]
        project = rng.choice(net.projects) if status == "project" and net.projects else None
        if status == "project" and project is None:
            status = "new"
        rows.append(Idea(
            text=f"Hvor ville det være smart, hvis vi kunne {IDEA_WISHES[i % len(IDEA_WISHES)]}.",
            department=rng.choice(net.departments),
            occasion=rng.choice(["Personalemøde", "Teammøde", "Afdelingsmøde", ""]),
            heard_on=(net.now - timedelta(days=rng.randint(0, 730))).date(), status=status,
            shelved_reason="Ingen løsning på markedet endnu." if status == "shelved" else "",
            project=project, recorded_by=rng.choice(recorders) if recorders else None,
        ))
    Idea.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


# Erfa-days ----------------------------------------------------------------------------------

def meetings(net):
    """Erfa-days on the first Thursday of each month but July: the past ones held (a few
    cancelled), the next ones published with their invitations, the last two still drafts.
    Each has the standard agenda (with the round); the held ones their minutes, an action and
    attendance, and the round frozen as it was used."""
    c, rng = net.counts, net.rng
    if c.meetings < 1:
        return 0
    today = net.now.date()
    ahead = min(c.meetings, c.meetings_ahead)
    first = date(today.year - c.meetings // 11 - 2, 1, 1)
    dates = meetings_services.series_dates(
        weekday=3, ordinal=1, first_month=first,
        months=(today.year - first.year + 3) * 12, skip_months=[7],
    )
    past = [d for d in dates if d < today][-(c.meetings - ahead):] if c.meetings > ahead else []
    future = [d for d in dates if d >= today][:ahead]
    speakers = Speaker.objects.bulk_create(
        [Speaker(name=f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[i % len(LAST_NAMES)]}",
                 organisation=VENDORS[i % len(VENDORS)], topic=TALKS[i % len(TALKS)])
         for i in range(c.speakers)],
        batch_size=BATCH,
    )
    rows = [(day, Meeting.Status.CANCELLED if rng.random() < 0.04 else Meeting.Status.HELD)
            for day in past]
    rows += [(day, Meeting.Status.DRAFT if n >= ahead - 2 and n > 0 else
              Meeting.Status.PUBLISHED) for n, day in enumerate(future)]
    town = net.towns[0]
    net.meetings = Meeting.objects.bulk_create(
        [Meeting(date=day, status=status, location=town, room="Mødelokale 2",
                 theme=TALKS[i % len(TALKS)])
         for i, (day, status) in enumerate(rows)],
        batch_size=BATCH,
    )
    active = [a for a in net.agents if a.is_active]
    items, talks = [], []
    for i, meeting in enumerate(net.meetings):
        for position, (kind, title, minutes) in enumerate(meetings_services.STANDARD_AGENDA, 1):
            item = AgendaItem(meeting=meeting, position=position, kind=kind, title=title,
                              duration=minutes)
            if kind == AgendaItem.Kind.TALK:
                item.title = TALKS[i % len(TALKS)]
                if i % 2 and speakers:
                    item.speaker = rng.choice(speakers)
                elif active:
                    item.presenter = rng.choice(active)
                if meeting.status == Meeting.Status.HELD:
                    item.notes = "Godt oplæg med mange spørgsmål. Slides ligger på drevet."
                    item.decisions = "Netværket prøver metoden af i to projekter."
                talks.append(item)
            items.append(item)
    AgendaItem.objects.bulk_create(items, batch_size=BATCH)
    item_projects = AgendaItem.projects.through
    links = [item_projects(agendaitem_id=item.pk, project_id=p.pk)
             for item in talks
             for p in rng.sample(net.projects, min(len(net.projects), rng.choice([0, 1, 2])))]
    item_projects.objects.bulk_create(links, batch_size=BATCH)
    actions = [
        Action(item=item, text="Del skabelonen med netværket",
               owner=rng.choice(active).user if active else None,
               deadline=item.meeting.date + timedelta(days=21), done=rng.random() < 0.9)
        for item in talks if item.meeting.status == Meeting.Status.HELD
    ]
    Action.objects.bulk_create(actions, batch_size=BATCH)
    attendance = []
    published = [m for m in net.meetings if m.status == Meeting.Status.PUBLISHED]
    for meeting in net.meetings:
        if meeting.status == Meeting.Status.HELD:
            attendance += [Attendance(meeting=meeting, user=a.user, response="coming",
                                      attended=rng.random() < 0.8) for a in active]
        elif meeting.status == Meeting.Status.PUBLISHED:
            # The nearest erfa-day has most answers; later ones fewer. An answer and its time
            # go together, as meetings.services.answer saves them.
            answered = 0.8 if meeting is published[0] else 0.2
            attendance += [
                Attendance(meeting=meeting, user=agent.user, answered_at=net.now,
                           response=rng.choice(["coming", "coming", "not_coming"]))
                if rng.random() < answered else Attendance(meeting=meeting, user=agent.user)
                for agent in active]
    Attendance.objects.bulk_create(attendance, batch_size=BATCH)
    # The round of each held erfa-day, frozen as services.mark_held does.
    held = [m for m in net.meetings if m.status == Meeting.Status.HELD]
    for meeting in held:
        meeting.round_snapshot = meetings_services.compile_round(meeting)
    Meeting.objects.bulk_update(held, ["round_snapshot"], batch_size=100)
    return (len(speakers) + len(net.meetings) + len(items) + len(links) + len(actions)
            + len(attendance))


# Competencies -------------------------------------------------------------------------------

def mus(net):
    """The demo competency profile and MUS rounds for the last years, an assessment per agent
    in each: earlier rounds closed, the latest in every status. Bulk inserts instead of
    services.open_round, which creates one assessment at a time."""
    c, rng = net.counts, net.rng
    if c.mus_rounds < 1:
        return 0
    framework = competencies_demo.framework()
    courses = Course.objects.bulk_create(
        [Course(name=name, provider=provider, ects=ects or None, builds=builds)
         for name, provider, ects, builds in competencies_demo.COURSES], batch_size=BATCH)
    competencies = list(Competency.objects.filter(area__framework=framework))
    top = framework.levels.count()
    year = net.now.year
    rounds = MusRound.objects.bulk_create(
        [MusRound(year=y, framework=framework)
         for y in range(year - c.mus_rounds + 1, year + 1)], batch_size=BATCH)
    # Active agents first: the inactive ones were not yet inactive in earlier rounds.
    agents = sorted(net.agents, key=lambda a: not a.is_active)[: c.assessments]
    statuses = [s for s, _label in Assessment.Status.choices]
    assessments = []
    for mus_round in rounds:
        latest = mus_round is rounds[-1]
        for i, agent in enumerate(agents):
            status = statuses[i % len(statuses)] if latest else Assessment.Status.CLOSED
            sent = status != Assessment.Status.DRAFT
            at = timezone.make_aware(datetime(mus_round.year, 3, 1) +
                                     timedelta(days=rng.randint(0, 60)))
            talked = status in ("reviewed", "closed")
            assessments.append(Assessment(
                agent=agent, round=mus_round, framework=framework, status=status,
                **if_field(Assessment, manager_id=agent.manager_id, in_coverage=sent,
                           coverage_department_id=agent.department_id if sent else None),
                strengths="Jeg er god til at tale med andre afdelinger." if sent else "",
                improve="At tænke længere ud i fremtiden." if sent else "",
                manager_summary="God samtale om næste år." if talked else "",
                mus_date=at.date() if talked else None, sent_at=at if sent else None,
                closed_at=at + timedelta(days=14) if status == "closed" else None,
            ))
    Assessment.objects.bulk_create(assessments, batch_size=BATCH)
    ratings, goals, course_links = [], [], []
    with_courses = Assessment.courses.through
    for assessment in assessments:
        sent = assessment.status != Assessment.Status.DRAFT
        reviewed = assessment.status in ("reviewed", "closed")
        for competency in competencies:
            level = rng.choice([NOT_RELEVANT, *range(1, top + 1), 2, 3]) if top else None
            ratings.append(Rating(
                assessment=assessment, competency=competency,
                self_level=level if sent or rng.random() < 0.3 else None,
                manager_level=max(1, min(top, level + rng.choice([-1, 0, 0, 1])))
                if reviewed and level else None,
            ))
        if reviewed:
            goals.append(DevelopmentGoal(
                assessment=assessment, text="Tage et modul i projektledelse", action="course",
                competency=rng.choice(competencies) if competencies else None,
                deadline=date(assessment.round.year + 1, 6, 30),
                status=rng.choice(["open", "running", "done"]),
            ))
            if courses:
                course_links.append(with_courses(assessment_id=assessment.pk,
                                                 course_id=rng.choice(courses).pk))
    Rating.objects.bulk_create(ratings, batch_size=BATCH)
    DevelopmentGoal.objects.bulk_create(goals, batch_size=BATCH)
    with_courses.objects.bulk_create(course_links, batch_size=BATCH)
    return (len(courses) + len(rounds) + len(assessments) + len(ratings) + len(goals)
            + len(course_links))


STEPS = [
    towns, departments, users, agents, systems, system_roles,
    project_catalogue, projects, project_changes, project_updates, rollouts, ideas,
    meetings, mus,
]


# The small network: the same shape, but only a little more than a page of every list.
SMALL = Counts(
    departments=20, towns=4, agents=40, managers=4, it_contacts=3, systems=12,
    superusers_per_system=3, projects=300, project_updates=3000, rollouts=200, ideas=30,
    meetings=24, meetings_ahead=4, speakers=6, mus_rounds=2, assessments=40,
)


def seed_network(counts=None, *, seed=2024, log=None):
    """Fill an empty database; returns (step name, rows, seconds) for every step."""
    counts = counts or Counts()
    if counts.towns < 1 or counts.departments < 1:
        raise SeedError("The network needs at least one town and one department.")
    if Agent.objects.exists() or Department.objects.exists():
        raise SeedError("The benchmark's seed needs an empty database (migrated, no departments).")
    net = Network(
        counts=counts,
        # Fixed seed: every run makes the same network, so runs can be compared.
        rng=random.Random(seed),  # noqa: S311 - fictional data, not security
        password=make_password(PASSWORD),
    )
    report = []
    with transaction.atomic():
        for step in STEPS:
            started = time.perf_counter()
            rows = step(net)
            report.append((step.__name__, rows, time.perf_counter() - started))
            if log:
                log(f"  {step.__name__:<17} {rows:>7} rows  {report[-1][2]:7.2f} s")
    return report


def row_counts():
    from django.apps import apps

    return {
        model._meta.label: model._default_manager.count()
        for label in ("auth", "agents", "projects", "meetings", "competencies")
        for model in apps.get_app_config(label).get_models()
    }


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench seed", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="the small network's counts")
    for f in fields(Counts):
        parser.add_argument(f"--{f.name.replace('_', '-')}", dest=f.name, type=int)
    parser.add_argument("--out", help="write the rows and seconds here (JSON)")
    args = parser.parse_args(argv)
    base = SMALL if args.small else Counts()
    counts = replace(base, **{f.name: getattr(args, f.name) for f in fields(Counts)
                              if getattr(args, f.name) is not None})
    started = time.perf_counter()
    try:
        steps = seed_network(counts, log=print)
    except SeedError as error:
        raise SystemExit(str(error)) from error
    seconds = time.perf_counter() - started
    from django.db import connection

    if connection.vendor == "postgresql":
        # What autovacuum does to a live database after a bulk load: without the planner's
        # statistics the first pages would be measured with plans made for empty tables.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"Seeded {sum(rows for _s, rows, _t in steps)} rows in {seconds:.1f} s; "
          f"every user's password: {PASSWORD}")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            json.dump({"seconds": seconds, "rows": row_counts()}, out)
