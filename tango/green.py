"""Green modes: what a blocking call returns in each concurrency model.

A client call (a read, a write, a command...) is a blocking call into cppTango. The green mode of
the proxy (or the ``green_mode=`` of the call) decides how it is made:

- Synchronous: now, in the calling thread; the value is returned.
- Futures: on a thread pool; a ``concurrent.futures.Future`` with ``wait=False``, else its value.
- Gevent: on gevent's thread pool, so the hub keeps running; an ``AsyncResult`` with
  ``wait=False``, else its value (the calling greenlet waits, the others run).
- Asyncio: an ``asyncio.Future``. Awaited on a loop with nothing else ready, the call is made in
  place (it releases the GIL and costs no thread switch); otherwise, or when that call was slow
  last time, it runs on worker threads and the loop goes on (see ``tango/_asyncio_calls.py``).

A call's ``key`` is ``(table, name)``: the asyncio executor keeps the duration of the last call
of that name (method and attribute or command name) in that table, a dict each proxy owns.

Device servers use the same modes through ``tango.server`` (see ``tango/server/green.py``).
"""

import functools
import inspect
import os
import threading

from .enums import GreenMode

__all__ = ["get_green_mode", "set_green_mode", "get_executor", "green_callback"]

_default_green_mode = GreenMode.Synchronous


def get_green_mode():
    """The green mode used by proxies created without an explicit one."""
    return _default_green_mode


def set_green_mode(green_mode=None):
    """Set the default green mode (None means Synchronous)."""
    global _default_green_mode
    if green_mode is None:
        green_mode = GreenMode.Synchronous
    _default_green_mode = _as_mode(green_mode)


def _as_mode(green_mode):
    if isinstance(green_mode, str):
        return GreenMode[green_mode]
    return GreenMode(green_mode)


def import_gevent():
    """gevent, or a clear error: it is an optional dependency (``pip install pytango[gevent]``)."""
    try:
        import gevent
        import gevent.event  # noqa: F401
        import gevent.threadpool  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            "the Gevent green mode needs gevent, which is not installed: "
            "pip install gevent (or pytango[gevent])"
        ) from exc
    return gevent


# -- executors ------------------------------------------------------------------------------------

# The thread that owns each mode's calls, when one does: a green server's worker
# (tango/server/green.py claims it). A handler run there is "in the executor's context"; one run
# by cppTango's own request threads (``green_mode=False``) is not.
_owner_threads = {}


def claim_executor_thread(green_mode, thread_ident):
    """Make ``thread_ident`` the thread that owns ``green_mode``'s calls (None: no owner)."""
    _owner_threads[_as_mode(green_mode)] = thread_ident


class _Executor:
    """What every client executor shares: PyTango's executor attributes."""

    mode = None
    asynchronous = True  # the calls go elsewhere (a pool, a loop, a hub)
    default_wait = True

    def get_ident(self):
        """(thread id, process id) of the thread whose calls this executor makes."""
        owner = _owner_threads.get(self.mode)
        return (owner if owner is not None else threading.get_ident()), os.getpid()

    def in_executor_context(self):
        """True in the thread this mode's calls belong to: a green server's worker, or any
        thread when no server owns the mode (each thread drives its own calls)."""
        owner = _owner_threads.get(self.mode)
        return owner is None or owner == threading.get_ident()


class _SynchronousExecutor(_Executor):
    mode = GreenMode.Synchronous
    asynchronous = False

    def run(self, fn, args, kwargs, wait=None, timeout=None, key=None):
        return fn(*args, **kwargs)


class _FuturesExecutor(_Executor):
    """Calls on a thread pool (the calls release the GIL, so the threads do overlap)."""

    mode = GreenMode.Futures

    def __init__(self):
        self._pool = None
        self._lock = threading.Lock()

    @property
    def pool(self):
        if self._pool is None:
            import concurrent.futures  # imported when first used: `import tango` stays fast

            with self._lock:
                if self._pool is None:
                    self._pool = concurrent.futures.ThreadPoolExecutor(
                        max_workers=max(8, 2 * (os.cpu_count() or 1)), thread_name_prefix="pytango-futures"
                    )
        return self._pool

    def run(self, fn, args, kwargs, wait=None, timeout=None, key=None):
        future = self.pool.submit(fn, *args, **kwargs)
        if wait is False:
            return future
        return future.result(timeout)


class _GeventExecutor(_Executor):
    """Calls on gevent's thread pool: the hub (and every other greenlet) runs meanwhile."""

    mode = GreenMode.Gevent

    def run(self, fn, args, kwargs, wait=None, timeout=None, key=None):
        gevent = import_gevent()
        result = gevent.get_hub().threadpool.spawn(fn, *args, **kwargs)
        if wait is False:
            return result
        return result.get(timeout=timeout)


class _AsyncioExecutor(_Executor):
    """Futures for asyncio (tango/_asyncio_calls.py): the call starts when the future is first
    awaited (in place when that is as quick as a synchronous call, see there) or watched
    (gathered, ``wait_for``...), on worker threads; with ``wait=False`` it starts at once, on
    the workers. ``timeout`` (seconds) bounds the wait as ``asyncio.wait_for`` does. Outside a
    running loop (a script, a test) the call is made at once, and as in PyTango the result is a
    future of the thread's event loop (``loop.run_until_complete(dev.ping())``), done already;
    ``wait=True`` gives the value itself.
    """

    mode = GreenMode.Asyncio
    default_wait = False

    def run(self, fn, args, kwargs, wait=None, timeout=None, key=None):
        # (on the path of every asyncio call: kept to a few operations)
        loop = _running_loop()
        if loop is None:  # no loop runs in this thread: nothing to await with, call now
            if wait:
                result = fn(*args, **kwargs)
                _run_thread_loop_once()  # what PyTango's wait does: the loop's callbacks run
                return result
            return _done_future(fn, args, kwargs)
        calls = _asyncio_calls()
        future = calls.new_future(loop, calls.PyCall(fn, args, kwargs, key))
        if timeout is not None:  # never in place: the timeout could not interrupt it
            return calls.asyncio.wait_for(future, timeout)
        if wait is False:
            calls.start_now(future)
        return future

    @property
    def placement(self):
        """Where awaited calls run, for the whole process: ``"auto"`` (the default: in place
        when quick and the loop is idle), ``"in_place"`` or ``"workers"``; settable (see
        ``tango/_asyncio_calls.py``)."""
        return _asyncio_calls().get_placement()

    @placement.setter
    def placement(self, placement):
        _asyncio_calls().set_placement(placement)

    def call_counts(self):
        """How many asyncio calls started so far: ``{"in_place", "pool", "workers"}``."""
        return _asyncio_calls().call_counts()


def _running_loop():
    """The asyncio loop running in this thread, or None (asyncio is imported when first used)."""
    global _running_loop
    import asyncio

    _running_loop = asyncio._get_running_loop  # C-accelerated, None when no loop runs
    return _running_loop()


_thread_loops = threading.local()


def _thread_loop():
    """The event loop of this thread, which no loop runs now (made and set as the thread's loop
    when it has none, as PyTango's asyncio executor does)."""
    import asyncio
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # no current loop (Python >= 3.12)
        try:
            loop = asyncio.get_event_loop()
        except RuntimeError:
            loop = None
    if loop is None or loop.is_closed():
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
    _thread_loops.loop = loop
    return loop


def _run_thread_loop_once():
    """Run the callbacks waiting on this thread's loop (event callbacks of asyncio proxies used
    outside a running loop), when green calls have used one."""
    loop = getattr(_thread_loops, "loop", None)
    if loop is not None and not loop.is_closed() and not loop.is_running():
        import asyncio

        loop.run_until_complete(asyncio.sleep(0))


def _done_future(fn, args, kwargs):
    """The future, done, of a call made now, on the event loop of this thread, for a loop that
    is not running yet."""
    loop = _thread_loop()
    future = loop.create_future()
    try:
        future.set_result(fn(*args, **kwargs))
    except Exception as exc:
        future.set_exception(exc)
    return future


def _asyncio_calls():
    """tango._asyncio_calls, imported when first used (it imports asyncio)."""
    global _asyncio_calls
    from . import _asyncio_calls as calls

    _asyncio_calls = lambda: calls  # noqa: E731
    return calls


_EXECUTORS = {
    GreenMode.Synchronous: _SynchronousExecutor(),
    GreenMode.Futures: _FuturesExecutor(),
    GreenMode.Gevent: _GeventExecutor(),
    GreenMode.Asyncio: _AsyncioExecutor(),
}


def get_executor(green_mode=None):
    """The client executor of a green mode (the default mode for None)."""
    if green_mode is None:
        green_mode = _default_green_mode
    executor = _EXECUTORS.get(green_mode)  # a GreenMode already: the common case, no conversion
    return executor if executor is not None else _EXECUTORS[_as_mode(green_mode)]


def green_call(green_mode, fn, args=(), kwargs=None, wait=None, timeout=None, key=None):
    """Make the call ``fn(*args, **kwargs)`` the way ``green_mode`` wants."""
    return get_executor(green_mode).run(fn, args, kwargs or {}, wait=wait, timeout=timeout, key=key)


def green_callback(callback, green_mode):
    """An event or asynch callback adapted to a green mode.

    Asyncio: the callback runs on the loop that was running when it was registered (a coroutine
    function becomes a task there); with no running loop a plain callback runs at once and a
    coroutine function on the thread's event loop, when it runs. Gevent: it runs in the hub's thread, as a greenlet. Other
    modes: unchanged (it runs on cppTango's thread, with the GIL).
    """
    mode = _as_mode(green_mode) if green_mode is not None else GreenMode.Synchronous
    if mode == GreenMode.Asyncio:
        import asyncio

        target = _target(callback)
        if not inspect.iscoroutinefunction(target):
            # as PyTango 10: a plain callback of an asyncio proxy still runs, and is deprecated
            from ._warnings import warn_once

            name = getattr(target, "__qualname__", repr(target))
            warn_once(f"Sync {name} function called: support of sync functions in PyTango's Asyncio mode is "
                      "deprecated. Use 'async def' instead of 'def'.", key=f"deprecated:asyncio-callback:{name}",
                      category=DeprecationWarning, stacklevel=3)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None:
            if not inspect.iscoroutinefunction(target):
                return callback  # no loop to run it on: it runs at once, on cppTango's thread
            # a coroutine function: on the thread's loop, when it runs (run_until_complete, or
            # a call's wait=True, as in PyTango)
            loop = _thread_loop()
        return _LoopCallback(callback, loop)
    if mode == GreenMode.Gevent:
        return _GeventCallback(callback, import_gevent())
    return callback


def _target(callback):
    push = getattr(callback, "push_event", None)
    return push if push is not None and not inspect.isfunction(callback) else callback


class _LoopCallback:
    """Runs a callback (or a coroutine function) on an asyncio loop, from any thread."""

    def __init__(self, callback, loop):
        self.callback = callback
        self.target = _target(callback)
        self.loop = loop

    def __call__(self, event):
        if self.loop.is_closed():
            return
        try:
            self.loop.call_soon_threadsafe(self._run, event)
        except RuntimeError:  # the loop closed meanwhile
            pass

    def _run(self, event):
        result = self.target(event)
        if inspect.isawaitable(result):
            self.loop.create_task(_report_errors(result))

    push_event = __call__


async def _report_errors(awaitable):
    try:
        await awaitable
    except Exception as exc:  # a callback's error must not vanish silently
        import sys

        sys.unraisablehook(_Unraisable(exc, awaitable))


class _Unraisable:
    def __init__(self, exc, obj):
        self.exc_type, self.exc_value, self.exc_traceback = type(exc), exc, exc.__traceback__
        self.err_msg = "Exception in an event callback"
        self.object = obj


class _GeventCallback:
    """Runs a callback in the gevent hub's thread (cppTango's threads are not greenlets)."""

    def __init__(self, callback, gevent):
        self.target = _target(callback)
        self.hub = gevent.get_hub()
        self.gevent = gevent

    def __call__(self, event):
        self.hub.loop.run_callback_threadsafe(self.gevent.spawn, self.target, event)

    push_event = __call__


# -- green methods, declared in the class body ---------------------------------------------------


def green_method(fn):
    """Declare a blocking method of a client object (DeviceProxy, AttributeProxy): in its class
    body, ``state = green_method(_tango.DeviceProxy.state)`` or ``@green_method`` on a ``def``.

    The method takes ``green_mode=``, ``wait=`` and ``timeout=`` besides its own arguments and
    makes the call as that mode wants, else as the object's own mode (``_green_mode`` in its
    ``__dict__``, None for the default mode) wants: in place for Synchronous, through the mode's
    executor otherwise (the object's own, ``_executors[mode]`` in its ``__dict__``, when it has
    one). ``fn`` itself is the plain call (``method.__wrapped__``): a green
    method's body calls plain ones only, since one executor call must not start another.
    """
    if not callable(fn):
        raise TypeError(f"green_method needs a function, not {fn!r}")
    name = getattr(fn, "__name__", None)
    if not isinstance(name, str):
        raise TypeError(f"green_method needs a named function, not {fn!r}")
    synchronous = GreenMode.Synchronous
    executors = _EXECUTORS

    @functools.wraps(fn)
    def method(self, *args, green_mode=None, wait=None, timeout=None, **kwargs):
        # on the path of every call: direct lookups, no helper calls
        if green_mode is None:
            green_mode = self.__dict__.get("_green_mode")
            if green_mode is None:
                green_mode = _default_green_mode
        if green_mode is synchronous:
            return fn(self, *args, **kwargs)
        own = self.__dict__.get("_executors")  # the object's own executors (PyTango's arguments)
        if own:
            executor = own.get(green_mode)
            if executor is not None:
                return executor.run(fn, (self,) + args, kwargs, wait=wait, timeout=timeout)
        executor = executors.get(green_mode)
        if executor is None:
            executor = _EXECUTORS[_as_mode(green_mode)]
        return executor.run(fn, (self,) + args, kwargs, wait, timeout, call_key(self, name, args))

    if not inspect.isfunction(fn):  # a compiled method: its qualified name is pybind11's own
        method.__qualname__ = name
    method.__green__ = True
    return method


def call_key(obj, method, args):
    """What the asyncio executor keeps call durations by (see the module's doc): a table of the
    object, and the method with the attribute or command name (a slow command must not make a
    fast read look slow)."""
    table = obj.__dict__.get("_green_durations")
    if table is None:
        table = obj.__dict__["_green_durations"] = {}
    return table, (method, args[0] if args and type(args[0]) is str else None)


def resolved_mode(obj, green_mode=None):
    """The green mode of one call on ``obj``: ``green_mode``, else the object's, else the default."""
    if green_mode is None:
        green_mode = obj.__dict__.get("_green_mode")
        if green_mode is None:
            return _default_green_mode
    return green_mode if type(green_mode) is GreenMode else _as_mode(green_mode)


__all__ += ["green_method", "call_key", "resolved_mode"]


# -- PyTango's green-call API: green methods of any object ---------------------------------------


def get_object_green_mode(obj):
    """The green mode of an object: its ``get_green_mode()`` if it has one, else the default."""
    getter = getattr(obj, "get_green_mode", None)
    mode = getter() if callable(getter) else None
    return mode if mode is not None else _default_green_mode


def get_object_executor(obj, green_mode=None):
    """The executor that makes ``obj``'s calls in ``green_mode`` (default: the object's mode)."""
    return get_executor(green_mode if green_mode is not None else get_object_green_mode(obj))


def get_synchronous_executor():
    """The executor that makes calls in place."""
    return _EXECUTORS[GreenMode.Synchronous]


def green(fn=None, consume_green_mode=True):
    """Make a method green, as PyTango's ``tango.green.green``: called on an object, it runs
    through the executor of the call's ``green_mode=`` (default: the object's green mode, see
    get_object_green_mode) and takes ``wait=`` and ``timeout=`` as proxy methods do. With
    ``consume_green_mode=False`` the method still receives ``green_mode``."""
    if fn is None:
        return lambda function: green(function, consume_green_mode)

    @functools.wraps(fn)
    def greener(obj, *args, wait=None, timeout=None, **kwargs):
        mode = kwargs.pop("green_mode", None) if consume_green_mode else kwargs.get("green_mode")
        return get_object_executor(obj, mode).run(fn, (obj,) + args, kwargs, wait=wait, timeout=timeout)

    return greener


__all__ += ["get_object_green_mode", "get_object_executor", "get_synchronous_executor", "green"]

# PyTango's executor classes, where its tango.green has them (tango/_executor_base.py)
from ._executor_base import AbstractExecutor, SynchronousExecutor  # noqa: E402

__all__ += ["AbstractExecutor", "SynchronousExecutor"]


# -- PyTango's thread pool, executor switching and green docstrings ------------------------------


def get_thread_pool_executor(max_workers=20):
    """The thread pool (a ``tango.utils.PyTangoThreadPoolExecutor``) that the executors of
    tango.asyncio_executor and tango.futures_executor delegate their calls to, made on the first
    call with ``max_workers`` threads at most and shared by every later caller (a later
    ``max_workers`` does not change it)."""
    from ._executor_base import thread_pool

    return thread_pool(max_workers)


def switch_existing_global_executors_to_thread():
    """Give the calling thread its own global executors (those of tango.asyncio_executor,
    tango.futures_executor and tango.gevent_executor).

    Each global executor that exists already and belongs to another thread is set aside for
    that thread, which keeps getting it from ``get_global_executor()``; a new one, made in the
    calling thread, becomes the global executor for every other thread. An executor that does
    not exist yet is left to be made on first use. This is what a device server started in a
    thread of a process whose main thread already used executors (a DeviceTestContext) needs:
    each side then has executors of its own thread (and, for asyncio, of its own loop).
    """
    import sys

    for name in ("asyncio_executor", "futures_executor", "gevent_executor"):
        # a module not imported yet has no global executor to switch
        module = sys.modules.get(f"{__package__}.{name}")
        if module is not None:
            module._switch_global_executor_to_thread()


__all__ += ["switch_existing_global_executors_to_thread"]

# The placeholders of a green method's docstring, and what fill_green_doc puts there.
_GREEN_KWARGS = "green_mode: GreenMode=None, wait: bool=True, timeout: float=None"

_GREEN_KWARGS_DESCRIPTION = """\
:param green_mode: the green mode of this call; None (the default) means the object's own mode,
                   see :meth:`~tango.DeviceProxy.get_green_mode` and
                   :meth:`~tango.DeviceProxy.set_green_mode`.
:type green_mode: :py:obj:`~tango.GreenMode`, optional

:param wait: whether to wait for the result (the result itself) or not (a future, an
             AsyncResult or an asyncio future, as the mode makes). Ignored in the Synchronous
             mode, where a call always waits.
:type wait: bool, optional

:param timeout: how long to wait for the result, in seconds; None waits without limit. Ignored
                in the Synchronous mode and when ``wait`` is False.
:type timeout: float, optional"""

_GREEN_RAISES = """\
:throws:
    :py:obj:`TimeoutError`: (Futures mode) the call did not finish within ``timeout``. \\n
    :py:obj:`gevent.Timeout`: (Gevent mode) the call did not finish within ``timeout``. \\n"""


def _placeholder_lines(text, placeholder, block):
    """``text`` with each line made of ``placeholder`` alone (after its indentation) replaced by
    ``block``, every line of it indented as the placeholder was."""
    out = []
    for line in text.splitlines(True):
        body = line.lstrip(" \t")
        if body.startswith(placeholder):
            indent = line[:len(line) - len(body)]
            rest = body[len(placeholder):]
            out.append("".join(indent + part if part.strip() else part
                               for part in block.splitlines(True)) + rest)
        else:
            out.append(line)
    return "".join(out)


def fill_green_doc(method):
    """Fill the green placeholders of ``method``'s docstring, in place (``method.__doc__``).

    ``__GREEN_KWARGS__`` becomes the green keyword arguments of a signature line
    (``green_mode``, ``wait``, ``timeout``); a line holding ``__GREEN_KWARGS_DESCRIPTION__``
    becomes their ``:param:`` descriptions and one holding ``__GREEN_RAISES__`` the exceptions
    of a green wait, both indented as the placeholder was. The docstring is cleaned first as
    ``help()`` shows it (``inspect.cleandoc``: the common indentation and the blank lines
    around it removed). A docstring with no line starting with ``__GREEN_KWARGS_DESCRIPTION__`` is left as it is;
    ``method`` must have a docstring (TypeError otherwise).
    """
    doc = getattr(method, "__doc__", None)
    if not isinstance(doc, str):
        raise TypeError(f"fill_green_doc needs a function with a docstring, not {method!r}")
    if not any(line.lstrip(" \t").startswith("__GREEN_KWARGS_DESCRIPTION__") for line in doc.splitlines()):
        return
    text = inspect.cleandoc(doc).replace("__GREEN_KWARGS__", _GREEN_KWARGS)
    text = _placeholder_lines(text, "__GREEN_KWARGS_DESCRIPTION__", _GREEN_KWARGS_DESCRIPTION)
    text = _placeholder_lines(text, "__GREEN_RAISES__", _GREEN_RAISES)
    method.__doc__ = text


def __getattr__(name):
    # tango.utils makes its thread pool class on first use (concurrent.futures is a heavy import)
    if name == "PyTangoThreadPoolExecutor":
        from .utils import PyTangoThreadPoolExecutor

        globals()[name] = PyTangoThreadPoolExecutor
        return PyTangoThreadPoolExecutor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | {"PyTangoThreadPoolExecutor"})
