"""The Tango database client: ``tango.Database`` and its records.

The compiled ``_tango.Database`` is cppTango's ``Tango::Database`` (a ``Connection`` to the
database device, every call made without the GIL). This module gives its property calls the
forms PyTango accepts, made into cppTango's ``DbData`` once before the call:

- a property name (``str``), a sequence of names, a ``dict`` (its keys; on ``put``, its values),
  a ``DbDatum`` or a sequence of them (``DbData``);
- results of ``get_*_property`` as ``{name: [str, ...]}`` (attribute and pipe properties as
  ``{attr: {name: [str, ...]}}``); given a dict, that dict is filled and returned.

A property value to store is a ``str`` (one value), a sequence (one string per element) or any
other object (its ``str()``), as PyTango stores them.
"""

import collections.abc as _abc

from . import _tango
from .connection import ConnectionCommands
from ._tango import (  # noqa: F401  (re-exported: the records of the database)
    DbDatum, DbDevExportInfo, DbDevFullInfo, DbDevImportInfo, DbDevInfo, DbHistory, DbServerInfo,
)

__all__ = [
    "Database", "DbData", "DbDatum", "DbDevExportInfo", "DbDevExportInfos", "DbDevFullInfo",
    "DbDevImportInfo", "DbDevImportInfos", "DbDevInfo", "DbDevInfos", "DbHistory", "DbHistoryList",
    "DbServerInfo", "DbServerData",
]


class DbData(list):
    """A list of ``DbDatum``: the properties of one call."""

    def __bool__(self):
        """True when it holds at least one DbDatum."""
        return len(self) > 0

    def __str__(self):
        # PyTango's text of its compiled lists: the items' repr, in brackets
        return f"[{', '.join(map(repr, self))}]"


class DbDevInfos(list):
    """A list of ``DbDevInfo``."""


class DbDevExportInfos(list):
    """A list of ``DbDevExportInfo``."""


class DbDevImportInfos(list):
    """A list of ``DbDevImportInfo``."""


class DbHistoryList(list):
    """A list of ``DbHistory``."""


def _is_seq(value):
    return isinstance(value, _abc.Sequence) and not isinstance(value, (str, bytes))


def _values(value):
    """A property value as the strings the database stores."""
    if isinstance(value, DbDatum):
        return list(value.value_string)
    if isinstance(value, (str, bytes)):
        return [value.decode("latin-1") if isinstance(value, bytes) else value]
    if isinstance(value, _abc.Iterable) and not isinstance(value, _abc.Mapping):
        return [str(v) for v in value]
    return [str(value)]


def _names(value):
    """What to get or delete, as DbDatum names (their values, if any, are kept)."""
    if isinstance(value, DbDatum):
        return [value]
    if isinstance(value, str):
        return [DbDatum(value)]
    if isinstance(value, _abc.Mapping):  # the keys, or a DbDatum value's own name
        return [v if isinstance(v, DbDatum) else DbDatum(str(k)) for k, v in value.items()]
    if isinstance(value, _abc.Iterable):
        out = []
        for item in value:
            if isinstance(item, DbDatum):
                out.append(item)
            elif isinstance(item, str):
                out.append(DbDatum(item))
            else:
                raise TypeError(f"a property name must be a str or a DbDatum, not {type(item).__name__}")
        return out
    raise TypeError(f"properties are named by a str, a sequence, a dict or a DbDatum, not {type(value).__name__}")


def _to_put(value):
    """What to store: DbDatum / DbData as they are, a dict as name -> value(s)."""
    if isinstance(value, DbDatum):
        return [value]
    if isinstance(value, _abc.Mapping):
        # a DbDatum value keeps its own name (PyTango's rule: the key is not read then)
        return [v if isinstance(v, DbDatum) else DbDatum(str(k), _values(v)) for k, v in value.items()]
    if isinstance(value, _abc.Iterable) and not isinstance(value, (str, bytes)):
        items = list(value)
        if all(isinstance(d, DbDatum) for d in items):
            return items
    raise TypeError("properties to store are a dict {name: value}, a DbDatum or a sequence of DbDatum")


def _as_dict(data, into=None):
    out = {} if into is None else into
    for datum in data:
        out[datum.name] = list(datum.value_string)
    return out


def _attr_names(value):
    """Attribute (or pipe) names of a get: str, sequence, dict keys or DbDatum names."""
    return [DbDatum(d.name) for d in _names(value)]


def _nested_dict(data, into=None):
    """cppTango's attribute-property layout (attribute datum holding the count, then that many
    property datums) as {attr: {prop: [str]}}."""
    out = {} if into is None else into
    i = 0
    while i < len(data):
        attr = data[i]
        count = int(attr.value_string[0]) if attr.value_string else 0
        props = {}
        for datum in data[i + 1:i + 1 + count]:
            props[datum.name] = list(datum.value_string)
        out[attr.name] = props
        i += 1 + count
    return out


def _nested_put(value):
    if isinstance(value, _abc.Mapping):
        data = []
        for attr, props in value.items():
            if not isinstance(props, _abc.Mapping):
                raise TypeError(f"the properties of {attr!r} must be a dict {{name: value}}")
            data.append(DbDatum(str(attr), [str(len(props))]))
            data.extend(DbDatum(str(k), _values(v)) for k, v in props.items())
        return data
    return _to_put(value)


def _nested_delete(value):
    """{attr: [prop, ...]} as one DbData per attribute (cppTango deletes one attribute's
    properties per request: the attribute's name, then the property names)."""
    if isinstance(value, _abc.Mapping):
        out = []
        for attr, props in value.items():
            props = [props] if isinstance(props, str) else list(props)
            out.append([DbDatum(str(attr))] + [DbDatum(str(p)) for p in props])
        return out
    return [_to_put(value) if not isinstance(value, (str,)) else [DbDatum(value)]]


def _plain_get(getter, by_names=None):
    """The get of PyTango's forms; ``by_names`` (the compiled path from names to a dict) takes
    the common ones, a str or a list or tuple of str."""

    def get(self, name, value=None):
        if value is None:  # get_property(obj) is not a thing; (obj, names) is
            raise TypeError("give the property names (str, sequence, dict or DbDatum)")
        if by_names is not None:
            if type(value) is str:
                return by_names(self, name, (value,))
            if type(value) in (list, tuple) and all(type(v) is str for v in value):
                return by_names(self, name, value)
        filled = getter(self, name, _names(value))
        if isinstance(value, DbData):
            value[:] = filled
            return value
        return _as_dict(filled, value if isinstance(value, dict) else None)

    get.__name__ = getter.__name__.lstrip("_")
    get.__doc__ = "The properties named by ``value`` of ``name``, as {name: [str, ...]}."
    return get


def _nested_get(getter):
    def get(self, name, value):
        filled = getter(self, name, _attr_names(value))
        return _nested_dict(filled, value if isinstance(value, dict) else None)

    get.__name__ = getter.__name__.lstrip("_")
    get.__doc__ = "The properties of the attributes (or pipes) named by ``value``, as {attr: {prop: [str]}}."
    return get


def _plain_put(putter):
    def put(self, name, value):
        putter(self, name, _to_put(value))

    put.__name__ = putter.__name__.lstrip("_")
    return put


def _plain_delete(deleter):
    def delete(self, name, value):
        deleter(self, name, _names(value))

    delete.__name__ = deleter.__name__.lstrip("_")
    return delete


def _nested_put_fn(putter):
    def put(self, name, value):
        putter(self, name, _nested_put(value))

    put.__name__ = putter.__name__.lstrip("_")
    return put


def _nested_delete_fn(deleter):
    def delete(self, name, value):
        for data in _nested_delete(value):
            deleter(self, name, data)

    delete.__name__ = deleter.__name__.lstrip("_")
    return delete


_C = _tango.Database


class Database(ConnectionCommands, _tango.Database):
    """A client of the Tango database: ``Database()`` (from ``TANGO_HOST``), ``Database(host,
    port)``, or ``Database(filename)`` for a file database."""

    def __init__(self, *args):
        if len(args) == 2:
            super().__init__(str(args[0]), int(args[1]))
        else:
            super().__init__(*args)

    # free (object) properties
    get_property = _plain_get(_C._get_property, _C._get_property_by_names)
    get_property_forced = _plain_get(_C._get_property_forced)
    put_property = _plain_put(_C._put_property)
    delete_property = _plain_delete(_C._delete_property)
    # device properties
    get_device_property = _plain_get(_C._get_device_property, _C._get_device_property_by_names)
    put_device_property = _plain_put(_C._put_device_property)
    delete_device_property = _plain_delete(_C._delete_device_property)
    get_device_attribute_property = _nested_get(_C._get_device_attribute_property)
    put_device_attribute_property = _nested_put_fn(_C._put_device_attribute_property)
    delete_device_attribute_property = _nested_delete_fn(_C._delete_device_attribute_property)
    get_device_pipe_property = _nested_get(_C._get_device_pipe_property)
    put_device_pipe_property = _nested_put_fn(_C._put_device_pipe_property)
    delete_device_pipe_property = _nested_delete_fn(_C._delete_device_pipe_property)
    # class properties
    get_class_property = _plain_get(_C._get_class_property, _C._get_class_property_by_names)
    put_class_property = _plain_put(_C._put_class_property)
    delete_class_property = _plain_delete(_C._delete_class_property)
    get_class_attribute_property = _nested_get(_C._get_class_attribute_property)
    put_class_attribute_property = _nested_put_fn(_C._put_class_attribute_property)
    delete_class_attribute_property = _nested_delete_fn(_C._delete_class_attribute_property)
    get_class_pipe_property = _nested_get(_C._get_class_pipe_property)
    put_class_pipe_property = _nested_put_fn(_C._put_class_pipe_property)
    delete_class_pipe_property = _nested_delete_fn(_C._delete_class_pipe_property)

    # PyTango's older spellings of the alias look-ups
    def get_alias(self, dev_name):
        """The alias of a device (deprecated: get_alias_from_device)."""
        return self.get_alias_from_device(dev_name)

    def get_device_alias(self, alias):
        """The device of an alias (deprecated: get_device_from_alias)."""
        return self.get_device_from_alias(alias)

    def get_attribute_alias(self, alias):
        """The attribute of an alias (deprecated: get_attribute_from_alias)."""
        return self.get_attribute_from_alias(alias)

    def add_server(self, servname, dev_info):
        """Register a server with its devices (a DbDevInfo or a sequence of them)."""
        infos = [dev_info] if isinstance(dev_info, DbDevInfo) else list(dev_info)
        super().add_server(servname, infos)

    def export_server(self, dev_info):
        """Export the devices of a server (a DbDevExportInfo or a sequence of them)."""
        infos = [dev_info] if isinstance(dev_info, DbDevExportInfo) else list(dev_info)
        super().export_server(infos)

    def __repr__(self):
        return f"Database({self.get_db_host()!r}, {self.get_db_port()!r})"

    __str__ = __repr__

    # -- pickling: a Database travels as where it connects to ------------------------------------

    def __getstate__(self):
        """``(host, port)`` (strings, as PyTango gives them) of the database server; a file
        database gives ``(file_name,)``."""
        if not self.get_db_host():
            return (self.get_file_name(),)
        return (self.get_db_host(), self.get_db_port())

    def __setstate__(self, state):
        """Connect an instance made by ``Database.__new__`` to the database that ``state`` (a
        ``__getstate__`` result) names: ``(host, port)``, ``(file_name,)``, or ``()`` for the
        database of TANGO_HOST."""
        if not isinstance(state, (tuple, list)) or len(state) > 2:
            raise ValueError(f"a Database state is (host, port), (file_name,) or (), not {state!r}")
        Database.__init__(self, *state)

    def __reduce__(self):
        return (Database, self.__getstate__())

    # -- the database server ---------------------------------------------------------------------

    def build_connection(self):
        """(Re)build the connection to the database server now, as cppTango does when a
        Database is made: DevFailed (ConnectionFailed) when it does not answer. A file database
        has no server: nothing to do."""
        host = self.get_db_host()
        if not host:
            return
        self.connect(f"corbaloc:iiop:{host}:{self.get_db_port()}/database")
        self.__dict__.pop("_server_release", None)  # asked again of the server found now

    def get_server_release(self):
        """The release of the database server's interface, as cppTango tells it: 400 when the
        server has the DbDeleteAllDeviceAttributeProperty command, else 230 when it has
        DbGetDeviceAttributeProperty2, else 210; 230 for a file database. Asked of the server
        once (DevFailed when it cannot be reached), then kept."""
        release = self.__dict__.get("_server_release")
        if release is None:
            release = self.__dict__["_server_release"] = self._ask_server_release()
        return release

    def _ask_server_release(self):
        if not self.get_db_host():
            return 230
        from .device_proxy import DeviceProxy
        from .errors import DevFailed

        server = DeviceProxy(f"tango://{self.get_db_host()}:{self.get_db_port()}/{self.dev_name()}")
        for command, release in (("DbDeleteAllDeviceAttributeProperty", 400),
                                 ("DbGetDeviceAttributeProperty2", 230)):
            try:
                server.command_query(command)
                return release
            except DevFailed as exc:
                if exc.args[0].reason != "API_CommandNotFound":
                    raise
        return 210

    def get_service_list(self, filter=".*"):
        """The services registered in this database (``register_service``) as
        ``{"service/instance": device_name}``, those whose ``service/instance`` matches the
        regular expression ``filter`` at its start (``re.match``); all by default."""
        import re

        try:
            pattern = re.compile(filter)
        except (TypeError, re.error) as exc:
            raise ValueError(f"filter must be a regular expression, not {filter!r}: {exc}") from None
        services = {}
        for entry in self.get_property("CtrlSystem", "Services").get("Services", ()):
            name, sep, device = entry.partition(":")
            if sep and pattern.match(name) is not None:
                services[name] = device
        return services


# Util.get_database() (compiled) returns this class: it is handed over once, here.
_tango._set_database_class(Database)

_databases = {}


def database_at(host, port):
    """The Database of (host, port), made once per process and shared (as cppTango's ApiUtil
    shares its database connections between the proxies of one TANGO_HOST)."""
    key = (str(host), int(port))
    db = _databases.get(key)
    if db is None:
        db = _databases.setdefault(key, Database(*key))
    return db


class DbServerData:
    """A server's whole record (its devices, their classes and properties), as read from one
    database, to be put into another: ``DbServerData(name, db)``, then ``put_in_database(db2)``,
    ``already_exist_in_database(db2)``, ``remove(db)``."""

    def __init__(self, name, db):
        self.name = name
        classes = db.get_server_class_list(name)
        self.classes = {}
        for cls in classes:
            devices = list(db.get_device_name(name, cls))
            dev_props = {}
            for dev in devices:
                names = list(db.get_device_property_list(dev, "*"))
                dev_props[dev] = db.get_device_property(dev, names) if names else {}
            cls_names = list(db.get_class_property_list(cls))
            self.classes[cls] = {
                "devices": devices,
                "device_properties": dev_props,
                "class_properties": db.get_class_property(cls, cls_names) if cls_names else {},
            }

    def get_name(self):
        return self.name

    def already_exist_in_database(self, db):
        """True when any device of this server is defined in ``db``."""
        for info in self.classes.values():
            for dev in info["devices"]:
                try:
                    db.get_device_info(dev)
                    return True
                except _tango_devfailed():
                    continue
        return False

    def put_in_database(self, db):
        for cls, info in self.classes.items():
            db.add_server(self.name, [DbDevInfo(d, cls, self.name) for d in info["devices"]])
            if info["class_properties"]:
                db.put_class_property(cls, info["class_properties"])
            for dev, props in info["device_properties"].items():
                if props:
                    db.put_device_property(dev, props)

    def remove(self, db=None):
        if db is not None:
            db.delete_server(self.name)


def _tango_devfailed():
    from .errors import DevFailed

    return DevFailed
