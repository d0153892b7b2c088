"""``pipe``: a Tango pipe declared on a Device class.

A pipe carries a *blob*: a name and an ordered list of named data elements of any Tango type
(scalars, str, 1-D arrays, DevState, DevEncoded) or nested blobs, read (and written) in one call.

    info = pipe(label="Info")                              # read by read_info(self)

    def read_info(self):
        return "status", {"temperature": 21.5, "counts": numpy.arange(3), "state": DevState.ON}

    @pipe(label="Config", access=PipeWriteType.PIPE_READ_WRITE)
    def config(self):                                      # the read method
        return self._config

    @config.write
    def config(self, value):                               # the write method
        self._config = value                               # ("name", [{"name", "dtype", "value"}...])

A read method returns ``(blob_name, data)``, data being a dict ``{name: value}``, a list of
``{"name": ..., "value": ...[, "dtype": ...]}`` dicts, or a list of ``(name, value[, dtype])``
tuples. Without a dtype an element's type follows its value: bool -> DevBoolean, int ->
DevLong64, float -> DevDouble, str -> DevString, bytes -> DevVarCharArray, numpy scalars and
arrays -> their own type, lists -> an array of their items' type, DevState -> DevState,
``(format, bytes)`` -> DevEncoded and ``(name, data)`` -> a nested blob (DevPipeBlob). Empty
lists need a dtype. A write method receives the blob as clients read it:
``(blob_name, [{"name": ..., "dtype": CmdArgType, "value": ...}, ...])``. Arrays of one element
are read back as scalars (on the wire a scalar is an array of one).
"""

import inspect

from ._declaration import MethodDeclaration, find_method
from .._tango import DispLevel, PipeSpec, PipeWriteType

__all__ = ["pipe"]

_OPTIONS = {"name", "label", "description", "doc", "display_level", "access", "fget", "fread",
            "fset", "fwrite", "fisallowed", "green_mode", "read_green_mode", "write_green_mode",
            "isallowed_green_mode"}


class pipe(MethodDeclaration):
    """Declare a Tango pipe. See the module docstring for the forms."""

    _kind = "pipe"
    _options = frozenset(_OPTIONS)
    _doc_keys = ("description", "doc")
    _write_access = PipeWriteType.PIPE_READ_WRITE

    # -- the spec read by the compiled class factory -------------------------------------------

    def _spec(self, cls, python_name):
        kw = self.kwargs
        name = self.name or python_name

        fget = find_method(cls, self.fget, f"read_{name}")
        fset = find_method(cls, self.fset, f"write_{name}")
        fisallowed = find_method(cls, self.fisallowed, f"is_{name}_allowed")
        if fget is None:
            raise TypeError(f"pipe {name}: no read method (decorate it, give fget= or define read_{name})")
        access = kw.get("access")
        if access is None:
            access = PipeWriteType.PIPE_READ_WRITE if fset is not None else PipeWriteType.PIPE_READ
        access = PipeWriteType[access] if isinstance(access, str) else PipeWriteType(access)
        if access == PipeWriteType.PIPE_READ_WRITE and fset is None:
            raise TypeError(f"pipe {name} is PIPE_READ_WRITE: it needs a write method (@{name}.write "
                            f"or write_{name})")

        prefix = "_tango_pipe"
        read_method = f"{prefix}_read_{name}"
        setattr(cls, read_method, fget)
        write_method = allowed_method = ""
        if access == PipeWriteType.PIPE_READ_WRITE:
            write_method = f"{prefix}_write_{name}"
            setattr(cls, write_method, fset)
        if fisallowed is not None:
            if _positional_count(fisallowed) < 2:  # is_allowed(self): the request type is dropped
                plain = fisallowed
                fisallowed = lambda self, req_type: plain(self)  # noqa: E731
            allowed_method = f"{prefix}_allowed_{name}"
            setattr(cls, allowed_method, fisallowed)
        description = kw.get("description") or kw.get("doc")
        green = kw.get("green_mode", True)
        return PipeSpec(
            name=name,
            access=access,
            display_level=DispLevel(kw.get("display_level", DispLevel.OPERATOR)),
            label="" if kw.get("label") is None else str(kw["label"]),
            description="" if description is None else str(description),
            read_method=read_method,
            write_method=write_method,
            is_allowed_method=allowed_method,
            read_green_mode=bool(kw.get("read_green_mode", green)),
            write_green_mode=bool(kw.get("write_green_mode", green)),
            isallowed_green_mode=bool(kw.get("isallowed_green_mode", green)),
        )


def _positional_count(func):
    try:
        params = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return 2
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return 2
    return len([p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)])
