"""Client proxies used the way each green mode is used, for the client suites.

The ``dev`` fixture of conftest.py gives a ``GreenClient``: it is used as a proxy is
(``dev.read_attribute(...)``, ``dev.attr``, ``dev.attr = v``, ``dev.Command(arg)``, ``dev[name]``)
and makes each call the way its green mode's users make it, failing when the call does not go
through that mode's executor:

- Asyncio: on a running loop (a loop thread of the session): the call must give a
  ``TangoFuture`` (tango/_asyncio_calls.py), which is awaited there;
- Futures: the calling thread must wait on a ``concurrent.futures.Future`` while the call is made
  (the call runs on the executor's pool);
- Gevent: the hub must run while the call is made (a greenlet spawned just before the call has
  run when it returns: the calling greenlet waited for gevent's thread pool);
- Synchronous: the call as it is.

A ``DevFailed`` raised at once by a green call means the call was made in the caller: it fails
too. Methods that make no call through the executor (names, timeouts, the frozen interface...)
are called as they are. ``dev.attr = v`` and ``dev[name] = v`` write at once in every mode (an
assignment cannot be awaited); in Asyncio they are made on the loop, as an asyncio program makes
them, and fail if they leave a call unmade.
"""

import asyncio
import concurrent.futures
import contextlib
import sys
import threading
import warnings

from tango import DevFailed, GreenMode

TIMEOUT = 120.0  # seconds: a bound on one call, not a timing limit

# Methods of DeviceProxy and AttributeProxy that make no call through the green executor.
LOCAL = frozenset({
    "name", "dev_name", "adm_name", "get_full_name", "get_timeout_millis", "set_timeout_millis",
    "get_green_mode", "set_green_mode", "freeze_dynamic_interface", "unfreeze_dynamic_interface",
    "is_dynamic_interface_frozen", "get_transparency_reconnection", "set_transparency_reconnection",
    "get_source", "set_source", "is_dbase_used", "get_dev_host", "get_dev_port", "get_db_host",
    "get_db_port", "get_device_proxy", "get_events",
})

_FUTURE_RESULT = concurrent.futures.Future.result.__code__


class LoopThread:
    """An asyncio loop running in a thread of its own, for the calls of Asyncio clients."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="test-client-loop",
                                       daemon=True)
        self.thread.start()

    def run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(TIMEOUT)

    def close(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(TIMEOUT)
        self.loop.close()


def _made_at_once(what, exc):
    return AssertionError(f"{what} raised {type(exc).__name__} at once: the call was made in the "
                          "caller, not through the green executor")


@contextlib.contextmanager
def _waits_on_a_future(what):
    """The calling thread must wait on a concurrent.futures.Future within the block."""
    waited = []

    def profile(frame, event, arg):
        if event == "call" and frame.f_code is _FUTURE_RESULT:
            waited.append(True)

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield
    except DevFailed as exc:
        sys.setprofile(previous)
        if not waited:
            raise _made_at_once(what, exc) from exc
        raise
    finally:
        sys.setprofile(previous)
    if not waited:
        raise AssertionError(f"{what} did not wait on a concurrent.futures.Future: it was not "
                             "made on the Futures executor's pool")


@contextlib.contextmanager
def _hub_runs(what):
    """The gevent hub must run within the block (the calling greenlet waited)."""
    import gevent

    ran = []
    marker = gevent.spawn(ran.append, True)
    try:
        yield
    except DevFailed as exc:
        if not ran:
            raise _made_at_once(what, exc) from exc
        raise
    finally:
        if not ran:
            marker.kill(block=False)
    if not ran:
        raise AssertionError(f"{what} did not let the gevent hub run: it was not made on "
                             "gevent's thread pool")


class GreenClient:
    """A proxy (DeviceProxy or AttributeProxy) whose calls are made as its green mode wants."""

    def __init__(self, target, mode, loop=None, made=None):
        if mode == GreenMode.Asyncio and loop is None:
            raise TypeError("an Asyncio client needs a LoopThread")
        d = self.__dict__
        d["proxy"], d["mode"], d["_loop"] = target, GreenMode(mode), loop
        # the calls made through the mode's executor (checked), shared with the wrapped proxies
        d["made"] = made if made is not None else [0]

    def wrap(self, target):
        """Another proxy, used in the same green mode."""
        return GreenClient(target, self.mode, self._loop, self.made)

    @property
    def green_calls(self):
        """How many calls this client and the proxies it wrapped made through the green mode."""
        return self.made[0]

    # -- the calls -----------------------------------------------------------------------------

    def _call(self, what, make, *, command_ok=False, awaitable_ok=False):
        """Make the call ``make()`` in the green mode. ``command_ok``: a callable result is a
        command of the device (dev.Command looked up: no call made); ``awaitable_ok``: any
        awaitable is accepted (a call with a timeout gives asyncio.wait_for's coroutine)."""
        if self.mode == GreenMode.Synchronous:
            result = self._make(make, command_ok)
            return self._command(what, result) if command_ok and callable(result) else result
        if self.mode == GreenMode.Asyncio:
            return self._loop.run(self._awaited(what, make, command_ok, awaitable_ok))
        check = _waits_on_a_future if self.mode == GreenMode.Futures else _hub_runs
        if command_ok:  # dev.name: checked when it read an attribute, not for a command
            with _maybe(check, what) as state:
                result = self._make(make, command_ok)
                state.required = not callable(result)
            return result if state.required else self._command(what, result)
        with check(what):
            return self._make(make, False)

    def _make(self, make, command_ok):
        """``make()``, counted as a call made unless it only looked up a command."""
        try:
            result = make()
        except Exception:
            self.made[0] += 1  # the call was made, and failed
            raise
        if not (command_ok and callable(result)):
            self.made[0] += 1
        return result

    async def _awaited(self, what, make, command_ok, awaitable_ok):
        from tango._asyncio_calls import TangoFuture

        try:
            result = make()
        except DevFailed as exc:
            raise _made_at_once(what, exc) from exc
        if command_ok and callable(result):
            return self._command(what, result)
        if isinstance(result, TangoFuture) or (awaitable_ok and asyncio.iscoroutine(result)):
            self.made[0] += 1
            return await result
        raise AssertionError(f"{what} gave {type(result).__name__} {result!r}, not a TangoFuture: "
                             "it was not made through the asyncio executor")

    def _command(self, what, command):
        def call(*args, **kwargs):
            return self._call(f"{what}(...)", lambda: command(*args, **kwargs),
                              awaitable_ok=kwargs.get("timeout") is not None)

        call.__name__ = getattr(command, "__name__", what)
        return call

    def __getattr__(self, name):
        target = self.proxy
        if name.startswith("__"):
            raise AttributeError(name)
        if hasattr(type(target), name):  # a method of the proxy
            method = getattr(target, name)
            if name in LOCAL or not callable(method):
                return method

            def call(*args, **kwargs):
                return self._call(f"{name}()", lambda: method(*args, **kwargs),
                                  awaitable_ok=kwargs.get("timeout") is not None)

            call.__name__ = name
            return call
        # dev.attr (a read) or dev.Command (a command to call)
        return self._call(f"dev.{name}", lambda: getattr(target, name), command_ok=True)

    def __setattr__(self, name, value):
        def write():
            setattr(self.proxy, name, value)

        self._assign(f"dev.{name} = ...", write)

    def __getitem__(self, name):
        return self._call(f"dev[{name!r}]", lambda: self.proxy[name])

    def __setitem__(self, name, value):
        def write():
            self.proxy[name] = value

        self._assign(f"dev[{name!r}] = ...", write)

    def _assign(self, what, write):
        """An assignment (dev.attr = v, dev[name] = v): nothing to await, so it must write at
        once; in Asyncio it is made on the loop, and a call left unawaited (never made) fails."""
        if self.mode != GreenMode.Asyncio:
            return write()

        async def on_loop():
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                write()
            unmade = [str(w.message) for w in caught if "never awaited" in str(w.message)]
            if unmade:
                raise AssertionError(f"{what} on a running loop did not write: {unmade}")

        self._loop.run(on_loop())

    # -- what is local ---------------------------------------------------------------------------

    def __contains__(self, name):
        return name in self.proxy

    def __dir__(self):
        return dir(self.proxy)

    def __repr__(self):
        return repr(self.proxy)

    def __str__(self):
        return str(self.proxy)


class _Optional:
    required = True


@contextlib.contextmanager
def _maybe(check, what):
    """``check(what)`` around the block, enforced only if the block sets ``required``."""
    state = _Optional()
    try:
        with check(what):
            yield state
    except AssertionError:
        if state.required:
            raise
