"""PyTango's ``tango.pyutil``: the server-side utility names it exports, and ``parse_args``, the
normaliser of a device server's command line that ``tango.server.run`` and ``tango.Util`` use.

``parse_args(["Motor.py", "m1", "--port", "9000", "--nodb", "-vv"])`` gives the command line in
the words cppTango understands: ``["Motor", "m1", "-v2", "-nodb", "-ORBendPoint",
"giop:tcp:0.0.0.0:9000"]``. A bad command line is a SystemExit (argparse's message and exit
status 2); ``-h``, ``-?`` and ``--help`` print the help and exit with status 0.
"""

import argparse
import os
import re
import sys

from ._tango import AttrQuality, DbDevInfo, EnsureOmniThread, is_omni_thread  # noqa: F401
from ._util import Util
from .errors import DevFailed, Except  # noqa: F401  (PyTango's tango.pyutil holds them)
from .server.classic import DeviceClass, DeviceImpl  # noqa: F401
from .timed_data import TimedAttrData, TimedCmdData
from .utils import PyTangoHelpFormatter, is_non_str_seq  # noqa: F401

__all__ = ["EnsureOmniThread", "TimedAttrData", "TimedCmdData", "Util", "is_omni_thread", "pyutil_init"]


# -- the classes of the running server ------------------------------------------------------------

# PyTango's registries: the (DeviceClass subclass, device class, Tango class name) of the classic
# classes the server runs (tango.server.run and Util.server_init fill it when they create the
# devices), and the C++ classes (pytango loads none: it stays empty). tango.server's
# cleanup_classes() empties both.
from .server.registry import class_list, cpp_class_list, get_constructed_classes  # noqa: E402,F401


def _record_classes(specs):
    """Note the classic classes of a server about to create its devices (see class_list)."""
    for spec in specs:
        class_class = getattr(spec, "class_class", None)
        if class_class is None:  # a high-level Device: it has no DeviceClass half
            continue
        entry = (class_class, spec.device_class, spec.name)
        if entry not in class_list:
            class_list.append(entry)


def _cleanup_classes():
    del class_list[:]
    del cpp_class_list[:]


def pyutil_init(doc=True):
    """PyTango patches its compiled classes here when ``tango`` is imported; ours are complete
    when they are defined, so there is nothing left to do (calling it again is harmless)."""
    return None


# -- the command line of a device server ---------------------------------------------------------

_USAGE = ("%(prog)s instance_name [-v[N]] [-file=<path> | -nodb [-dlist <dev1,dev2,...>]]\n"
          "       [-host <host>] [-port <port>] [-ORBendPoint giop:tcp:<host>:<port>] "
          "[-ORB<option> <value> ...]")

# -vN, -VN, -v=N: a trace level given as a number (it wins over -v counted: -vvv or -v -v)
_LEVEL_IN_OPTION = re.compile(r"-[vV]=?(\d+)")
_LEVEL_OPTION = re.compile(r"-[vV]")
_ORB_OPTION = re.compile(r"--?ORB(\w+)")


class _ServerArgumentParser(argparse.ArgumentParser):
    """The parser of one command line. Its usage names, as cppTango's does, the instances of the
    server that the Tango database knows (when there is one to ask)."""

    _instances_text = None

    def _instances(self):
        if self._instances_text is None:
            self._instances_text = _known_instances(os.path.basename(self.prog))
        return self._instances_text

    def format_usage(self):
        return super().format_usage() + self._instances()

    def format_help(self):
        usage = super().format_usage()
        text = super().format_help()
        if text.startswith(usage):  # the help begins with the usage: the list goes after it
            return usage + self._instances() + text[len(usage):]
        return text


def _known_instances(server):
    """The lines listing the instances of ``server`` in the Tango database ("" without one)."""
    try:
        from .db import Database

        names = list(Database().get_instance_name_list(server).value_string)
    except DevFailed:
        return ""
    if not names:
        return f"The Tango database knows no instance of the server {server}.\n"
    return f"Instances of the server {server} in the Tango database:\n" + "".join(
        f"\t{name}\n" for name in names)


def _parser(prog, orb_options):
    parser = _ServerArgumentParser(prog=prog, usage=_USAGE, add_help=False,
                                   description="Run a Tango device server.")
    parser.add_argument("instance_name", nargs="+",
                        help="the instance of the server (its devices are registered under it)")
    parser.add_argument("-h", "-?", "--help", action="help", help="print this help and exit")
    # -vN and -v N are taken off the command line before argparse sees it (_take_trace_level)
    parser.add_argument("-v", "--verbose", action="count", dest="verbose",
                        help="raise the trace level by one (-vvv or -v -v -v: level 3); -vN or "
                             "-v N sets it to N (0 to 5), whatever -v counts")
    parser.add_argument("-file", "--file", dest="file", metavar="PATH",
                        help="take the devices and properties from a file, not the Tango database")
    parser.add_argument("-host", "--host", dest="host", default="0.0.0.0",
                        help="the address to accept requests on, with -port (default 0.0.0.0)")
    parser.add_argument("-port", "--port", dest="port", default="",
                        help="the port to listen on (-ORBendPoint in omniORB's words)")
    if sys.platform.startswith("win"):
        parser.add_argument("-dbg", "--dbg", dest="dbg", action="store_true",
                            help="run in debug mode (Windows)")
        parser.add_argument("-i", dest="i", action="store_true", help="install the service (Windows)")
        parser.add_argument("-s", dest="s", action="store_true",
                            help="install the service, started automatically (Windows)")
        parser.add_argument("-u", dest="u", action="store_true", help="uninstall the service (Windows)")
    nodb = parser.add_argument_group("without a Tango database")
    nodb.add_argument("-nodb", "--nodb", dest="nodb", action="store_true",
                      help="run without a database (needs -port or -ORBendPoint)")
    nodb.add_argument("-dlist", "--dlist", dest="dlist", metavar="DEV1,DEV2,...",
                      help="the names of the devices to create (with -nodb only)")
    orb = parser.add_argument_group(
        "omniORB options", "-ORB<option> <value> (or --ORB<option> <value>): passed to omniORB as "
        "they are, e.g. -ORBtraceLevel 5")
    orb.add_argument("-ORBendPoint", "--ORBendPoint", dest="ORBendPoint", metavar="giop:tcp:<host>:<port>",
                     help="the address and port the server listens on")
    for name in orb_options:
        orb.add_argument(f"-{name}", f"--{name}", dest=name, help=argparse.SUPPRESS)
    return parser


def _take_trace_level(args):
    """(level or None, args without it): the first -vN, -v=N or -v N of args."""
    for i, arg in enumerate(args):
        match = _LEVEL_IN_OPTION.match(arg)
        if match:
            return int(match.group(1)), args[:i] + args[i + 1:]
        if _LEVEL_OPTION.fullmatch(arg) and i + 1 < len(args) and args[i + 1].isdigit():
            return int(args[i + 1]), args[:i] + args[i + 2:]
    return None, args


def parse_args(args):
    """The command line of a device server (program first, then the instance name and options)
    in cppTango's words: a list of strings, the program without its extension first.

    -v, -vv, --verbose (counted) and -vN, -v N (wins) become -vN; -file X becomes -file=X;
    -port N [-host H] becomes -ORBendPoint giop:tcp:H:N (H 0.0.0.0 by default) unless
    -ORBendPoint is given; every option has its long form (--nodb, --port...); any -ORBxxx value
    or --ORBxxx value is passed on as -ORBxxx value. SystemExit: -nodb without -port or
    -ORBendPoint, -dlist without -nodb, no instance name, an unknown option (-dbg, -i, -s and -u
    are known on Windows only); -h, -? and --help print the help and exit."""
    args = [str(a) for a in args]
    if not args:
        raise SystemExit("a device server's command line starts with its program name")
    prog = os.path.splitext(args[0])[0]
    level, rest = _take_trace_level(args[1:])
    orb_options = []
    for arg in rest:
        match = _ORB_OPTION.match(arg)
        if match and match.group(1) != "endPoint" and f"ORB{match.group(1)}" not in orb_options:
            orb_options.append(f"ORB{match.group(1)}")
    parsed = _parser(prog, orb_options).parse_args(rest)

    endpoint = parsed.ORBendPoint
    if endpoint is None and parsed.port:
        endpoint = f"giop:tcp:{parsed.host}:{parsed.port}"
    if parsed.nodb and endpoint is None:
        raise SystemExit("-nodb needs the port to listen on: give -port (and -host) or -ORBendPoint")
    if parsed.dlist is not None and not parsed.nodb:
        raise SystemExit("-dlist names the devices of a server without database: give -nodb too")

    out = [prog, *parsed.instance_name]
    if level is None and parsed.verbose is not None:
        level = parsed.verbose
    if level is not None:
        out.append(f"-v{level}")
    if parsed.file is not None:
        out.append(f"-file={parsed.file}")
    for flag in ("dbg", "i", "s", "u"):
        if getattr(parsed, flag, False):
            out.append(f"-{flag}")
    if parsed.nodb:  # before -dlist: cppTango takes -dlist only after -nodb
        out.append("-nodb")
    if parsed.dlist is not None:
        out += ["-dlist", parsed.dlist]
    if endpoint is not None:
        out += ["-ORBendPoint", endpoint]
    for name in orb_options:
        value = getattr(parsed, name)
        if value is not None:
            out += [f"-{name}", value]
    return out
