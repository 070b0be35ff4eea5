"""The network app's models, by topic: the people who sign in, the network they work in,
and the systems they are the ones to ask about."""

from agents.models.network import (
    BIO_MAX,
    PHONE_MAX,
    TITLE_MAX,
    Agent,
    Department,
    Location,
    ManagerChange,
    phone_validator,
)
from agents.models.people import (
    FACILITATOR,
    MANAGER,
    NAME_MAX,
    Access,
    RoleChange,
    User,
    first_by_name,
)
from agents.models.systems import KitosRun, System, SystemRole

__all__ = [
    "BIO_MAX", "FACILITATOR", "MANAGER", "NAME_MAX",
    "PHONE_MAX", "TITLE_MAX", "Access", "Agent", "Department", "KitosRun", "Location",
    "ManagerChange",
    "RoleChange", "System", "SystemRole", "User", "first_by_name",
    "phone_validator",
]
