"""Systems, superusers and IT contacts kept in step with the municipality's OS2kitos.

A run reads what changed in KITOS since the last successful run (everything on a full run),
then applies it in one transaction: a failure leaves AgentNet as it was, and the run, with its
error, is kept for the facilitator to see (KitosRun). KITOS is where a synced system's name,
vendor, description, superusers and IT contacts are kept; the network adds what only it knows
(agents, projects, the system owner role, notes). Nobody is created: a role holder with no
AgentNet user of the same e-mail address is listed for the facilitator instead.
"""

from dataclasses import dataclass, field
from datetime import datetime
from itertools import batched
from urllib.parse import urlsplit
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from agents.kitos.client import PAGE_SIZE, KitosClient, KitosError, parse_time
from agents.models import Department, KitosRun, System, SystemRole, User

SYNCED_ROLES = (SystemRole.Role.SUPERUSER, SystemRole.Role.IT_CONTACT)
SYSTEM_FIELDS = ["name", "vendor", "description", "owner_department", "in_use"]


class NotConfigured(Exception):
    """KITOS_URL is unset (systems are kept by hand) or the rest of the settings are missing."""


def is_enabled():
    return bool(settings.KITOS_URL)


def client_from_settings():
    if not is_enabled():
        raise NotConfigured("KITOS_URL is not set: systems are kept by hand in the admin.")
    missing = [name for name in ("KITOS_EMAIL", "KITOS_PASSWORD", "KITOS_ORGANIZATION_CVR")
               if not getattr(settings, name)]
    if missing:
        raise NotConfigured(f"KITOS_URL is set, but not {', '.join(missing)}.")
    url = urlsplit(settings.KITOS_URL)
    # The password and the token travel with every run: never in the clear over a network.
    if url.scheme != "https" and url.hostname not in {"localhost", "127.0.0.1"}:
        raise NotConfigured("KITOS_URL must be an https:// address.")
    return KitosClient(settings.KITOS_URL, settings.KITOS_EMAIL, settings.KITOS_PASSWORD)


@dataclass
class Snapshot:
    """What a run read from KITOS, before any of it is applied."""

    usages: dict  # usage uuid -> usage, the latest version read
    systems: dict  # system uuid -> the system itself (or None)
    emails: dict  # KITOS user uuid -> e-mail address ("" if none)
    role_kinds: dict  # role type uuid -> SystemRole.Role
    units: list
    deleted: set  # usage uuids deleted in KITOS
    cursor: datetime | None
    deletions_cursor: datetime | None


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    retired: int = 0
    roles_added: int = 0
    roles_removed: int = 0
    unknown_holders: list = field(default_factory=list)
    # One line per change, for the dry run to print.
    changes: list = field(default_factory=list)


def read(client, *, cvr, changed_since=None, deletions_since=None):
    """Everything a run needs from KITOS. Nothing in the database is touched."""
    organization = client.organization(cvr)["uuid"]
    role_kinds = _role_kinds(client.role_types(organization))
    usages = {}
    cursor = changed_since
    # changedSinceGtEq is "greater than or equal" and pages can shift while they are read: the
    # same usage may come twice, and the later version is the one kept.
    for usage in client.system_usages(organization, changed_since):
        changed = parse_time(usage.get("lastModified"))
        kept = usages.get(usage["uuid"])
        if kept is None or (changed and changed >= parse_time(kept.get("lastModified"))):
            usages[usage["uuid"]] = usage
        if changed and (cursor is None or changed > cursor):
            cursor = changed
    systems = {}
    emails = {}
    for usage in usages.values():
        system_uuid = (usage.get("systemContext") or {}).get("uuid")
        if system_uuid and system_uuid not in systems:
            systems[system_uuid] = client.system(system_uuid)
        for assignment in usage.get("roles") or []:
            user_uuid = assignment["user"]["uuid"]
            if assignment["role"]["uuid"] in role_kinds and user_uuid not in emails:
                user = client.user(organization, user_uuid) or {}
                emails[user_uuid] = (user.get("email") or "").strip()
    deleted = set()
    deletions_cursor = deletions_since
    for entity in client.deleted_usages(deletions_since):
        if entity.get("entityType", "ItSystemUsage") != "ItSystemUsage":
            continue
        deleted.add(entity["entityUuid"])
        occurred = parse_time(entity.get("occurredAtUtc"))
        if occurred and (deletions_cursor is None or occurred > deletions_cursor):
            deletions_cursor = occurred
    return Snapshot(
        usages=usages, systems=systems, emails=emails, role_kinds=role_kinds,
        units=list(client.organization_units(organization)), deleted=deleted,
        cursor=cursor, deletions_cursor=deletions_cursor,
    )


def _role_kinds(role_types):
    wanted = {
        SystemRole.Role.SUPERUSER: settings.KITOS_SUPERUSER_ROLE,
        SystemRole.Role.IT_CONTACT: settings.KITOS_IT_CONTACT_ROLE,
    }
    by_name = {name.casefold(): kind for kind, name in wanted.items()}
    kinds = {}
    for role_type in role_types:
        kind = by_name.get((role_type.get("name") or "").strip().casefold())
        if kind is not None:
            kinds[role_type["uuid"]] = kind
    found = set(kinds.values())
    for kind, name in wanted.items():
        if kind not in found:
            raise KitosError(f'KITOS has no system role named "{name}" in the organisation')
    return kinds


def apply(snapshot, *, full, previous_unknown=()):
    """Applies a snapshot to the database; the caller holds the transaction. The queries are
    a fixed number for the run plus a fixed number per PAGE_SIZE usages."""
    report = Report()
    departments = _match_departments(snapshot.units)
    systems = list(System.objects.all())
    by_usage = {str(s.kitos_uuid): s for s in systems if s.kitos_uuid}
    # A system typed in by hand before KITOS was connected is taken over by name.
    by_hand = {s.name.casefold(): s for s in systems if not s.kitos_uuid}
    names = {s.name.casefold(): s for s in systems}

    usages = sorted(snapshot.usages.values(), key=lambda u: u.get("lastModified") or "")
    usages = [u for u in usages if u["uuid"] not in snapshot.deleted]
    for batch in batched(usages, PAGE_SIZE):
        pairs = []
        created, changed = [], []
        for usage in batch:
            system = by_usage.get(usage["uuid"])
            if system is None:
                system = by_hand.pop(_name_of(usage).casefold(), None)
            values = _values(usage, snapshot, departments, system)
            values["name"] = _free_name(values["name"], usage["uuid"], system, names)
            if system is None:
                system = System(kitos_uuid=UUID(usage["uuid"]), **values)
                created.append(system)
                report.changes.append(f"+ {values['name']}")
            else:
                differs = [f for f, value in values.items() if getattr(system, f) != value]
                if differs or system.kitos_uuid is None:
                    for name, value in values.items():
                        setattr(system, name, value)
                    system.kitos_uuid = UUID(usage["uuid"])
                    changed.append(system)
                    report.changes.append(f"~ {system.name}: {', '.join(differs) or 'KITOS'}")
            names[system.name.casefold()] = system
            by_usage[usage["uuid"]] = system
            pairs.append((usage, system))
        System.objects.bulk_create(created)
        System.objects.bulk_update(changed, [*SYSTEM_FIELDS, "kitos_uuid"])
        report.created += len(created)
        roles_changed = _sync_roles(pairs, snapshot, report)
        report.updated += len({s.pk for s in changed} | (roles_changed - {s.pk for s in created}))

    _retire(snapshot, by_usage, full, report)
    touched = set(snapshot.usages) | snapshot.deleted
    kept = [] if full else [h for h in previous_unknown if h["usage"] not in touched]
    report.unknown_holders = sorted(
        kept + report.unknown_holders, key=lambda h: (h["system"], h["role"], h["name"])
    )
    return report


def _name_of(usage):
    name = (usage.get("systemContext") or {}).get("name") or ""
    return (name or (usage.get("general") or {}).get("localCallName") or "").strip()[:120]


def _values(usage, snapshot, departments, system):
    described = snapshot.systems.get((usage.get("systemContext") or {}).get("uuid")) or {}
    unit = (usage.get("organizationUsage") or {}).get("responsibleOrganizationUnit") or {}
    return {
        "name": _name_of(usage) or usage["uuid"],
        "vendor": ((described.get("rightsHolder") or {}).get("name") or "").strip()[:120],
        "description": (described.get("description") or "").strip()[:4000],
        # A unit with no department of ours keeps what the facilitator chose.
        "owner_department_id": departments.get(
            unit.get("uuid"), system.owner_department_id if system else None
        ),
        "in_use": True,
    }


def _free_name(name, usage_uuid, system, names):
    """System names are unique in AgentNet; two usages of the same name get the second's
    uuid beside it."""
    holder = names.get(name.casefold())
    if holder is None or holder is system:
        return name
    return f"{name[:108]} ({usage_uuid[:8]})"


def _match_departments(units):
    """KITOS unit uuid -> our department's id: by the stored uuid, else by name (then
    stored)."""
    departments = list(Department.objects.all())
    by_uuid = {str(d.kitos_uuid): d for d in departments if d.kitos_uuid}
    by_name = {d.name.casefold(): d for d in departments if not d.kitos_uuid}
    matched, newly = {}, []
    for unit in units:
        department = by_uuid.get(unit["uuid"])
        if department is None:
            department = by_name.pop((unit.get("name") or "").strip().casefold(), None)
            if department is not None:
                department.kitos_uuid = UUID(unit["uuid"])
                newly.append(department)
        if department is not None:
            matched[unit["uuid"]] = department.pk
    Department.objects.bulk_update(newly, ["kitos_uuid"])
    return matched


def _sync_roles(pairs, snapshot, report):
    """Sets each system's superusers and IT contacts to KITOS' role holders, matched by
    e-mail address. Returns the ids of the systems whose roles changed."""
    wanted_emails = set()
    for usage, _system in pairs:
        for assignment in usage.get("roles") or []:
            email = snapshot.emails.get(assignment["user"]["uuid"], "")
            if email:
                wanted_emails.add(email.casefold())
    users = {
        user.email_key: user.pk
        for user in User.objects.annotate(email_key=Lower("email"))
        .filter(email_key__in=wanted_emails)
        # The last of an address wins the dict: its first active account.
        .order_by("is_active", "-pk")
        .only("pk", "email")
    }
    wanted = set()
    for usage, system in pairs:
        for assignment in usage.get("roles") or []:
            kind = snapshot.role_kinds.get(assignment["role"]["uuid"])
            if kind is None:
                continue
            email = snapshot.emails.get(assignment["user"]["uuid"], "")
            user_id = users.get(email.casefold()) if email else None
            if user_id is None:
                report.unknown_holders.append({
                    "usage": usage["uuid"], "system": system.name, "role": str(kind),
                    "name": assignment["user"].get("name") or "", "email": email,
                })
            else:
                wanted.add((system.pk, user_id, str(kind)))
    existing = {
        (system_id, user_id, role): pk
        for pk, system_id, user_id, role in SystemRole.objects.filter(
            system__in=[system.pk for _usage, system in pairs], role__in=SYNCED_ROLES
        ).values_list("pk", "system_id", "user_id", "role")
    }
    gone = [pk for key, pk in existing.items() if key not in wanted]
    new = [key for key in wanted if key not in existing]
    if gone:
        SystemRole.objects.filter(pk__in=gone).delete()
    SystemRole.objects.bulk_create(
        [SystemRole(system_id=s, user_id=u, role=r) for s, u, r in new]
    )
    report.roles_added += len(new)
    report.roles_removed += len(gone)
    names = {system.pk: system.name for _usage, system in pairs}
    for system_id, _user, role in new:
        report.changes.append(f"  + {names[system_id]}: {role}")
    for system_id, _user, role in (key for key in existing if key not in wanted):
        report.changes.append(f"  - {names[system_id]}: {role}")
    return {key[0] for key in new} | {key[0] for key in existing if key not in wanted}


def _retire(snapshot, by_usage, full, report):
    """Systems deleted in KITOS are no longer in use; on a full run so is every synced system
    that KITOS no longer lists. They are never deleted: their projects keep their history."""
    if full:
        gone = [s for uuid, s in by_usage.items()
                if uuid not in snapshot.usages or uuid in snapshot.deleted]
    else:
        gone = [by_usage[uuid] for uuid in snapshot.deleted if uuid in by_usage]
    retired = sorted((s for s in gone if s.in_use), key=lambda s: s.name)
    if retired:
        System.objects.filter(pk__in=[s.pk for s in retired]).update(in_use=False)
    report.retired = len(retired)
    report.changes.extend(f"- {s.name}" for s in retired)


def last_success():
    return KitosRun.objects.filter(succeeded=True).order_by("-started_at", "-pk").first()


def run(*, full=False, dry_run=False, client=None):
    """One run of the sync. Returns the KitosRun (a Report on a dry run, which changes
    nothing and keeps no run). A failure is kept as a failed KitosRun and raised again."""
    client = client or client_from_settings()
    started = timezone.now()
    previous = last_success()
    full = full or previous is None
    try:
        snapshot = read(
            client,
            cvr=settings.KITOS_ORGANIZATION_CVR,
            changed_since=None if full else previous.cursor,
            deletions_since=previous.deletions_cursor if previous else None,
        )
        with transaction.atomic():
            report = apply(
                snapshot, full=full,
                previous_unknown=previous.unknown_holders if previous else (),
            )
            if dry_run:
                transaction.set_rollback(True)
                return report
            return KitosRun.objects.create(
                started_at=started, finished_at=timezone.now(), full=full, succeeded=True,
                created=report.created, updated=report.updated, retired=report.retired,
                roles_added=report.roles_added, roles_removed=report.roles_removed,
                cursor=snapshot.cursor, deletions_cursor=snapshot.deletions_cursor,
                unknown_holders=report.unknown_holders,
            )
    except Exception as error:
        if not dry_run:
            KitosRun.objects.create(
                started_at=started, finished_at=timezone.now(), full=full, succeeded=False,
                error=str(error) or error.__class__.__name__,
            )
        raise
