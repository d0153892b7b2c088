"""Running device servers: ``tango.server.run((Class1, Class2))`` and ``Device.run_server()``."""

import functools
import os
import sys

from ..enums import GreenMode
from ..utils import _is_coroutine_function, is_non_str_seq
from . import green

__all__ = ["run", "server_run"]


def _command_line(args):
    """The command line given to cppTango's Util: PyTango's normalised one (tango.pyutil's
    parse_args: -port/-host, --nodb, -file X, -v N... in cppTango's words; SystemExit for a bad
    one, or after printing the help), the program without its directory."""
    from ..pyutil import parse_args

    args = parse_args(args)
    args[0] = os.path.basename(args[0]) or "server"
    return args


_translate = _command_line  # the name tango.Util (tango/_util.py) uses


def __to_callback(callback, cb_type, green_mode):
    """The function run() calls for a pre/post init callback given as PyTango takes it: None (a
    function that does nothing), a callable, or a sequence (callable[, args[, kwargs]]);
    TypeError for anything else. In an Asyncio server the result is a coroutine function (a
    coroutine function given stays as it is), for the server's loop to await."""
    if callback is None:
        return lambda: None
    if callable(callback):
        fn = callback
    elif is_non_str_seq(callback) and 1 <= len(callback) <= 3 and callable(callback[0]):
        args = callback[1] if len(callback) > 1 else ()
        kwargs = callback[2] if len(callback) > 2 else {}
        fn = functools.partial(callback[0], *args, **kwargs)
    else:
        raise TypeError(f"{cb_type} must be a callable or a sequence (callable[, args[, kwargs]])")
    if green_mode != GreenMode.Asyncio or _is_coroutine_function(fn):
        return fn

    @functools.wraps(fn)
    async def on_the_loop():
        return fn()

    return on_the_loop


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
           green_mode, err_stream, cleanup=False):
    if args is None:
        args = list(sys.argv)
    args = [str(a) for a in args]
    if not args:
        args = [sys.argv[0] if sys.argv else "python"]
    classes, specs = _specs(classes)
    mode = _server_mode(classes, specs, green_mode)
    pre_init = __to_callback(pre_init_callback, "pre_init_callback", mode)
    post_init = __to_callback(post_init_callback, "post_init_callback", mode)
    args = _command_line(args)
    worker = _start_worker(classes, specs, mode)
    util = _python_util(args)
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
    try:
        util.server_run()
    finally:
        if cleanup:
            _cleanup(util)
    if loop_failed:
        raise loop_failed[0]
    return util


def _python_util(args):
    """cppTango's Util made from a command line already in its words, as a tango.Util (which
    Util.instance() gives from now on)."""
    from .._util import Util

    return Util._from_command_line(args)


def _cleanup(util):
    """run(cleanup=True) after the server loop: forget the server's classes (cleanup_classes),
    and let cppTango free its Util where this build binds Util.cleanup."""
    from .. import pyutil

    pyutil._cleanup_classes()
    free = getattr(type(util), "cleanup", None)
    if callable(free):
        free()


def _server_mode(classes, specs, green_mode):
    """The green mode of the server; a synchronous one refuses coroutine functions (before the
    command line is read: the classes are wrong whatever it says)."""
    mode = green.server_green_mode(classes, green_mode)
    if mode == GreenMode.Synchronous:
        for cls, spec in zip(classes, specs):
            green.check_synchronous(cls, spec)
    return mode


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
    from .. import pyutil

    pyutil._record_classes(specs)
    util._server_init(specs)
    _server_init_hooks(util, worker)
    _in_worker(worker, post_init)
    if msg_stream is not None:  # the line users (and scripts) wait for, as every Tango server
        msg_stream.write("Ready to accept request\n")
        msg_stream.flush()


def run(classes, args=None, msg_stream=sys.stdout, verbose=False, util=None, event_loop=None,
        pre_init_callback=None, post_init_callback=None, green_mode=None, raises=False,
        err_stream=sys.stderr, cleanup=False):
    """Run a device server with the given Device classes until it is shut down.

    ``classes``: a sequence of Device subclasses (or a dict name: class). ``args``: the command
    line, program name first (default ``sys.argv``): ``prog instance [-nodb -dlist a/b/c]
    [-v4] [-port N] ...``, read as tango.pyutil.parse_args reads it (a bad one, or ``-h``, is a
    SystemExit, whatever ``raises`` says); the server is ``prog/instance``.
    ``pre_init_callback`` runs after cppTango's Util is made and before the devices are created,
    ``post_init_callback`` once they are all created and exported (each a callable or
    ``(callable[, args[, kwargs]])``, see __to_callback; run where the device code runs: in a
    green server, on its worker). ``event_loop``: a callable run by the server loop whenever no
    request is pending (a true result stops the server).
    ``msg_stream`` gets "Ready to accept request". Errors end the server with a message on
    ``err_stream`` (the traceback too with ``verbose``), or propagate with ``raises=True``.
    ``util`` is accepted for PyTango compatibility: the server makes its own.
    ``cleanup=True``: once the server loop has ended, the server's classes are forgotten
    (tango.server.cleanup_classes) and cppTango's Util is freed where this build can (PyTango
    frees it, so that one process can run another server after it).
    """
    try:
        return _serve(classes, args, msg_stream, event_loop, pre_init_callback, post_init_callback,
                      green_mode, err_stream, cleanup=bool(cleanup))
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
               err_stream=sys.stderr, cleanup=False):
    """The older name of run() (PyTango 8), without ``raises``."""
    return run(classes, args=args, msg_stream=msg_stream, verbose=verbose, util=util,
               event_loop=event_loop, pre_init_callback=pre_init_callback,
               post_init_callback=post_init_callback, green_mode=green_mode,
               err_stream=err_stream, cleanup=cleanup)
