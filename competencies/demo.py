"""Demo competency profile, courses and two MUS rounds for seed_demo."""

import random
from datetime import date, timedelta

from django.utils import timezone

from competencies import services
from competencies.models import (
    Area,
    Assessment,
    Competency,
    Course,
    DevelopmentGoal,
    Framework,
    Level,
    Rating,
)

NAME = "Kompetenceprofil for digitale agenter"
LEVELS = [
    (1, "Kender til", "Jeg kender begreberne og ved, hvor jeg kan finde hjælp."),
    (2, "Kan anvende", "Jeg bruger det i mine egne opgaver med lidt støtte."),
    (3, "Behersker", "Jeg bruger det selvstændigt, også i nye situationer."),
    (4, "Kan lære fra sig", "Jeg kan lære andre det og tilpasse det til deres hverdag."),
]
AREAS = [
    ("Forståelse", "Den digitale agent forstår, hvordan forandringer lykkes.", [
        ("Forandringsledelse", "At skabe retning og motivation, når arbejdsgange ændres."),
        ("Procesledelse", "At lede møder og workshops, så alle bliver hørt."),
        ("Projektledelse", "At planlægge, styre og afslutte projekter med mål og gevinster."),
    ]),
    ("Udvikling og implementering", "At anskaffe og indføre digitale løsninger.", [
        ("Anskaffelse af digitale løsninger", "At afklare behov, krav og leverandører."),
        ("Styring af udvikling og implementering",
         "At være styrende og aktiv, fra test til drift."),
    ]),
    ("Anvendelse", "At mestre løsningerne i hverdagen.", [
        ("Mestring af digitale løsninger", "At bruge og udnytte systemerne fuldt ud."),
        ("Dataunderstøttet faglighed", "At bruge data til at blive klogere på kerneopgaven."),
        ("Datasikkerhed", "At kende og følge reglerne for persondata og informationssikkerhed."),
    ]),
    ("Formidling og kommunikation", "At tale med alle afdelinger om det digitale.", [
        ("Formidling og kommunikation", "At forklare, undervise og lytte."),
    ]),
    ("Teknologiforståelse", "Samspillet mellem teknologi, kerneopgave og bruger.", [
        ("Teknologi, kerneopgave og bruger",
         "At se, hvad teknologien betyder for opgaven og for dem, der bruger den."),
    ]),
]
COURSES = [
    ("Ledelse af digitale forandringer", "Diplomuddannelse i ledelse (modul)", "10",
     "Forandringsledelse, Projektledelse"),
    ("Projektledelse i praksis", "Kommunernes efteruddannelse", "5", "Projektledelse"),
    ("Procesfacilitering", "Akademiuddannelse (modul)", "10", "Procesledelse"),
    ("Databaseret ledelse og faglighed", "Professionshøjskole", "5",
     "Dataunderstøttet faglighed"),
    ("GDPR og informationssikkerhed for superbrugere", "KL-kursus", "", "Datasikkerhed"),
    ("Digital forretningsforståelse", "Akademiuddannelse i informationsteknologi", "10",
     "Anskaffelse af digitale løsninger"),
    ("Formidling med effekt", "Kommunikationsbureau (1 dag)", "", "Formidling og kommunikation"),
    ("Teknologiforståelse for fagprofessionelle", "Professionshøjskole", "5",
     "Teknologi, kerneopgave og bruger"),
]


def framework():
    existing = Framework.objects.filter(name=NAME, version=1).first()
    if existing:
        return existing
    profile = Framework.objects.create(
        name=NAME, version=1, published=True,
        description="Ingen skal kunne det hele: profilen bruges ved MUS til at tale om opgaver, "
        "roller og efteruddannelse.",
    )
    Level.objects.bulk_create(
        Level(framework=profile, value=v, label=label, description=text)
        for v, label, text in LEVELS
    )
    for position, (name, text, competencies) in enumerate(AREAS, start=1):
        area = Area.objects.create(framework=profile, name=name, description=text,
                                   position=position)
        Competency.objects.bulk_create(
            Competency(area=area, name=c, description=d, position=i)
            for i, (c, d) in enumerate(competencies, start=1)
        )
    return profile


def load():
    rng = random.Random(5)  # noqa: S311 - repeatable demo data
    profile = framework()
    for name, provider, ects, builds in COURSES:
        Course.objects.get_or_create(
            name=name, defaults={"provider": provider, "ects": ects or None, "builds": builds}
        )
    year = timezone.localdate().year
    if Assessment.objects.exists():
        return
    last_year = services.open_round(year=year - 1, framework=profile)
    for assessment in last_year.assessments.select_related("agent"):
        _fill(assessment, rng, manager_too=True)
        assessment.status = Assessment.Status.CLOSED
        assessment.coverage_department_id = assessment.agent.department_id
        assessment.coverage_location_id = assessment.agent.location_id
        assessment.mus_date = date(year - 1, 3, 1) + timedelta(days=rng.randint(0, 60))
        assessment.save()
        DevelopmentGoal.objects.create(
            assessment=assessment, text="Tage et modul i projektledelse", action="course",
            deadline=date(year, 6, 30), status=rng.choice(["open", "running", "done"]),
        )
        assessment.courses.add(Course.objects.order_by("?").first())
    this_year = services.open_round(year=year, framework=profile)
    statuses = ["draft", "sent", "reviewed", "closed"]
    for index, assessment in enumerate(this_year.assessments.select_related("agent")):
        status = statuses[index % len(statuses)]
        if status == "draft" and index % 8 == 0:
            continue
        _fill(assessment, rng, manager_too=status in ("reviewed", "closed"))
        assessment.status = status
        if status != "draft":
            assessment.coverage_department_id = assessment.agent.department_id
            assessment.coverage_location_id = assessment.agent.location_id
        assessment.save()
    for mus_round in (last_year, this_year):
        for department_id, location_id in set(
            mus_round.assessments.values_list("coverage_department_id", "coverage_location_id")
        ):
            services.let_into_coverage(mus_round.pk, department_id, location_id=location_id)


def _fill(assessment, rng, *, manager_too):
    ratings = list(assessment.ratings.all())
    for rating in ratings:
        rating.self_level = rng.choice([1, 2, 2, 3, 3, 4])
        if manager_too:
            rating.manager_level = max(1, min(4, rating.self_level + rng.choice([-1, 0, 0, 1])))
    Rating.objects.bulk_update(ratings, ["self_level", "manager_level"])
    assessment.strengths = "Jeg er god til at tale med andre afdelinger."
    assessment.improve = "At tænke længere ud i fremtiden."
