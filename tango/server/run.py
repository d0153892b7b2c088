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
    it = iter(range(1, len(args)))
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
    del it
    if port is not None or host is not None:
        if "-ORBendPoint" in out:
            raise ValueError("give either -port/-host or -ORBendPoint, not both")
        out += ["-ORBendPoint", f"giop:tcp:{host or ''}:{port or ''}"]
    return out


def _wants_help(args):
    return any(a in ("-h", "--help", "-?", "-help") for a in args[1:])


def run(classes, args=None, msg_stream=sys.stdout, verbose=False, util=None, event_loop=None,
        post_init_callback=None, green_mode=None, raises=False, err_stream=sys.stderr):
    """Run a device server with the given Device classes until it is shut down.

    ``classes`` is a sequence of Device subclasses (or a dict of name to class). ``args`` is the
    command line (default sys.argv): ``prog instance_name [-nodb -dlist a/b/c] [-v4] ...``.
    """
    if args is None:
        args = list(sys.argv)
    args = [str(a) for a in args]
    if not args:
        args = [sys.argv[0] if sys.argv else "python"]
    prog = os.path.splitext(os.path.basename(args[0]))[0] or "server"
    if _wants_help(args) or len(args) < 2 or args[1].startswith("-"):
        stream = msg_stream if _wants_help(args) else err_stream
        if stream is not None:
            stream.write(USAGE.format(prog=prog))
        if _wants_help(args):
            return None
        if raises:
            raise ValueError("the instance name is missing")
        sys.exit(2)
    if isinstance(classes, dict):
        classes = list(classes.values())
    classes = list(classes)
    args = _translate(args)
    args[0] = prog
    specs = [cls._tango_spec() for cls in classes]
    worker = green.start_worker(green.server_green_mode(classes, green_mode))
    for cls, spec in zip(classes, specs):
        if worker is None:
            green.check_synchronous(cls, spec)
        else:
            green.install(cls, spec, worker)
    util = _tango.Util(args)
    util._server_init(specs)
    if msg_stream is not None:  # the line users (and scripts) wait for, as every Tango server
        msg_stream.write("Ready to accept request\n")
        msg_stream.flush()
    if post_init_callback is not None:
        post_init_callback()
    util.server_run()
    return util


server_run = run
