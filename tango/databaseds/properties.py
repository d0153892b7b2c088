"""Properties in the database server: the packed string arrays of the DataBaseds protocol and
the storage calls behind them, for every kind of owner (free objects, devices, classes, and the
attributes and pipes of devices and classes), with their history.

The packed layouts are those of the C++ DataBaseds:
  put:  [owner, n_props, name, n_values, v1..., name, ...]
  put2: [owner, n_subs, sub, n_props, name, n_values, v1..., ...]   (attributes, pipes)
  get:  [owner, n_props, name, n_values, v1..., ...]
  get2: [owner, n_subs, sub, n_props, name, n_values, v1..., ...]
"""

import time

from .errors import throw, DB_IncorrectArguments
from .storage import TWO_LEVEL


def now():
    return time.strftime("%Y-%m-%d %H:%M:%S")


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
    """The properties of one kind of owner (storage.KINDS) in the protocol's layouts."""

    def __init__(self, store, kind, missing=(" ",)):
        self.store, self.kind = store, kind
        # what the C++ server answers after "0" for a property it does not have
        self.missing = list(missing)

    def values(self, owner, name, sub=""):
        return self.store.property_values(self.kind, owner, name, sub)

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
            props = self.store.properties(self.kind, owner, sub)
            out += [sub, str(len(props))]
            for name, values in props.items():
                out += [name, str(len(values)), *values] if with_counts else [name, values[0]]
        return out

    def put(self, owner, props, sub=""):
        date = now()
        with self.store.transaction() as tx:
            for name, values in props:
                tx.set_property(self.kind, owner, name, values, date, sub)

    def put2(self, owner, subs):
        date = now()
        with self.store.transaction() as tx:
            for sub, props in subs:
                for name, values in props:
                    tx.set_property(self.kind, owner, name, values, date, sub)

    def delete(self, owner, patterns, sub=""):
        """Delete the properties matching each pattern (wildcards allowed): with history."""
        names = []
        for pattern in patterns:
            names += [n for n in self.store.property_names(self.kind, owner, pattern, sub)
                      if n not in names]
        date = now()
        with self.store.transaction() as tx:
            for name in names:
                tx.set_property(self.kind, owner, name, [], date, sub)

    def delete_subs(self, owner, subs):
        """Delete every property of the given attributes (pipes)."""
        with self.store.transaction() as tx:
            for sub in subs:
                tx.delete_sub(self.kind, owner, sub)

    def names(self, owner, pattern="*", sub=""):
        return self.store.property_names(self.kind, owner, pattern, sub)

    def owners(self, pattern="*"):
        return self.store.property_owners(self.kind, pattern)

    def sub_names(self, owner, pattern="*"):
        return self.store.property_subs(self.kind, owner, pattern)

    def history(self, owner, pattern, sub=""):
        """[name, date, count, values..., ...] of the matching properties, oldest first."""
        two_level = self.kind in TWO_LEVEL
        out = []
        for e in self.store.property_history(self.kind, owner, pattern, sub):
            # the two-level kinds lead each entry with the attribute's (or pipe's) name, as the
            # C++ server does: cppTango reads 4 fields before the values there, 3 elsewhere
            out += ([e.sub] if two_level else []) + [e.name, e.date, str(len(e.values)), *e.values]
        return out

    def counts(self):
        """(values stored, history entries), for DbInfo."""
        return self.store.property_counts(self.kind)
