"""Business actions of the network app: capacity figures, the CSV import of agents, the
change of an agent's manager and the mails with a link to choose a password and with the
name of a new manager."""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agents import signals
from agents.models import (
    NAME_MAX,
    Agent,
    Department,
    Location,
    ManagerChange,
    User,
    phone_validator,
)
from agents.permissions import MANAGER


def check_manager(manager, *, by, agent=None):
    """Raise ValidationError if `by` may not make `manager` the manager of `agent` (or of
    a new agent): a manager reads the agent's assessments, so nobody makes themselves
    someone's manager, and nobody manages themselves."""
    if manager is None:
        return
    if by is not None and manager.pk == by.pk:
        raise ValidationError(
            _("You cannot make yourself someone's manager. Ask a superuser or another "
              "facilitator to do it."),
            code="self_manager",
        )
    if agent is not None and agent.user_id == manager.pk:
        raise ValidationError(_("An agent cannot be their own manager."), code="own_manager")


@transaction.atomic
def change_manager(agent, manager, *, by, how):
    """Make `manager` (a user, or None for nobody) the manager of the saved `agent`, keep
    who changed it from whom (ManagerChange) and mail the agent the new manager's name.
    Every way of changing a manager comes here. Returns the ManagerChange, or None when the
    manager stays; raises ValidationError as check_manager() does."""
    previous = (
        Agent.objects.select_for_update()
        .filter(pk=agent.pk)
        .values_list("manager_id", flat=True)
        .get()
    )
    if previous == (manager.pk if manager else None):
        return None
    check_manager(manager, by=by, agent=agent)
    Agent.objects.filter(pk=agent.pk).update(manager=manager)
    agent.manager = manager
    change = ManagerChange.objects.create(
        agent=agent, previous_id=previous, new=manager, changed_by=by, how=how
    )
    signals.manager_changed.send(Agent, agent=agent, previous=previous, manager=manager)
    transaction.on_commit(lambda: send_manager_mail.enqueue(change.pk))
    return change


@task()
def send_manager_mail(change_id):
    """Tell the agent who their manager is now, and who made the change: the manager reads
    their assessments, so they should know, and can object."""
    change = ManagerChange.objects.select_related(
        "agent__user", "previous", "new", "changed_by"
    ).get(pk=change_id)
    user = change.agent.user
    if not user.email:
        return
    with translation.override("da"):
        if change.new is None:
            subject = _("You no longer have a manager in AgentNet")
        else:
            subject = _("Your manager in AgentNet is now %(name)s") % {"name": change.new}
        body = render_to_string(
            "agents/email/manager_changed.txt",
            {"change": change, "user": user, "site_url": settings.SITE_URL},
        )
    EmailMessage(subject, body, to=[user.email]).send()


def percent_to_fte(percent):
    return (Decimal(percent or 0) / 100).quantize(Decimal("0.01"))


def capacity():
    """The network's capacity: active agents and full-time equivalents, by department,
    by town and in total. Three queries whatever the size of the network."""
    departments = list(_with_capacity(Department))
    towns = list(_with_capacity(Location))
    for row in [*departments, *towns]:
        row.fte = percent_to_fte(row.percent)
    return {"departments": departments, "towns": towns, **capacity_totals()}


def _with_capacity(model):
    """Each of `model`'s rows by name, with the number of its active agents (agent_count)
    and the sum of their time shares (percent)."""
    active = Q(agents__is_active=True)
    return model.objects.annotate(
        agent_count=Count("agents", filter=active),
        percent=Sum("agents__time_share", filter=active, default=0),
    ).order_by("name")


def capacity_totals():
    total = Agent.objects.capacity()
    return {"agent_count": total["agents"], "fte": percent_to_fte(total["percent"])}


# The CSV columns, in Danish because the file comes from the facilitator's spreadsheet.
IMPORT_COLUMNS = [
    "brugernavn",
    "fornavn",
    "efternavn",
    "email",
    "titel",
    "afdeling",
    "by",
    "leder",
    "tidsandel",
    "startdato",
    "telefon",
]
IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 2000


class AgentImportRow(forms.Form):
    """One line of the CSV file, validated as a form so every message is the portal's own."""

    brugernavn = forms.RegexField(
        label=gettext_lazy("user name"), regex=r"^[\w.@+-]+\Z", max_length=150
    )
    fornavn = forms.CharField(label=gettext_lazy("first name"), max_length=NAME_MAX)
    efternavn = forms.CharField(label=gettext_lazy("last name"), max_length=NAME_MAX)
    # Checked by clean_email(): the length first, so that an address too long for the
    # column is told as such, with its value, rather than failing on saving.
    email = forms.CharField(label=gettext_lazy("e-mail"), strip=True)
    titel = forms.CharField(label=gettext_lazy("job title"), max_length=200)
    afdeling = forms.ModelChoiceField(
        label=gettext_lazy("department"), queryset=Department.objects.all(), to_field_name="name"
    )
    by = forms.ModelChoiceField(
        label=gettext_lazy("town"), queryset=Location.objects.all(), to_field_name="name"
    )
    leder = forms.ModelChoiceField(
        label=gettext_lazy("manager"),
        queryset=User.objects.filter(groups__name=MANAGER),
        to_field_name="username",
        required=False,
    )
    tidsandel = forms.IntegerField(
        label=gettext_lazy("time as agent (%)"), min_value=0, max_value=100
    )
    startdato = forms.DateField(
        label=gettext_lazy("joined the network"), input_formats=["%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d"]
    )
    telefon = forms.CharField(
        label=gettext_lazy("phone"), max_length=30, required=False, validators=[phone_validator]
    )

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by

    def clean_leder(self):
        manager = self.cleaned_data["leder"]
        check_manager(manager, by=self.by)
        return manager

    def clean_email(self):
        email = self.cleaned_data["email"]
        limit = User._meta.get_field("email").max_length
        if len(email) > limit:
            raise forms.ValidationError(
                _("The column %(column)s holds %(value)s, which is longer than %(limit)d "
                  "characters."),
                code="max_length",
                params={"column": "email", "value": email, "limit": limit},
            )
        validate_email(email)
        return email

    def clean_brugernavn(self):
        username = self.cleaned_data["brugernavn"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("The user name %(name)s is taken."), code="taken", params={"name": username}
            )
        return username


@dataclass
class ImportResult:
    errors: list = field(default_factory=list)  # (line number, message)
    created: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def _decode(raw):
    # Danish spreadsheets save CSV as Windows-1252 unless told otherwise.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


class _SemicolonCSV(csv.excel):
    delimiter = ";"


def _read_rows(text):
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=";,\t")
    except csv.Error:
        dialect = _SemicolonCSV
    return csv.reader(io.StringIO(text), dialect)


def import_agents(raw, *, by):
    """Create users and agents from CSV bytes, imported by the user `by`. Either every row
    is imported or none is: the result lists each bad row by its line number in the file."""
    result = ImportResult()
    if len(raw) > IMPORT_MAX_BYTES:
        result.errors.append((0, _("The file is larger than 2 MB.")))
        return result
    text = _decode(raw)
    if text is None or "\x00" in text:
        result.errors.append((0, _("The file is not a text (CSV) file.")))
        return result
    rows = _read_rows(text)
    header = [h.strip().lower() for h in next(rows, [])]
    missing = [c for c in IMPORT_COLUMNS if c not in header]
    if missing:
        result.errors.append(
            (1, _("The header lacks the columns: %(cols)s.") % {"cols": ", ".join(missing)})
        )
        return result

    valid = []
    seen = set()
    for line, values in enumerate(rows, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(valid) + len(result.errors) >= IMPORT_MAX_ROWS:
            result.errors.append((line, _("The file has more than 2000 rows.")))
            break
        if len(values) != len(header):
            counts = {"n": len(header), "m": len(values)}
            result.errors.append((line, _("Expected %(n)d columns, found %(m)d.") % counts))
            continue
        data = {h: v.strip() for h, v in zip(header, values, strict=True)}
        form = AgentImportRow(data, by=by)
        if not form.is_valid():
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else name
                result.errors.extend((line, f"{label}: {e}") for e in errors)
            continue
        username = form.cleaned_data["brugernavn"].lower()
        if username in seen:
            result.errors.append(
                (line, _("The user name %(name)s appears twice in the file.") % {"name": username})
            )
            continue
        seen.add(username)
        valid.append(form.cleaned_data)

    if result.errors:
        return result
    with transaction.atomic():
        for data in valid:
            user = User(
                username=data["brugernavn"],
                first_name=data["fornavn"],
                last_name=data["efternavn"],
                email=data["email"],
            )
            # The person chooses a password by the link of "Glemt din adgangskode" (or signs
            # in by single sign-on, or the facilitator sets one).
            user.await_first_password()
            user.save()
            agent = Agent.objects.create(
                user=user,
                title=data["titel"],
                department=data["afdeling"],
                location=data["by"],
                time_share=data["tidsandel"],
                joined=data["startdato"],
                phone=data["telefon"],
            )
            if data["leder"] is not None:
                change_manager(agent, data["leder"], by=by, how=ManagerChange.How.IMPORT)
            result.created.append(agent)
    return result


@task()
def send_password_link(subject, body, to_email):
    """The mail with a link to choose a password, queued with Django's tasks framework (as
    the erfa-day mails are): with a worker sending the queue, asking for a link takes as
    long for an address with an account as for one without, so the time of the answer does
    not tell which addresses the portal knows."""
    EmailMessage(subject, body, to=[to_email]).send()
