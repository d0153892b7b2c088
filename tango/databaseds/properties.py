"""Properties in the database server: the packed string arrays of the DataBaseds protocol and
the storage rows behind them, for every kind of owner (free objects, devices, classes, and the
attributes and pipes of devices and classes), with their history.

The packed layouts are those of the C++ DataBaseds:
  put:  [owner, n_props, name, n_values, v1..., name, ...]
  put2: [owner, n_subs, sub, n_props, name, n_values, v1..., ...]   (attributes, pipes)
  get:  [owner, n_props, name, n_values, v1..., ...]
  get2: [owner, n_subs, sub, n_props, name, n_values, v1..., ...]
"""

import time

from .errors import throw, DB_IncorrectArguments


def now():
    return time.strftime("%Y-%m-%d %H:%M:%S")


def like(pattern):
    """cppTango's wildcard (``*``) as an SQL LIKE pattern (with ``\\`` as escape)."""
    p = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return p.replace("*", "%")


def _int(text, origin):
    try:
        n = int(text)
    except (TypeError, ValueError):
        throw(DB_IncorrectArguments, f"{text!r} is not a number of elements", origin)
    if n < 0:
        throw(DB_IncorrectArguments, f"a negative number of elements ({n})", origin)
    return n


def _take(argin, i, n, origin):
    if i + n > len(argin):
        throw(DB_IncorrectArguments, "the argument ends before its declared elements", origin)
    return list(argin[i:i + n]), i + n


def unpack(argin, origin):
    """put layout -> (owner, [(name, [values])])."""
    if len(argin) < 2:
        throw(DB_IncorrectArguments, "insufficient number of arguments to put properties", origin)
    owner, i, out = argin[0], 2, []
    for _ in range(_int(argin[1], origin)):
        (name, count), i = _take(argin, i, 2, origin)
        values, i = _take(argin, i, _int(count, origin), origin)
        out.append((name, values))
    return owner, out


def unpack2(argin, origin):
    """put2 layout -> (owner, [(sub, [(name, [values])])])."""
    if len(argin) < 2:
        throw(DB_IncorrectArguments, "insufficient number of arguments to put properties", origin)
    owner, i, out = argin[0], 2, []
    for _ in range(_int(argin[1], origin)):
        (sub, nprops), i = _take(argin, i, 2, origin)
        props = []
        for _ in range(_int(nprops, origin)):
            (name, count), i = _take(argin, i, 2, origin)
            values, i = _take(argin, i, _int(count, origin), origin)
            props.append((name, values))
        out.append((sub, props))
    return owner, out


class PropertyTable:
    """The properties of one kind of owner: ``table`` with owner column ``key`` (and ``sub``,
    the attribute or pipe column, for the two-level kinds)."""

    def __init__(self, store, table, key, sub=None, missing=(" ",)):
        self.store, self.table, self.key, self.sub = store, table, key, sub
        # what the C++ server answers after "0" for a property it does not have
        self.missing = list(missing)

    def _where(self, sub):
        if self.sub is None:
            return f"{self.key} = ?", ()
        return f"{self.key} = ? AND {self.sub} = ?", (sub,)

    def values(self, owner, name, sub=None):
        where, extra = self._where(sub)
        rows = self.store.read(
            f"SELECT value FROM {self.table} WHERE {where} AND name = ? ORDER BY count",
            (owner, *extra, name))
        return [r[0] if r[0] is not None else "" for r in rows]

    def get(self, argin):
        """get layout (one level)."""
        owner, names = argin[0], list(argin[1:])
        out = [owner, str(len(names))]
        for name in names:
            values = self.values(owner, name)
            out += [name, str(len(values))] + (values or self.missing)
        return out

    def get2(self, argin, with_counts=True):
        """get2 layout; ``with_counts=False`` is the old single-value layout (the first value of
        each property, no counts) of DbGet...AttributeProperty."""
        owner, subs = argin[0], list(argin[1:])
        out = [owner, str(len(subs))]
        for sub in subs:
            rows = self.store.read(
                f"SELECT name, value FROM {self.table} WHERE {self.key} = ? AND {self.sub} = ? "
                "ORDER BY name, count", (owner, sub))
            props = {}
            for name, value in rows:
                props.setdefault(name, []).append(value if value is not None else "")
            out += [sub, str(len(props))]
            for name, values in props.items():
                out += [name, str(len(values)), *values] if with_counts else [name, values[0]]
        return out

    def _put_rows(self, tx, owner, sub, name, values, hist_id, date):
        where, extra = self._where(sub)
        tx.execute(f"DELETE FROM {self.table} WHERE {where} AND name = ?", (owner, *extra, name))
        cols = [self.key] + ([self.sub] if self.sub else []) + ["name", "count", "value"]
        marks = ", ".join("?" * len(cols))
        for count, value in enumerate(values, 1):
            tx.execute(f"INSERT INTO {self.table} ({', '.join(cols)}, updated) VALUES ({marks}, ?)",
                       (owner, *extra, name, count, value, date))
        # history: the values put, or a count of 0 for a deletion
        for count, value in enumerate(values or [None], 1 if values else 0):
            tx.execute(f"INSERT INTO {self.table}_hist (id, date, {', '.join(cols)}) "
                       f"VALUES (?, ?, {marks})", (hist_id, date, owner, *extra, name, count, value))

    def _next_id(self, tx):
        rows = tx.execute("SELECT id FROM history_id WHERE name = ?", (self.table,))
        n = rows[0][0] + 1 if rows else 1
        tx.execute("INSERT OR REPLACE INTO history_id (name, id) VALUES (?, ?)", (self.table, n))
        return n

    def put(self, owner, props, sub=None):
        date = now()
        with self.store.transaction() as tx:
            for name, values in props:
                self._put_rows(tx, owner, sub, name, values, self._next_id(tx), date)

    def put2(self, owner, subs):
        date = now()
        with self.store.transaction() as tx:
            for sub, props in subs:
                for name, values in props:
                    self._put_rows(tx, owner, sub, name, values, self._next_id(tx), date)

    def delete(self, owner, patterns, sub=None):
        """Delete the properties matching each pattern (wildcards allowed)."""
        where, extra = self._where(sub)
        date = now()
        with self.store.transaction() as tx:
            for pattern in patterns:
                names = tx.execute(
                    f"SELECT DISTINCT name FROM {self.table} WHERE {where} AND name LIKE ? "
                    "ESCAPE '\\'", (owner, *extra, like(pattern)))
                for (name,) in names:
                    self._put_rows(tx, owner, sub, name, [], self._next_id(tx), date)

    def delete_subs(self, owner, subs):
        """Delete every property of the given attributes (pipes)."""
        with self.store.transaction() as tx:
            for sub in subs:
                tx.execute(f"DELETE FROM {self.table} WHERE {self.key} = ? AND {self.sub} = ?",
                           (owner, sub))

    def names(self, owner, pattern="*", sub=None):
        where, extra = self._where(sub)
        rows = self.store.read(
            f"SELECT DISTINCT name FROM {self.table} WHERE {where} AND name LIKE ? ESCAPE '\\' "
            "ORDER BY name", (owner, *extra, like(pattern)))
        return [r[0] for r in rows]

    def owners(self, pattern="*"):
        rows = self.store.read(
            f"SELECT DISTINCT {self.key} FROM {self.table} WHERE {self.key} LIKE ? ESCAPE '\\' "
            f"ORDER BY {self.key}", (like(pattern),))
        return [r[0] for r in rows]

    def sub_names(self, owner, pattern="*"):
        rows = self.store.read(
            f"SELECT DISTINCT {self.sub} FROM {self.table} WHERE {self.key} = ? AND "
            f"{self.sub} LIKE ? ESCAPE '\\' ORDER BY {self.sub}", (owner, like(pattern)))
        return [r[0] for r in rows]

    def history(self, owner, pattern, sub=None):
        """[name, date, count, values..., ...] of the matching properties, oldest first."""
        where, extra = self._where(sub)
        # the two-level kinds lead each entry with the attribute's (or pipe's) name, as the C++
        # server does: cppTango reads 4 fields before the values there, 3 elsewhere
        sub_column = f"{self.sub}, " if self.sub is not None else "NULL, "
        rows = self.store.read(
            f"SELECT id, {sub_column}name, date, count, value FROM {self.table}_hist WHERE {where} AND "
            "name LIKE ? ESCAPE '\\' ORDER BY id, count", (owner, *extra, like(pattern)))
        grouped = {}
        for hid, sub_name, name, date, count, value in rows:
            entry = grouped.setdefault(hid, [sub_name, name, date, []])
            if count:
                entry[3].append(value if value is not None else "")
        out = []
        for sub_name, name, date, values in grouped.values():
            out += ([sub_name] if self.sub is not None else []) + [name, date, str(len(values)), *values]
        return out

    def count(self):
        return self.store.read(f"SELECT COUNT(*) FROM {self.table}")[0][0]

    def history_count(self):
        return self.store.read(f"SELECT COUNT(DISTINCT id) FROM {self.table}_hist")[0][0]
