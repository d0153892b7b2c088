"""The redis backend of the database server's storage (``--db_access redis``), on the redis
package (``pip install pytango[redis]``).

Layout, every key under a prefix (``tango:`` by default), names lower-cased in keys and kept as
spelt in the values:
  dev:<name>          hash of a DeviceRecord (absent fields are None)
  devs, srv:<server>  sets of device names: all, and by server (the queries a server's start
                      makes are by name or by exact server)
  alias:<alias>       the device name of a device alias
  srvinfo:<server>, event:<name>            hashes
  attralias:<alias>, attraliasof:<attr>     attribute aliases, both ways; attraliases a set
  prop:<kind>:<owner>\\x1f<sub>              hash: property name -> {"name", "values"} (JSON)
  owners:<kind>, subs:<kind>:<owner>        hashes of the spellings of owners and subs (an
                      entry whose property hash is gone is skipped when listed)
  hist:<kind>:<owner>\\x1f<sub>              list of history entries (JSON); histid:<kind> their
                      id counter; histcount:<kind>, valcount:<kind> the counts of DbInfo
  version, lock       a filled store; the client id of the server that uses it

A transaction queues its writes in one MULTI/EXEC, applied together or not at all; what it
needs to read to keep the indexes and counts right is read at once, through a small overlay of
what it has itself written. A store is used by one server: the lock key holds the id of the
server's connection and is taken over only when that connection is gone (a server killed -9).
What survives a crash of redis itself is redis's to say: run it with ``appendonly yes`` and
``appendfsync always`` for the durability the sqlite backend gives.
"""

import contextlib
import json
import threading
import time

from . import schema
from .storage import (DEVICE_FIELDS, EVENT_FIELDS, TWO_LEVEL, DeviceRecord, EventRecord, HistoryEntry,
                      Storage, StorageError, Transaction, caseless_sorted, wildcard)

_SEP = "\x1f"  # between owner and sub in keys: a character no Tango name holds


def _encode(record):
    """A record as hash fields (None left out, booleans as 0/1)."""
    out = {}
    for field, value in vars(record).items():
        if value is not None:
            out[field] = int(value) if isinstance(value, bool) else value
    return out


def _device(h):
    if not h:
        return None
    return DeviceRecord(name=h["name"], server=h["server"], klass=h["klass"], alias=h.get("alias"),
                        exported=h.get("exported") == "1", ior=h.get("ior", ""), host=h.get("host", ""),
                        pid=int(h.get("pid", 0)), version=h.get("version", ""), started=h.get("started"),
                        stopped=h.get("stopped"))


def _matches(pattern, value):
    return pattern == "*" or (value is not None and wildcard(pattern).match(value) is not None)


class RedisStorage(Storage):
    def __init__(self, url="redis://localhost:6379/0", prefix="tango:"):
        try:
            import redis
        except ImportError as exc:
            raise StorageError("the redis backend needs the redis package: pip install pytango[redis]") from exc
        self.url, self.p = url, prefix
        self._lock = threading.RLock()
        try:
            self._r = redis.Redis.from_url(url, decode_responses=True, single_connection_client=True,
                                           socket_connect_timeout=5, socket_timeout=30)
            self._take_lock()
            if not self._r.exists(self.p + "version"):
                with self.transaction() as tx:
                    schema.fill_fresh(tx, time.strftime("%Y-%m-%d %H:%M:%S"))
                    tx.pipe.set(self.p + "version", "1")
        except redis.RedisError as exc:
            self.close()
            raise StorageError(f"the redis database {url} cannot be used: {exc}") from exc

    def _take_lock(self):
        me, key = str(self._r.client_id()), self.p + "lock"
        if self._r.set(key, me, nx=True):
            self._owner = me
            return
        holder = self._r.get(key)
        if holder is not None and holder != me and self._r.client_list(client_id=[holder]):
            raise StorageError(f"the redis database {self.url} is already used by another database server")
        with self._r.pipeline() as pipe:  # the holder is gone: take over, unless another did
            try:
                pipe.watch(key)
                pipe.multi()
                pipe.set(key, me)
                pipe.execute()
            except Exception as exc:
                raise StorageError(f"the redis database {self.url} is already used by another database "
                                   f"server ({exc})") from exc
        self._owner = me

    def close(self):
        r = getattr(self, "_r", None)
        if r is None:
            return
        self._r = None
        try:
            if getattr(self, "_owner", None) is not None and r.get(self.p + "lock") == self._owner:
                r.delete(self.p + "lock")
        except Exception:
            pass  # redis gone: the lock goes with our connection
        r.close()

    # -- keys ----------------------------------------------------------------------------------

    def _k(self, *parts):
        return self.p + ":".join(parts)

    def _prop_key(self, kind, owner, sub):
        return self._k("prop", kind, owner.lower() + _SEP + (sub.lower() if kind in TWO_LEVEL else ""))

    def _hist_key(self, kind, owner, sub):
        return self._k("hist", kind, owner.lower() + _SEP + (sub.lower() if kind in TWO_LEVEL else ""))

    # -- devices -------------------------------------------------------------------------------

    def device(self, name):
        with self._lock:
            return _device(self._r.hgetall(self._k("dev", name.lower())))

    def device_of_alias(self, alias):
        with self._lock:
            name = self._r.get(self._k("alias", alias.lower()))
            return None if name is None else _device(self._r.hgetall(self._k("dev", name)))

    def devices(self, name="*", server="*", klass="*", host="*", alias=None, exported=None):
        with self._lock:
            if "*" not in name:
                names = [name.lower()]
            elif "*" not in server:
                names = self._r.smembers(self._k("srv", server.lower()))
            else:
                names = self._r.smembers(self._k("devs"))
            pipe = self._r.pipeline(transaction=False)
            for n in names:
                pipe.hgetall(self._k("dev", n))
            records = [_device(h) for h in pipe.execute() if h]
        out = [d for d in records
               if _matches(name, d.name) and _matches(server, d.server) and _matches(klass, d.klass)
               and _matches(host, d.host) and (alias is None or _matches(alias, d.alias) and d.alias)
               and (exported is None or d.exported == exported)]
        return sorted(out, key=lambda d: (d.name.lower(), d.name))

    # -- servers, events, attribute aliases ----------------------------------------------------

    def server_info(self, server):
        with self._lock:
            h = self._r.hgetall(self._k("srvinfo", server.lower()))
        return (h["host"], int(h["mode"]), int(h["level"])) if h else None

    def event(self, name):
        with self._lock:
            h = self._r.hgetall(self._k("event", name.lower()))
        if not h:
            return None
        return EventRecord(name=h["name"], exported=h.get("exported") == "1", ior=h.get("ior", ""),
                           host=h.get("host", ""), pid=int(h.get("pid", 0)), version=h.get("version", ""),
                           started=h.get("started"), stopped=h.get("stopped"))

    def attribute_alias(self, alias):
        with self._lock:
            return self._r.hget(self._k("attralias", alias.lower()), "name")

    def alias_of_attribute(self, name):
        with self._lock:
            alias = self._r.get(self._k("attraliasof", name.lower()))
            return None if alias is None else self._r.hget(self._k("attralias", alias), "alias")

    def attribute_aliases(self, pattern="*"):
        with self._lock:
            keys = self._r.smembers(self._k("attraliases"))
            pipe = self._r.pipeline(transaction=False)
            for a in keys:
                pipe.hget(self._k("attralias", a), "alias")
            aliases = [a for a in pipe.execute() if a is not None]
        return caseless_sorted(a for a in aliases if _matches(pattern, a))

    # -- properties ----------------------------------------------------------------------------

    def _props(self, kind, owner, sub):
        with self._lock:
            h = self._r.hgetall(self._prop_key(kind, owner, sub))
        return [json.loads(v) for v in h.values()]

    def property_values(self, kind, owner, name, sub=""):
        with self._lock:
            v = self._r.hget(self._prop_key(kind, owner, sub), name.lower())
        return [] if v is None else json.loads(v)["values"]

    def properties(self, kind, owner, sub=""):
        props = sorted(self._props(kind, owner, sub), key=lambda p: (p["name"].lower(), p["name"]))
        return {p["name"]: p["values"] for p in props}

    def property_names(self, kind, owner, pattern="*", sub=""):
        return caseless_sorted(p["name"] for p in self._props(kind, owner, sub) if _matches(pattern, p["name"]))

    def _listed(self, index_key, key_of):
        """The spellings of an index whose property hashes still exist."""
        with self._lock:
            entries = self._r.hgetall(index_key)
            pipe = self._r.pipeline(transaction=False)
            for low in entries:
                pipe.exists(key_of(low))
            alive = pipe.execute()
        return [spelt for (low, spelt), ok in zip(entries.items(), alive) if ok]

    def property_owners(self, kind, pattern="*"):
        if kind in TWO_LEVEL:  # an owner with properties on any of its attributes (pipes)
            with self._lock:
                spelt = list(self._r.hgetall(self._k("owners", kind)).values())
            owners = [o for o in spelt if self.property_subs(kind, o)]
        else:
            owners = self._listed(self._k("owners", kind), lambda low: self._prop_key(kind, low, ""))
        return caseless_sorted(o for o in owners if _matches(pattern, o))

    def property_subs(self, kind, owner, pattern="*"):
        subs = self._listed(self._k("subs", kind, owner.lower()), lambda low: self._prop_key(kind, owner, low))
        return caseless_sorted(s for s in subs if _matches(pattern, s))

    def property_history(self, kind, owner, pattern, sub=""):
        with self._lock:
            entries = [json.loads(e) for e in self._r.lrange(self._hist_key(kind, owner, sub), 0, -1)]
        entries.sort(key=lambda e: e["id"])
        return [HistoryEntry(e["sub"], e["name"], e["date"], e["values"]) for e in entries
                if _matches(pattern, e["name"])]

    def property_counts(self, kind):
        with self._lock:
            values, history = self._r.mget(self._k("valcount", kind), self._k("histcount", kind))
        return int(values or 0), int(history or 0)

    # -- writing -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self):
        with self._lock:
            tx = _Tx(self)
            try:
                yield tx
                tx.pipe.execute()
            finally:
                tx.pipe.reset()


class _Tx(Transaction):
    def __init__(self, store):
        self.s, self.r = store, store._r
        self.pipe = self.r.pipeline(transaction=True)
        self._devices = {}  # lower name -> DeviceRecord or None, as this transaction left it
        self._props = {}    # (prop key, lower name) -> values ([] for none)

    # -- devices -------------------------------------------------------------------------------

    def _current(self, name):
        low = name.lower()
        if low in self._devices:
            return self._devices[low]
        return _device(self.r.hgetall(self.s._k("dev", low)))

    def _unindex(self, d):
        low = d.name.lower()
        self.pipe.delete(self.s._k("dev", low))
        self.pipe.srem(self.s._k("devs"), low)
        self.pipe.srem(self.s._k("srv", d.server.lower()), low)
        if d.alias:
            self.pipe.delete(self.s._k("alias", d.alias.lower()))

    def put_device(self, record):
        old = self._current(record.name)
        if old is not None:
            self._unindex(old)
        low = record.name.lower()
        self.pipe.hset(self.s._k("dev", low), mapping=_encode(record))
        self.pipe.sadd(self.s._k("devs"), low)
        self.pipe.sadd(self.s._k("srv", record.server.lower()), low)
        if record.alias:
            self.pipe.set(self.s._k("alias", record.alias.lower()), low)
        self._devices[low] = DeviceRecord(**vars(record))

    def update_device(self, name, **fields):
        unknown = set(fields) - DEVICE_FIELDS
        if unknown:
            raise TypeError(f"not fields of a device: {sorted(unknown)}")
        old = self._current(name)
        if old is not None:
            self.put_device(DeviceRecord(**{**vars(old), **fields}))

    def delete_device(self, name):
        old = self._current(name)
        if old is not None:
            self._unindex(old)
        self._devices[name.lower()] = None

    # -- servers, events, aliases --------------------------------------------------------------

    def put_server_info(self, server, host, mode, level):
        self.pipe.hset(self.s._k("srvinfo", server.lower()), mapping={"host": host, "mode": mode, "level": level})

    def delete_server_info(self, server):
        self.pipe.delete(self.s._k("srvinfo", server.lower()))

    def put_event(self, record):
        key = self.s._k("event", record.name.lower())
        self.pipe.delete(key)
        self.pipe.hset(key, mapping=_encode(record))

    def update_event(self, name, **fields):
        unknown = set(fields) - EVENT_FIELDS
        if unknown:
            raise TypeError(f"not fields of an event: {sorted(unknown)}")
        key = self.s._k("event", name.lower())
        if self.r.exists(key):
            values = {k: int(v) if isinstance(v, bool) else v for k, v in fields.items() if v is not None}
            if values:
                self.pipe.hset(key, mapping=values)
            for k in (k for k, v in fields.items() if v is None):
                self.pipe.hdel(key, k)

    def put_attribute_alias(self, alias, name):
        low = alias.lower()
        previous = self.r.hget(self.s._k("attralias", low), "name")
        if previous is not None:
            self.pipe.delete(self.s._k("attraliasof", previous.lower()))
        self.pipe.hset(self.s._k("attralias", low), mapping={"alias": alias, "name": name})
        self.pipe.set(self.s._k("attraliasof", name.lower()), low)
        self.pipe.sadd(self.s._k("attraliases"), low)

    def delete_attribute_alias(self, alias):
        low = alias.lower()
        name = self.r.hget(self.s._k("attralias", low), "name")
        if name is not None:
            self.pipe.delete(self.s._k("attraliasof", name.lower()))
        self.pipe.delete(self.s._k("attralias", low))
        self.pipe.srem(self.s._k("attraliases"), low)

    # -- properties ----------------------------------------------------------------------------

    def _old_values(self, key, low):
        if (key, low) in self._props:
            return self._props[(key, low)]
        v = self.r.hget(key, low)
        return [] if v is None else json.loads(v)["values"]

    def set_property(self, kind, owner, name, values, date, sub=""):
        key, low = self.s._prop_key(kind, owner, sub), name.lower()
        values = list(values)
        old = self._old_values(key, low)
        if values:
            self.pipe.hset(key, low, json.dumps({"name": name, "values": values}))
            self.pipe.hset(self.s._k("owners", kind), owner.lower(), owner)
            if kind in TWO_LEVEL:
                self.pipe.hset(self.s._k("subs", kind, owner.lower()), sub.lower(), sub)
        else:
            self.pipe.hdel(key, low)
        self._props[(key, low)] = values
        self.pipe.incrby(self.s._k("valcount", kind), len(values) - len(old))
        hist_id = self.r.incr(self.s._k("histid", kind))  # ids only need to grow: gaps are fine
        entry = {"id": hist_id, "sub": sub if kind in TWO_LEVEL else "", "name": name, "date": date,
                 "values": values}
        self.pipe.rpush(self.s._hist_key(kind, owner, sub), json.dumps(entry))
        self.pipe.incr(self.s._k("histcount", kind))

    def delete_sub(self, kind, owner, sub):
        key = self.s._prop_key(kind, owner, sub)
        stored = {low: json.loads(v)["values"] for low, v in self.r.hgetall(key).items()}
        stored.update({low: v for (k, low), v in self._props.items() if k == key})
        self.pipe.incrby(self.s._k("valcount", kind), -sum(len(v) for v in stored.values()))
        for low in stored:
            self._props[(key, low)] = []
        self.pipe.delete(key)

    def delete_owner(self, kind, owner):
        if kind in TWO_LEVEL:
            for sub in self.r.hgetall(self.s._k("subs", kind, owner.lower())).values():
                self.delete_sub(kind, owner, sub)
        else:
            self.delete_sub(kind, owner, "")
