"""Queries the ORM compiles once per database connection and then runs with new values.

Building a queryset and compiling it to SQL costs Python time on every request: for the
erfa-day's round (a window over the month's updates) about 1.5 ms, twice what PostgreSQL
takes to answer it, and for a plain list of names more than reading the rows. The SQL of
a query only changes with its shape, not with the values it is asked about. A query
written here as a `Prepared` is built once per connection and shape with a `Param` in
place of each value, compiled, and from then on only run: the values go where the
`Param`s were, each prepared for the database by its field as the ORM would have done it,
and the rows are converted as the ORM converts them (dates on SQLite, say).

values_list() queries give their rows (what a page reads as columns), and queries of model
objects their objects, with those select_related() names.
"""

from functools import partial

from django.db import connections, router
from django.db.models import BigIntegerField, Expression, IntegerField
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.http import Http404


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


def id_param(name):
    """A Param for an id: a primary or foreign key (a BigAutoField here)."""
    return Param(name, BigIntegerField())


def by_pk(model, *related):
    """A Prepared read of one `model` object by its primary key (pk=…), with the objects
    `related` names (select_related()); a single row needs no order."""

    def build():
        objects = model._default_manager.all()
        if related:
            objects = objects.select_related(*related)
        return objects.filter(pk=id_param("pk")).order_by()

    return Prepared(model, build)


def by_id(name, model, build):
    """A Prepared read of `model` rows that belong to one object, given by its id:
    `build(param, *shape)` filters by `param`, the id_param called `name`."""
    return Prepared(model, lambda *shape: build(id_param(name), *shape))


def each(name, count, output_field=None):
    """Params for the `count` items of the list given as `name` (ids unless `output_field`
    says otherwise), for an __in lookup: how many there are is part of the query's shape.
    An empty list matches nothing, and the ORM makes no query for it: nor should the
    caller. Through a foreign key, name the related primary key (department__id__in): the
    ORM would take the items of department_id__in for ids, not for values to come."""
    return [Param(name, output_field or BigIntegerField(), index) for index in range(count)]


class _OutOfRange(Exception):
    """An integer that no column of the Param's type can hold."""


class _Slot:
    """Where a Param's value goes among the compiled query's parameters."""

    def __init__(self, name, index, field):
        self.name = name
        self.index = index
        self.field = field

    def value(self, values, connection):
        value = values[self.name] if self.index is None else values[self.name][self.index]
        value = self.field.get_db_prep_value(value, connection, prepared=False)
        if value is not None and isinstance(self.field, IntegerField):
            low, high = connection.ops.integer_field_range(self.field.get_internal_type())
            if (low is not None and value < low) or (high is not None and value > high):
                raise _OutOfRange
        return value


class Prepared:
    """A query of `model` made by `build(*shape)` with Params for its values: compiled once
    per connection and shape (a slice's size, say: it is written into the SQL). A Param
    stands for a value, never None: `field = NULL` would match nothing where the ORM writes
    `IS NULL`.

    A values_list() query gives its rows (rows()); a query of model objects, with the
    objects select_related() names, gives the objects (objects()). Not prefetch_related():
    a prefetch is a query of its own; nor a related manager's query, which would bake its
    object's id into the SQL.

    Params narrow the query (filter(id=…), __in): an integer Param beyond what its column
    can hold makes the whole query find nothing, as the ORM's lookup finds nothing for it.
    So no Param in an exclude() or one side of an OR, where that would not be the answer."""

    def __init__(self, model, build):
        self.model = model
        self.build = build

    def rows(self, *shape, **values):
        """The rows of a values_list() query for these values: tuples, or single values for
        a flat one."""
        connection, compiled = self._compiled(shape)
        if compiled.kind is ModelIterable:
            raise TypeError("rows() is for values_list() queries")
        rows = compiled.run(connection, values)
        if compiled.kind is FlatValuesListIterable:
            return [row[0] for row in rows]
        return [tuple(row) for row in rows]

    def objects(self, *shape, **values):
        """The model objects of a query of objects for these values, made as the ORM makes
        them (Model.from_db, and the related objects select_related() names)."""
        connection, compiled = self._compiled(shape)
        if compiled.kind is not ModelIterable:
            raise TypeError("objects() is for queries of model objects")
        rows = compiled.run(connection, values)
        start, end, init_list, from_db, populators, annotations = compiled.objects
        objects = []
        for row in rows:
            obj = from_db(compiled.alias, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects

    def one(self, *shape, **values):
        """The one model object the query finds (by its primary key, say), or None."""
        found = self.objects(*shape, **values)
        if len(found) > 1:
            raise self.model.MultipleObjectsReturned(f"{len(found)} {self.model.__name__}")
        return found[0] if found else None

    def get_or_404(self, *shape, **values):
        """one(), or Http404 when the query finds nothing: get_object_or_404() for a
        Prepared query."""
        found = self.one(*shape, **values)
        if found is None:
            raise Http404(f"No {self.model._meta.object_name} matches the given query.")
        return found

    def _compiled(self, shape):
        connection = connections[router.db_for_read(self.model)]
        # Kept on the connection (thread-local in Django), so that a thread's connection
        # that is gone takes its statements along.
        statements = connection.__dict__.setdefault("agentnet_prepared", {})
        compiled = statements.get((self, shape))
        if compiled is None:
            compiled = statements[self, shape] = _Compiled(self.build(*shape), connection.alias)
        return connection, compiled


class _Compiled:
    """A query's SQL and parameters (with _Slots for its Params) on one connection, and how
    its rows become what the ORM would return."""

    KINDS = (ValuesListIterable, FlatValuesListIterable, ModelIterable)

    def __init__(self, queryset, alias):
        if queryset._iterable_class not in self.KINDS:
            raise TypeError("Prepared reads values_list() queries and model objects")
        if queryset._prefetch_related_lookups:
            raise TypeError("Prepared makes no prefetch: read those rows by a query of theirs")
        if queryset._known_related_objects:
            raise TypeError("Prepared reads from a model's manager, not a related manager")
        self.kind = queryset._iterable_class
        self.alias = alias
        # The compiler selects the columns in the order values_list() names them.
        self.compiler = compiler = queryset.query.get_compiler(alias)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        select = compiler.select
        self.converters = compiler.get_converters(
            [column for column, _sql, _alias in select[: compiler.col_count]]
        )
        if self.kind is ModelIterable:
            # As ModelIterable makes the objects, for a query of the model's own manager.
            fetch_mode = queryset._fetch_mode
            if fetch_mode.track_peers:
                raise TypeError("Prepared does not track the peers of objects")
            info = compiler.klass_info
            fields = info["select_fields"]
            start, end = fields[0], fields[-1] + 1
            self.objects = (
                start,
                end,
                [column[0].target.attname for column in select[start:end]],
                partial(info["model"].from_db, fetch_mode=fetch_mode),
                get_related_populators(info, select, alias, fetch_mode),
                list(compiler.annotation_col_map.items()),
            )

    def run(self, connection, values):
        """The rows, converted, for these values. An integer beyond what its column can hold
        (an id of 30 digits in an address, say) matches nothing, as the ORM's lookups
        answer it, rather than failing in the database."""
        try:
            params = [
                p.value(values, connection) if isinstance(p, _Slot) else p for p in self.params
            ]
        except _OutOfRange:
            return []
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.compiler.has_extra_select:
            # Columns selected only to order by (a distinct query, say), as the ORM drops them.
            rows = [row[: self.compiler.col_count] for row in rows]
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        return rows


def as_prefetched(obj, relation, objects):
    """Leave `objects` where prefetch_related(relation) would have left them, so that
    obj.<relation>.all() gives them without a query: for related objects read by a
    Prepared query, which makes no prefetch of its own."""
    manager = getattr(obj, relation)
    # Where the related manager looks first: its prefetch cache name for a many-to-many
    # relation, the reverse relation's cache name for a foreign key.
    name = getattr(manager, "prefetch_cache_name", None) or manager.field.remote_field.cache_name
    queryset = manager.get_queryset()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    if not hasattr(obj, "_prefetched_objects_cache"):
        obj._prefetched_objects_cache = {}
    obj._prefetched_objects_cache[name] = queryset
