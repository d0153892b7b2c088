"""What ``attribute`` and ``pipe`` share: a declaration on a Device class whose read, write and
is_allowed methods are given as arguments or by decorators."""

import inspect


def find_method(owner, given, default_name):
    """A method given by name (looked up on owner) or as a function, else owner's method named
    by convention (None if it has none)."""
    if isinstance(given, str):
        return getattr(owner, given)
    return given if given is not None else getattr(owner, default_name, None)


class MethodDeclaration:
    """Collects fget/fset/fisallowed (or fread/fwrite) and the options; the docstring of the read
    method is the default description."""

    _kind = "declaration"     # the name used in error messages
    _options = frozenset()    # the options a subclass accepts
    _doc_keys = ("doc", "description")  # which option __doc__ shows first
    _write_access = None      # the access option a write method gives, unless one was given

    def __init__(self, fget=None, **kwargs):
        unknown = set(kwargs) - self._options
        if unknown:
            raise TypeError(f"{self._kind}() got unknown options: {', '.join(sorted(unknown))}")
        self.name = kwargs.pop("name", None)
        self.fget = fget or kwargs.pop("fread", None) or kwargs.pop("fget", None)
        kwargs.pop("fread", None)
        kwargs.pop("fget", None)
        self.fset = kwargs.pop("fwrite", None) or kwargs.pop("fset", None)
        kwargs.pop("fset", None)
        self.fisallowed = kwargs.pop("fisallowed", None)
        self.kwargs = kwargs
        if self.fget is not None and not isinstance(self.fget, str):
            self._take_doc(self.fget)

    def _take_doc(self, func):
        if "doc" not in self.kwargs and "description" not in self.kwargs and func.__doc__:
            self.kwargs["doc"] = inspect.cleandoc(func.__doc__)
        first, second = self._doc_keys
        self.__doc__ = self.kwargs.get(first) or self.kwargs.get(second)

    # -- decorator forms -----------------------------------------------------------------------

    def __call__(self, fget):
        """@attribute(...) / @pipe(...) applied to the read method."""
        self.fget = fget
        self._take_doc(fget)
        return self

    def getter(self, fget):
        self.fget = fget
        self._take_doc(fget)
        return self

    read = getter

    def setter(self, fset):
        self.fset = fset
        self.kwargs.setdefault("access", self._write_access)
        return self

    write = setter

    def is_allowed(self, fisallowed):
        self.fisallowed = fisallowed
        return self

    def __set_name__(self, owner, name):
        if self.name is None:
            self.name = name
