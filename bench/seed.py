"""A large, fictional network for the benchmark, written with bulk inserts.

Run it on a freshly migrated, empty database::

    python manage.py seed_large                 # the benchmark's sizes
    python manage.py seed_large --agents 1000   # any count can be changed

Every user gets the same password, hashed once: hashing is slow on purpose, and a few hundred
hashes would take longer than all the inserts together.

The data is made by STEPS, one function per kind of row, run in order inside one transaction.
A step reads what earlier steps made from the Network it is handed, adds its own rows there
and returns how many rows it wrote. Data for a new page joins as one more step, e.g.::

    def projects(net):
        net.projects = Project.objects.bulk_create([...], batch_size=BATCH)
        return len(net.projects)

    STEPS = [..., projects]
"""

import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from agents.models import Agent, Department, Location, System, SystemRole, User
from agents.permissions import FACILITATOR, MANAGER

PASSWORD = "agentnet-demo"  # noqa: S105 - fictional users in a throwaway database
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


@dataclass
class Network:
    """What the steps have made so far, for the steps after them."""

    counts: Counts
    rng: random.Random
    password: str
    towns: list = field(default_factory=list)
    departments: list = field(default_factory=list)
    managers: list = field(default_factory=list)
    it_people: list = field(default_factory=list)
    agent_users: list = field(default_factory=list)
    agents: list = field(default_factory=list)
    systems: list = field(default_factory=list)


@dataclass
class SeedReport:
    steps: list  # (step name, rows, seconds)
    seconds: float

    @property
    def rows(self):
        return sum(rows for _name, rows, _seconds in self.steps)


class SeedError(Exception):
    pass


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
        [
            Location(name=name, address=f"Torvet {i + 1}")
            for i, name in enumerate(_numbered(TOWNS, net.counts.towns))
        ],
        batch_size=BATCH,
    )
    return len(net.towns)


def departments(net):
    """A few top-level areas, the other departments each part of one of them."""
    count = net.counts.departments
    names = _numbered([name for name, _kind in SUBJECTS], count)
    rows = [
        Department(name=name, kind=SUBJECTS[i % len(SUBJECTS)][1]) for i, name in enumerate(names)
    ]
    areas = max(1, count // 8)
    Department.objects.bulk_create(rows[:areas], batch_size=BATCH)
    for i, department in enumerate(rows[areas:]):
        department.parent = rows[i % areas]
    Department.objects.bulk_create(rows[areas:], batch_size=BATCH)
    net.departments = rows
    return len(rows)


def _user(net, username, i):
    first = FIRST_NAMES[i % len(FIRST_NAMES)]
    last = LAST_NAMES[(i // len(FIRST_NAMES) + i) % len(LAST_NAMES)]
    return User(
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@agentnet.example",
        password=net.password,
    )


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
        rows.append(
            Agent(
                user=user,
                title=rng.choice(TITLES),
                department=staffed[d],
                location=rng.choice(net.towns),
                # Each department has one manager, as in the municipality.
                manager=net.managers[d % len(net.managers)] if net.managers else None,
                time_share=rng.choice(SHARES),
                joined=date(2016, 1, 1) + timedelta(days=rng.randrange(3500)),
                phone=f"96 74 {i // 100 % 100:02d} {i % 100:02d}" if i % 3 else "",
                bio=(
                    "Superbruger og bindeled mellem fagområdet og IT. "
                    "Spørg mig om arbejdsgange, selvbetjening og robotter."
                )
                if i % 4 == 0
                else "",
                is_active=i % 20 != 19,
            )
        )
    net.agents = Agent.objects.bulk_create(rows, batch_size=BATCH)
    return len(net.agents)


def systems(net):
    net.systems = System.objects.bulk_create(
        [
            System(
                name=name,
                vendor=VENDORS[i % len(VENDORS)],
                owner_department=net.departments[i % len(net.departments)],
                description=f"{name}: fagsystem i kommunen. Spørg superbrugerne om adgang.",
            )
            for i, name in enumerate(_numbered(SYSTEM_NAMES, net.counts.systems))
        ],
        batch_size=BATCH,
    )
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


STEPS = [towns, departments, users, agents, systems, system_roles]


def seed_large(counts=None, *, seed=2024, log=None):
    """Fill an empty database; returns a SeedReport with the rows and seconds of every step."""
    counts = counts or Counts()
    if counts.towns < 1 or counts.departments < 1:
        raise SeedError("The network needs at least one town and one department.")
    if Agent.objects.exists() or Department.objects.exists():
        raise SeedError("seed_large needs an empty database (migrated, without departments).")
    started = time.perf_counter()
    net = Network(
        counts=counts,
        # Fixed seed: every run makes the same network, so runs can be compared.
        rng=random.Random(seed),  # noqa: S311 - fictional data, not security
        password=make_password(PASSWORD),
    )
    report = [("password_hash", 0, time.perf_counter() - started)]
    with transaction.atomic():
        for step in STEPS:
            t0 = time.perf_counter()
            rows = step(net)
            report.append((step.__name__, rows, time.perf_counter() - t0))
            if log:
                log(f"  {step.__name__:<14} {rows:>7} rows  {report[-1][2]:7.2f} s")
    return SeedReport(steps=report, seconds=time.perf_counter() - started)
