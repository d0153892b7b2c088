"""Running device servers: ``tango.server.run((Class1, Class2))`` and ``Device.run_server()``."""

import os
import sys

from .. import _tango
from . import green

__all__ = ["run", "server_run", "USAGE"]

USAGE = """\
usage: {prog} instance_name [-v[trace level]] [-nodb [-dlist <device name list>]]
       [-file=<file database>] [-port <port>] [-host <host>] [-ORBendPoint giop:tcp:<host>:<port>]

  instance_name   the instance of this server (its devices are registered under it)
  -v[N]           trace level, 1 to 5 (-v alone is 4)
  -nodb           run without a Tango database (then -dlist gives the device names)
  -dlist a/b/c,d/e/f
                  the devices to create (with -nodb)
  -file=PATH      use a file as the database (device and class properties)
  -port N         listen on port N (with -nodb)
  -host H         listen on address H (with -nodb)
  -ORBendPoint giop:tcp:HOST:PORT
                  the CORBA end point (the same, in omniORB's words)
"""


def _translate(args):
    """Accept -port/-host (as PyTango) by turning them into the omniORB end point."""
    out = [args[0]]
    port = host = None
    i = 1
    while i < len(args):
        a = args[i]
        if a in ("-port", "--port") and i + 1 < len(args):
            port = args[i + 1]
            i += 2
            continue
        if a in ("-host", "--host") and i + 1 < len(args):
            host = args[i + 1]
            i += 2
            continue
        out.append(a)
        i += 1
    if port is not None or host is not None:
        if "-ORBendPoint" in out:
            raise ValueError("give either -port/-host or -ORBendPoint, not both")
        out += ["-ORBendPoint", f"giop:tcp:{host or ''}:{port or ''}"]
    return out


def _wants_help(args):
    return any(a in ("-h", "--help", "-?", "-help") for a in args[1:])


def _callback(callback, what):
    """A pre/post init callback as PyTango takes it: a callable, or (callable[, args[, kwargs]])."""
    if callback is None or callable(callback):
        return callback
    if isinstance(callback, (list, tuple)) and 1 <= len(callback) <= 3 and callable(callback[0]):
        fn = callback[0]
        args = callback[1] if len(callback) > 1 else ()
        kwargs = callback[2] if len(callback) > 2 else {}
        return lambda: fn(*args, **kwargs)
    raise TypeError(f"{what} must be a callable or a sequence (callable[, args[, kwargs]])")


def _specs(classes):
    """The device classes and their ClassSpecs: ``classes`` is a sequence of Device subclasses
    and classic pairs ``(DeviceClass, LatestDeviceImpl[, name])``, or a dict ``name: class or
    pair`` (a pair takes the key as its Tango class name), or one class or pair."""
    from .classic import is_classic_pair, register

    if isinstance(classes, dict):
        items = list(classes.items())
    elif isinstance(classes, type) or is_classic_pair(classes):
        items = [(None, classes)]
    else:
        items = [(None, item) for item in classes]
    if not items:
        raise ValueError("no device classes given: a server needs at least one")
    found = []
    for key, item in items:
        if is_classic_pair(item):
            name = item[2] if len(item) == 3 else key
            register(item[0], item[1], name)
            item = item[1]
        if not (isinstance(item, type) and hasattr(item, "_tango_spec")):
            raise TypeError("run() takes tango.server.Device subclasses and (DeviceClass, "
                            f"LatestDeviceImpl) pairs, not {item!r}")
        found.append(item)
    return found, [cls._tango_spec() for cls in found]


def _in_worker(worker, fn):
    """Run fn (may be a coroutine function in an Asyncio server) where the device code runs."""
    if fn is None:
        return None
    return fn() if worker is None else worker.execute(fn)


def _server_init_hooks(util, worker):
    # Once, after every device is created and exported, as cppTango 10 calls it (9.3 has none).
    for device in util._python_devices():
        hook = getattr(device, "server_init_hook", None)
        if hook is not None:
            _in_worker(worker, hook)


def _serve(classes, args, msg_stream, event_loop, pre_init_callback, post_init_callback,
           green_mode, err_stream):
    if args is None:
        args = list(sys.argv)
    args = [str(a) for a in args]
    if not args:
        args = [sys.argv[0] if sys.argv else "python"]
    prog = os.path.splitext(os.path.basename(args[0]))[0] or "server"
    if _wants_help(args) or len(args) < 2 or args[1].startswith("-"):
        stream = msg_stream if _wants_help(args) else err_stream
        if stream is not None:
            stream.write(USAGE.format(prog=_usage_prog(prog)))
        if _wants_help(args):
            return None
        raise _MissingInstance("the instance name is missing")
    classes, specs = _specs(classes)
    pre_init = _callback(pre_init_callback, "pre_init_callback")
    post_init = _callback(post_init_callback, "post_init_callback")
    args = _translate(args)
    args[0] = prog
    worker = _start_worker(classes, specs, green_mode)
    util = _tango.Util(args)
    loop_failed = []
    if event_loop is not None:
        loop = event_loop if worker is None else lambda: worker.execute(event_loop)

        def guarded_loop():
            # An exception must not leave through cppTango's server loop (the process aborted
            # with an uncaught CORBA::OBJECT_NOT_EXIST): it stops the server, run() raises it.
            try:
                return loop()
            except BaseException as exc:
                loop_failed.append(exc)
                return True

        util.server_set_event_loop(guarded_loop)
    _in_worker(worker, pre_init)
    _init_server(util, specs, worker, post_init, msg_stream)
    util.server_run()
    if loop_failed:
        raise loop_failed[0]
    return util


def _start_worker(classes, specs, green_mode):
    """The green worker of the server (None for a synchronous one), the classes installed on it."""
    worker = green.start_worker(green.server_green_mode(classes, green_mode))
    for cls, spec in zip(classes, specs):
        if worker is None:
            green.check_synchronous(cls, spec)
        else:
            green.install(cls, spec, worker)
    return worker


def _init_server(util, specs, worker, post_init, msg_stream):
    """Create and export the devices, run their server_init_hook and post_init, say Ready."""
    util._server_init(specs)
    _server_init_hooks(util, worker)
    _in_worker(worker, post_init)
    if msg_stream is not None:  # the line users (and scripts) wait for, as every Tango server
        msg_stream.write("Ready to accept request\n")
        msg_stream.flush()


class _MissingInstance(ValueError):
    """No instance name on the command line (the usage was printed)."""


def _usage_prog(server_name):
    # The usage shows what the user runs: the script's name (Device.run_server names the server
    # after its class, the user still types the script).
    script = sys.argv[0] if sys.argv else ""
    if script and script not in ("-c", "-m"):
        return os.path.splitext(os.path.basename(script))[0]
    return server_name


def run(classes, args=None, msg_stream=sys.stdout, verbose=False, util=None, event_loop=None,
        pre_init_callback=None, post_init_callback=None, green_mode=None, raises=False,
        err_stream=sys.stderr):
    """Run a device server with the given Device classes until it is shut down.

    ``classes``: a sequence of Device subclasses (or a dict name: class). ``args``: the command
    line, program name first (default ``sys.argv``): ``prog instance [-nodb -dlist a/b/c]
    [-v4] [-port N] ...``; the server is ``prog/instance``. ``pre_init_callback`` runs after
    cppTango's Util is made and before the devices are created, ``post_init_callback`` once they
    are all created and exported (each a callable or ``(callable[, args[, kwargs]])``, run where
    the device code runs: in a green server, on its worker). ``event_loop``: a callable run by the
    server loop whenever no request is pending (a true result stops the server).
    ``msg_stream`` gets "Ready to accept request". Errors end the server with a message on
    ``err_stream`` (the traceback too with ``verbose``), or propagate with ``raises=True``.
    ``util`` is accepted for PyTango compatibility: the server makes its own.
    """
    try:
        return _serve(classes, args, msg_stream, event_loop, pre_init_callback, post_init_callback,
                      green_mode, err_stream)
    except _MissingInstance:
        if raises:
            raise
        sys.exit(2)
    except BaseException as exc:
        if raises or isinstance(exc, SystemExit):
            raise
        _report_exit(exc, verbose, err_stream)
    return None


def _report_exit(exc, verbose, err_stream):
    from ..errors import DevFailed

    if err_stream is None:
        return
    if isinstance(exc, KeyboardInterrupt):
        err_stream.write("Exiting: Keyboard interrupt\n")
    elif isinstance(exc, DevFailed):
        err_stream.write(f"Exiting: Server exited with tango.DevFailed:\n{exc}\n")
    else:
        err_stream.write(f"Exiting: Server exited with unforeseen exception:\n{exc}\n")
    if verbose and not isinstance(exc, KeyboardInterrupt):
        import traceback

        err_stream.write("".join(traceback.format_exception(exc)))
    err_stream.write("\nExited\n")
    err_stream.flush()


def server_run(classes, args=None, msg_stream=sys.stdout, verbose=False, util=None,
               event_loop=None, pre_init_callback=None, post_init_callback=None, green_mode=None,
               err_stream=sys.stderr):
    """The older name of run() (PyTango 8), without ``raises``."""
    return run(classes, args=args, msg_stream=msg_stream, verbose=verbose, util=util,
               event_loop=event_loop, pre_init_callback=pre_init_callback,
               post_init_callback=post_init_callback, green_mode=green_mode,
               err_stream=err_stream)
