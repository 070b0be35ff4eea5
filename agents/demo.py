"""Demo network for seed_demo: towns, departments, agents, managers and systems, invented people."""

from datetime import date

from django.contrib.auth.models import Group

from agents.models import Agent, Department, Location, System, SystemRole, User
from agents.permissions import FACILITATOR, MANAGER

DEMO_PASSWORD = "agentnet-demo"  # noqa: S105 - fictional demo users only

TOWNS = {
    "Ringkøbing": "Rådhuset, Torvet 1",
    "Skjern": "Jobcentret, Bredgade 12",
    "Tarm": "Sundhedshuset, Storegade 4",
    "Videbæk": "Borgerservice, Vestergade 20",
}

# name, kind
DEPARTMENTS = [
    ("Jobcenter og Beskæftigelse", "fag"),
    ("Borgerservice", "fag"),
    ("Børn og Familie", "fag"),
    ("Skole og Dagtilbud", "fag"),
    ("Ældre og Sundhed", "fag"),
    ("Handicap og Psykiatri", "fag"),
    ("Teknik og Miljø", "fag"),
    ("Kultur og Fritid", "fag"),
    ("Byggeri og Ejendomme", "fag"),
    ("Personale og Digitalisering", "stab"),
    ("Økonomi", "stab"),
    ("IT", "stab"),
    ("Kommunikation", "stab"),
    ("Sekretariat og Jura", "stab"),
]

# username, first name, last name, title
MANAGERS = [
    ("henrik", "Henrik", "Mølgaard", "Jobcenterchef"),
    ("anette", "Anette", "Vestergaard", "Chef for Personale og Digitalisering"),
    ("jens", "Jens", "Kirkegaard", "Chef for Børn og Læring"),
    ("birgitte", "Birgitte", "Lauridsen", "Chef for Sundhed og Omsorg"),
]

# username, first, last, title, department, town, time share %, manager, joined, phone, bio
AGENTS = [
    ("lise", "Lise", "Bundgaard", "Udviklingskonsulent", "Personale og Digitalisering",
     "Ringkøbing", 60, "anette", date(2017, 3, 1), "96 74 10 01",
     "Facilitator for netværket af digitale agenter. "
     "Spørg mig om erfa-dage og kompetenceprofilen."),
    ("mette", "Mette", "Skovgaard", "Administrativ sagsbehandler", "Jobcenter og Beskæftigelse",
     "Skjern", 50, "henrik", date(2018, 9, 1), "96 74 20 02",
     "Startede som superbruger. Har stået for sms-løsningen i jobcentret "
     "og kører nu et RPA-projekt."),
    ("peter", "Peter", "Thygesen", "Jobkonsulent", "Jobcenter og Beskæftigelse", "Skjern", 20,
     "henrik", date(2021, 1, 15), "", ""),
    ("lars", "Lars", "Hedegaard", "Ydelsessagsbehandler", "Jobcenter og Beskæftigelse", "Skjern",
     35, "henrik", date(2019, 5, 1), "96 74 20 07", "Superbruger på ydelsessystemet."),
    ("karina", "Karina", "Bech", "Personalekonsulent", "Personale og Digitalisering", "Ringkøbing",
     50, "anette", date(2019, 2, 1), "96 74 10 04",
     "Arbejder med intern revision og afstemning. Introducerer digital medarbejder-indberetning."),
    ("ole", "Ole", "Gregersen", "Borgerservicemedarbejder", "Borgerservice", "Ringkøbing", 30,
     "anette", date(2020, 8, 1), "96 74 30 01", ""),
    ("pia", "Pia", "Munk", "Administrativ medarbejder", "Borgerservice", "Videbæk", 40, "anette",
     date(2022, 3, 1), "", "Sundhedskort, pas og kørekort. Spørg om selvbetjening."),
    ("hanne", "Hanne", "Kjeldsen", "Socialrådgiver", "Børn og Familie", "Skjern", 25, "jens",
     date(2020, 1, 1), "96 74 40 03", "Interesseret i videooptagelse af samtaler i børnesager."),
    ("maria", "Maria", "Iversen", "Familierådgiver", "Børn og Familie", "Tarm", 20, "jens",
     date(2023, 4, 1), "", ""),
    ("tobias", "Tobias", "Lund", "Digitaliseringskonsulent", "Skole og Dagtilbud", "Tarm", 95,
     "jens", date(2017, 3, 1), "96 74 50 01",
     "Undervisningsrobotter og teknologiforståelse i udskolingen."),
    ("camilla", "Camilla", "Overgaard", "Pædagogisk konsulent", "Skole og Dagtilbud", "Videbæk",
     15, "jens", date(2024, 8, 1), "", ""),
    ("stine", "Stine", "Bjerre", "Skoleadministrativ medarbejder", "Skole og Dagtilbud",
     "Ringkøbing", 30, "jens", date(2021, 8, 1), "", ""),
    ("susanne", "Susanne", "Rask", "Sygeplejerske", "Ældre og Sundhed", "Tarm", 20, "birgitte",
     date(2020, 10, 1), "96 74 60 02", "Velfærdsteknologi og omsorgssystemet."),
    ("kim", "Kim", "Nørgaard", "Teamleder i hjemmeplejen", "Ældre og Sundhed", "Ringkøbing", 30,
     "birgitte", date(2018, 1, 1), "", ""),
    ("anders", "Anders", "Bisgaard", "Planlægger", "Ældre og Sundhed", "Videbæk", 25, "birgitte",
     date(2022, 9, 1), "", ""),
    ("louise", "Louise", "Brink", "Sagsbehandler", "Handicap og Psykiatri", "Skjern", 25,
     "birgitte", date(2021, 3, 1), "", ""),
    ("julie", "Julie", "Hvid", "Ergoterapeut", "Handicap og Psykiatri", "Tarm", 15, "birgitte",
     date(2024, 2, 1), "", ""),
    ("morten", "Morten", "Fisker", "Byggesagsbehandler", "Teknik og Miljø", "Ringkøbing", 20,
     "henrik", date(2019, 11, 1), "96 74 70 01", ""),
    ("frank", "Frank", "Ebbesen", "Driftsleder, vej og park", "Teknik og Miljø", "Skjern", 10,
     "henrik", date(2023, 1, 1), "", ""),
    ("rikke", "Rikke", "Dahl", "Kulturkonsulent", "Kultur og Fritid", "Videbæk", 10, "anette",
     date(2022, 5, 1), "", ""),
    ("jesper", "Jesper", "Bak", "Økonomikonsulent", "Økonomi", "Ringkøbing", 40, "anette",
     date(2018, 6, 1), "96 74 10 09", "Økonomisystemet og robotter til afstemning."),
    ("rasmus", "Rasmus", "Damgaard", "IT-supporter", "IT", "Ringkøbing", 50, "anette",
     date(2017, 3, 1), "96 74 11 00", "Bindeled til IT-afdelingen: platforme, adgange og support."),
    ("nina", "Nina", "Lykke", "Kommunikationsmedarbejder", "Kommunikation", "Ringkøbing", 20,
     "anette", date(2021, 10, 1), "", ""),
    ("thomas", "Thomas", "Sand", "Jurist", "Sekretariat og Jura", "Ringkøbing", 15, "anette",
     date(2020, 4, 1), "", "GDPR, aktindsigt og journalisering."),
]

# People with roles for systems who are not agents.
OTHER_PEOPLE = [
    ("gitte", "Gitte", "Worm", "IT"),
    ("kasper", "Kasper", "Holt", "IT"),
]

# name, vendor, owning department, description, [(username, role, note)]
SYSTEMS = [
    ("ESDH (sags- og dokumentsystem)", "SBSYS", "Sekretariat og Jura",
     "Kommunens sags- og dokumenthåndtering. Journalisering af korrespondance.",
     [("thomas", "superuser", ""), ("karina", "superuser", "personalesager"),
      ("kasper", "it_contact", ""), ("thomas", "owner", "")]),
    ("Momentum", "Netcompany", "Jobcenter og Beskæftigelse",
     "Fagsystem for beskæftigelsesindsatsen.",
     [("mette", "superuser", ""), ("lars", "superuser", "ydelser"), ("rasmus", "it_contact", "")]),
    ("SMS-service", "Link Mobility", "Jobcenter og Beskæftigelse",
     "Sms til og fra borgere med journalisering i ESDH.",
     [("mette", "superuser", ""), ("rasmus", "it_contact", "")]),
    ("RPA-platform", "UiPath", "IT",
     "Softwarerobotter til regelbaserede arbejdsgange.",
     [("mette", "superuser", "aktindsigt"), ("jesper", "superuser", "afstemning"),
      ("rasmus", "it_contact", ""), ("gitte", "owner", "")]),
    ("Digital medarbejder-indberetning", "KMD", "Personale og Digitalisering",
     "Medarbejdere indberetter selv sygdom, ferie og fravær.",
     [("karina", "superuser", ""), ("kasper", "it_contact", "")]),
    ("Omsorgssystem", "Systematic", "Ældre og Sundhed",
     "Dokumentation og planlægning i ældreplejen.",
     [("susanne", "superuser", "sygepleje"), ("kim", "superuser", "hjemmepleje"),
      ("rasmus", "it_contact", "")]),
    ("Børnesagssystem", "Netcompany", "Børn og Familie",
     "Sagsbehandling i børne- og familiesager.",
     [("hanne", "superuser", ""), ("kasper", "it_contact", "")]),
    ("Aula", "Netcompany", "Skole og Dagtilbud",
     "Kommunikation mellem skole, dagtilbud og forældre.",
     [("stine", "superuser", ""), ("tobias", "superuser", ""), ("kasper", "it_contact", "")]),
    ("Økonomisystem", "Fujitsu", "Økonomi", "Bogføring, budget og afstemning.",
     [("jesper", "superuser", ""), ("gitte", "it_contact", "")]),
    ("Byggesagssystem", "Byg og Miljø", "Teknik og Miljø", "Byggeansøgninger fra borgere.",
     [("morten", "superuser", ""), ("gitte", "it_contact", "")]),
    ("Microsoft 365", "Microsoft", "IT", "Mail, Teams, OneDrive og Office.",
     [("rasmus", "superuser", "Teams"), ("nina", "superuser", "SharePoint"),
      ("gitte", "it_contact", ""), ("gitte", "owner", "")]),
]



def load():
    facilitators = Group.objects.get(name=FACILITATOR)
    managers = Group.objects.get(name=MANAGER)
    towns = {
        name: Location.objects.update_or_create(name=name, defaults={"address": address})[0]
        for name, address in TOWNS.items()
    }
    departments = {
        name: Department.objects.update_or_create(name=name, defaults={"kind": kind})[0]
        for name, kind in DEPARTMENTS
    }
    users = {}
    for username, first, last, _title in MANAGERS:
        users[username] = _user(username, first, last)
        users[username].groups.add(managers)
    for username, first, last, _dept in OTHER_PEOPLE:
        users[username] = _user(username, first, last)
    for (username, first, last, title, dept, town, share, manager, joined, phone,
         bio) in AGENTS:
        user = users[username] = _user(username, first, last)
        Agent.objects.update_or_create(
            user=user,
            defaults={
                "title": title,
                "department": departments[dept],
                "location": towns[town],
                "time_share": share,
                "manager": users[manager],
                "joined": joined,
                "phone": phone,
                "bio": bio,
                "is_active": True,
            },
        )
    facilitator = users[AGENTS[0][0]]
    facilitator.groups.add(facilitators)
    if not facilitator.is_staff:
        facilitator.is_staff = True
        facilitator.save(update_fields=["is_staff"])

    for name, vendor, owner, description, roles in SYSTEMS:
        system, _ = System.objects.update_or_create(
            name=name,
            defaults={
                "vendor": vendor,
                "owner_department": departments[owner],
                "description": description,
            },
        )
        for username, role, note in roles:
            SystemRole.objects.update_or_create(
                system=system, user=users[username], role=role, defaults={"note": note}
            )


def _user(username, first, last):
    user, created = User.objects.update_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@agentnet.example",
        },
    )
    if created:
        # Hashing is slow on purpose, so existing users keep the password they have.
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user
