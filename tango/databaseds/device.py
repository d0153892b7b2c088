"""The DataBase device (class DataBase, sys/database/N): the DataBaseds command interface, as
cppTango's Database client, tango_admin and cppTango's servers send it. Each command parses its
packed argument, runs its queries on the storage (one transaction for what it writes) and packs
the answer in the C++ DataBaseds's layout; names are matched without regard to case and ``*``
is the wildcard."""

import datetime
import os
import time

from .. import CmdArgType, DevState
from ..server import Device, command
from . import properties as props
from .errors import (DB_AliasNotDefined, DB_DeviceNotDefined, DB_IncorrectArguments,
                     DB_IncorrectDeviceName, DB_IncorrectServerName, DB_NotSupported, DB_SQLError,
                     throw)
from .properties import PropertyTable, like, now

S = [str]
LS = CmdArgType.DevVarLongStringArray
_ESC = " ESCAPE '\\'"


def _split_device(name, origin):
    """domain, family, member of a device name (an optional tango://host:port/ dropped)."""
    bare = name.split("://", 1)[1].split("/", 1)[1] if "://" in name else name
    parts = bare.split("/")
    if len(parts) != 3 or not all(parts):
        throw(DB_IncorrectDeviceName, f"device name ({name}) syntax error (should be "
              "[tango:][//instance/]domain/family/member)", origin)
    return bare, parts


def _human_date(iso):
    """The date as the C++ DataBaseds writes it in DbGetDeviceInfo: 2nd December 2026 at ..."""
    if not iso:
        return "?"
    d = datetime.datetime.strptime(iso, "%Y-%m-%d %H:%M:%S")
    suffix = "th" if 10 < d.day % 100 < 14 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
    return f"{d.day}{suffix} {d.strftime('%B %Y at %H:%M:%S')}"


class DataBase(Device):
    """A Tango database server's device: its storage is given by the entry point."""

    store = None  # the Storage (tango.databaseds.storage), set before the server starts

    def init_device(self):
        super().init_device()
        s = type(self).store
        self.db = s
        self.free = PropertyTable(s, "property", "object")
        self.dev_props = PropertyTable(s, "property_device", "device")
        self.class_props = PropertyTable(s, "property_class", "class", missing=())
        self.dev_attr = PropertyTable(s, "property_attribute_device", "device", "attribute")
        self.class_attr = PropertyTable(s, "property_attribute_class", "class", "attribute")
        self.dev_pipe = PropertyTable(s, "property_pipe_device", "device", "pipe")
        self.class_pipe = PropertyTable(s, "property_pipe_class", "class", "pipe")
        self._started = time.strftime("%Y-%m-%d %H:%M:%S")
        self.set_state(DevState.ON)

    # -- small helpers -------------------------------------------------------------------------

    def _list(self, sql, *params):
        return [r[0] for r in self.db.read(sql, params)]

    def _device_row(self, name, columns, origin):
        # a name without '/' is an alias (cppTango imports a proxy made by alias by its alias)
        column = "alias" if "/" not in name else "name"
        rows = self.db.read(f"SELECT {columns} FROM device WHERE {column} = ?", (name,))
        if not rows:
            throw(DB_DeviceNotDefined, f"device {name} not defined in the database !", origin)
        return rows[0]

    def _add_device(self, tx, server, name, klass, origin):
        bare, (domain, family, member) = _split_device(name, origin)
        tx.execute("DELETE FROM device WHERE name = ?", (bare,))
        tx.execute("INSERT INTO device (name, domain, family, member, exported, ior, host, server, "
                   "pid, class, version) VALUES (?, ?, ?, ?, 0, 'nada', 'nada', ?, 0, ?, '0')",
                   (bare, domain, family, member, server, klass))

    def _add_dserver(self, tx, server):
        name = f"dserver/{server}"
        if not tx.execute("SELECT 1 FROM device WHERE name = ?", (name,)):
            self._add_device(tx, server, name, "DServer", "DataBase::AddServer()")

    # -- servers and devices -------------------------------------------------------------------

    @command(dtype_in=S)
    def DbAddServer(self, argin):
        if len(argin) < 3 or len(argin) % 2 == 0:
            throw(DB_IncorrectArguments, "incorrect no. of input arguments, needs at least 3 "
                  "(server,device,class)", "DataBase::AddServer()")
        server = argin[0]
        with self.db.transaction() as tx:
            for name, klass in zip(argin[1::2], argin[2::2]):
                self._add_device(tx, server, name, klass, "DataBase::AddServer()")
            self._add_dserver(tx, server)

    @command(dtype_in=S)
    def DbAddDevice(self, argin):
        if len(argin) < 3:
            throw(DB_IncorrectArguments, "incorrect no. of input arguments, needs at least 3 "
                  "(server,device,class)", "DataBase::AddDevice()")
        with self.db.transaction() as tx:
            self._add_device(tx, argin[0], argin[1], argin[2], "DataBase::AddDevice()")
            self._add_dserver(tx, argin[0])

    @command(dtype_in=str)
    def DbDeleteDevice(self, name):
        bare, _ = _split_device(name, "DataBase::DeleteDevice()")
        with self.db.transaction() as tx:
            self._delete_devices(tx, [bare])

    def _delete_devices(self, tx, names):
        for name in names:
            tx.execute("DELETE FROM device WHERE name = ?", (name,))
            for table in ("property_device", "property_attribute_device", "property_pipe_device"):
                tx.execute(f"DELETE FROM {table} WHERE device = ?", (name,))

    @command(dtype_in=str)
    def DbDeleteServer(self, server):
        if "*" in server or "/" not in server:
            throw(DB_IncorrectServerName, f"server name ({server}) syntax error",
                  "DataBase::db_delete_server()")
        with self.db.transaction() as tx:
            names = [r[0] for r in tx.execute("SELECT name FROM device WHERE server = ?", (server,))]
            if not names:
                throw(DB_IncorrectServerName, f"Server {server} not defined in database !",
                      "DataBase::db_delete_server()")
            self._delete_devices(tx, names)

    @command(dtype_in=S)
    def DbRenameServer(self, argin):
        if len(argin) != 2:
            throw(DB_IncorrectArguments, "incorrect no. of input arguments, needs 2 (old, new)",
                  "DataBase::DbRenameServer()")
        old, new = argin
        with self.db.transaction() as tx:
            if tx.execute("SELECT 1 FROM device WHERE server = ?", (new,)):
                throw(DB_SQLError, f"Device server process name {new} is already used !",
                      "DataBase::DbRenameServer()")
            tx.execute("UPDATE device SET server = ? WHERE server = ?", (new, old))
            tx.execute("UPDATE device SET name = ?, family = ?, member = ? WHERE name = ?",
                       (f"dserver/{new}", *new.split("/", 1), f"dserver/{old}"))

    @command(dtype_in=S)
    def DbExportDevice(self, argin):
        if len(argin) < 5:
            throw(DB_IncorrectArguments, "Insufficient export info for device",
                  "DataBase::DbExportDevice()")
        name, ior, host, pid, version = argin[:5]
        pid = 0 if pid.lower() == "null" else int(pid) if pid.lstrip("-").isdigit() else 0
        with self.db.transaction() as tx:
            if not tx.execute("SELECT 1 FROM device WHERE name = ?", (name,)):
                throw(DB_DeviceNotDefined, f"device {name} not defined in the database !",
                      "DataBase::ExportDevice()")
            tx.execute("UPDATE device SET exported = 1, ior = ?, host = ?, pid = ?, version = ?, "
                       "started = ? WHERE name = ?", (ior, host, pid, version, now(), name))

    @command(dtype_in=str)
    def DbUnExportDevice(self, name):
        with self.db.transaction() as tx:
            tx.execute("UPDATE device SET exported = 0, stopped = ? WHERE name = ?", (now(), name))

    @command(dtype_in=str)
    def DbUnExportServer(self, server):
        with self.db.transaction() as tx:
            tx.execute("UPDATE device SET exported = 0, stopped = ? WHERE server = ?",
                       (now(), server))

    @command(dtype_in=str, dtype_out=LS)
    def DbImportDevice(self, name):
        row = self._device_row(name, "exported, pid, name, ior, version, server, host, class",
                               "DataBase::ImportDevice()")
        # the name as asked, in lower case, as the C++ server answers (an alias: its device's)
        device = name.lower() if "/" in name else row[2].lower()
        return [row[0] or 0, row[1] or 0], [device] + [str(v) if v is not None else "" for v in row[3:]]

    @command(dtype_in=str, dtype_out=LS)
    def DbGetDeviceInfo(self, name):
        row = self._device_row(
            name, "exported, pid, name, ior, version, server, host, started, stopped, class",
            "DataBase::GetDeviceInfo()")
        strings = [name.lower()] + [str(v) if v is not None else "" for v in row[3:7]]
        return [row[0] or 0, row[1] or 0], strings + [_human_date(row[7]), _human_date(row[8]), row[9]]

    @command(dtype_in=S, dtype_out=S)
    def DbGetDeviceList(self, argin):
        if len(argin) != 2:
            throw(DB_IncorrectArguments, "incorrect no. of input arguments, needs 2 (server,class)",
                  "DataBase::GetDeviceList()")
        return self._list("SELECT DISTINCT name FROM device WHERE server LIKE ?" + _ESC +
                          " AND class LIKE ?" + _ESC + " ORDER BY name", like(argin[0]), like(argin[1]))

    @command(dtype_in=str, dtype_out=S)
    def DbGetDeviceWideList(self, pattern):
        return self._list("SELECT DISTINCT name FROM device WHERE name LIKE ?" + _ESC +
                          " ORDER BY name", like(pattern))

    @command(dtype_in=str, dtype_out=S)
    def DbGetDeviceExportedList(self, pattern):
        return self._list("SELECT DISTINCT name FROM device WHERE name LIKE ?" + _ESC +
                          " AND exported = 1 ORDER BY name", like(pattern))

    @command(dtype_in=str, dtype_out=S)
    def DbGetExportdDeviceListForClass(self, klass):
        return self._list("SELECT DISTINCT name FROM device WHERE class LIKE ?" + _ESC +
                          " AND exported = 1 ORDER BY name", like(klass))

    def _field_list(self, field, pattern, depth):
        parts = pattern.split("/")
        if len(parts) < depth:
            parts += ["*"] * (depth - len(parts))
        return self._list(f"SELECT DISTINCT {field} FROM device WHERE name LIKE ?" + _ESC +
                          f" ORDER BY {field}", like("/".join(parts[:depth]) +
                                                     ("/*" * (3 - depth))))

    @command(dtype_in=str, dtype_out=S)
    def DbGetDeviceDomainList(self, pattern):
        return self._field_list("domain", pattern, 1)

    @command(dtype_in=str, dtype_out=S)
    def DbGetDeviceFamilyList(self, pattern):
        return self._field_list("family", pattern, 2)

    @command(dtype_in=str, dtype_out=S)
    def DbGetDeviceMemberList(self, pattern):
        return self._field_list("member", pattern, 3)

    @command(dtype_in=str, dtype_out=S)
    def DbGetDeviceClassList(self, server):
        out = []
        for name, klass in self.db.read("SELECT name, class FROM device WHERE server = ? "
                                        "ORDER BY name", (server,)):
            out += [name, klass]
        return out

    @command(dtype_in=str, dtype_out=S)
    def DbGetDeviceServerClassList(self, server):
        return self._list("SELECT DISTINCT class FROM device WHERE server LIKE ?" + _ESC +
                          " ORDER BY class", like(server))

    @command(dtype_in=str, dtype_out=S)
    def DbGetClassList(self, pattern):
        return self._list("SELECT DISTINCT class FROM device WHERE class LIKE ?" + _ESC +
                          " ORDER BY class", like(pattern))

    @command(dtype_in=str, dtype_out=str)
    def DbGetClassForDevice(self, name):
        rows = self._list("SELECT class FROM device WHERE name = ?", name)
        if not rows:
            throw(DB_IncorrectArguments, f"Class not found for {name}",
                  "DataBase::db_get_class_for_device()")
        return rows[0]

    @command(dtype_in=str, dtype_out=S)
    def DbGetClassInheritanceForDevice(self, name):
        klass = self.DbGetClassForDevice(name)
        return [klass] + self.class_props.values(klass, "InheritedFrom")

    @command(dtype_in=str, dtype_out=S)
    def DbGetServerList(self, pattern):
        return self._list("SELECT DISTINCT server FROM device WHERE server LIKE ?" + _ESC +
                          " ORDER BY server", like(pattern))

    @command(dtype_in=str, dtype_out=S)
    def DbGetServerNameList(self, pattern):
        servers = self._list("SELECT DISTINCT server FROM device WHERE server LIKE ?" + _ESC,
                             like(pattern + "/*"))
        return sorted({s.split("/")[0] for s in servers}, key=str.lower)

    @command(dtype_in=str, dtype_out=S)
    def DbGetInstanceNameList(self, exec_name):
        servers = self._list("SELECT DISTINCT server FROM device WHERE server LIKE ?" + _ESC,
                             like(exec_name + "/*"))
        return sorted({s.split("/", 1)[1] for s in servers}, key=str.lower)

    @command(dtype_in=str, dtype_out=S)
    def DbGetHostList(self, pattern):
        return self._list("SELECT DISTINCT host FROM device WHERE host LIKE ?" + _ESC +
                          " ORDER BY host", like(pattern))

    @command(dtype_in=str, dtype_out=S)
    def DbGetHostServerList(self, host):
        return self._list("SELECT DISTINCT server FROM device WHERE host LIKE ?" + _ESC +
                          " AND class = 'DServer' ORDER BY server", like(host))

    @command(dtype_in=str, dtype_out=S)
    def DbGetHostServersInfo(self, host):
        out = []
        for server in self.DbGetHostServerList(host):
            out += [server, *self.DbGetServerInfo(server)[2:]]
        return out

    @command(dtype_in=str, dtype_out=S)
    def DbGetServerInfo(self, server):
        rows = self.db.read("SELECT host, mode, level FROM server WHERE name = ?", (server,))
        if not rows:
            return [server, " ", " ", " "]
        return [server, *(str(v) for v in rows[0])]

    @command(dtype_in=S)
    def DbPutServerInfo(self, argin):
        if len(argin) < 4:
            throw(DB_IncorrectArguments, "incorrect no. of input arguments, needs 4 "
                  "(server,host,mode,level)", "DataBase::DbPutServerInfo()")
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM server WHERE name = ?", (argin[0],))
            tx.execute("INSERT INTO server (name, host, mode, level) VALUES (?, ?, ?, ?)",
                       tuple(argin[:4]))

    @command(dtype_in=str)
    def DbDeleteServerInfo(self, server):
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM server WHERE name = ?", (server,))

    # -- device, class and free properties -----------------------------------------------------

    @command(dtype_in=S, dtype_out=S)
    def DbGetDeviceProperty(self, argin):
        return self.dev_props.get(self._owner(argin, "DbGetDeviceProperty"))

    @command(dtype_in=S)
    def DbPutDeviceProperty(self, argin):
        self.dev_props.put(*props.unpack(argin, "DataBase::DbPutDeviceProperty()"))

    @command(dtype_in=S)
    def DbDeleteDeviceProperty(self, argin):
        self.dev_props.delete(self._owner(argin, "DbDeleteDeviceProperty")[0], argin[1:])

    @command(dtype_in=S, dtype_out=S)
    def DbGetDevicePropertyList(self, argin):
        return self.dev_props.names(argin[0], *self._pattern(argin, "DbGetDevicePropertyList"))

    @command(dtype_in=S, dtype_out=S)
    def DbGetDevicePropertyHist(self, argin):
        return self.dev_props.history(*self._two(argin, "DbGetDevicePropertyHist"))

    @command(dtype_in=S, dtype_out=S)
    def DbGetClassProperty(self, argin):
        return self.class_props.get(self._owner(argin, "DbGetClassProperty"))

    @command(dtype_in=S)
    def DbPutClassProperty(self, argin):
        self.class_props.put(*props.unpack(argin, "DataBase::DbPutClassProperty()"))

    @command(dtype_in=S)
    def DbDeleteClassProperty(self, argin):
        self.class_props.delete(self._owner(argin, "DbDeleteClassProperty")[0], argin[1:])

    @command(dtype_in=str, dtype_out=S)
    def DbGetClassPropertyList(self, klass):
        return self.class_props.names(klass)

    @command(dtype_in=S, dtype_out=S)
    def DbGetClassPropertyHist(self, argin):
        return self.class_props.history(*self._two(argin, "DbGetClassPropertyHist"))

    @command(dtype_in=S, dtype_out=S)
    def DbGetProperty(self, argin):
        return self.free.get(self._owner(argin, "DbGetProperty"))

    @command(dtype_in=S)
    def DbPutProperty(self, argin):
        self.free.put(*props.unpack(argin, "DataBase::DbPutProperty()"))

    @command(dtype_in=S)
    def DbDeleteProperty(self, argin):
        self.free.delete(self._owner(argin, "DbDeleteProperty")[0], argin[1:])

    @command(dtype_in=S, dtype_out=S)
    def DbGetPropertyList(self, argin):
        return self.free.names(argin[0], *self._pattern(argin, "DbGetPropertyList"))

    @command(dtype_in=S, dtype_out=S)
    def DbGetPropertyHist(self, argin):
        return self.free.history(*self._two(argin, "DbGetPropertyHist"))

    @command(dtype_in=str, dtype_out=S)
    def DbGetObjectList(self, pattern):
        return self.free.owners(pattern)

    @staticmethod
    def _owner(argin, cmd):
        if len(argin) < 1:
            throw(DB_IncorrectArguments, "insufficient number of arguments", f"DataBase::{cmd}()")
        return argin

    @staticmethod
    def _pattern(argin, cmd):
        if len(argin) < 1:
            throw(DB_IncorrectArguments, "insufficient number of arguments", f"DataBase::{cmd}()")
        return argin[1:2] or ["*"]

    @staticmethod
    def _two(argin, cmd):
        if len(argin) != 2:
            throw(DB_IncorrectArguments, "incorrect no. of input arguments, needs 2",
                  f"DataBase::{cmd}()")
        return argin

    # -- attribute and pipe properties ---------------------------------------------------------

    @command(dtype_in=S, dtype_out=S)
    def DbGetDeviceAttributeProperty2(self, argin):
        return self.dev_attr.get2(self._owner(argin, "DbGetDeviceAttributeProperty2"))

    @command(dtype_in=S, dtype_out=S)
    def DbGetDeviceAttributeProperty(self, argin):
        return self.dev_attr.get2(self._owner(argin, "DbGetDeviceAttributeProperty"), False)

    @command(dtype_in=S)
    def DbPutDeviceAttributeProperty2(self, argin):
        self.dev_attr.put2(*props.unpack2(argin, "DataBase::DbPutDeviceAttributeProperty2()"))

    @command(dtype_in=S)
    def DbPutDeviceAttributeProperty(self, argin):
        self.dev_attr.put2(*self._old_put(argin, "DbPutDeviceAttributeProperty"))

    @command(dtype_in=S)
    def DbDeleteDeviceAttributeProperty(self, argin):
        if len(argin) < 3:
            throw(DB_IncorrectArguments, "insufficient number of arguments to delete device "
                  "attribute property", "DataBase::DeleteDeviceAttributeProperty()")
        self.dev_attr.delete(argin[0], argin[2:], sub=argin[1])

    @command(dtype_in=S)
    def DbDeleteDeviceAttribute(self, argin):
        self.dev_attr.delete_subs(self._two(argin, "DbDeleteDeviceAttribute")[0], argin[1:])

    @command(dtype_in=S)
    def DbDeleteAllDeviceAttributeProperty(self, argin):
        owner = self._owner(argin, "DbDeleteAllDeviceAttributeProperty")[0]
        self.dev_attr.delete_subs(owner, argin[1:])

    @command(dtype_in=S, dtype_out=S)
    def DbGetDeviceAttributeList(self, argin):
        return self.dev_attr.sub_names(argin[0], *self._pattern(argin, "DbGetDeviceAttributeList"))

    @command(dtype_in=S, dtype_out=S)
    def DbGetDeviceAttributePropertyHist(self, argin):
        if len(argin) != 3:
            throw(DB_IncorrectArguments, "incorrect no. of input arguments, needs 3",
                  "DataBase::DbGetDeviceAttributePropertyHist()")
        return self.dev_attr.history(argin[0], argin[2], sub=argin[1])

    @command(dtype_in=S, dtype_out=S)
    def DbGetClassAttributeProperty2(self, argin):
        return self.class_attr.get2(self._owner(argin, "DbGetClassAttributeProperty2"))

    @command(dtype_in=S, dtype_out=S)
    def DbGetClassAttributeProperty(self, argin):
        return self.class_attr.get2(self._owner(argin, "DbGetClassAttributeProperty"), False)

    @command(dtype_in=S)
    def DbPutClassAttributeProperty2(self, argin):
        self.class_attr.put2(*props.unpack2(argin, "DataBase::DbPutClassAttributeProperty2()"))

    @command(dtype_in=S)
    def DbPutClassAttributeProperty(self, argin):
        self.class_attr.put2(*self._old_put(argin, "DbPutClassAttributeProperty"))

    @command(dtype_in=S)
    def DbDeleteClassAttributeProperty(self, argin):
        if len(argin) < 3:
            throw(DB_IncorrectArguments, "insufficient number of arguments to delete class "
                  "attribute property", "DataBase::DeleteClassAttributeProperty()")
        self.class_attr.delete(argin[0], argin[2:], sub=argin[1])

    @command(dtype_in=S)
    def DbDeleteClassAttribute(self, argin):
        self.class_attr.delete_subs(self._two(argin, "DbDeleteClassAttribute")[0], argin[1:])

    @command(dtype_in=S, dtype_out=S)
    def DbGetClassAttributeList(self, argin):
        return self.class_attr.sub_names(argin[0], *self._pattern(argin, "DbGetClassAttributeList"))

    @command(dtype_in=S, dtype_out=S)
    def DbGetClassAttributePropertyHist(self, argin):
        if len(argin) != 3:
            throw(DB_IncorrectArguments, "incorrect no. of input arguments, needs 3",
                  "DataBase::DbGetClassAttributePropertyHist()")
        return self.class_attr.history(argin[0], argin[2], sub=argin[1])

    @staticmethod
    def _old_put(argin, cmd):
        """The old attribute put layout: [owner, n_att, att, n_props, name, value, ...]."""
        origin = f"DataBase::{cmd}()"
        if len(argin) < 2:
            throw(DB_IncorrectArguments, "insufficient number of arguments", origin)
        i, subs = 2, []
        for _ in range(props._int(argin[1], origin)):
            (sub, n), i = props._take(argin, i, 2, origin)
            pairs, i = props._take(argin, i, 2 * props._int(n, origin), origin)
            subs.append((sub, [(k, [v]) for k, v in zip(pairs[::2], pairs[1::2])]))
        return argin[0], subs

    @command(dtype_in=S, dtype_out=S)
    def DbGetDevicePipeProperty(self, argin):
        return self.dev_pipe.get2(self._owner(argin, "DbGetDevicePipeProperty"))

    @command(dtype_in=S)
    def DbPutDevicePipeProperty(self, argin):
        self.dev_pipe.put2(*props.unpack2(argin, "DataBase::DbPutDevicePipeProperty()"))

    @command(dtype_in=S)
    def DbDeleteDevicePipeProperty(self, argin):
        if len(argin) < 3:
            throw(DB_IncorrectArguments, "insufficient number of arguments",
                  "DataBase::DbDeleteDevicePipeProperty()")
        self.dev_pipe.delete(argin[0], argin[2:], sub=argin[1])

    @command(dtype_in=S)
    def DbDeleteDevicePipe(self, argin):
        self.dev_pipe.delete_subs(self._two(argin, "DbDeleteDevicePipe")[0], argin[1:])

    @command(dtype_in=S)
    def DbDeleteAllDevicePipeProperty(self, argin):
        self.dev_pipe.delete_subs(self._owner(argin, "DbDeleteAllDevicePipeProperty")[0], argin[1:])

    @command(dtype_in=S, dtype_out=S)
    def DbGetDevicePipeList(self, argin):
        return self.dev_pipe.sub_names(argin[0], *self._pattern(argin, "DbGetDevicePipeList"))

    @command(dtype_in=S, dtype_out=S)
    def DbGetDevicePipePropertyHist(self, argin):
        if len(argin) != 3:
            throw(DB_IncorrectArguments, "incorrect no. of input arguments, needs 3",
                  "DataBase::DbGetDevicePipePropertyHist()")
        return self.dev_pipe.history(argin[0], argin[2], sub=argin[1])

    @command(dtype_in=S, dtype_out=S)
    def DbGetClassPipeProperty(self, argin):
        return self.class_pipe.get2(self._owner(argin, "DbGetClassPipeProperty"))

    @command(dtype_in=S)
    def DbPutClassPipeProperty(self, argin):
        self.class_pipe.put2(*props.unpack2(argin, "DataBase::DbPutClassPipeProperty()"))

    @command(dtype_in=S)
    def DbDeleteClassPipeProperty(self, argin):
        if len(argin) < 3:
            throw(DB_IncorrectArguments, "insufficient number of arguments",
                  "DataBase::DbDeleteClassPipeProperty()")
        self.class_pipe.delete(argin[0], argin[2:], sub=argin[1])

    @command(dtype_in=S)
    def DbDeleteClassPipe(self, argin):
        self.class_pipe.delete_subs(self._two(argin, "DbDeleteClassPipe")[0], argin[1:])

    @command(dtype_in=S, dtype_out=S)
    def DbGetClassPipeList(self, argin):
        return self.class_pipe.sub_names(argin[0], *self._pattern(argin, "DbGetClassPipeList"))

    @command(dtype_in=S, dtype_out=S)
    def DbGetClassPipePropertyHist(self, argin):
        if len(argin) != 3:
            throw(DB_IncorrectArguments, "incorrect no. of input arguments, needs 3",
                  "DataBase::DbGetClassPipePropertyHist()")
        return self.class_pipe.history(argin[0], argin[2], sub=argin[1])

    @command(dtype_in=str, dtype_out=S)
    def DbGetForwardedAttributeListForDevice(self, name):
        out = []
        for att, value in self.db.read(
                "SELECT attribute, value FROM property_attribute_device WHERE device = ? AND "
                "name = '__root_att' ORDER BY attribute", (name,)):
            out += [att, value]
        return out

    # -- aliases -------------------------------------------------------------------------------

    @command(dtype_in=S)
    def DbPutDeviceAlias(self, argin):
        if len(argin) < 2:
            throw(DB_IncorrectArguments, "insufficient alias info for device",
                  "DataBase::db_put_device_alias()")
        name, alias = argin[:2]
        with self.db.transaction() as tx:
            if tx.execute("SELECT 1 FROM device WHERE alias = ? AND name != ?", (alias, name)):
                throw(DB_SQLError, f"alias {alias} already exists !", "DataBase::db_put_device_alias()")
            if not tx.execute("SELECT 1 FROM device WHERE name = ?", (name,)):
                throw(DB_DeviceNotDefined, f"device {name} not defined in the database !",
                      "DataBase::db_put_device_alias()")
            tx.execute("UPDATE device SET alias = ? WHERE name = ?", (alias, name))

    @command(dtype_in=str, dtype_out=str)
    def DbGetDeviceAlias(self, name):
        rows = self._list("SELECT alias FROM device WHERE name = ? AND alias IS NOT NULL", name)
        if not rows:
            throw(DB_AliasNotDefined, f"No alias found for device '{name}'",
                  "DataBase::db_get_device_alias()")
        return rows[0]

    @command(dtype_in=str, dtype_out=str)
    def DbGetAliasDevice(self, alias):
        rows = self._list("SELECT name FROM device WHERE alias = ?", alias)
        if not rows:
            throw(DB_DeviceNotDefined, f"No device found for alias '{alias}'",
                  "DataBase::db_get_alias_device()")
        return rows[0]

    @command(dtype_in=str)
    def DbDeleteDeviceAlias(self, alias):
        with self.db.transaction() as tx:
            tx.execute("UPDATE device SET alias = NULL WHERE alias = ?", (alias,))

    @command(dtype_in=str, dtype_out=S)
    def DbGetDeviceAliasList(self, pattern):
        return self._list("SELECT alias FROM device WHERE alias LIKE ?" + _ESC +
                          " ORDER BY alias", like(pattern))

    @command(dtype_in=S)
    def DbPutAttributeAlias(self, argin):
        if len(argin) < 2:
            throw(DB_IncorrectArguments, "insufficient alias info for attribute",
                  "DataBase::db_put_attribute_alias()")
        name, alias = argin[:2]
        parts = name.split("/")
        if len(parts) != 4:
            throw(DB_SQLError, f"attribute name {name} is not a full attribute name "
                  "(domain/family/member/attribute)", "DataBase::db_put_attribute_alias()")
        with self.db.transaction() as tx:
            if tx.execute("SELECT 1 FROM attribute_alias WHERE alias = ? AND name != ?", (alias, name)):
                throw(DB_SQLError, f"alias {alias} already exists !",
                      "DataBase::db_put_attribute_alias()")
            tx.execute("DELETE FROM attribute_alias WHERE alias = ? OR name = ?", (alias, name))
            tx.execute("INSERT INTO attribute_alias (alias, name, device, attribute, updated) "
                       "VALUES (?, ?, ?, ?, ?)", (alias, name, "/".join(parts[:3]), parts[3], now()))

    def _attribute_of_alias(self, alias, origin):
        rows = self._list("SELECT name FROM attribute_alias WHERE alias = ?", alias)
        if not rows:
            throw(DB_SQLError, f"No attribute found for alias  '{alias}'", origin)
        return rows[0]

    @command(dtype_in=str, dtype_out=str)
    def DbGetAttributeAlias(self, alias):
        return self._attribute_of_alias(alias, "DataBase::db_get_attribute_alias()")

    @command(dtype_in=str, dtype_out=str)
    def DbGetAliasAttribute(self, alias):
        return self._attribute_of_alias(alias, "DataBase::db_get_alias_attribute()")

    @command(dtype_in=str, dtype_out=str)
    def DbGetAttributeAlias2(self, name):
        rows = self._list("SELECT alias FROM attribute_alias WHERE name = ?", name)
        if not rows:
            throw(DB_SQLError, f"No alias found for attribute  '{name}'",
                  "DataBase::db_get_attribute_alias2()")
        return rows[0]

    @command(dtype_in=str)
    def DbDeleteAttributeAlias(self, alias):
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM attribute_alias WHERE alias = ?", (alias,))

    @command(dtype_in=str, dtype_out=S)
    def DbGetAttributeAliasList(self, pattern):
        return self._list("SELECT alias FROM attribute_alias WHERE alias LIKE ?" + _ESC +
                          " ORDER BY alias", like(pattern))

    # -- events --------------------------------------------------------------------------------

    @command(dtype_in=S)
    def DbExportEvent(self, argin):
        if len(argin) < 5:
            throw(DB_IncorrectArguments, "insufficient export info for event",
                  "DataBase::db_export_event()")
        name, ior, host, pid, version = argin[:5]
        pid = int(pid) if pid.lstrip("-").isdigit() else 0
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM event WHERE name = ?", (name,))
            tx.execute("INSERT INTO event (name, exported, ior, host, pid, version, started) "
                       "VALUES (?, 1, ?, ?, ?, ?, ?)", (name, ior, host, pid, version, now()))

    @command(dtype_in=str, dtype_out=LS)
    def DbImportEvent(self, name):
        rows = self.db.read("SELECT exported, pid, name, ior, version, host FROM event "
                            "WHERE name = ?", (name,))
        if not rows:
            throw(DB_DeviceNotDefined, f"event {name} not defined in the database !",
                  "DataBase::db_import_event()")
        r = rows[0]
        return [r[0] or 0, r[1] or 0], [str(v) if v is not None else "" for v in r[2:]]

    @command(dtype_in=str)
    def DbUnExportEvent(self, name):
        with self.db.transaction() as tx:
            tx.execute("UPDATE event SET exported = 0, stopped = ? WHERE name = ?", (now(), name))

    # -- the database itself -------------------------------------------------------------------

    @command(dtype_out=S)
    def DbInfo(self):
        def n(sql):
            return self.db.read(sql)[0][0]

        kinds = (("Device", self.dev_props), ("Class", self.class_props),
                 ("Device attribute", self.dev_attr), ("Class attribute", self.class_attr),
                 ("Object", self.free))
        return [f"TANGO Database {self.get_name()}", " ", f"Running since {self._started}", " ",
                f"Devices defined  = {n('SELECT COUNT(*) FROM device')}",
                f"Devices exported  = {n('SELECT COUNT(*) FROM device WHERE exported = 1')}",
                "Device servers defined  = "
                f"{n('SELECT COUNT(DISTINCT server) FROM device')}",
                "Device servers exported  = "
                f"{n('SELECT COUNT(DISTINCT server) FROM device WHERE exported = 1')}", " "] + [
            f"{label} properties defined  = {t.count()} [History lgth = {t.history_count()}]"
            for label, t in kinds]

    @command(dtype_out=S)
    def DbGetCSDbServerList(self):
        rows = self._list("SELECT ior FROM device WHERE name = ? AND exported = 1",
                          self.get_name())
        return [f"{os.uname().nodename}:{self._port}"] if rows else []

    _port = 10000  # set by the entry point

    @command(dtype_in=str, dtype_out=LS)
    def DbMySqlSelect(self, query):
        throw(DB_NotSupported, "DbMySqlSelect (raw SQL on the C++ server's MariaDB) is not "
              "supported by this database server, which stores in sqlite",
              "DataBase::DbMySqlSelect()")

    @command
    def ResetTimingValues(self):
        pass
