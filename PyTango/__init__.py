"""``import PyTango``: the old name of the ``tango`` package, kept for old code.

``PyTango`` is ``tango`` itself (the same module object), and ``PyTango.X`` is ``tango.X`` for
every submodule that can be imported, so ``PyTango.DeviceProxy is tango.DeviceProxy`` and
``from PyTango.server import Device`` gives tango.server's Device. As in PyTango 10.3, importing
it does not warn (yet); new code should import ``tango``.
"""

import importlib
import pkgutil
import sys

import tango


def _alias_submodules(package, alias):
    """Register every importable submodule of ``package`` under the ``alias`` prefix too.

    A submodule that cannot be imported here (one that needs an optional dependency, such as
    tango.gevent without gevent) is left out: importing ``PyTango.gevent`` then fails as
    ``tango.gevent`` does.
    """
    prefix = package.__name__ + "."
    for module_info in pkgutil.walk_packages(package.__path__, prefix):
        if module_info.name.rsplit(".", 1)[-1] == "__main__":
            continue  # a script (python -m tango.databaseds): importing it would run it
        try:
            module = importlib.import_module(module_info.name)
        except ImportError:
            continue
        sys.modules[alias + "." + module_info.name[len(prefix):]] = module


_alias_submodules(tango, __name__)
# PyTango 9 called the compiled module _PyTango.
sys.modules[__name__ + "._PyTango"] = tango._tango
sys.modules[__name__] = tango
