"""Green device servers: the device code runs on one worker the server owns.

cppTango calls a device from its own request threads, one request at a time per device (the
device monitor). In a green server those threads do not run the Python code themselves: they hand
each call (attribute read or write, command, is_allowed, init_device, dev_state...) to the
server's worker and wait for it, without the GIL:

- Futures: one worker thread; the device code is plain functions.
- Asyncio: one event loop in its own thread; the device code may be ``async def``. The loop
  belongs to the server (``get_server_loop()``), so a command can ``asyncio.create_task`` work
  that outlives it (a long calibration that changes the state later).
- Gevent: one gevent hub in its own thread; each call is a greenlet, so device code can use
  ``gevent.socket`` and ``gevent.spawn``.

Events pushed from the worker's own thread (a task on the loop, a greenlet) are handed to a
pusher thread: a push takes the device monitor, which a request thread may be holding while it
waits for this very worker, so pushing in place could deadlock. Pushes from any other thread are
made in place, as in a synchronous server.
"""

import contextvars
import functools
import inspect
import queue
import sys
import threading
import warnings

from .. import _tango
from ..enums import GreenMode
from ..green import _as_mode, claim_executor_thread, import_gevent

__all__ = ["get_worker", "set_worker", "run_in_executor", "server_worker", "get_server_loop", "start_worker", "install", "HOOKS"]

# The device methods cppTango calls by name (besides the attribute and command methods).
HOOKS = ("init_device", "delete_device", "always_executed_hook", "read_attr_hardware",
         "write_attr_hardware", "dev_state", "dev_status")

_worker = None


def server_worker():
    """The running server's worker (None in a synchronous server, or without a server)."""
    return _worker


_public_executor = {}  # the worker it stands for -> PyTango's executor for it


_set_worker = None  # the executor given to set_worker(), until the next server starts


def set_worker(worker):
    """Make ``worker`` (an executor: an object with ``execute(fn, *args, **kwargs)``, such as
    tango.asyncio_executor.AsyncioExecutor) what get_worker() returns, as PyTango's set_worker.
    Starting a server sets it back to that server's own executor; None forgets it."""
    global _set_worker
    if worker is not None and not callable(getattr(worker, "execute", None)):
        raise TypeError(f"a worker is an executor with an execute() method, not {type(worker).__name__}")
    _set_worker = worker


def run_in_executor(fn):
    """``fn`` made to run by the executor get_worker() gives at each call (the device code's:
    on a green server's worker); a function already made so is returned as it is."""
    if not callable(fn):
        raise TypeError(f"run_in_executor takes a callable, not {type(fn).__name__}")
    if getattr(fn, "wrapped_with_executor", False):
        return fn

    @functools.wraps(fn)
    def in_executor(*args, **kwargs):
        return get_worker().execute(fn, *args, **kwargs)

    in_executor.wrapped_with_executor = True
    return in_executor


def get_worker():
    """The executor of the device code, as PyTango gives it: an AsyncioExecutor on the loop of
    an Asyncio server, a GeventExecutor on the hub of a Gevent server, a FuturesExecutor for a
    Futures server, else (a synchronous server, or none) a SynchronousExecutor; or the executor
    given to set_worker() since the server started."""
    if _set_worker is not None:
        return _set_worker
    worker = _worker
    executor = _public_executor.get(worker)
    if executor is None:
        executor = _public_executor[worker] = _executor_for(worker)
    return executor


def _executor_for(worker):
    mode = None if worker is None else worker.mode
    if mode == GreenMode.Asyncio:
        from ..asyncio_executor import AsyncioExecutor

        return AsyncioExecutor(loop=worker.loop)
    if mode == GreenMode.Gevent:
        from ..gevent_executor import GeventExecutor

        return GeventExecutor(loop=worker.hub.loop, subexecutor=worker.hub.threadpool)
    if mode == GreenMode.Futures:
        from ..futures_executor import FuturesExecutor

        return FuturesExecutor()
    from .._executor_base import SynchronousExecutor

    return SynchronousExecutor()


def get_server_loop():
    """The asyncio loop of an Asyncio server (None otherwise)."""
    return getattr(_worker, "loop", None)


class _Worker:
    """A thread that runs the device code; cppTango's threads wait for it."""

    mode = None

    def __init__(self):
        self._started = threading.Event()
        self.thread = threading.Thread(target=self._main, name=f"pytango-{self.mode.name.lower()}",
                                       daemon=True)
        self.thread.start()
        self._started.wait()
        self._pushes = queue.SimpleQueue()
        self._pusher = threading.Thread(target=self._push_loop, name="pytango-pusher", daemon=True)
        self._pusher.start()

    def in_worker(self):
        return threading.current_thread() is self.thread

    def execute(self, fn, *args, **kwargs):
        """Run fn on the worker and return its result (in place on the worker's own thread).
        While waiting, the calling thread runs what the job relays to it (relay_call)."""
        if self.in_worker():
            return fn(*args, **kwargs)
        relay = _Relay()
        return relay.serve(self._submit(_relayed, (relay, fn, args, kwargs), {}))

    def push(self, fn, *args):
        """A push of an event: in place, or by the pusher thread from the worker's thread."""
        if self.in_worker():
            self._pushes.put((fn, args))
        else:
            fn(*args)

    def _push_loop(self):
        while True:
            fn, args = self._pushes.get()
            try:
                fn(*args)
            except Exception as exc:  # the pusher goes on; the error is reported, not lost
                _report(exc, f"Exception in {getattr(fn, '__name__', 'a push')} from a green task")


# The calling thread of the job being run (per thread, task or greenlet: a context variable).
_relay_var = contextvars.ContextVar("pytango_relay", default=None)


class _Relay:
    """What a thread waiting for a job of the worker runs for that job: cppTango calls that take
    the device monitor (add_attribute & co.). That thread is a request thread holding the
    monitor, so the worker could not take it; relayed, the call re-enters the monitor."""

    def __init__(self):
        self._calls = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._open = True

    def serve(self, future):
        future.add_done_callback(lambda _: self._calls.put(None))
        while True:
            call = self._calls.get()
            if call is None:
                with self._lock:
                    self._open = False
                while not self._calls.empty():  # posted just before closing
                    self._run(self._calls.get())
                return future.result()
            self._run(call)

    @staticmethod
    def _run(call):
        if call is None:
            return
        fn, args, done, outcome = call
        try:
            outcome.append((True, fn(*args)))
        except BaseException as exc:
            outcome.append((False, exc))
        done.set()

    def call(self, fn, *args):
        done, outcome = threading.Event(), []
        with self._lock:
            if not self._open:
                return fn(*args)
            self._calls.put((fn, args, done, outcome))
        done.wait()
        ok, value = outcome[0]
        if ok:
            return value
        raise value


def _relayed(relay, fn, args, kwargs):
    _relay_var.set(relay)  # in the job's own context (its thread, task or greenlet)
    return fn(*args, **kwargs)


def relay_call(fn, *args):
    """fn(*args) on the thread waiting for the current job of the worker, if there is one (the
    request thread that holds the device monitor), else in place."""
    relay = _relay_var.get()
    if relay is None:
        return fn(*args)
    return relay.call(fn, *args)


def _run_job(future, fn, args, kwargs):
    """Run one job of a worker, its outcome into its concurrent.futures.Future."""
    if future.set_running_or_notify_cancel():
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)


class _FuturesWorker(_Worker):
    mode = GreenMode.Futures

    def _main(self):
        import concurrent.futures

        self._jobs = queue.SimpleQueue()
        self._futures = concurrent.futures
        self._started.set()
        while True:
            job = self._jobs.get()
            if job is None:
                return
            _run_job(*job)

    def _submit(self, fn, args, kwargs):
        future = self._futures.Future()
        self._jobs.put((future, fn, args, kwargs))
        return future


class _AsyncioWorker(_Worker):
    mode = GreenMode.Asyncio

    def _main(self):
        import asyncio

        self._asyncio = asyncio
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        self.loop.call_soon(self._started.set)
        self.loop.run_forever()

    def _submit(self, fn, args, kwargs):
        return self._asyncio.run_coroutine_threadsafe(_awaited(fn, args, kwargs), self.loop)


async def _awaited(fn, args, kwargs):
    result = fn(*args, **kwargs)
    if inspect.isawaitable(result):
        result = await result
    return result


class _GeventWorker(_Worker):
    mode = GreenMode.Gevent

    def _main(self):
        import concurrent.futures

        gevent = import_gevent()
        self._futures = concurrent.futures
        self._gevent = gevent
        self.hub = gevent.get_hub()
        self._jobs = queue.SimpleQueue()
        self._wake = self.hub.loop.async_()
        self._wake.start(self._drain)
        self._started.set()
        while True:  # keeps the hub running; the jobs arrive through the async watcher
            gevent.sleep(3600)

    def _drain(self):
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            self._gevent.spawn(_run_job, *job)

    def _submit(self, fn, args, kwargs):
        future = self._futures.Future()
        self._jobs.put((future, fn, args, kwargs))
        self._wake.send()  # thread-safe: wakes the hub
        return future


_WORKERS = {GreenMode.Futures: _FuturesWorker, GreenMode.Asyncio: _AsyncioWorker,
            GreenMode.Gevent: _GeventWorker}


def start_worker(green_mode):
    """The worker of a server in this green mode (None for Synchronous); one per process."""
    global _worker, _set_worker
    _set_worker = None  # get_worker() gives this server's executor from now on
    mode = _as_mode(green_mode)
    if mode == GreenMode.Synchronous:
        return None
    if _worker is not None:
        if _worker.mode != mode:
            raise RuntimeError(f"this process already runs a {_worker.mode.name} server")
        return _worker
    _worker = _WORKERS[mode]()
    claim_executor_thread(mode, _worker.thread.ident)
    return _worker


def server_green_mode(classes, green_mode=None):
    """The green mode of a server of these classes, by PyTango's rule: a class's own
    ``green_mode`` (class attribute), else run()'s ``green_mode``, else the process's default
    green mode (tango.set_green_mode); every class must come to the same."""
    from ..green import get_green_mode

    default = _as_mode(green_mode) if green_mode is not None else get_green_mode()
    modes = set()
    for cls in classes:
        own = getattr(cls, "green_mode", None)
        modes.add(_as_mode(own) if own is not None else default)
        if own is None and default == GreenMode.Asyncio and not _has_coroutines(cls):
            warnings.warn(f"{cls.__name__} is run in Asyncio green mode but has no async methods: making a "
                          "synchronous device asynchronous on the fly is deprecated (PyTango 10); define its "
                          "methods with async def and set green_mode = GreenMode.Asyncio on the class",
                          DeprecationWarning, stacklevel=3)
    if len(modes) > 1:
        names = ", ".join(sorted(m.name for m in modes))
        raise ValueError(f"Devices with mixed green modes cannot be run in the same device server: {names} "
                         "(each class runs in its own green_mode, else in run()'s, else in the default one)")
    return modes.pop() if modes else default


def _has_coroutines(cls):
    """Whether the class (not its pytango bases) defines a coroutine function: a method, or the
    read/write/is-allowed method of an attribute, command or pipe declared in its body."""
    for klass in cls.__mro__:
        if klass.__module__.startswith("tango.") or klass is object:
            continue
        for value in vars(klass).values():
            for candidate in (value, *(getattr(value, n, None) for n in ("fget", "fset", "fisallowed", "__wrapped__"))):
                if inspect.iscoroutinefunction(candidate):
                    return True
    return False


def _green_method(fn, worker):
    """A method that runs fn on the worker (fn may be a coroutine function in asyncio mode)."""
    if getattr(fn, "__tango_green__", None) is worker:
        return fn

    @functools.wraps(fn)
    def method(self, *args, **kwargs):
        return worker.execute(fn, self, *args, **kwargs)

    method.__tango_green__ = worker
    return method


def _called_names(spec):
    """The methods cppTango calls on devices of a class: {name on the class: what it is}."""
    # (a method declared with green_mode=False, or read_green_mode=False & co., runs in place)
    names = {hook: hook for hook in HOOKS}
    for attr in spec.attributes:
        for name, what, green in ((attr.read_method, "read", attr.read_green_mode),
                                  (attr.write_method, "write", attr.write_green_mode),
                                  (attr.is_allowed_method, "is_allowed", attr.isallowed_green_mode)):
            if name and green:
                names[name] = f"attribute {attr.name} ({what})"
    for pipe in getattr(spec, "pipes", ()):
        for name, what, green in ((pipe.read_method, "read", pipe.read_green_mode),
                                  (pipe.write_method, "write", pipe.write_green_mode),
                                  (pipe.is_allowed_method, "is_allowed", pipe.isallowed_green_mode)):
            if name and green:
                names[name] = f"pipe {pipe.name} ({what})"
    for cmd in spec.commands:
        if cmd.method and cmd.cmd_green_mode:
            names[cmd.method] = f"command {cmd.name}"
        if cmd.is_allowed_method and cmd.isallowed_green_mode:
            names[cmd.is_allowed_method] = f"command {cmd.name} (is_allowed)"
    return names


def check_synchronous(cls, spec):
    """A synchronous server cannot run coroutines: say so at start, not at the first call."""
    found = sorted(what for name, what in _called_names(spec).items()
                   if inspect.iscoroutinefunction(getattr(cls, name, None)))
    if found:
        raise TypeError(
            f"{cls.__name__}: {', '.join(found)} are coroutine functions (async def); run the "
            "server in the Asyncio green mode (green_mode = GreenMode.Asyncio on the class)"
        )


def _green_push(fn, worker):
    """A push method of a green server: through the pusher when called on the worker's thread."""
    if getattr(fn, "__tango_green__", None) is worker:
        return fn

    @functools.wraps(fn)
    def push(self, *args):
        worker.push(fn, self, *args)

    push.__tango_green__ = worker
    return push


# The compiled pushes (DeviceImpl; push_alarm_event on cppTango 10); the others are Python methods
# of Device that route themselves.
_COMPILED_PUSHES = ("push_change_event", "push_archive_event") + (
    ("push_alarm_event",) if hasattr(_tango.DeviceImpl, "push_alarm_event") else ())


def install(cls, spec, worker):
    """Route every method cppTango calls on devices of cls (described by spec) to the worker,
    and the compiled pushes through the pusher."""
    for name in _COMPILED_PUSHES:
        setattr(cls, name, _green_push(getattr(cls, name), worker))
    for name in _called_names(spec):
        fn = getattr(cls, name, None)
        if fn is not None and callable(fn):
            setattr(cls, name, _green_method(fn, worker))


def _report(exc, message):
    class _Unraisable:
        exc_type, exc_value, exc_traceback = type(exc), exc, exc.__traceback__
        err_msg = message
        object = None

    sys.unraisablehook(_Unraisable)
