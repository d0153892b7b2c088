"""``command``: a Tango command declared on a Device class.

    @command
    def calibrate(self): ...

    @command(dtype_in=float, dtype_out=str, doc_in="the set point")
    def ramp(self, target): ...

    @command
    def add(self, values: list[float]) -> float: ...     # types from the hints
"""

import functools
import inspect
import typing

from .._tango import CmdArgType, CmdSpec, DispLevel
from ._declaration import find_method
from .dtypes import cmd_type

__all__ = ["command"]


def command(f=None, dtype_in=None, dformat_in=None, doc_in="", dtype_out=None, dformat_out=None,
            doc_out="", display_level=None, polling_period=None, green_mode=None, fisallowed=None,
            cmd_green_mode=None, isallowed_green_mode=None):
    """Declare a device method as a Tango command (usable with or without arguments)."""
    if f is None:
        return functools.partial(
            command, dtype_in=dtype_in, dformat_in=dformat_in, doc_in=doc_in, dtype_out=dtype_out,
            dformat_out=dformat_out, doc_out=doc_out, display_level=display_level,
            polling_period=polling_period, green_mode=green_mode, fisallowed=fisallowed,
            cmd_green_mode=cmd_green_mode, isallowed_green_mode=isallowed_green_mode,
        )
    if inspect.ismethod(f):
        f = _unbound(f)  # command(f=self.method) for add_command: a method object takes no marks
    green = True if green_mode is None else bool(green_mode)
    f.__tango_command__ = dict(
        dtype_in=dtype_in, dformat_in=dformat_in, doc_in=doc_in, dtype_out=dtype_out,
        dformat_out=dformat_out, doc_out=doc_out, display_level=display_level,
        polling_period=polling_period, fisallowed=fisallowed,
        cmd_green_mode=green if cmd_green_mode is None else bool(cmd_green_mode),
        isallowed_green_mode=green if isallowed_green_mode is None else bool(isallowed_green_mode),
    )
    return f


def _unbound(method):
    """A function that behaves as method's function called with its own object: (device, *args)
    -> method(*args), with the signature and hints of method's function (for the types)."""
    func = method.__func__

    def call(_device, *args):
        return method(*args)

    functools.update_wrapper(call, func)
    del call.__wrapped__
    call.__signature__ = inspect.signature(func)
    return call


def _command_spec(cls, python_name, func):
    """The CmdSpec of a command method of cls; its is_allowed is put on cls under a private name."""
    fisallowed = find_method(cls, func.__tango_command__["fisallowed"], f"is_{python_name}_allowed")
    spec, methods = _make_spec(python_name, func, fisallowed, python_name, "_tango_cmd")
    for method_name, fn in methods.items():
        setattr(cls, method_name, fn)
    return spec


def _make_spec(name, func, fisallowed, method, prefix):
    """(CmdSpec, {method name: function}) of a command: the caller puts the is_allowed function
    where the device finds it (its class, or the device)."""
    opts = func.__tango_command__
    hints = {}
    try:
        hints = typing.get_type_hints(func)
    except Exception:
        pass
    params = [p for p in inspect.signature(func).parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)][1:]
    dtype_in = opts["dtype_in"]
    if dtype_in is None and params:
        dtype_in = hints.get(params[0].name)
        if dtype_in is None:
            raise TypeError(
                f"command {name} takes an argument: give its type with dtype_in= or a type hint"
            )
    dtype_out = opts["dtype_out"]
    if dtype_out is None:
        dtype_out = hints.get("return")
    in_type = cmd_type(dtype_in, opts["dformat_in"])
    out_type = cmd_type(dtype_out, opts["dformat_out"])
    doc_in, doc_out = opts["doc_in"] or "", opts["doc_out"] or ""
    if func.__doc__ and not doc_in and not doc_out:
        doc = inspect.cleandoc(func.__doc__)
        doc_in = doc if in_type != CmdArgType.DevVoid else "Uninitialised"
        doc_out = doc if out_type != CmdArgType.DevVoid else "Uninitialised"
    methods = {}
    allowed_method = ""
    if fisallowed is not None:
        allowed_method = f"{prefix}_allowed_{name}"
        methods[allowed_method] = fisallowed
    return CmdSpec(
        name=name,
        dtype_in=in_type,
        dtype_out=out_type,
        doc_in=doc_in or "Uninitialised",
        doc_out=doc_out or "Uninitialised",
        display_level=DispLevel(opts["display_level"] if opts["display_level"] is not None else DispLevel.OPERATOR),
        method=method,
        is_allowed_method=allowed_method,
        polling_period=int(opts["polling_period"] or 0),
        cmd_green_mode=opts["cmd_green_mode"],
        isallowed_green_mode=opts["isallowed_green_mode"],
    ), methods
