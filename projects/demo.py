"""Demo projects for seed_demo: the article's projects and more, with invented people."""

import random
from datetime import timedelta

from django.utils import timezone

from agents.models import Agent, Department, System, User
from projects.models import (
    Idea,
    Project,
    ProjectChange,
    ProjectType,
    ProjectUpdate,
    Rollout,
    StrategyGoal,
)

TYPES = ["RPA", "SMS", "Selvbetjening", "Video", "Robot", "Velfærdsteknologi", "Data", "Chatbot"]

GOALS = [
    ("Digitale løsninger i øjenhøjde med borgeren", 2024, 2027),
    ("Automatisering af rutineopgaver", 2024, 2027),
    ("Data og datasikkerhed i hverdagen", 2024, 2027),
    ("Digitale kompetencer hos alle medarbejdere", 2024, 2027),
    ("Velfærdsteknologi der frigør tid til omsorg", 2024, 2027),
    ("Grøn og bæredygtig IT", 2026, 2029),
]

S = Project.Status
# title, lead, co-agents, status, phase, departments, systems, types, goals (indexes), hours,
# benefit, (dpia, journalised, dpa), summary
PROJECTS = [
    ("Sms-korrespondance med borgere i jobcentret", "mette", ["lars"], S.DONE, "operation",
     ["Jobcenter og Beskæftigelse"], ["SMS-service", "ESDH (sags- og dokumentsystem)"], ["SMS"],
     [0], 900, "Borgerne svarer hurtigere, og korrespondancen journaliseres automatisk.",
     (True, True, True),
     "Jobcentret skriver med borgerne via sms, så korrespondancen journaliseres og lever op til "
     "forvaltningsretten."),
    ("RPA til aktindsigt på beskæftigelsesområdet", "mette", ["rasmus"], S.RUNNING,
     "development", ["Jobcenter og Beskæftigelse"], ["RPA-platform", "Momentum"], ["RPA"], [1],
     1200, "Sagsbehandlerne sparer tid på at samle dokumenter til aktindsigt.",
     (True, True, True),
     "En softwarerobot samler dokumenter fra fagsystemet, når en borger beder om aktindsigt."),
    ("Digital medarbejder-indberetning i alle områder", "karina", ["lise"], S.RUNNING,
     "implementation", ["Personale og Digitalisering", "Ældre og Sundhed", "Skole og Dagtilbud",
                        "Borgerservice", "Teknik og Miljø"],
     ["Digital medarbejder-indberetning"], ["Selvbetjening"], [1, 3], 2500,
     "Medarbejdere indberetter selv sygdom, ferie og fravær; de manuelle lister forsvinder.",
     (True, False, True),
     "Rundtur til alle fag- og stabsområder for at introducere systemet for ledere og "
     "administrative medarbejdere."),
    ("Videooptagelse af samtaler i børnesager", "hanne", ["maria"], S.PLANNED, "analysis",
     ["Børn og Familie"], ["Børnesagssystem"], ["Video"], [0, 2], None,
     "Barnets egne ord bevares præcist, og rådgiveren kan koncentrere sig om samtalen.",
     (False, False, False), "Afklaring af jura, samtykke og opbevaring før en pilot."),
    ("Undervisningsrobotter til unge", "tobias", ["camilla"], S.RUNNING, "pilot",
     ["Skole og Dagtilbud"], [], ["Robot"], [3], None,
     "Eleverne lærer teknologiforståelse ved at programmere robotter.",
     (False, False, False), "Robotter i udskolingen og i ungdomsskolen."),
    ("Sygesikring i Borgerservice", "pia", ["ole"], S.RUNNING, "implementation",
     ["Borgerservice"], [], ["Selvbetjening"], [0], 300,
     "Borgerne bestiller selv sundhedskort uden at møde op.",
     (True, True, False), "Selvbetjening og ny arbejdsgang for sygesikringsbeviser."),
    ("Opdatering af CPR-adresser i eksisterende ESDH-sager", "thomas", ["karina"], S.RUNNING,
     "analysis", ["Sekretariat og Jura"], ["ESDH (sags- og dokumentsystem)"], ["Data"], [2],
     200, "Breve går til den rigtige adresse.", (False, True, False),
     "Adresser i eksisterende sager opdateres ikke, når borgeren flytter."),
    ("Fritagelse for Digital Post via selvbetjening", "pia", [], S.DONE, "operation",
     ["Borgerservice"], [], ["Selvbetjening"], [0], 150, "Færre henvendelser ved skranken.",
     (False, True, False), ""),
    ("Elektroniske medicindispensere i hjemmeplejen", "susanne", ["kim"], S.RUNNING, "pilot",
     ["Ældre og Sundhed"], ["Omsorgssystem"], ["Velfærdsteknologi"], [4], 1800,
     "Borgerne tager selv deres medicin til tiden.", (True, False, True), ""),
    ("Ruteplanlægning i hjemmeplejen", "anders", [], S.PLANNED, "procurement",
     ["Ældre og Sundhed"], ["Omsorgssystem"], ["Data"], [4], 1000, "Mindre tid i bilen.",
     (False, False, False), ""),
    ("Chatbot på kommunens hjemmeside", "nina", ["ole"], S.PAUSED, "pilot",
     ["Kommunikation", "Borgerservice"], [], ["Chatbot"], [0], 400,
     "Svar på de hyppigste spørgsmål hele døgnet.", (True, False, True), ""),
    ("Robot til bankafstemning", "jesper", ["rasmus"], S.DONE, "operation", ["Økonomi"],
     ["RPA-platform", "Økonomisystem"], ["RPA"], [1], 600, "Afstemningen er klar hver morgen.",
     (False, False, True), ""),
    ("Digital byggesagsbehandling", "morten", [], S.RUNNING, "implementation",
     ["Teknik og Miljø"], ["Byggesagssystem"], ["Selvbetjening"], [0], 700,
     "Kortere sagsbehandlingstid for byggetilladelser.", (False, True, False), ""),
    ("Digitale forældresamtaler i dagtilbud", "camilla", ["stine"], S.IDEA, "",
     ["Skole og Dagtilbud"], ["Aula", "Microsoft 365"], ["Video"], [0], None, "",
     (False, False, False), ""),
    ("Aula-introduktion for nye forældre", "stine", [], S.DONE, "operation",
     ["Skole og Dagtilbud"], ["Aula"], [], [3], None, "Færre spørgsmål til kontoret.",
     (False, False, False), ""),
    ("Booking af haller og lokaler på nettet", "rikke", [], S.PLANNED, "procurement",
     ["Kultur og Fritid"], [], ["Selvbetjening"], [0], 250, "", (False, False, False), ""),
    ("Vejsyn med app", "frank", ["morten"], S.RUNNING, "pilot", ["Teknik og Miljø"], [],
     ["Data"], [1], 300, "Skader registreres med foto og GPS på stedet.",
     (False, False, False), ""),
    ("Talegenkendelse til journalnotater", "louise", ["julie"], S.PLANNED, "analysis",
     ["Handicap og Psykiatri"], [], ["Data"], [1, 2], 500, "", (False, False, False), ""),
    ("Skærmbesøg i bostøtten", "julie", [], S.RUNNING, "implementation",
     ["Handicap og Psykiatri"], ["Microsoft 365"], ["Video", "Velfærdsteknologi"], [4], 350,
     "Flere korte kontakter med borgeren.", (True, False, True), ""),
    ("Telefoni i Teams", "rasmus", ["nina"], S.RUNNING, "implementation", ["IT"],
     ["Microsoft 365"], [], [3], None, "", (False, False, True), ""),
    ("E-læring i GDPR for nye medarbejdere", "karina", ["thomas", "lise"], S.DONE, "operation",
     ["Personale og Digitalisering"], [], [], [2, 3], None, "Alle nye kender reglerne.",
     (False, False, False), ""),
    ("Digital kørselsafregning", "jesper", [], S.PAUSED, "procurement", ["Økonomi"],
     ["Økonomisystem"], ["Selvbetjening"], [1], 400, "", (False, False, False), ""),
    ("Automatisk journalisering af mails", "thomas", [], S.IDEA, "",
     ["Sekretariat og Jura"], ["ESDH (sags- og dokumentsystem)", "Microsoft 365"], ["RPA"],
     [1, 2], None, "", (False, False, False), ""),
    ("Sms-påmindelser om samtaler i jobcentret", "peter", ["mette"], S.DONE, "operation",
     ["Jobcenter og Beskæftigelse"], ["SMS-service"], ["SMS"], [0], 500,
     "Færre udeblivelser fra samtaler.", (False, True, True), ""),
    ("Ledelsesinformation om sygefravær", "lise", ["karina"], S.PLANNED, "analysis",
     ["Personale og Digitalisering"], ["Digital medarbejder-indberetning"], ["Data"], [2], None,
     "", (True, False, False), ""),
    ("Tidsbestilling i Borgerservice", "ole", [], S.DONE, "operation", ["Borgerservice"], [],
     ["Selvbetjening"], [0], 600, "Ingen kø ved skranken.", (False, False, True), ""),
    ("Robotstøvsugere på plejecentre", "kim", [], S.DROPPED, "pilot", ["Ældre og Sundhed"], [],
     ["Robot", "Velfærdsteknologi"], [4], None, "", (False, False, False),
     "Opgivet: robotterne kunne ikke klare dørtrin og møbler."),
]

UPDATE_TEXTS = {
    ProjectUpdate.Kind.PROGRESS: [
        "Arbejdsgangen er beskrevet sammen med to sagsbehandlere.",
        "Test i ét team er i gang; de første erfaringer er gode.",
        "Møde med leverandøren om opsætning og adgange.",
        "Introduceret på personalemødet; mange gode spørgsmål.",
    ],
    ProjectUpdate.Kind.PROBLEM: [
        "Leverandøren kan først levere integrationen om tre måneder.",
        "Adgangen til testmiljøet mangler stadig. Hvem kender vejen i IT?",
        "Kollegerne er usikre på, om løsningen lever op til GDPR.",
    ],
    ProjectUpdate.Kind.MILESTONE: [
        "Første version er i drift.",
        "Pilotperioden er afsluttet og evalueret.",
    ],
    ProjectUpdate.Kind.DECISION: [
        "Styregruppen har besluttet at udvide til to nye områder.",
        "Vi vælger standardløsningen frem for en tilpasset udgave.",
    ],
}
CPR_PROBLEM = (
    "Adresserne fra CPR bliver ikke opdateret i sager, der allerede er oprettet i ESDH. "
    "Har andre fundet en løsning?"
)


# The self-service reporting system taken round to the departments, one status each.
ROLLOUT_PROJECT = "Digital medarbejder-indberetning i alle områder"
ROLLOUT = {
    "Personale og Digitalisering": ("in_use", 330, "anette", "Første område; kører i drift."),
    "Økonomi": ("in_use", 290, "jesper", ""),
    "Borgerservice": ("in_use", 240, "ole", ""),
    "Ældre og Sundhed": ("introduced", 150, "birgitte", "Nattevagter mangler adgang."),
    "Skole og Dagtilbud": ("introduced", 90, "jens", "Introduceret for skoleledere."),
    "Teknik og Miljø": ("introduced", 60, "morten", ""),
    "Jobcenter og Beskæftigelse": ("not_started", None, "henrik", "Planlagt efter nytår."),
    "Kultur og Fritid": ("not_started", None, "rikke", ""),
    "Sekretariat og Jura": ("in_use", 200, "thomas", ""),
    "Byggeri og Ejendomme": ("declined", 100, None, "Bruger fortsat papirblanket til timelønnede."),
}

# text, department, occasion, days ago, status, reason, project title
IDEAS = [
    ("Hvor ville det være smart, hvis vi kunne se dagens køreruter på en skærm i bilen.",
     "Ældre og Sundhed", "Personalemøde i hjemmeplejen, Tarm", 40, "investigating", "",
     None),
    ("Hvor ville det være smart, hvis borgerne kunne få en sms, når deres sag skifter status.",
     "Jobcenter og Beskæftigelse", "Teammøde i ydelsesteamet", 500, "project", "",
     "Sms-påmindelser om samtaler i jobcentret"),
    ("Hvor ville det være smart, hvis vi kunne slippe for at taste fravær ind to gange.",
     "Personale og Digitalisering", "Personalemøde", 450, "project", "",
     "Digital medarbejder-indberetning i alle områder"),
    ("Hvor ville det være smart, hvis forældre kunne booke samtaler selv.",
     "Skole og Dagtilbud", "Pædagogisk råd", 20, "new", "", None),
    ("Hvor ville det være smart, hvis robotten kunne tømme opvaskemaskinen.",
     "Ældre og Sundhed", "Plejecenter, frokostpausen", 300, "shelved",
     "Ingen løsning på markedet, der kan håndtere vores køkkener.", None),
    ("Hvor ville det være smart, hvis vi kunne søge i gamle byggesager med fritekst.",
     "Teknik og Miljø", "Afdelingsmøde", 10, "new", "", None),
]


def load():
    rng = random.Random(2026)  # noqa: S311 - repeatable demo data, not security
    now = timezone.now()
    types = {name: ProjectType.objects.get_or_create(name=name)[0] for name in TYPES}
    goals = [
        StrategyGoal.objects.update_or_create(
            title=title, defaults={"first_year": first, "last_year": last}
        )[0]
        for title, first, last in GOALS
    ]
    agents = {a.user.username: a for a in Agent.objects.select_related("user")}
    departments = {d.name: d for d in Department.objects.all()}
    systems = {s.name: s for s in System.objects.all()}

    for index, (title, lead, co, status, phase, depts, syss, kinds, goal_ix, hours, benefit,
                checks, summary) in enumerate(PROJECTS):
        start = (now - timedelta(days=400 - index * 11)).date()
        project, _ = Project.objects.update_or_create(
            title=title,
            defaults={
                "lead": agents[lead],
                "status": status,
                "phase": phase,
                "summary": summary,
                "hours_saved_per_year": hours,
                "benefit": benefit,
                "dpia_done": checks[0],
                "journalised": checks[1],
                "dpa_in_place": checks[2],
                "start_date": start,
                "target_date": start + timedelta(days=365),
                "updated_by": agents[lead].user,
            },
        )
        project.co_agents.set([agents[u] for u in co])
        project.departments.set([departments[d] for d in depts])
        project.systems.set([systems[s] for s in syss])
        project.types.set([types[t] for t in kinds])
        project.goals.set([goals[i] for i in goal_ix])
        if not project.changes.exists():
            ProjectChange.objects.create(
                project=project, user=agents[lead].user, at=now - timedelta(days=200), changes=[]
            )
        if not project.updates.exists():
            _add_updates(project, [agents[lead], *[agents[u] for u in co]], rng, now, index)
    _load_rollout(departments, now)
    _load_ideas(departments, agents, now)


def _load_rollout(departments, now):
    project = Project.objects.get(title=ROLLOUT_PROJECT)
    users = {u.username: u for u in User.objects.all()}
    for name, (status, days, contact, note) in ROLLOUT.items():
        Rollout.objects.update_or_create(
            project=project,
            department=departments[name],
            defaults={
                "status": status,
                "date": (now - timedelta(days=days)).date() if days else None,
                "contact": users.get(contact),
                "note": note,
            },
        )


def _load_ideas(departments, agents, now):
    recorders = [agents["karina"], agents["susanne"], agents["mette"], agents["tobias"]]
    for index, (text, department, occasion, days, status, reason, title) in enumerate(IDEAS):
        Idea.objects.update_or_create(
            text=text,
            defaults={
                "department": departments[department],
                "occasion": occasion,
                "heard_on": (now - timedelta(days=days)).date(),
                "status": status,
                "shelved_reason": reason,
                "project": Project.objects.get(title=title) if title else None,
                "recorded_by": recorders[index % len(recorders)].user,
            },
        )


def _add_updates(project, team, rng, now, index):
    # Every fifth open project has gone quiet: its last update is older than 60 days.
    quiet = index % 5 == 4 and project.is_open
    newest = 70 + rng.randint(0, 40) if quiet else rng.randint(0, 25)
    days = sorted({newest + rng.randint(0, 180 - newest) for _ in range(rng.randint(2, 6))})
    days[0] = newest
    kinds = list(UPDATE_TEXTS)
    updates = []
    for day in days:
        kind = rng.choice(kinds)
        text = rng.choice(UPDATE_TEXTS[kind])
        if "CPR" in project.title and day == newest:
            kind, text = ProjectUpdate.Kind.PROBLEM, CPR_PROBLEM
        updates.append(
            ProjectUpdate(
                project=project,
                lead_department_id=project.lead.department_id,
                author=rng.choice(team).user,
                kind=kind,
                text=text,
                for_erfa=kind == ProjectUpdate.Kind.PROBLEM or rng.random() < 0.15,
                created_at=now - timedelta(days=day, hours=rng.randint(0, 8)),
            )
        )
    ProjectUpdate.objects.bulk_create(updates)
    Project.objects.filter(pk=project.pk).update(
        last_activity_at=max(u.created_at for u in updates)
    )
