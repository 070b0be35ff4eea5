"""Demo erfa-days for seed_demo: a year of them, held, published and draft."""

import random
from datetime import time, timedelta

from django.utils import timezone

from agents.models import Agent, Location, User
from meetings import services
from meetings.models import Action, AgendaItem, Attendance, Meeting, Speaker, TopicProposal

SPEAKERS = [
    ("Jonas Riis", "RoboConsult ApS", "jr@roboconsult.example", "RPA i kommunal sagsbehandling"),
    ("Helle Sønderby", "Kommunernes Digitaliseringsnetværk", "hs@kdn.example",
     "Projektledelse i praksis"),
    ("Niels Aagaard", "Datatilsynsrådgivning", "na@gdpr.example",
     "GDPR i hverdagens sagsbehandling"),
]
TALKS = [
    "Projektledelse i praksis",
    "RPA: hvad kan robotten, og hvad kan den ikke?",
    "GDPR i hverdagens sagsbehandling",
    "Forandringsledelse, når systemet skifter",
    "Teknologiforståelse i skolen",
    "Data som styringsredskab",
    "Gevinstrealisering: fra idé til timer sparet",
    "Superbrugerens rolle",
    "Selvbetjening, borgerne faktisk bruger",
    "Velfærdsteknologi i hjemmeplejen",
    "Leverandørstyring og kontrakter",
]
PROPOSALS = [
    ("talk", "Jeg vil gerne have et oplæg om chatbots i borgerservice", ""),
    ("problem", "Hvordan får vi adgang til testmiljøer hurtigere?", "Det tager uger hver gang."),
]


def load():
    rng = random.Random(12)  # noqa: S311 - repeatable demo data
    if Meeting.objects.exists():
        return
    today = timezone.localdate()
    town = Location.objects.get(name="Ringkøbing")
    speakers = [
        Speaker.objects.get_or_create(
            name=name, defaults={"organisation": org, "email": email, "topic": topic}
        )[0]
        for name, org, email, topic in SPEAKERS
    ]
    agents = list(Agent.objects.active().select_related("user"))
    facilitator = User.objects.filter(groups__name="Facilitator").first()
    start = today.replace(day=1) - timedelta(days=190)
    dates = services.series_dates(
        weekday=3, ordinal=1, first_month=start, months=13, skip_months=[7]
    )
    past = [d for d in dates if d < today]
    future = [d for d in dates if d >= today]
    services.create_series(
        dates=dates, start_time=time(9), end_time=time(15), location=town,
        room="Mødelokale 2",
    )
    for number, meeting in enumerate(Meeting.objects.order_by("date")):
        meeting.theme = TALKS[number % len(TALKS)]
        meeting.save(update_fields=["theme"])
        services.apply_standard_agenda(meeting)
        talk = meeting.items.get(kind=AgendaItem.Kind.TALK)
        talk.title = TALKS[number % len(TALKS)]
        if number % 2:
            talk.speaker = speakers[number % len(speakers)]
        else:
            talk.presenter = rng.choice(agents)
        talk.save()
        if meeting.date in past:
            _hold(meeting, agents, facilitator, rng)
    upcoming = Meeting.objects.filter(date__in=future).order_by("date")
    if upcoming:
        # The next one is published with its invitations; the last stays a draft.
        next_meeting = upcoming.first()
        next_meeting.status = Meeting.Status.PUBLISHED
        next_meeting.save(update_fields=["status"])
        Attendance.objects.bulk_create(
            [Attendance(meeting=next_meeting, user=a.user,
                        response=rng.choice(["invited", "coming", "coming", "not_coming"]))
             for a in agents]
        )
        for later in upcoming[1:len(upcoming) - 1]:
            later.status = Meeting.Status.PUBLISHED
            later.save(update_fields=["status"])
    for kind, title, text in PROPOSALS:
        TopicProposal.objects.get_or_create(
            title=title, defaults={"kind": kind, "description": text,
                                   "proposed_by": rng.choice(agents).user}
        )


def _hold(meeting, agents, facilitator, rng):
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, user=a.user, response="coming",
                    attended=rng.random() < 0.8) for a in agents]
    )
    talk = meeting.items.get(kind=AgendaItem.Kind.TALK)
    talk.notes = "Godt oplæg med mange spørgsmål. Slides ligger på netværkets drev."
    talk.decisions = "Netværket prøver metoden af i to projekter."
    talk.save(update_fields=["notes", "decisions"])
    Action.objects.create(
        item=talk, text="Del skabelonen med netværket", owner=rng.choice(agents).user,
        deadline=meeting.date + timedelta(days=21), done=rng.random() < 0.7,
    )
    services.mark_held(meeting)
