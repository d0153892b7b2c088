"""Run device servers for tests, without a Tango database.

    from tango.test_context import DeviceTestContext

    with DeviceTestContext(PowerSupply, properties={"host": "sim"}) as proxy:
        assert proxy.voltage == 1.23

The server runs in a child process that this module starts and stops: cppTango keeps process-wide
state that cannot be reset, so one process can host only one server in its lifetime (PyTango's
in-thread contexts crash on the second start). A child per context means any number of
contexts, one after the other, in one test process. The device classes reach the child by
pickling (cloudpickle), so classes defined inside test functions work too; the child gets the
same sys.path. Device and class properties and memorized values go to the server through a file
database (cppTango's -file=), which the server reads as it reads a Tango database: the devices
get them through the same calls as under a real TANGO_HOST.

Command line (foreground, in this process):

    python -m tango.test_context module.Class --host 127.0.0.1 --port 0 --prop '{"a": 1}'
"""

import ast
import atexit
import collections
import contextlib
import json
import os
import pickle
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import weakref

from ._server_port import get_server_port_via_pid
from ._tango import EnsureOmniThread
from ._test_context_host import _set_serves_in_thread
from ._util import Util
from .db import Database
from .device_proxy import DeviceProxy
from .errors import DevFailed
from .server.run import run
from .utils import (_clear_test_context_tango_host_fqtrl, _get_test_context_tango_host_fqtrl,
                    _set_test_context_tango_host_fqtrl, is_non_str_seq)

__all__ = ["MultiDeviceTestContext", "DeviceTestContext", "get_host_ip", "get_server_host_port",
           "get_server_port_via_pid", "run_device_test_context"]

# The fragment of a device name that says "no database" (tango://host:port/a/b/c#dbase=no).
NO_DB_FRAGMENT = "dbase=no"

# The default start-up and stop timeouts of a context (PyTango's class attributes of these names;
# one value for both here: every later context is a child process, which takes as long).
_DEFAULT_TIMEOUT = 30.0

# The command line of a context's server, formatted with (server, instance, host, port, db file).
_DEFAULT_COMMAND = "{0} {1} -ORBendPoint giop:tcp:{2}:{3} -file={4}"

_READY = b"pytango-test-context-ready\n"
# The child's start-up error, on one line of its stdout: this marker, then the error as JSON.
_FAILED = b"pytango-test-context-failed "


# -- IORs ----------------------------------------------------------------------------------------

# The fields of an IIOP IOR with one profile, in their order in the IOR's CDR encapsulation.
IOR = collections.namedtuple(
    "IOR", "first dtype_length dtype nb_profile tag length major minor wtf host_length host port body")


def ascii_to_bytes(s):
    """The bytes an even-length string of hexadecimal digits spells ("0a1b" -> b"\\x0a\\x1b")."""
    if not isinstance(s, str):
        raise TypeError(f"ascii_to_bytes takes a str of hexadecimal digits, not {type(s).__name__}")
    if len(s) % 2:
        raise ValueError(f"an odd number of hexadecimal digits ({len(s)}): each byte takes two")
    return bytes.fromhex(s)


def parse_ior(encoded_ior):
    """The fields of a stringified IOR ("IOR:0100..."): its type id, first profile's tag and
    length, IIOP version, host and port, and the rest (the object key...) as ``body``. Strings
    come without their trailing NUL. ValueError for text that is not such an IOR."""
    if not isinstance(encoded_ior, str) or not encoded_ior.startswith("IOR:"):
        raise ValueError(f"not a stringified IOR (it starts with 'IOR:'): {encoded_ior!r:.40}")
    data = ascii_to_bytes(encoded_ior[4:])
    if not data:
        raise ValueError("an empty IOR")
    order = "<" if data[0] == 1 else ">"  # CDR: the first octet says the byte order
    offset = 0

    def take(fmt):
        nonlocal offset
        size = struct.calcsize(order + fmt)
        if fmt in "IH":  # CDR aligns each number on its size, from the start of the data
            offset += -offset % size
        try:
            (value,) = struct.unpack_from(order + fmt, data, offset)
        except struct.error:
            raise ValueError(f"the IOR ends at byte {len(data)}, in the middle of its fields") from None
        offset += size
        return value

    def text(length):
        nonlocal offset
        if offset + length > len(data):
            raise ValueError(f"the IOR ends at byte {len(data)}, in the middle of a string")
        value = data[offset:offset + length]
        offset += length
        return value[:-1] if value.endswith(b"\0") else value

    first = take("I")
    dtype_length = take("I")
    dtype = text(dtype_length)
    nb_profile, tag, length = take("I"), take("I"), take("I")
    major, minor = take("B"), take("B")
    wtf = take("H")
    host_length = take("I")
    host = text(host_length)
    port = take("H")
    offset += -offset % 4
    return IOR(first, dtype_length, dtype, nb_profile, tag, length, major, minor, wtf, host_length,
               host, port, data[offset:])


# -- the command line of `python -m tango.test_context` -------------------------------------------


def literal_dict(arg):
    """A dict written as a Python literal ("{'a': 1}"), as the --prop option takes it."""
    try:
        return dict(ast.literal_eval(arg))
    except (ValueError, SyntaxError, TypeError) as exc:
        raise ValueError(f"not a Python dict literal: {arg!r} ({exc})") from None


def device(path):
    """The device class named by its dotted path ("package.module.Class"); argparse's
    ArgumentTypeError (the import error's traceback in its message) when it cannot be had."""
    import argparse
    import importlib
    import traceback

    module_name, _, class_name = str(path).rpartition(".")
    if not module_name:
        raise argparse.ArgumentTypeError(f"{path!r}: name a device class by its dotted path (module.Class)")
    try:
        module = importlib.import_module(module_name)
    except Exception:
        raise argparse.ArgumentTypeError(f"Error importing {path}:\n{traceback.format_exc()}") from None
    try:
        return getattr(module, class_name)
    except AttributeError:
        raise argparse.ArgumentTypeError(f"module {module_name} has no device class {class_name}") from None


def switch_existing_global_executors_to_thread():
    """Give the calling thread its own global executors, for the green modes whose global
    executor exists already and was made by another thread (as a test context does once its
    server runs in a thread of this process)."""
    import importlib

    for name in ("asyncio_executor", "futures_executor", "gevent_executor"):
        module = sys.modules.get(f"{__package__}.{name}")
        if module is None and name != "gevent_executor":
            module = importlib.import_module(f".{name}", __package__)
        holder = getattr(module, "_GLOBAL", None)
        current = getattr(holder, "_executor", None)
        if current is not None and not current.in_executor_context():
            holder.set(holder._factory())


def get_host_ip():
    """The address servers of test contexts listen on by default (loopback)."""
    return "127.0.0.1"


def _free_port(host):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def get_server_host_port():
    host = get_host_ip()
    return host, _free_port(host)


def _quote(value):
    text = str(value)
    if type(value).__name__ in ("bool", "bool_"):  # numpy's too
        text = text.lower()
    # cppTango's FileDatabase reads "" as no value at all: an empty string is stored as one
    # space, as PyTango stores it (what the device then reads)
    if text == "":
        text = " "
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _db_values(value, what):
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        return _quote(value)
    items = list(value)  # lists, tuples, numpy arrays
    if not items:
        raise RuntimeError(f"{what}: an empty list cannot be stored in the FileDatabase of a test context "
                           "(cppTango's file format has no empty list); leave the property out instead")
    return ", ".join(_quote(v) for v in items)


def _class_db_lines(server_name, instance_name, cls_name, devices, class_props):
    """The file database lines of one class of a server: its devices, their properties,
    memorized values and forwarded attributes' roots ("root_atts"), its class properties."""
    names = [d["name"] for d in devices]
    lines = [f"{server_name}/{instance_name}/DEVICE/{cls_name}: " + ", ".join(f'"{n}"' for n in names)]
    for dev in devices:
        name = dev["name"]
        for key, value in (dev.get("properties") or {}).items():
            lines.append(f"{name}->{key}: {_db_values(value, f'property {key} of {name}')}")
        for key, value in (dev.get("root_atts") or {}).items():
            lines.append(f"{name}/{key}->__root_att: {_db_values(value, f'root attribute of {key} of {name}')}")
        for key, value in (dev.get("memorized") or {}).items():
            lines.append(f"{name}/{key}->__value: {_db_values(value, f'memorized value {key} of {name}')}")
    for key, value in (class_props or {}).items():
        lines.append(f"CLASS/{cls_name}->{key}: {_db_values(value, f'class property {key} of {cls_name}')}")
    return lines


def _write_file_db(path, server_name, instance_name, devices_info, class_properties, mode="w"):
    lines = []
    for info in devices_info:
        cls_name = info["class"]._tango_spec().name
        class_props = dict(info.get("class_properties") or {})
        class_props.update(class_properties.get(cls_name) or {})
        lines += _class_db_lines(server_name, instance_name, cls_name, info["devices"], class_props)
    with open(path, mode, encoding="latin-1") as f:
        f.write("\n".join(lines) + "\n")


def _error_to_json(exc):
    """A start-up error of the child, for the parent to raise again (DevFailed keeps its stack)."""
    if isinstance(exc, DevFailed):
        errors = [{"reason": e.reason, "desc": e.desc, "origin": e.origin, "severity": int(e.severity)}
                  for e in exc.args]
        return {"devfailed": errors}
    return {"type": type(exc).__name__, "message": str(exc)}


def _error_from_json(data):
    from .errors import DevError, ErrSeverity

    if "devfailed" not in data:
        return RuntimeError(f"{data['type']}: {data['message']}")
    errors = []
    for fields in data["devfailed"]:
        err = DevError()
        err.reason, err.desc, err.origin = fields["reason"], fields["desc"], fields["origin"]
        err.severity = ErrSeverity(fields["severity"])
        errors.append(err)
    return DevFailed(*errors)


_live_contexts = weakref.WeakSet()

# cppTango (9.3, 10.0) makes one server per process, for the life of the process. The first
# context with process=False runs it in a thread of this process, as PyTango does: the device
# code then shares the test's modules and objects (a mock, a closure the test changes). When
# that context stops, its devices are deleted (delete_device runs) but cppTango's server and
# ORB stay: the ORB is also this process's client. Every later context runs in a child process.
_thread_server = {"used": False}


def _can_serve_in_thread():
    from . import _tango

    if _thread_server["used"]:
        return False
    try:
        _tango.Util.instance(False)  # this process is a server already (a device's own context)
    except DevFailed:
        return True
    return False


@atexit.register
def _stop_live_contexts():
    """End the servers of contexts still running when the interpreter exits: a daemon server at
    once; a non-daemon one (process=True, daemon=False) is first waited for, as Python waits for
    a non-daemon process, up to the context's timeout."""
    contexts = list(_live_contexts)
    for ctx in sorted(contexts, key=lambda c: not c.daemon):
        if not ctx.daemon:
            with contextlib.suppress(Exception):  # subprocess.TimeoutExpired: ended below
                ctx.join(ctx.timeout)
        with contextlib.suppress(Exception):
            ctx.stop()
    if _thread_server["used"]:
        # The server that ran in a thread still has its ORB running: stop it now, while the
        # interpreter is whole (the C++ exit handlers would free what its loop waits on).
        from . import _tango

        with contextlib.suppress(Exception):
            util = _tango.Util.instance(False)
            if _thread_server.get("stuck"):  # a delete_device that never returned: without it
                util._delete_devices()
            util._shutdown_orb()
        # and let its thread leave the server loop while Python can still run it (a thread
        # that wakes during finalization is ended inside cppTango's frames: an abort)
        server = _thread_server.get("server")
        if server is not None:
            server.thread.join(10)


def _pybind11_metaclass():
    from . import _tango

    return type(_tango.DeviceImpl)


def _dumps(obj):
    """cloudpickle, but the metaclass of compiled classes is looked up in the child, not copied."""
    import io

    import cloudpickle

    metaclass = _pybind11_metaclass()

    class Pickler(cloudpickle.Pickler):
        def reducer_override(self, o):
            if o is metaclass:
                return _pybind11_metaclass, ()
            return super().reducer_override(o)

    buf = io.BytesIO()
    Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return buf.getvalue()


class MultiDeviceTestContext:
    """Several devices of several classes in one server, for tests.

    ``devices_info`` is a sequence of ``{"class": DeviceClass, "class_properties": {...},
    "devices": [{"name": "a/b/c", "properties": {...}, "memorized": {...}}, ...]}``.
    ``class_properties`` may also be given apart, as ``{"ClassName": {...}}``. The properties
    and memorized values are written to a file database (or ``db``, a file database path, is
    used as it is), which the server reads as it would a Tango database.

    The server always runs in a child process, whatever ``process`` says: cppTango cannot start
    a second server in one process, so PyTango's thread mode (``process=False``) cannot be
    offered; both values run the same child. ``daemon`` says what happens to a server whose
    context is still running when the test process exits, as it does in PyTango: a daemon server
    (``daemon=True``, and always with ``process=False``, whose PyTango thread is a daemon) is
    ended at once; with ``process=True, daemon=False`` the exit first waits for the server to end
    (e.g. by its admin device's Kill command), up to ``timeout`` seconds, then ends it. In every
    case the server ends with the test process: it never outlives it.
    """

    # As in PyTango (9.5 on): while a context runs, device names without a host (``a/b/c``)
    # given to DeviceProxy, AttributeProxy and Group, in the test process and in the server,
    # resolve to this context's server. Set it False (on the class or the context, before
    # start) to turn that off.
    enable_test_context_tango_host_override = True

    # PyTango's: the server's command line, formatted with (server, instance, host, port, db
    # file) and split on spaces (a subclass may change it); the default start-up and stop
    # timeouts of a context whose ``timeout`` is None, with a server in this process's thread
    # and in a child process.
    command = _DEFAULT_COMMAND
    thread_timeout = _DEFAULT_TIMEOUT
    process_timeout = _DEFAULT_TIMEOUT

    def __init__(self, devices_info, server_name=None, instance_name=None, db=None, host=None,
                 port=0, debug=3, process=False, daemon=False, timeout=None, green_mode=None,
                 class_properties=None, cleanup=True):
        from .server.classic import is_classic_pair, register

        self.devices_info = [dict(info) for info in devices_info]
        if not self.devices_info:
            raise IndexError("devices_info is empty: a test context serves at least one device class")
        for info in self.devices_info:
            cls = info["class"]
            # a class may be named by its dotted path ("package.module.Class"), as in PyTango
            if isinstance(cls, (tuple, list)):
                cls = info["class"] = type(cls)(_import_class(c) for c in cls)
            else:
                cls = info["class"] = _import_class(cls)
            if is_classic_pair(cls):  # (DeviceClass, LatestDeviceImpl): named after the latter
                register(cls[0], cls[1], cls[1].__name__)
                info["class"], info["class_class"] = cls[1], cls[0]
            info["devices"] = [dict(d) for d in info["devices"]]
            for device in info["devices"]:
                device["name"]  # KeyError: each device needs its name
        _check_one_kind_of_classes(self.devices_info)
        first = self.devices_info[0]["class"].__name__ if self.devices_info else "Server"
        self._server = server_name or first  # the server's executable name
        self.instance_name = instance_name or first.lower()
        # PyTango's: the admin device's name
        self.server_name = "/".join(("dserver", self._server, self.instance_name))
        self.host = host or get_host_ip()
        self.port = port or _free_port(self.host)
        self.debug = debug
        if timeout is None:
            timeout = self.process_timeout if process else self.thread_timeout
        self.timeout = float(timeout)
        self.process = bool(process)
        # run(cleanup=...): what the server does once its loop has ended (see tango.server.run)
        self.cleanup = bool(cleanup)
        # PyTango's rule: its server thread (process=False) is always a daemon.
        self.daemon = bool(daemon) or not self.process
        self.green_mode = green_mode
        self.class_properties = class_properties or {}
        self.db = db  # the file database: the user's, or from start() a temporary one (as PyTango's)
        self._db_given = db is not None
        self._db_appended = False  # append_db_file() wrote the temporary file before start()
        self._tmpdir = None
        self._process = None
        self._proxies = {}
        self._output_thread = None
        self.thread = None  # _ServerHandle once started: the server, as a thread or process object
        self._in_thread = None  # _ThreadServer, when the server runs in this process

    # -- names ---------------------------------------------------------------------------------

    def _access(self, name):
        return f"tango://{self.host}:{self.port}/{name}#dbase=no"

    def get_device_access(self, device_name):
        return self._access(device_name)

    def get_server_access(self):
        return self._access(self.server_name)

    def get_device(self, device_name):
        """A DeviceProxy to one device of the server (created once, then reused)."""
        if device_name not in self._proxies:
            self._proxies[device_name] = DeviceProxy(self.get_device_access(device_name))
        return self._proxies[device_name]

    @property
    def server(self):
        return DeviceProxy(self.get_server_access())

    # -- start and stop ------------------------------------------------------------------------

    def _server_args(self, db_path):
        if self.command != _DEFAULT_COMMAND:  # a subclass's own command line
            args = self.command.format(self._server, self.instance_name, self.host, self.port, db_path).split()
        else:  # the same, a db_path with spaces kept whole
            args = [self._server, self.instance_name, "-ORBendPoint", f"giop:tcp:{self.host}:{self.port}",
                    f"-file={db_path}"]
        if self.debug:
            args.append(f"-v{int(self.debug)}")
        return args

    def start(self):
        if self._process is not None or self._in_thread is not None:
            raise RuntimeError("this test context is already started")
        # Resolved here, by the server's rule (tango/server/green.py), with this process's
        # default green mode: mixed modes are a ValueError before any server starts.
        from .server.green import server_green_mode

        green_mode = server_green_mode([info["class"] for info in self.devices_info], self.green_mode)
        if self._tmpdir is None:
            self._tmpdir = tempfile.TemporaryDirectory(prefix="pytango-test-")
        # A db file given by the user gets the devices and properties added to it, as PyTango
        # does; otherwise a temporary one holds them (after what append_db_file wrote to it).
        appends = self._db_given or self._db_appended
        db_path = self.db if appends else os.path.join(self._tmpdir.name, "tango.db")
        _write_file_db(db_path, self._server, self.instance_name, self.devices_info,
                       self.class_properties, mode="a" if appends else "w")
        self.db = db_path
        classes = [(info["class_class"], info["class"], info["class"].__name__) if "class_class" in info
                   else info["class"] for info in self.devices_info]
        if not self.process and _can_serve_in_thread():
            _thread_server["used"] = True
            _set_serves_in_thread()
            _live_contexts.add(self)
            self._in_thread = _thread_server["server"] = _ThreadServer(
                classes, self._server_args(db_path), green_mode, pre_init=self.pre_init,
                post_init=self.post_init, cleanup=self.cleanup)
            self.thread = _ServerHandle(self._in_thread.ended.is_set, self._in_thread.ended.wait, daemon=True)
            try:
                self._in_thread.wait_ready(self.timeout, self._failure)
                self._wait_answer(time.monotonic() + self.timeout, lambda: None)
            except BaseException:
                self.stop()
                raise
            _set_test_context_tango_host_fqtrl(self._host_trl())
            return self
        # sys.path first, on its own line: unpickling the classes may import modules.
        payload = _dumps({
            "classes": classes,
            "args": self._server_args(db_path),
            "green_mode": green_mode,
            "host_trl": self._host_trl(),
            "cleanup": self.cleanup,
        })
        env = dict(os.environ)
        env.pop("TANGO_HOST", None)
        _live_contexts.add(self)
        self._process = subprocess.Popen(
            [sys.executable, "-c", "from tango.test_context import _child_main; _child_main()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
        )
        # The payload, then the pipe stays open: the child ends when it closes (this process
        # stopped the context, or died), so no server outlives its test process.
        path = json.dumps(list(sys.path)).encode()
        self._process.stdin.write(len(path).to_bytes(8, "big") + path + len(payload).to_bytes(8, "big") + payload)
        self._process.stdin.flush()
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        _set_test_context_tango_host_fqtrl(self._host_trl())
        return self

    def _host_trl(self):
        if not self.enable_test_context_tango_host_override:
            return None
        return f"tango://{self.host}:{self.port}#dbase=no"

    def _wait_ready(self):
        """Wait for the child's ready line, then for the device to answer, within the timeout."""
        deadline = time.monotonic() + self.timeout
        ready = threading.Event()
        proc = self._process
        reported = []  # the child's start-up error, if it sent one

        def relay():
            # Echo the server's output (pytest captures it) and spot the ready or failed line.
            marker = _READY.strip()
            for line in iter(proc.stdout.readline, b""):
                if line.startswith(_FAILED):
                    with contextlib.suppress(ValueError):
                        reported.append(_error_from_json(json.loads(line[len(_FAILED):])))
                    continue
                if marker in line:  # cppTango's own output may share the line
                    line = line.replace(marker, b"")
                    ready.set()
                    if not line.strip():
                        continue
                try:
                    sys.stdout.write(line.decode("latin-1"))
                except Exception:
                    pass
            ready.set()

        self._output_thread = threading.Thread(target=relay, name="pytango-test-server-output", daemon=True)
        self._output_thread.start()
        self.thread = _ServerHandle(lambda: proc.poll() is not None, proc.wait, daemon=self.daemon)
        def failed(what):
            # The server's own error when it sent one (as PyTango raises it), else what was seen.
            if reported:
                raise reported[0] from RuntimeError(self._failure(what))
            raise RuntimeError(self._failure(what))

        if not ready.wait(max(0.0, deadline - time.monotonic())) or proc.poll() is not None or reported:
            if reported:
                self._output_thread.join(self.timeout)  # the whole error has been read
            failed("did not start")

        def check_alive():
            if proc.poll() is not None:
                self._output_thread.join(self.timeout)
                failed("stopped while starting")

        self._wait_answer(deadline, check_alive)

    def _wait_answer(self, deadline, check_alive):
        """Wait for the server's first device (else its admin device) to answer."""
        names = [d["name"] for info in self.devices_info for d in info["devices"]]
        target = self.get_server_access() if not names else self.get_device_access(names[0])
        last = None
        while time.monotonic() < deadline:
            check_alive()
            try:
                DeviceProxy(target).ping()
                return
            except DevFailed as exc:  # not listening yet: try again until the deadline
                last = exc
                time.sleep(0.01)
        raise RuntimeError(self._failure(f"did not answer within {self.timeout} s ({last})"))

    def _failure(self, what):
        code = self._process.poll() if self._process is not None else None
        return (f"the test device server {self._server}/{self.instance_name} {what}"
                + (f" (exit code {code})" if code is not None else ""))

    def stop(self):
        proc, self._process = self._process, None
        in_thread, self._in_thread = self._in_thread, None
        self._proxies.clear()
        if (proc is not None or in_thread is not None) and _get_test_context_tango_host_fqtrl() == self._host_trl():
            _clear_test_context_tango_host_fqtrl()
        if in_thread is not None:
            try:
                in_thread.stop(self.timeout)
            finally:
                self.delete_db()
            return
        stuck = False
        if proc is not None:
            with contextlib.suppress(Exception):
                proc.stdin.close()  # the child's watchdog ends the server (delete_device first)
            try:
                proc.wait(self.timeout)
            except subprocess.TimeoutExpired:  # a delete_device that does not return
                stuck = True
                proc.kill()
                proc.wait(10)
            if proc.stdout is not None:
                if self._output_thread is not None:
                    self._output_thread.join(5)
                proc.stdout.close()
            self._forget_connections()
        self.delete_db()
        if stuck:
            raise RuntimeError(f"the test device server {self._server}/{self.instance_name} failed to exit "
                               f"cleanly within {self.timeout} s (a delete_device that does not return?): "
                               "kill subprocess")

    def _forget_connections(self):
        """Make this process close its connections to the server that just ended.

        omniORB keeps an idle client connection open until its next use (or a scan minutes
        later); one call that fails closes it, so contexts started one after the other do not
        pile up sockets.
        """
        names = [d["name"] for info in self.devices_info for d in info["devices"]]
        for access in [self.get_server_access()] + [self.get_device_access(n) for n in names[:1]]:
            with contextlib.suppress(Exception):
                proxy = DeviceProxy(access)
                proxy.set_timeout_millis(500)
                proxy.ping()

    # -- PyTango's hooks and helpers -----------------------------------------------------------

    def pre_init(self):
        """Called by a server running in this process's thread (process=False, the first
        context) after cppTango's Util is made and before its devices are created; nothing to do
        here (the port is chosen before start), a subclass may add to it."""
        return None

    def post_init(self):
        """Called by a server running in this process's thread once its devices are created and
        exported, before start() returns; nothing to do here, a subclass may add to it."""
        return None

    def target(self, runserver, process=False):
        """Run ``runserver`` (a callable taking run()'s pre_init_callback, post_init_callback and
        raises keywords, such as ``functools.partial(tango.server.run, classes, args)``) in the
        calling thread, with this context's pre_init and post_init; the error that stops it is
        kept in ``startup_error`` (None when it ran to its end)."""
        self.startup_error = None
        with EnsureOmniThread():
            try:
                runserver(pre_init_callback=self.pre_init, post_init_callback=self.post_init, raises=True)
            except Exception as exc:
                self.startup_error = exc

    def append_db_file(self, server, instance, tangoclass, device_prop_info, class_properties=None):
        """Add a class of ``server/instance`` to the context's file database: ``tangoclass`` (its
        Tango name), its devices ``device_prop_info`` (``[{"name": ..., "properties": {...},
        "memorized": {...}, "root_atts": {...}}, ...]``) and its class properties. Before
        start(), the file is the one the server will read (its own devices are added to it
        then). Returns the file as a tango.Database; RuntimeError if cppTango cannot read it."""
        if not all(isinstance(x, str) and x for x in (server, instance, tangoclass)):
            raise TypeError("server, instance and tangoclass are non-empty strings")
        devices = [dict(d) for d in device_prop_info]
        for dev in devices:
            if "name" not in dev:
                raise KeyError(f"a device of {tangoclass} has no 'name': {dev!r}")
        if not self._db_given and not self._db_appended:  # the context's own file, made now
            if self._tmpdir is None:
                self._tmpdir = tempfile.TemporaryDirectory(prefix="pytango-test-")
            self.db = os.path.join(self._tmpdir.name, "tango.db")
            self._db_appended = True
        lines = _class_db_lines(server, instance, tangoclass, devices, dict(class_properties or {}))
        with open(self.db, "a", encoding="latin-1") as f:
            f.write("\n".join(lines) + "\n")
        try:
            return Database(self.db)
        except DevFailed as exc:
            with open(self.db, encoding="latin-1") as f:
                content = f.read()
            raise RuntimeError(f"the file database {self.db} cannot be read by cppTango (a property "
                               f"of {device_prop_info!r}?); it holds:\n{content}") from exc

    def delete_db(self):
        """Delete the file database if this context made it (a ``db`` given is left as it is)."""
        tmpdir, self._tmpdir = self._tmpdir, None
        if tmpdir is not None:
            tmpdir.cleanup()
        self._db_appended = False

    def connect(self):
        """Wait (within the timeout) until the started server answers, then check that its
        admin device does; RuntimeError when it is not started, stopped, or does not answer."""
        if self._process is None and self._in_thread is None:
            raise RuntimeError("this test context is not started: call start() first")
        proc = self._process

        def check_alive():
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(self._failure("stopped"))
            if proc is None and self._in_thread is not None and self._in_thread.served.is_set():
                raise RuntimeError(self._failure("stopped"))

        self._wait_answer(time.monotonic() + self.timeout, check_alive)
        self.server.ping()

    def join(self, timeout=None):
        if self._process is not None:
            self._process.wait(timeout)
        elif self._in_thread is not None:
            self._in_thread.served.wait(timeout)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def __del__(self):
        if sys.is_finalizing():
            # Too late for pipes and threads: just end the server (atexit stopped the others).
            proc = getattr(self, "_process", None)  # None too when __init__ refused its arguments
            if proc is not None and proc.poll() is None:
                with contextlib.suppress(Exception):
                    proc.kill()
            return
        with contextlib.suppress(Exception):
            self.stop()


def _check_one_kind_of_classes(devices_info):
    """A class appears once, and the classes are all high-level or all classic (a server runs
    them by one API), as PyTango's MultiDeviceTestContext requires."""
    seen = set()
    for info in devices_info:
        if info["class"] in seen:
            raise ValueError(f"{info['class'].__name__} appears twice in devices_info: give it one entry "
                             "with all its devices")
        seen.add(info["class"])
    kinds = {"class_class" in info for info in devices_info}
    if len(kinds) > 1:
        raise ValueError("devices_info mixes classic (DeviceClass, DeviceImpl) classes with high-level "
                         "Device classes: a test context's server runs one API")


class DeviceTestContext(MultiDeviceTestContext):
    """One device of one class in a server, for tests; ``with`` gives its DeviceProxy."""

    def __init__(self, device, device_cls=None, server_name=None, instance_name=None,
                 device_name=None, properties=None, db=None, host=None, port=0, debug=3,
                 process=False, daemon=False, timeout=None, memorized=None, root_atts=None,
                 green_mode=None, class_properties=None, cleanup=True):
        self.device_name = device_name or f"test/nodb/{device.__name__.lower()}"
        dev_info = {"name": self.device_name, "properties": properties or {}, "memorized": memorized or {}}
        if root_atts:  # {attribute: root attribute}: the roots of the device's forwarded attributes
            dev_info["root_atts"] = dict(root_atts)
        super().__init__(
            [{"class": (device_cls, device) if device_cls is not None else device, "class_properties": class_properties or {},
              "devices": [dev_info]}],
            server_name=server_name or device.__name__,
            instance_name=instance_name or device.__name__.lower(),
            db=db, host=host, port=port, debug=debug, process=process, daemon=daemon,
            timeout=timeout, green_mode=green_mode, cleanup=cleanup,
        )

    def get_device_access(self, device_name=None):
        return super().get_device_access(device_name or self.device_name)

    @property
    def device(self):
        return self.get_device(self.device_name)

    def __enter__(self):
        self.start()
        return self.device


# -- `python -m tango.test_context`, as PyTango's run_device_test_context ---------------------------


def parse_command_line_args(args=None):
    """``(device class, host, port, properties, debug, disable_short_name_lookup)`` of a command
    line ``module.Class [--host H] [--port N] [--debug N] [--prop DICT]
    [--disable-short-name-lookup]`` (default ``sys.argv[1:]``; port 8888, debug 3, host the
    address test contexts use); a bad one is argparse's SystemExit."""
    import argparse

    parser = argparse.ArgumentParser(description="Run a device class in a test context (no database).")
    parser.add_argument("device", metavar="DEVICE", type=device, help="the device class, as module.Class")
    parser.add_argument("--host", metavar="HOST", default=get_host_ip(), help="the address to listen on")
    parser.add_argument("--port", metavar="PORT", type=int, default=8888, help="the port to listen on")
    parser.add_argument("--debug", metavar="DEBUG", type=int, default=3, help="cppTango's trace level")
    parser.add_argument("--prop", metavar="PROP", type=literal_dict, default={},
                        help="the device properties, as a Python dict literal")
    parser.add_argument("--disable-short-name-lookup", dest="disable_short_name_lookup",
                        action="store_true", help="do not resolve names without a host to this server")
    ns = parser.parse_args(args)
    return ns.device, ns.host, ns.port, ns.prop, ns.debug, ns.disable_short_name_lookup


def run_device_test_context(args=None):
    """Serve a device class in a test context until its server ends (its admin device's Kill):
    the command line of parse_command_line_args; the names to reach it are printed."""
    cls, host, port, properties, debug, no_short_names = parse_command_line_args(args)
    # a child process serves it (its admin device's Kill then ends it cleanly)
    context = DeviceTestContext(cls, properties=properties, host=host, port=port, debug=debug, process=True)
    context.enable_test_context_tango_host_override = not no_short_names
    context.start()
    try:
        print(f"{cls.__name__} started on port {context.port} with properties {properties}")
        print(f"Device access: {context.get_device_access()}")
        print(f"Server access: {context.get_server_access()}")
        sys.stdout.flush()
        context.join()
        print("Done")
    finally:
        context.stop()


def _import_class(cls):
    """A class, or the class named by a dotted path ("package.module.Class")."""
    if not isinstance(cls, str):
        return cls
    import importlib

    module_name, _, name = cls.rpartition(".")
    if not module_name:
        raise ValueError(f"{cls!r}: name a device class by its dotted path (package.module.Class)")
    try:
        return getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"{cls!r}: no such device class ({exc})") from exc


class _ServerHandle:
    """``context.thread``: the context's server as PyTango users look at it, whether it runs in
    a thread of this process or in a child (PyTango's is a thread or a multiprocessing.Process):
    ``is_alive()``, ``join(timeout)``, ``daemon``. A server in a thread is alive until its
    devices are deleted; its ORB then stays, parked, for this process's later clients."""

    def __init__(self, ended, wait, daemon):
        self._ended = ended  # () -> bool
        self._wait = wait
        self.daemon = daemon

    def is_alive(self):
        return not self._ended()

    def join(self, timeout=None):
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._wait(timeout)


class _ThreadServer:
    """A test context's server run in a thread of this process (see _thread_server)."""

    def __init__(self, classes, args, green_mode, pre_init=None, post_init=None, cleanup=False):
        self._ready = threading.Event()
        self.served = threading.Event()  # the server loop ended (the admin device's Kill)
        self.ended = threading.Event()  # its devices are deleted, or its loop ended
        self.error = None
        self._pre_init = pre_init  # the context's hooks (MultiDeviceTestContext.pre_init...)
        self._post_init = post_init
        self.thread = threading.Thread(target=self._main, args=(classes, args, green_mode, cleanup),
                                       name="pytango-test-server", daemon=True)
        self.thread.start()

    def _initialised(self):
        # The context's post_init; its error is start()'s (which then stops the server, its
        # devices deleted as at any stop), not the server loop's: the loop runs on meanwhile.
        try:
            if self._post_init is not None:
                self._post_init()
        except BaseException as exc:
            self.error = exc
        finally:
            self._ready.set()

    def _main(self, classes, args, green_mode, cleanup=False):
        try:
            run(classes, args=args, pre_init_callback=self._pre_init, post_init_callback=self._initialised,
                msg_stream=None, green_mode=green_mode, raises=True, cleanup=cleanup)
        except BaseException as exc:  # a server that cannot start: start() raises it
            self.error = exc
        finally:
            self.served.set()
            self.ended.set()
            self._ready.set()

    def wait_ready(self, timeout, failure):
        if not self._ready.wait(timeout):
            raise RuntimeError(failure(f"did not start within {timeout} s"))
        if self.error is not None:
            raise self.error
        if self.served.is_set():
            raise RuntimeError(failure("stopped while starting"))

    def stop(self, timeout):
        """Delete the devices (their delete_device runs), within ``timeout`` seconds."""
        from . import _tango

        if self.served.is_set():
            return
        done = threading.Event()
        failed = []

        util = _tango.Util.instance(False)

        def delete():
            # Each delete_device runs here, from Python (so that one which never returns holds
            # no C++ frame: the thread can end with the interpreter), then cppTango deletes
            # the devices.
            try:
                devices = util._python_devices()
                for device in devices:
                    device._mark_ended()  # cppTango's deletion will not call it again
                for device in devices:
                    try:
                        device.delete_device()
                    except Exception:
                        import traceback

                        traceback.print_exc()  # reported, as a server reports it
                util._delete_devices()
                self.ended.set()
            except BaseException as exc:
                failed.append(exc)
            finally:
                done.set()

        threading.Thread(target=delete, name="pytango-test-server-stop", daemon=True).start()
        if not done.wait(timeout):
            _thread_server["stuck"] = True  # the devices are deleted at exit (_stop_live_contexts)
            raise RuntimeError(f"the test device server failed to exit cleanly within {timeout} s "
                               "(a delete_device that does not return?)")
        if failed:
            raise failed[0]


def _end_devices():
    """Each device's delete_device, as when a server ends (the child ends by _exit: cppTango
    deletes nothing itself); errors are printed, as cppTango's servers print them."""
    from . import _tango

    with contextlib.suppress(Exception):
        for device in _tango.Util.instance(False)._python_devices():
            with contextlib.suppress(Exception):
                device._end_of_life()
    sys.stderr.flush()


def _child_main():
    """The child process of a test context: run the server, say when it is initialised."""
    stdin = sys.stdin.buffer

    def read_blob():
        return stdin.read(int.from_bytes(stdin.read(8), "big"))

    # sys.path first: unpickling the classes may import the modules that define them.
    sys.path[:] = json.loads(read_blob())
    data = pickle.loads(read_blob())

    def watchdog():
        # EOF on stdin: the parent stopped the context or died; end the server now. The file
        # descriptor is read, not sys.stdin: a thread blocked in a buffered read holds its lock,
        # which the interpreter's exit then waits for in vain.
        while os.read(0, 4096):
            pass
        _end_devices()
        os._exit(0)

    threading.Thread(target=watchdog, name="pytango-test-server-watchdog", daemon=True).start()
    out = sys.stdout.buffer

    def ready():
        sys.stdout.flush()
        out.write(b"\n" + _READY)
        out.flush()

    _set_test_context_tango_host_fqtrl(data.get("host_trl"))
    try:
        run(data["classes"], args=data["args"], post_init_callback=ready, msg_stream=None,
            green_mode=data.get("green_mode"), raises=True, cleanup=data.get("cleanup", False))
    except BaseException as exc:
        # A server that cannot start (a device whose init fails, a mandatory property missing):
        # its error goes to the parent, which raises it; no clean-up of a half-started cppTango.
        import traceback

        traceback.print_exc()
        sys.stderr.flush()
        sys.stdout.flush()
        out.write(b"\n" + _FAILED + json.dumps(_error_to_json(exc)).encode() + b"\n")
        out.flush()
        os._exit(1)


def _main(argv=None):
    import argparse
    import importlib

    parser = argparse.ArgumentParser(prog="python -m tango.test_context",
                                     description="Run a device class in a server without a Tango "
                                                 "database (its properties in a file database).")
    parser.add_argument("device", help="the device class, as module.Class")
    parser.add_argument("--host", default=None, help="the address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="the port (default: a free one)")
    parser.add_argument("--prop", default="{}", help="device properties, as a JSON object")
    parser.add_argument("--debug", type=int, default=0, help="cppTango trace level")
    args = parser.parse_args(argv)
    module_name, _, class_name = args.device.rpartition(".")
    sys.path.insert(0, os.getcwd())
    device = getattr(importlib.import_module(module_name), class_name)
    props = json.loads(args.prop)
    ctx = DeviceTestContext(device, properties=props, host=args.host, port=args.port, debug=args.debug)
    with tempfile.TemporaryDirectory(prefix="pytango-test-") as tmp:
        db_path = os.path.join(tmp, "tango.db")
        _write_file_db(db_path, ctx._server, ctx.instance_name, ctx.devices_info, {})

        def ready():  # run's "Ready to accept request" (msg_stream) comes after this callback
            print("Ready to accept request")
            print(f"{device.__name__} started on port {ctx.port} with properties {props}")
            print(f"Device access: {ctx.get_device_access()}")
            print(f"Server access: {ctx.get_server_access()}")
            sys.stdout.flush()

        run((device,), args=ctx._server_args(db_path), post_init_callback=ready, msg_stream=None)


if __name__ == "__main__":
    _main()
