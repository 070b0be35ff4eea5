"""Queries the ORM compiles once per database connection and then runs with new values.

Building a queryset and compiling it to SQL costs Python time on every request: for the
erfa-day's round (a window over the month's updates) about 1.5 ms, twice what PostgreSQL
takes to answer it, and for a plain list of names more than reading the rows. The SQL of
a query only changes with its shape, not with the values it is asked about. A query
written here as a `Prepared` is built once per connection and shape with a `Param` in
place of each value, compiled, and from then on only run: the values go where the
`Param`s were, each prepared for the database by its field as the ORM would have done it,
and the rows are converted as the ORM converts them (dates on SQLite, say).

Only values_list() queries, as tuples: what a page reads as columns.
"""

import weakref

from django.db import connections, router
from django.db.models import Expression
from django.db.models.query import FlatValuesListIterable, ValuesListIterable


class Param(Expression):
    """A value given when the query runs (`Prepared.rows(name=value)`), prepared for the
    database as `output_field` prepares a value of its own; with `index`, that item of the
    list given as `name` (see each())."""

    def __init__(self, name, output_field, index=None):
        super().__init__(output_field=output_field)
        self.name = name
        self.index = index

    def as_sql(self, compiler, connection):
        return "%s", [_Slot(self.name, self.index, self.output_field)]


def each(name, count, output_field):
    """Params for the `count` items of the list given as `name`, for an __in lookup: how
    many there are is part of the query's shape. An empty list matches nothing, and the
    ORM makes no query for it: nor should the caller. Through a foreign key, name the
    related primary key (department__id__in): the ORM would take the items of
    department_id__in for ids, not for values to come."""
    return [Param(name, output_field, index) for index in range(count)]


class _Slot:
    """Where a Param's value goes among the compiled query's parameters."""

    def __init__(self, name, index, field):
        self.name = name
        self.index = index
        self.field = field

    def value(self, values, connection):
        value = values[self.name] if self.index is None else values[self.name][self.index]
        return self.field.get_db_prep_value(value, connection, prepared=False)


class Prepared:
    """A values_list() query of `model` made by `build(*shape)` with Params for its values:
    compiled once per connection and shape (a slice's size, say: it is written into the
    SQL). A Param stands for a value, never None: `field = NULL` would match nothing where
    the ORM writes `IS NULL`."""

    def __init__(self, model, build):
        self.model = model
        self.build = build
        # connection -> {shape: compiled}: a connection that is gone takes its own along.
        self._compiled = weakref.WeakKeyDictionary()

    def rows(self, *shape, **values):
        """The query's rows for these values: tuples, or single values for a flat one."""
        connection = connections[router.db_for_read(self.model)]
        by_shape = self._compiled.setdefault(connection, {})
        if shape not in by_shape:
            by_shape[shape] = _compile(self.build(*shape), connection.alias)
        sql, params, compiler, converters, flat = by_shape[shape]
        params = [p.value(values, connection) if isinstance(p, _Slot) else p for p in params]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = compiler.apply_converters(rows, converters)
        if flat:
            return [row[0] for row in rows]
        return [tuple(row) for row in rows]


def _compile(queryset, alias):
    flat = queryset._iterable_class is FlatValuesListIterable
    if not flat and queryset._iterable_class is not ValuesListIterable:
        raise TypeError("Prepared reads values_list() queries only")
    # The compiler selects the columns in the order values_list() names them.
    compiler = queryset.query.get_compiler(alias)
    sql, params = compiler.as_sql()
    fields = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
    converters = compiler.get_converters(fields)
    return sql, list(params), compiler, converters, flat
