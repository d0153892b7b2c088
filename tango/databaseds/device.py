"""The DataBase device (class DataBase, sys/database/N): the DataBaseds command interface, as
cppTango's Database client, tango_admin and cppTango's servers send it. Each command parses its
packed argument, asks the storage (storage.py: sqlite or redis) for the records it needs, writes
in one transaction, and packs the answer in the C++ DataBaseds's layout; names are matched
without regard to case and ``*`` is the wildcard."""

import datetime
import os
import time

from .. import CmdArgType, DevState
from ..server import Device, command
from . import properties as props
from . import storage as st
from .errors import (DB_AliasNotDefined, DB_DeviceNotDefined, DB_IncorrectArguments,
                     DB_IncorrectDeviceName, DB_IncorrectServerName, DB_NotSupported, DB_SQLError,
                     throw)
from .names import check_device_name
from .properties import PropertyTable, now
from .storage import DeviceRecord, EventRecord, caseless_sorted
from .timing import reset_timing_stats

S = [str]
LS = CmdArgType.DevVarLongStringArray


def _split_device(name, origin):
    """The stored name and [domain, family, member] of a device name (names.py: an optional
    tango: and //host:port/ dropped)."""
    valid, bare, parts = check_device_name(name)
    if not valid:
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


def _distinct(values):
    """Each value once (the first spelling met, names being caseless), sorted."""
    seen = {}
    for v in values:
        seen.setdefault(v.lower(), v)
    return caseless_sorted(seen.values())


def export_device(device, argin):
    """DbExportDevice, of the DataBase device given: argin is [name, IOR, host, pid (or "null"),
    version]. The entry point calls it directly to export the database device and its dserver."""
    if len(argin) < 5:
        throw(DB_IncorrectArguments, "Insufficient export info for device",
              "DataBase::DbExportDevice()")
    name, ior, host, pid, version = argin[:5]
    pid = 0 if pid.lower() == "null" else int(pid) if pid.lstrip("-").isdigit() else 0
    if device.db.device(name) is None:
        throw(DB_DeviceNotDefined, f"device {name} not defined in the database !",
              "DataBase::ExportDevice()")
    with device.db.transaction() as tx:
        tx.update_device(name, exported=True, ior=ior, host=host, pid=pid, version=version,
                         started=now())


class DataBase(Device):
    """A Tango database server's device: its storage is given by the entry point."""

    store = None  # the Storage (tango.databaseds.storage), set before the server starts

    def init_device(self):
        super().init_device()
        s = type(self).store
        self.db = s
        self.free = PropertyTable(s, st.FREE)
        self.dev_props = PropertyTable(s, st.DEVICE)
        self.class_props = PropertyTable(s, st.CLASS, missing=())
        self.dev_attr = PropertyTable(s, st.DEVICE_ATTRIBUTE)
        self.class_attr = PropertyTable(s, st.CLASS_ATTRIBUTE)
        self.dev_pipe = PropertyTable(s, st.DEVICE_PIPE)
        self.class_pipe = PropertyTable(s, st.CLASS_PIPE)
        self._started = time.strftime("%Y-%m-%d %H:%M:%S")
        self.set_state(DevState.ON)

    # -- small helpers -------------------------------------------------------------------------

    def _device_of(self, name, origin):
        # a name without '/' is an alias (cppTango imports a proxy made by alias by its alias)
        record = self.db.device(name) if "/" in name else self.db.device_of_alias(name)
        if record is None:
            throw(DB_DeviceNotDefined, f"device {name} not defined in the database !", origin)
        return record

    def _names(self, pattern, **filters):
        return [d.name for d in self.db.devices(name=pattern, **filters)]

    def _add_devices(self, server, pairs, origin):
        """Register (name, class) pairs for the server, and its dserver device if it has none."""
        records = []
        for name, klass in pairs:
            bare, _ = _split_device(name, origin)
            records.append(DeviceRecord(name=bare, server=server, klass=klass))
        dserver = f"dserver/{server}"
        if (dserver.lower() not in {r.name.lower() for r in records}
                and self.db.device(dserver) is None):
            _split_device(dserver, "DataBase::AddServer()")
            records.append(DeviceRecord(name=dserver, server=server, klass="DServer"))
        with self.db.transaction() as tx:
            for record in records:
                tx.put_device(record)

    # -- servers and devices -------------------------------------------------------------------

    @command(dtype_in=S)
    def DbAddServer(self, argin):
        if len(argin) < 3 or len(argin) % 2 == 0:
            throw(DB_IncorrectArguments, "incorrect no. of input arguments, needs at least 3 "
                  "(server,device,class)", "DataBase::AddServer()")
        self._add_devices(argin[0], zip(argin[1::2], argin[2::2]), "DataBase::AddServer()")

    @command(dtype_in=S)
    def DbAddDevice(self, argin):
        if len(argin) < 3:
            throw(DB_IncorrectArguments, "incorrect no. of input arguments, needs at least 3 "
                  "(server,device,class)", "DataBase::AddDevice()")
        self._add_devices(argin[0], [(argin[1], argin[2])], "DataBase::AddDevice()")

    @command(dtype_in=str)
    def DbDeleteDevice(self, name):
        bare, _ = _split_device(name, "DataBase::DeleteDevice()")
        with self.db.transaction() as tx:
            self._delete_devices(tx, [bare])

    @staticmethod
    def _delete_devices(tx, names):
        for name in names:
            tx.delete_device(name)
            for kind in st.DEVICE_KINDS:
                tx.delete_owner(kind, name)

    @command(dtype_in=str)
    def DbDeleteServer(self, server):
        if "*" in server or "/" not in server:
            throw(DB_IncorrectServerName, f"server name ({server}) syntax error",
                  "DataBase::db_delete_server()")
        names = [d.name for d in self.db.devices(server=server)]
        if not names:
            throw(DB_IncorrectServerName, f"Server {server} not defined in database !",
                  "DataBase::db_delete_server()")
        with self.db.transaction() as tx:
            self._delete_devices(tx, names)

    @command(dtype_in=S)
    def DbRenameServer(self, argin):
        if len(argin) != 2:
            throw(DB_IncorrectArguments, "incorrect no. of input arguments, needs 2 (old, new)",
                  "DataBase::DbRenameServer()")
        old, new = argin
        if self.db.devices(server=new):
            throw(DB_SQLError, f"Device server process name {new} is already used !",
                  "DataBase::DbRenameServer()")
        devices = self.db.devices(server=old)
        dserver = f"dserver/{old}".lower()
        with self.db.transaction() as tx:
            for d in devices:
                if d.name.lower() == dserver:
                    tx.delete_device(d.name)
                    d.name = f"dserver/{new}"
                    d.server = new
                    tx.put_device(d)
                else:
                    tx.update_device(d.name, server=new)

    @command(dtype_in=S)
    def DbExportDevice(self, argin):
        export_device(self, argin)

    @command(dtype_in=str)
    def DbUnExportDevice(self, name):
        with self.db.transaction() as tx:
            tx.update_device(name, exported=False, stopped=now())

    @command(dtype_in=str)
    def DbUnExportServer(self, server):
        names = [d.name for d in self.db.devices(server=server)]
        date = now()
        with self.db.transaction() as tx:
            for name in names:
                tx.update_device(name, exported=False, stopped=date)

    @command(dtype_in=str, dtype_out=LS)
    def DbImportDevice(self, name):
        d = self._device_of(name, "DataBase::ImportDevice()")
        # the name as asked, in lower case, as the C++ server answers (an alias: its device's)
        device = name.lower() if "/" in name else d.name.lower()
        return [int(d.exported), d.pid], [device, d.ior, d.version, d.server, d.host, d.klass]

    @command(dtype_in=str, dtype_out=LS)
    def DbGetDeviceInfo(self, name):
        d = self._device_of(name, "DataBase::GetDeviceInfo()")
        return [int(d.exported), d.pid], [name.lower(), d.ior, d.version, d.server, d.host,
                                          _human_date(d.started), _human_date(d.stopped), d.klass]

    @command(dtype_in=S, dtype_out=S)
    def DbGetDeviceList(self, argin):
        if len(argin) != 2:
            throw(DB_IncorrectArguments, "incorrect no. of input arguments, needs 2 (server,class)",
                  "DataBase::GetDeviceList()")
        return self._names("*", server=argin[0], klass=argin[1])

    @command(dtype_in=str, dtype_out=S)
    def DbGetDeviceWideList(self, pattern):
        return self._names(pattern)

    @command(dtype_in=str, dtype_out=S)
    def DbGetDeviceExportedList(self, pattern):
        return self._names(pattern, exported=True)

    @command(dtype_in=str, dtype_out=S)
    def DbGetExportdDeviceListForClass(self, klass):
        return self._names("*", klass=klass, exported=True)

    def _field_list(self, field, pattern, depth):
        parts = pattern.split("/")
        if len(parts) < depth:
            parts += ["*"] * (depth - len(parts))
        pattern = "/".join(parts[:depth]) + "/*" * (3 - depth)
        return _distinct(getattr(d, field) for d in self.db.devices(name=pattern))

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
        for d in self.db.devices(server=server):
            out += [d.name, d.klass]
        return out

    @command(dtype_in=str, dtype_out=S)
    def DbGetDeviceServerClassList(self, server):
        return _distinct(d.klass for d in self.db.devices(server=server))

    @command(dtype_in=str, dtype_out=S)
    def DbGetClassList(self, pattern):
        return _distinct(d.klass for d in self.db.devices(klass=pattern))

    @command(dtype_in=str, dtype_out=str)
    def DbGetClassForDevice(self, name):
        d = self.db.device(name)
        if d is None:
            throw(DB_IncorrectArguments, f"Class not found for {name}",
                  "DataBase::db_get_class_for_device()")
        return d.klass

    @command(dtype_in=str, dtype_out=S)
    def DbGetClassInheritanceForDevice(self, name):
        klass = self.DbGetClassForDevice(name)
        return [klass] + self.class_props.values(klass, "InheritedFrom")

    @command(dtype_in=str, dtype_out=S)
    def DbGetServerList(self, pattern):
        return _distinct(d.server for d in self.db.devices(server=pattern))

    @command(dtype_in=str, dtype_out=S)
    def DbGetServerNameList(self, pattern):
        servers = self.db.devices(server=pattern + "/*")
        return _distinct(d.server.split("/")[0] for d in servers)

    @command(dtype_in=str, dtype_out=S)
    def DbGetInstanceNameList(self, exec_name):
        servers = self.db.devices(server=exec_name + "/*")
        return _distinct(d.server.split("/", 1)[1] for d in servers)

    @command(dtype_in=str, dtype_out=S)
    def DbGetHostList(self, pattern):
        return _distinct(d.host for d in self.db.devices(host=pattern))

    @command(dtype_in=str, dtype_out=S)
    def DbGetHostServerList(self, host):
        return _distinct(d.server for d in self.db.devices(host=host, klass="DServer"))

    @command(dtype_in=str, dtype_out=S)
    def DbGetHostServersInfo(self, host):
        out = []
        for server in self.DbGetHostServerList(host):
            out += [server, *self.DbGetServerInfo(server)[2:]]
        return out

    @command(dtype_in=str, dtype_out=S)
    def DbGetServerInfo(self, server):
        info = self.db.server_info(server)
        if info is None:
            return [server, " ", " ", " "]
        return [server, *(str(v) for v in info)]

    @command(dtype_in=S)
    def DbPutServerInfo(self, argin):
        if len(argin) < 4:
            throw(DB_IncorrectArguments, "incorrect no. of input arguments, needs 4 "
                  "(server,host,mode,level)", "DataBase::DbPutServerInfo()")
        with self.db.transaction() as tx:
            tx.put_server_info(*argin[:4])

    @command(dtype_in=str)
    def DbDeleteServerInfo(self, server):
        with self.db.transaction() as tx:
            tx.delete_server_info(server)

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
        for att in self.dev_attr.sub_names(name):
            for value in self.dev_attr.values(name, "__root_att", att)[:1]:
                out += [att, value]
        return out

    # -- aliases -------------------------------------------------------------------------------

    @command(dtype_in=S)
    def DbPutDeviceAlias(self, argin):
        if len(argin) < 2:
            throw(DB_IncorrectArguments, "insufficient alias info for device",
                  "DataBase::db_put_device_alias()")
        name, alias = argin[:2]
        other = self.db.device_of_alias(alias)
        if other is not None and other.name.lower() != name.lower():
            throw(DB_SQLError, f"alias {alias} already exists !", "DataBase::db_put_device_alias()")
        if self.db.device(name) is None:
            throw(DB_DeviceNotDefined, f"device {name} not defined in the database !",
                  "DataBase::db_put_device_alias()")
        with self.db.transaction() as tx:
            tx.update_device(name, alias=alias)

    @command(dtype_in=str, dtype_out=str)
    def DbGetDeviceAlias(self, name):
        d = self.db.device(name)
        if d is None or d.alias is None:
            throw(DB_AliasNotDefined, f"No alias found for device '{name}'",
                  "DataBase::db_get_device_alias()")
        return d.alias

    @command(dtype_in=str, dtype_out=str)
    def DbGetAliasDevice(self, alias):
        d = self.db.device_of_alias(alias)
        if d is None:
            throw(DB_DeviceNotDefined, f"No device found for alias '{alias}'",
                  "DataBase::db_get_alias_device()")
        return d.name

    @command(dtype_in=str)
    def DbDeleteDeviceAlias(self, alias):
        d = self.db.device_of_alias(alias)
        if d is not None:
            with self.db.transaction() as tx:
                tx.update_device(d.name, alias=None)

    @command(dtype_in=str, dtype_out=S)
    def DbGetDeviceAliasList(self, pattern):
        return caseless_sorted(d.alias for d in self.db.devices(alias=pattern))

    @command(dtype_in=S)
    def DbPutAttributeAlias(self, argin):
        if len(argin) < 2:
            throw(DB_IncorrectArguments, "insufficient alias info for attribute",
                  "DataBase::db_put_attribute_alias()")
        name, alias = argin[:2]
        if len(name.split("/")) != 4:
            throw(DB_SQLError, f"attribute name {name} is not a full attribute name "
                  "(domain/family/member/attribute)", "DataBase::db_put_attribute_alias()")
        other = self.db.attribute_alias(alias)
        if other is not None and other.lower() != name.lower():
            throw(DB_SQLError, f"alias {alias} already exists !",
                  "DataBase::db_put_attribute_alias()")
        previous = self.db.alias_of_attribute(name)  # an attribute has one alias
        with self.db.transaction() as tx:
            if previous is not None and previous.lower() != alias.lower():
                tx.delete_attribute_alias(previous)
            tx.put_attribute_alias(alias, name)

    def _attribute_of_alias(self, alias, origin):
        name = self.db.attribute_alias(alias)
        if name is None:
            throw(DB_SQLError, f"No attribute found for alias  '{alias}'", origin)
        return name

    @command(dtype_in=str, dtype_out=str)
    def DbGetAttributeAlias(self, alias):
        return self._attribute_of_alias(alias, "DataBase::db_get_attribute_alias()")

    @command(dtype_in=str, dtype_out=str)
    def DbGetAliasAttribute(self, alias):
        return self._attribute_of_alias(alias, "DataBase::db_get_alias_attribute()")

    @command(dtype_in=str, dtype_out=str)
    def DbGetAttributeAlias2(self, name):
        alias = self.db.alias_of_attribute(name)
        if alias is None:
            throw(DB_SQLError, f"No alias found for attribute  '{name}'",
                  "DataBase::db_get_attribute_alias2()")
        return alias

    @command(dtype_in=str)
    def DbDeleteAttributeAlias(self, alias):
        with self.db.transaction() as tx:
            tx.delete_attribute_alias(alias)

    @command(dtype_in=str, dtype_out=S)
    def DbGetAttributeAliasList(self, pattern):
        return self.db.attribute_aliases(pattern)

    # -- events --------------------------------------------------------------------------------

    @command(dtype_in=S)
    def DbExportEvent(self, argin):
        if len(argin) < 5:
            throw(DB_IncorrectArguments, "insufficient export info for event",
                  "DataBase::db_export_event()")
        name, ior, host, pid, version = argin[:5]
        pid = int(pid) if pid.lstrip("-").isdigit() else 0
        with self.db.transaction() as tx:
            tx.put_event(EventRecord(name=name, exported=True, ior=ior, host=host, pid=pid,
                                     version=version, started=now()))

    @command(dtype_in=str, dtype_out=LS)
    def DbImportEvent(self, name):
        e = self.db.event(name)
        if e is None:
            throw(DB_DeviceNotDefined, f"event {name} not defined in the database !",
                  "DataBase::db_import_event()")
        return [int(e.exported), e.pid], [e.name, e.ior, e.version, e.host]

    @command(dtype_in=str)
    def DbUnExportEvent(self, name):
        with self.db.transaction() as tx:
            tx.update_event(name, exported=False, stopped=now())

    # -- the database itself -------------------------------------------------------------------

    @command(dtype_out=S)
    def DbInfo(self):
        devices = self.db.devices()
        exported = [d for d in devices if d.exported]
        kinds = (("Device", self.dev_props), ("Class", self.class_props),
                 ("Device attribute", self.dev_attr), ("Class attribute", self.class_attr),
                 ("Object", self.free))
        lines = [f"TANGO Database {self.get_name()}", " ", f"Running since {self._started}", " ",
                 f"Devices defined  = {len(devices)}",
                 f"Devices exported  = {len(exported)}",
                 f"Device servers defined  = {len({d.server.lower() for d in devices})}",
                 f"Device servers exported  = {len({d.server.lower() for d in exported})}", " "]
        for label, table in kinds:
            values, history = table.counts()
            lines.append(f"{label} properties defined  = {values} [History lgth = {history}]")
        return lines

    @command(dtype_out=S)
    def DbGetCSDbServerList(self):
        me = self.db.device(self.get_name())
        return [f"{os.uname().nodename}:{self._port}"] if me is not None and me.exported else []

    _port = 10000  # set by the entry point

    @command(dtype_in=str, dtype_out=LS)
    def DbMySqlSelect(self, query):
        throw(DB_NotSupported, "DbMySqlSelect (raw SQL on the C++ server's MariaDB) is not "
              "supported by this database server, whose storage is not MariaDB",
              "DataBase::DbMySqlSelect()")

    @command
    def ResetTimingValues(self):
        reset_timing_stats(self)  # the figures of the commands timed by timing.stats, if any
