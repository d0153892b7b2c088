"""The classic (Pogo) server API: a ``DeviceClass`` subclass that declares the class in tables,
and a ``LatestDeviceImpl`` subclass that implements the device, registered as a pair::

    class PowerSupplyClass(tango.DeviceClass):
        device_property_list = {"Port": [tango.DevString, "serial line", ["/dev/ttyS0"]]}
        cmd_list = {"On": [[tango.DevVoid, ""], [tango.DevVoid, ""]]}
        attr_list = {"Voltage": [[tango.DevDouble, tango.SCALAR, tango.READ_WRITE],
                                 {"unit": "V", "Memorized": "true"}]}

    class PowerSupply(tango.LatestDeviceImpl):
        def __init__(self, cl, name):
            tango.LatestDeviceImpl.__init__(self, cl, name)
            PowerSupply.init_device(self)        # the classic __init__ calls init_device
        def init_device(self):
            self.get_device_properties(self.get_device_class())   # self.Port
        def read_Voltage(self, attr): attr.set_value(self.voltage)
        def write_Voltage(self, attr): self.voltage = attr.get_write_value()
        def On(self): ...

    tango.server.run({"PowerSupply": (PowerSupplyClass, PowerSupply)})
    # or: util = tango.Util(sys.argv); util.add_class(PowerSupplyClass, PowerSupply,
    #     "PowerSupply"); tango.Util.instance().server_init(); tango.Util.instance().server_run()

The tables become the same server spec as the high-level API's declarations (``ClassicSpec``),
so both kinds of device run on one path: the compiled class factory, the green workers, the
test contexts. Methods are found by name as in PyTango: ``read_<attr>(self, attr)``,
``write_<attr>(self, attr)``, ``is_<attr>_allowed(self, req_type)``, ``<Command>(self[, argin])``
and ``is_<Command>_allowed(self)``.
"""

from .. import _tango
from .._tango import AttrWriteType, CmdArgType, CmdSpec, DispLevel
from ..attr_data import AttrData
from ..errors import DevFailed, Except
from .classic_attributes import MultiClassAttribute
from .device import BaseDevice, ClassSpec, LatestDeviceImpl, _HOOKS
from .properties import _convert_one

__all__ = ["DeviceClass", "LatestDeviceImpl", "ClassicSpec", "is_classic_pair", "constructed_class"]

# PyTango's list of the DeviceClass instances the server made (one per classic class, before
# its first device); tango.delete_class_list() empties it.
constructed_class = []


class DeviceClass:
    """The class half of a classic device class: its tables (``attr_list``, ``cmd_list``,
    ``device_property_list``, ``class_property_list``), merged with those of its bases, and
    the hooks the server calls (``dyn_attr(dev_list)`` after devices are created,
    ``device_name_factory(dev_list)``). The server makes one instance per class, named after
    the class, before its first device."""

    attr_list = {}
    cmd_list = {}
    device_property_list = {}
    class_property_list = {}
    pipe_list = {}

    def __init__(self, name):
        self._name = str(name)
        self._type = str(name)
        self._devices = []
        self.class_property_list = _merged(type(self), "class_property_list")
        self.device_property_list = _merged(type(self), "device_property_list")
        self.get_class_properties()

    def get_name(self):
        return self._name

    def get_type(self):
        return self._type

    def set_type(self, dev_type):
        self._type = str(dev_type)

    def get_device_list(self):
        """The devices of the class this server made (in creation order)."""
        return list(self._devices)

    def get_class_attr(self):
        """The attributes of ``attr_list`` (merged with the bases'), as a MultiClassAttribute."""
        table = _merged(type(self), "attr_list")
        return MultiClassAttribute(attr_from_entry(name, entry, self._name) for name, entry in table.items())

    def dyn_attr(self, dev_list):
        """Called with the devices just created: add dynamic attributes here."""

    def device_name_factory(self, dev_list):
        """Called with the list of device names to create; may append to it."""

    def get_class_properties(self, ds_class=None, class_prop=None):
        """Read the class properties of ``class_property_list`` from the database into it (each
        entry's value, its third element); the values are then ``self.<name>`` too."""
        props = self.class_property_list if class_prop is None else class_prop
        if not props:
            return
        util = _tango.Util.instance(False)
        found = util._class_property(self._name, list(props))
        for name, entry in props.items():
            _set_property_value(entry, found.get(name))
            setattr(self, name, _property_value(entry))

    def __repr__(self):
        return f"{type(self).__name__}({self._name!r})"

    def __str__(self):
        return f"{type(self).__name__}({self._name})"

    # -- cppTango's side of the class (the running server's DeviceClass of the same name) ----

    def _cpp_class(self):
        util = _tango.Util.instance(False)
        for cpp in util._device_classes():
            if cpp.get_name() == self._name:
                return cpp
        Except.throw_exception("PyDs_ClassNotRunning",
                               f"The class {self._name} is not a class of the running server",
                               "DeviceClass")

    def get_command_list(self):
        """The names of the class's commands (Init, State and Status included)."""
        return self._cpp_class().get_command_list()

    def get_cmd_by_name(self, cmd_name):
        """The command's name as the class spells it; DevFailed (API_CommandNotFound) if the
        class has no such command."""
        return self._cpp_class().get_cmd_by_name(cmd_name)

    def device_factory(self, device_list):
        """Create the devices named (each through the device class, then ``dyn_attr``) and
        export them, as the server does for its devices when it starts."""
        names = _names(device_list, "device_list")
        self._cpp_class().device_factory(names)

    def device_destroyer(self, name):
        """Delete the device ``name`` of this class from the server (its delete_device runs);
        DevFailed (PyAPI_CantDestroyDevice) if the class has no such device."""
        name = str(name)
        for device in self._devices:
            if device._attached and device.get_name().lower() == name.lower():
                self._cpp_class().device_destroyer(device.get_name())
                self._devices.remove(device)
                return
        Except.throw_exception("PyAPI_CantDestroyDevice", f"The class {self._name} has no device {name}",
                               "DeviceClass.device_destroyer")

    def create_device(self, device_name, alias=None, cb=None):
        """Util.create_device for this class: the device added to the database and created."""
        _tango.Util.instance(False).create_device(self._name, device_name, alias, cb)

    def delete_device(self, device_name):
        """Util.delete_device for this class: the device deleted from the database and the server."""
        _tango.Util.instance(False).delete_device(self._name, device_name)

    def export_device(self, dev, corba_dev_name="Unused"):
        """Export a device of the class (make it reachable by clients)."""
        self._cpp_class().export_device(dev, corba_dev_name)

    def add_wiz_dev_prop(self, name, desc, default=None):
        """Declare a device property for the class wizard (Jive's)."""
        self._cpp_class().add_wiz_dev_prop(name, desc, default)

    def add_wiz_class_prop(self, name, desc, default=None):
        """Declare a class property for the class wizard (Jive's)."""
        self._cpp_class().add_wiz_class_prop(name, desc, default)

    def get_cvs_tag(self):
        return self._cpp_class().get_cvs_tag()

    def get_cvs_location(self):
        return self._cpp_class().get_cvs_location()

    def get_doc_url(self):
        return self._cpp_class().get_doc_url()

    def register_signal(self, signo, own_handler=False):
        """Have signal_handler(signo) called for each device of the class when the process
        receives the signal signo (DevFailed for a number out of range)."""
        self._cpp_class().register_signal(signo, own_handler)

    def unregister_signal(self, signo):
        self._cpp_class().unregister_signal(signo)

    def signal_handler(self, signo):
        """Called when a signal the class registered arrives (nothing by default)."""


# PyTango's older names of the classic base, one class here (each is what its devices need)
DeviceImpl = Device_2Impl = Device_3Impl = Device_4Impl = Device_5Impl = Device_6Impl = LatestDeviceImpl


def is_classic_pair(item):
    """Whether ``item`` is (DeviceClass subclass, LatestDeviceImpl subclass[, name])."""
    return (isinstance(item, (tuple, list)) and len(item) in (2, 3) and isinstance(item[0], type)
            and issubclass(item[0], DeviceClass) and _is_classic_impl(item[1]))


def _is_classic_impl(impl):
    # every Python device derives from LatestDeviceImpl (as in PyTango); the high-level ones
    # from BaseDevice too
    return isinstance(impl, type) and issubclass(impl, LatestDeviceImpl) and not issubclass(impl, BaseDevice)


class ClassicSpec(ClassSpec):
    """The server spec of a classic pair: the tables read into typed attribute and command
    specs, the methods found by their classic names."""

    def __init__(self, class_class, impl, name=None):
        name = str(name or impl.__name__)
        attributes = [_attribute_spec(impl, attr_name, entry, name)
                      for attr_name, entry in _merged(class_class, "attr_list").items()]
        commands = [_command_spec(impl, cmd_name, entry)
                    for cmd_name, entry in _merged(class_class, "cmd_list").items()]
        if _merged(class_class, "pipe_list"):
            raise TypeError(f"{class_class.__name__}.pipe_list: classic pipes are not supported; "
                            "declare pipes with tango.server.pipe on a Device")
        _tango.ClassSpec.__init__(
            self, name=name, attributes=attributes, commands=commands, pipes=[],
            **{f"overrides_{hook}": getattr(impl, hook) is not getattr(LatestDeviceImpl, hook) for hook in _HOOKS},
        )
        self.device_class = impl
        self.class_class = class_class
        self.properties = {}  # read by the classic get_device_properties, from the tables
        self.dynamic_specs = {}
        self.initializes_dynamic_attributes = False
        self._instance = None

    def class_instance(self):
        """The DeviceClass instance (made on first use, in the server)."""
        if self._instance is None:
            self._instance = self.class_class(self.name)
        if not any(k is self._instance for k in constructed_class):
            constructed_class.append(self._instance)
        return self._instance

    def new_device(self, cl, name):
        klass = self.class_instance()
        device = self.device_class(cl, name)
        klass._devices.append(device)
        klass.dyn_attr([device])
        return device


def register(class_class, impl, name=None):
    """The spec of a classic pair, kept on the device class (one Tango class per Python class)."""
    if not (isinstance(class_class, type) and issubclass(class_class, DeviceClass)):
        raise TypeError(f"the class half must be a tango.DeviceClass subclass, not {class_class!r}")
    if not _is_classic_impl(impl):
        raise TypeError(f"the device half must be a tango.LatestDeviceImpl subclass (not a high-level "
                        f"tango.server.Device), not {impl!r}")
    spec = impl.__dict__.get("_tango_class_spec")
    if spec is None or spec.class_class is not class_class or spec.name != str(name or impl.__name__):
        spec = ClassicSpec(class_class, impl, name)
        impl._tango_class_spec = spec
    return spec


def _names(names, what):
    if isinstance(names, str) or not all(isinstance(n, str) for n in names):
        raise TypeError(f"{what} must be a sequence of device names (str), not {names!r}")
    return list(names)


# -- the tables --------------------------------------------------------------------------------

def _merged(cls, table):
    """A class table merged along the bases (a subclass's entries win)."""
    out = {}
    for klass in reversed(cls.__mro__):
        out.update(vars(klass).get(table, {}) or {})
    return out


def _find(impl, name):
    fn = getattr(impl, name, None) if name else None
    return fn if callable(fn) else None


def attr_from_entry(name, entry, class_name=None):
    """The ``Attr`` of a classic attr_list entry: ``[[type, format, write type(, max_x(,
    max_y))](, {properties})]``, checked as ``tango.AttrData`` checks its attr_info (a wrong entry
    is a DevFailed saying what is wrong); an AttrData entry is taken as it is."""
    return _attr_data(name, entry, class_name).to_attr()


def _attr_data(name, entry, class_name):
    return entry if isinstance(entry, AttrData) else AttrData(name, class_name, entry)


def _attribute_spec(impl, name, entry, class_name):
    """An attr_list entry, with the Impl's handlers (read_<name>, write_<name>,
    is_<name>_allowed, or the names an AttrData entry gives). A wrong entry, or a handler
    missing, is a TypeError naming the entry."""
    try:
        data = _attr_data(name, entry, class_name)
        attr = data.to_attr()
    except DevFailed as exc:
        raise TypeError(f"{class_name}.attr_list[{name!r}]: {exc.args[0].desc}") from exc
    name = attr.get_name()
    if data.forward:
        return attr._make_spec(name, None, None, None, None, "_tango_classic")[0]
    wtype = attr.get_writable()
    fget = _find(impl, data.read_method_name) if wtype != AttrWriteType.WRITE else None
    fset = _find(impl, data.write_method_name) if wtype != AttrWriteType.READ else None
    if fget is None and wtype != AttrWriteType.WRITE:
        raise TypeError(f"{impl.__name__} has no {data.read_method_name}(self, attr) for the attribute {name}")
    if fset is None and wtype != AttrWriteType.READ:
        raise TypeError(f"{impl.__name__} has no {data.write_method_name}(self, attr) for the attribute {name}")
    spec, methods = attr._make_spec(name, fget, fset, _find(impl, data.is_allowed_name), None,
                                    "_tango_classic", write_with_attr=True)
    spec.read_with_attr = fget is not None  # read_<name>(self, attr) sets the value on attr
    for method_name, fn in methods.items():
        setattr(impl, method_name, fn)
    return spec


def _command_spec(impl, name, entry):
    """A cmd_list entry: ``[[in type, in doc], [out type, out doc](, {options})]``."""
    where = f"cmd_list[{name!r}]"
    if not isinstance(entry, (list, tuple)) or len(entry) < 2:
        raise TypeError(f"{where} must be [[in type, doc], [out type, doc], {{options}}], not {entry!r}")
    (in_type, *in_doc), (out_type, *out_doc) = entry[0], entry[1]
    opts = {str(k).lower(): v for k, v in (dict(entry[2]) if len(entry) > 2 and entry[2] else {}).items()}
    unknown = set(opts) - {"display level", "polling period"}
    if unknown:
        raise TypeError(f"{where}: unknown command options {sorted(unknown)}")
    if _find(impl, name) is None:
        raise TypeError(f"{impl.__name__} has no method {name}() for the command {name}")
    allowed = f"is_{name}_allowed" if _find(impl, f"is_{name}_allowed") is not None else ""
    return CmdSpec(
        name=name, dtype_in=CmdArgType(int(in_type)), dtype_out=CmdArgType(int(out_type)),
        doc_in=str(in_doc[0]) if in_doc and in_doc[0] else "Uninitialised",
        doc_out=str(out_doc[0]) if out_doc and out_doc[0] else "Uninitialised",
        display_level=DispLevel(opts.get("display level", DispLevel.OPERATOR)),
        method=name, is_allowed_method=allowed, polling_period=int(opts.get("polling period", 0)),
    )


# -- property tables: {name: [type, description(, default)]} ------------------------------------

def _is_array(tango_type):
    return "Array" in CmdArgType(int(tango_type)).name


def _set_property_value(entry, strings):
    """Store the database's strings (if any) in a table entry, converted to its type."""
    if not strings:
        return
    tango_type = CmdArgType(int(entry[0]))
    base = _array_element_type(tango_type)
    value = [_convert_one(base, s) for s in strings]
    while len(entry) < 3:
        entry.append([])
    entry[2] = value


def _array_element_type(tango_type):
    name = tango_type.name
    if "Array" not in name:
        return tango_type
    element = name.replace("DevVar", "Dev").replace("Array", "")
    return getattr(CmdArgType, element, CmdArgType.DevString)


def _property_value(entry):
    """The value of a table entry as the device sees it: one value for a scalar type, a list
    for an array type, None when neither the database nor the table give one."""
    value = entry[2] if len(entry) > 2 else None
    if value is None:
        return None
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    if _is_array(entry[0]):
        return values
    return values[0] if values else None
