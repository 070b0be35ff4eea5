"""Signing in with a username and password, and the signed-in user of every request."""

from functools import lru_cache

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import Exists, F, OuterRef

from agents.models import User
from agents.permissions import ROLES

# Stands for the user's id while the statement is compiled.
MARK = -987654321


@lru_cache(maxsize=8)
def _user_by_id(alias, vendor):
    """The SQL that reads a user by id on this database, with whether they have each of
    ROLES and the id of their agent profile (None without one), as the ORM compiles it;
    where the id goes among its parameters; the columns it selects for the user. `vendor`
    is part of the key only: the SQL is in the database's own dialect."""
    queryset = User._default_manager.filter(pk=MARK).annotate(
        **{
            f"has_role_{number}": Exists(Group.objects.filter(user=OuterRef("pk"), name=role))
            for number, role in enumerate(ROLES)
        },
        # The reverse one-to-one: a left join on the profile's unique user id.
        agent_profile_id=F("agent__pk"),
    )
    compiler = queryset.query.get_compiler(alias)
    sql, params = compiler.as_sql()
    params = list(params)
    if params.count(MARK) != 1:
        raise ValueError(f"expected the id once among the parameters: {sql}")
    selected = compiler.select[: len(User._meta.concrete_fields)]
    columns = [column for column, _sql, _alias in selected]
    return sql, params, params.index(MARK), columns


class Backend(ModelBackend):
    """Django's ModelBackend, but for how the user of a request is read.

    Every signed-in request reads its user by id, and most pages then ask which roles the
    user has and whether they are an agent. The ORM built that same query anew each time,
    which took longer than the database took to answer it (about 270 µs against 150). Here
    one statement, compiled once per database (_user_by_id), reads the user, their roles
    and their agent profile's id; its row is converted and made into a User as the ORM
    would (the database's converters, Model.from_db), and the roles and the id are kept
    where agents.permissions looks for them. What is checked is
    unchanged: an inactive user is no one, and django.contrib.auth still verifies the
    session against the password.
    """

    def get_user(self, user_id):
        try:
            user_id = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        if user_id is None:
            return None
        alias = router.db_for_read(User)
        connection = connections[alias]
        sql, params, at, columns = _user_by_id(alias, connection.vendor)
        params = [*params[:at], user_id, *params[at + 1 :]]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        values, (*has_roles, agent_id) = list(row[: len(columns)]), row[len(columns) :]
        for i, column in enumerate(columns):
            for convert in connection.ops.get_db_converters(column) + column.get_db_converters(
                connection
            ):
                values[i] = convert(values[i], column, connection)
        user = User.from_db(alias, [column.target.attname for column in columns], values)
        user._agentnet_roles = frozenset(
            role for role, has_role in zip(ROLES, has_roles, strict=True) if has_role
        )
        user._agentnet_agent_id = agent_id
        return user if self.user_can_authenticate(user) else None
