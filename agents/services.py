"""Business actions of the network app: capacity figures, the CSV import of agents and the
mail with a link to choose a password."""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.tasks import task
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agentnet.prepared import Prepared
from agents.models import (
    NAME_MAX,
    Agent,
    Department,
    Location,
    User,
    phone_validator,
)
from agents.permissions import MANAGER


def percent_to_fte(percent):
    return (Decimal(percent or 0) / 100).quantize(Decimal("0.01"))


def capacity():
    """The network's capacity: active agents and full-time equivalents, by department,
    by town and in total. Three queries whatever the size of the network."""
    departments = DEPARTMENT_CAPACITY.objects()
    towns = TOWN_CAPACITY.objects()
    for row in [*departments, *towns]:
        row.fte = percent_to_fte(row.percent)
    return {"departments": departments, "towns": towns, **capacity_totals()}


def _with_capacity(model):
    """A Prepared read (compiled once) of each of `model`'s rows, by name, with the number
    of its active agents (agent_count) and the sum of their time shares (percent)."""
    active = Q(agents__is_active=True)
    return Prepared(
        model,
        lambda: model.objects.annotate(
            agent_count=Count("agents", filter=active),
            percent=Sum("agents__time_share", filter=active, default=0),
        ).order_by("name"),
    )


DEPARTMENT_CAPACITY = _with_capacity(Department)
TOWN_CAPACITY = _with_capacity(Location)


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


def import_agents(raw):
    """Create users and agents from CSV bytes. Either every row is imported or none is:
    the result lists each bad row by its line number in the file."""
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
        form = AgentImportRow(data)
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
            result.created.append(
                Agent.objects.create(
                    user=user,
                    title=data["titel"],
                    department=data["afdeling"],
                    location=data["by"],
                    manager=data["leder"],
                    time_share=data["tidsandel"],
                    joined=data["startdato"],
                    phone=data["telefon"],
                )
            )
    return result


@task()
def send_password_link(subject, body, to_email):
    """The mail with a link to choose a password, queued with Django's tasks framework (as
    the erfa-day mails are): with a worker sending the queue, asking for a link takes as
    long for an address with an account as for one without, so the time of the answer does
    not tell which addresses the portal knows."""
    EmailMessage(subject, body, to=[to_email]).send()
