"""Device names as the database server takes them:
``[tango:|taco:][//instance/]domain/family/member`` (the instance, host:port of a database, is
dropped), three non-empty parts, no wildcard."""

_PROTOCOLS = ("tango:", "taco:")
_INVALID = (False, None, None)


def check_device_name(dev_name):
    """Whether dev_name is a device name the database can store, with the name it stores:
    ``(True, "domain/family/member", [domain, family, member])``, else ``(False, None, None)``:
    a ``*`` anywhere, an empty ``//instance/``, or other than three non-empty parts.

    ``check_device_name("tango://host:10000/Sys/Tg_Test/1")`` is
    ``(True, "Sys/Tg_Test/1", ["Sys", "Tg_Test", "1"])`` (the spelling is kept); the protocol is
    recognised in lower case only, as the C++ DataBaseds does."""
    if "*" in dev_name:
        return _INVALID
    for protocol in _PROTOCOLS:
        if dev_name.startswith(protocol):
            dev_name = dev_name[len(protocol):]
            break
    if dev_name.startswith("//"):
        instance, slash, dev_name = dev_name[2:].partition("/")
        if not instance or not slash:
            return _INVALID
    parts = dev_name.split("/")
    if len(parts) != 3 or not all(parts):
        return _INVALID
    return True, dev_name, parts
