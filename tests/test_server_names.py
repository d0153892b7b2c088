"""The helpers tango.server and tango.device_server hold as PyTango's do: from_typeformat_to_type,
is_tango_object, inheritance_patch, set_worker / run_in_executor / get_worker, cleanup_classes
(and tango.pyutil's class lists), get_source_location, device_server_init, run(cleanup=), and
the deprecated object server tango.server.Server."""

import os
import warnings

import pytest

import _scripts

import tango
import tango.device_server
import tango.pyutil
import tango.server
from tango import AttrDataFormat, AttrWriteType, CmdArgType
from tango.server import (AsyncioExecutor, AttrData, Device, Server, attribute, class_property, command,
                          device_property)


def test_reexports_are_the_same_objects():
    from tango.asyncio_executor import AsyncioExecutor as executor
    from tango.attr_data import AttrData as attr_data
    from tango.telemetry import get_telemetry_tracer_provider_factory

    assert AsyncioExecutor is executor and AttrData is attr_data
    assert tango.server.get_telemetry_tracer_provider_factory is get_telemetry_tracer_provider_factory
    for name in ("get_attribute_type_format", "parse_type_hint", "set_complex_value"):
        assert getattr(tango.server, name) is getattr(tango.utils, name)
        assert getattr(tango.device_server, name) is getattr(tango.utils, name)
    for name in ("set_worker", "run_in_executor", "get_worker"):
        assert getattr(tango.device_server, name) is getattr(tango.server, name)


def test_from_typeformat_to_type():
    assert tango.server.from_typeformat_to_type(CmdArgType.DevLong, AttrDataFormat.SCALAR) == CmdArgType.DevLong
    assert tango.server.from_typeformat_to_type(CmdArgType.DevString, AttrDataFormat.SPECTRUM) == (
        CmdArgType.DevVarStringArray)
    with pytest.raises(TypeError, match="IMAGE"):
        tango.server.from_typeformat_to_type(CmdArgType.DevLong, AttrDataFormat.IMAGE)


def test_is_tango_object():
    attr, prop, cprop = attribute(dtype=int), device_property(dtype=int), class_property(dtype=str)
    assert tango.server.is_tango_object(attr) is attr
    assert tango.server.is_tango_object(prop) is prop
    assert tango.server.is_tango_object(cprop) is cprop

    @command(dtype_in=int)
    def cmd(self, value):
        pass

    options = tango.server.is_tango_object(cmd)
    assert isinstance(options, dict) and options is cmd.__tango_command__
    assert tango.server.is_tango_object(lambda: None) is False
    assert tango.server.is_tango_object(3) is False


def test_inheritance_patch_gives_read_write_attributes_their_write_method():
    def write_speed(self, value):
        pass

    speed = attribute(dtype=float, access=AttrWriteType.READ_WRITE)
    reading = attribute(dtype=float)
    namespace = {"speed": speed, "reading": reading, "write_speed": write_speed,
                 "write_reading": write_speed}
    tango.server.inheritance_patch(namespace)
    assert speed.fset is write_speed
    assert reading.fset is None  # read only: left alone
    mine = attribute(dtype=float, access=AttrWriteType.READ_WRITE, fset=len)
    tango.server.inheritance_patch({"mine": mine, "write_mine": write_speed})
    assert mine.fset is len  # has one already


def test_set_worker_and_run_in_executor():
    class Recording:
        def __init__(self):
            self.calls = []

        def execute(self, fn, *args, **kwargs):
            self.calls.append(fn.__name__)
            return fn(*args, **kwargs)

    def add(a, b=0):
        return a + b

    wrapped = tango.server.run_in_executor(add)
    assert wrapped.__name__ == "add" and wrapped.wrapped_with_executor is True
    assert tango.server.run_in_executor(wrapped) is wrapped
    worker = Recording()
    tango.server.set_worker(worker)
    try:
        assert tango.server.get_worker() is worker
        assert wrapped(2, b=3) == 5
        assert worker.calls == ["add"]
    finally:
        tango.server.set_worker(None)
    assert tango.server.get_worker() is not worker
    with pytest.raises(TypeError, match="execute"):
        tango.server.set_worker(object())
    with pytest.raises(TypeError, match="callable"):
        tango.server.run_in_executor(3)


def test_device_server_init_and_get_source_location():
    assert tango.device_server.device_server_init() is None
    here = tango.device_server.get_source_location()
    assert here[0] == os.path.basename(__file__)

    def decorated_target():
        pass

    import functools

    @functools.wraps(decorated_target)
    def wrapper():
        pass

    line = decorated_target.__code__.co_firstlineno
    assert tango.device_server.get_source_location(wrapper) == (os.path.basename(__file__), line)
    assert tango.device_server.get_source_location(len) == ("(unknown)", 0)


HEADER = """
import sys
import tango, tango.pyutil
from tango import DevState
from tango.server import Device, DeviceClass, LatestDeviceImpl, attribute, command, run
"""


def run_script(body, timeout=90):
    return _scripts.run_script(HEADER, body, timeout)


def test_class_lists_filled_by_the_server_and_emptied_by_cleanup():
    lines = run_script("""
        import socket
        from tango.test_context import _free_port

        class PairClass(DeviceClass):
            cmd_list = {"Ping": [[tango.DevVoid, ""], [tango.DevLong, ""]]}

        class Pair(LatestDeviceImpl):
            def Ping(self):
                return 7

        class HighLevel(Device):
            pass

        port = _free_port("127.0.0.1")

        def after_init():
            print("class_list", [(c.__name__, i.__name__, n) for c, i, n in tango.pyutil.class_list])
            print("constructed", [type(k).__name__ for k in tango.pyutil.get_constructed_classes()])
            print("cpp", tango.pyutil.cpp_class_list)
            proxy = tango.DeviceProxy(f"tango://127.0.0.1:{port}/dserver/Srv/inst#dbase=no")
            import threading
            threading.Timer(0.0, lambda: proxy.command_inout("Kill")).start()

        run([(PairClass, Pair, "Pair"), HighLevel],
            args=["Srv", "inst", "-nodb", "-dlist", "a/pair/1,a/high/1", "-ORBendPoint", f"giop:tcp:127.0.0.1:{port}"],
            post_init_callback=after_init, msg_stream=None, raises=True, cleanup=True)
        print("after", tango.pyutil.class_list, tango.pyutil.cpp_class_list)
    """)
    assert lines == [
        "class_list [('PairClass', 'Pair', 'Pair')]",
        "constructed ['PairClass']",
        "cpp []",
        "after [] []",
    ]


def test_cleanup_classes_empties_the_lists():
    tango.pyutil.class_list.append(("a", "b", "c"))
    tango.pyutil.cpp_class_list.append(("d", "e"))
    tango.server.cleanup_classes()
    assert tango.pyutil.class_list == [] and tango.pyutil.cpp_class_list == []
    assert tango.pyutil.get_constructed_classes() == []


# -- tango.server.Server ------------------------------------------------------------------------


class Motor:
    """A plain object to serve."""

    position = 1.5
    name = "m1"
    counts = (1, 2)

    def __init__(self):
        self.moves = []

    @property
    def limit(self):
        return 10

    def move(self, target, speed=1):
        self.moves.append((target, speed))
        return len(self.moves)

    def stop(self):
        return "stopped"


def make_server(**kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        server = Server("inst1", server_type="Motors", **kwargs)
    assert [w.category for w in caught] == [DeprecationWarning]
    return server


def test_server_is_deprecated_and_checks_its_arguments():
    server = make_server()
    assert server.server_instance == "Motors/inst1"
    assert server.green_mode == tango.get_green_mode()
    assert server.async_mode is False
    assert Server.PreInitPhase == Server.Phase1 == 1 and Server.PostInitPhase == Server.Phase2 == 2
    with pytest.raises(ValueError, match="server name"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Server(None)
    with pytest.raises(TypeError, match="not supported"):
        make_server(protocol="xml")


def test_server_register_object_makes_a_tango_class():
    server = make_server()
    motor = Motor()
    adapter = server.register_object(motor, "test/motor/1")
    assert adapter.full_name == "test/motor/1" and adapter.alias is None
    assert adapter.tango_class_name == "Motor" and adapter._object is motor
    assert server.get_tango_object("TEST/Motor/1") is adapter
    klass = server.get_tango_class("Motor")
    assert issubclass(klass, Device)
    spec = klass._tango_spec()
    attrs = {a.name: (a.dtype, a.dformat, a.access) for a in spec.attributes}
    assert attrs == {
        "position": (CmdArgType.DevDouble, AttrDataFormat.SCALAR, AttrWriteType.READ_WRITE),
        "name": (CmdArgType.DevString, AttrDataFormat.SCALAR, AttrWriteType.READ_WRITE),
        "counts": (CmdArgType.DevEncoded, AttrDataFormat.SCALAR, AttrWriteType.READ_WRITE),
        "limit": (CmdArgType.DevLong64, AttrDataFormat.SCALAR, AttrWriteType.READ),
        "moves": (CmdArgType.DevEncoded, AttrDataFormat.SCALAR, AttrWriteType.READ_WRITE),  # a list
    }
    cmds = {c.name: (c.dtype_in, c.dtype_out) for c in spec.commands}
    assert cmds == {"move": (CmdArgType.DevEncoded, CmdArgType.DevEncoded),
                    "stop": (CmdArgType.DevVoid, CmdArgType.DevEncoded)}
    alias = server.register_object(Motor(), "motor2")
    assert alias.full_name == "Motors/inst1/motor2" and alias.alias == "motor2"
    with pytest.raises(ValueError, match="Invalid name"):
        server.register_object(Motor(), "a/b")


def test_server_member_filter_and_deleted_objects():
    server = make_server()
    motor = Motor()
    server.register_object(motor, "test/motor/1", tango_class_name="OnlyStop",
                           member_filter=lambda obj, cls, name, member: name == "stop")
    spec = server.get_tango_class("OnlyStop")._tango_spec()
    assert [a.name for a in spec.attributes] == [] and [c.name for c in spec.commands] == ["stop"]
    del motor
    import gc

    gc.collect()
    assert server.get_tango_object("test/motor/1") is None


def test_server_devices_serve_their_objects():
    # the Tango class of an object, run by a test context (Server.run needs a Tango database)
    lines = run_script("""
        import warnings
        from tango.server import Server
        from tango.test_context import DeviceTestContext

        class Motor:
            position = 1.5
            def move(self, target, speed=1):
                self.position = target * speed
                return {"moved": True}
            def stop(self):
                return "stopped"

        warnings.simplefilter("ignore", DeprecationWarning)
        server = Server("inst1", server_type="Motors")
        motor = Motor()
        server.register_object(motor, "test/motor/1")
        klass = server.get_tango_class("Motor")
        with DeviceTestContext(klass, device_name="test/motor/1", process=False) as proxy:
            print("state", proxy.state())
            print("position", proxy.position)
            proxy.position = 4.0
            print("written", motor.position)
            fmt, data = proxy.move(server.dumps(((2.0,), {"speed": 3})))
            print("move", fmt, tango.codec.loads(fmt, data), motor.position)
            print("stop", tango.codec.loads(*proxy.stop()))
    """)
    assert lines == ["state ON", "position 1.5", "written 4.0", "move pickle {'moved': True} 6.0",
                     "stop stopped"]
