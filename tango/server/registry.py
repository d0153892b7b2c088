"""PyTango's registry of the classic classes of a server (its ``tango.class_list`` & co.):

- ``class_list``: a ``(DeviceClass subclass, device class, Tango class name)`` per classic class
  the server runs (filled when the server creates its devices);
- ``cpp_class_list``: the C++ classes (pytango loads none: always empty);
- ``constructed_class``: the ``DeviceClass`` instances made (one per class, before its first
  device).

``get_class(name)`` and the other look-ups search them; ``delete_class_list()`` empties
``constructed_class``, ``tango.server.cleanup_classes()`` the other two.
"""

from .classic import constructed_class

__all__ = ["class_list", "cpp_class_list", "constructed_class", "get_classes", "get_class", "get_cpp_classes",
           "get_cpp_class", "get_constructed_classes", "get_constructed_class", "delete_class_list",
           "class_factory"]

class_list = []
cpp_class_list = []


def get_classes():
    """The list of the server's classic classes (class_list itself)."""
    return class_list


def get_class(name):
    """The class_list entry whose Tango class name is ``name`` (None if there is none)."""
    for entry in class_list:
        if entry[2] == name:
            return entry
    return None


def get_cpp_classes():
    """The C++ classes of the server (cpp_class_list itself: pytango loads none)."""
    return cpp_class_list


def get_cpp_class(name):
    """The cpp_class_list entry of the Tango class ``name`` (None if there is none)."""
    for entry in cpp_class_list:
        if entry[1] == name:
            return entry
    return None


def get_constructed_classes():
    """The DeviceClass instances the server made (constructed_class itself)."""
    return constructed_class


def get_constructed_class(name):
    """The DeviceClass instance of the Tango class ``name`` (None if none was made)."""
    for klass in constructed_class:
        if klass.get_name() == name:
            return klass
    return None


def delete_class_list():
    """Forget the DeviceClass instances made (constructed_class emptied)."""
    del constructed_class[:]


def class_factory():
    """Make the DeviceClass instance of each class of class_list that has none yet (the
    server does it itself before a class's first device). SystemExit if class_list and
    cpp_class_list are both empty: a server needs a class."""
    if not class_list and not cpp_class_list:
        raise SystemExit("this device server has no Tango class: add one (Util.add_class) first")
    for class_class, impl, name in class_list:
        spec = impl.__dict__.get("_tango_class_spec")
        if spec is not None and spec.class_class is class_class and spec.name == name:
            spec.class_instance()
        elif get_constructed_class(name) is None:
            constructed_class.append(class_class(name))
