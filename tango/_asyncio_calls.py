"""The calls of asyncio green proxies: futures that start when they are awaited or watched.

A blocking method of an asyncio green proxy (a read, a write, a command...) returns a
``TangoFuture``, an ``asyncio.Future`` (as PyTango's asyncio proxies do) whose call starts the
first time the future is awaited or given a done callback:

- awaited (``await dev.read_attribute("x")``): in place, on the loop's thread, when the loop has
  nothing else ready and the same call (proxy, method, name) took under ``INLINE_LIMIT`` last
  time. A sequential ``await`` then costs what a synchronous call costs: no thread switch, no
  wake-up of the loop; the GIL is released during the call as always.
- otherwise (gathered, given to ``wait_for``, ``wait`` or ``as_completed``, a first call, a call
  that was slow): on worker threads, and the loop goes on. ``read_attribute``, the call asyncio
  clients make most, runs on C++ threads that never take the GIL and hand their results back to
  the loop in batches (ext/client/async_pool.cpp); the other calls on Python threads here.

Futures rather than coroutines: ``asyncio.gather`` and its kin take a future as it is, where a
coroutine costs a Task and three more loop callbacks (three times the loop's own work per read of
2000 reads in flight). The decision waits for the first await or callback because reads gathered
at once are all created before any is awaited, and must not run one after another in place.
A future that is never awaited makes no call and warns, as a coroutine never awaited does.

Where awaited calls run can be forced for the process (``set_placement``, also the
``placement`` of the asyncio executor, ``tango.green.get_executor(GreenMode.Asyncio)``):
``"auto"`` (the default, as above), ``"in_place"`` (every awaited call without a timeout runs on
the loop's thread: the least overhead, for loops that only wait for Tango) or ``"workers"``
(never on the loop's thread: the loop stays responsive even to quick calls that turn slow).
``call_counts()`` says how many calls started in place, on the C++ pool threads and on the
Python workers.

The module imports asyncio, so it is imported on the first asyncio call (``import tango`` stays
light).
"""

import asyncio
import queue
import threading
import time
import warnings
import weakref

from . import _tango

INLINE_LIMIT = 0.002  # seconds

PLACEMENTS = ("auto", "in_place", "workers")
_placement = "auto"
_py_counts = [0, 0]  # the calls made in Python (PyCall): started in place, on the workers


def set_placement(placement):
    """Where awaited calls run, for every asyncio proxy of the process: ``"auto"``,
    ``"in_place"`` or ``"workers"`` (see the module's doc). Gathered or watched calls, and
    calls with a timeout, always run off the loop."""
    global _placement
    if placement not in PLACEMENTS:
        raise ValueError(f"placement must be one of {PLACEMENTS}, not {placement!r}")
    _tango._set_asyncio_read_placement(PLACEMENTS.index(placement))
    _placement = placement


def get_placement():
    """The placement ``set_placement`` set (``"auto"`` by default)."""
    return _placement


def call_counts():
    """How many calls of asyncio proxies started so far in this process: ``{"in_place": n,
    "pool": n, "workers": n}`` (on the loop's thread, on the C++ pool threads that make
    ``read_attribute``, on the Python worker threads)."""
    in_place, pool, workers = _tango._asyncio_read_counts()
    return {"in_place": in_place + _py_counts[0], "pool": pool, "workers": workers + _py_counts[1]}


_now = time.perf_counter
_future_cancel = asyncio.Future.cancel


class TangoFuture(asyncio.Future):
    """The future of one call of an asyncio green proxy (see the module's doc).

    ``__await__`` (and ``__iter__``) start the call with ``_tango_call.start(self, True)`` (in
    place allowed), then wait as asyncio.Future's do; ``add_done_callback`` starts it with
    ``start(self, False)``, then adds the callback. Both are compiled (ext/client/async_call.cpp):
    they are on the path of every call.
    """

    __slots__ = ("_tango_call",)

    def cancel(self, *args, **kwargs):
        cancelled = _future_cancel(self, *args, **kwargs)
        start_now(self)  # a call not started yet sees the future done: dropped, unmade
        return cancelled


_tango._install_future_methods(TangoFuture, asyncio.Future)


def new_future(loop, call):
    """A TangoFuture of ``loop`` whose call is ``call`` (an object with ``start(future,
    in_place)``)."""
    future = TangoFuture(loop=loop)
    future._tango_call = call
    return future


def start_now(future):
    """Starts the future's call now, on the workers (``wait=False``)."""
    call = getattr(future, "_tango_call", None)
    if call is not None:
        future._tango_call = None
        call.start(future, False)


class PyCall:
    """A call made in Python: ``fn(*args, **kwargs)``, its duration kept in ``key`` (a pair
    ``(table, name)``: ``table[name]`` is the duration of the last such call, or ``key`` is
    None)."""

    __slots__ = ("fn", "args", "kwargs", "key", "started")

    def __init__(self, fn, args, kwargs, key):
        self.fn, self.args, self.kwargs, self.key = fn, args, kwargs, key
        self.started = False

    def start(self, future, in_place):
        self.started = True
        if future.done():  # cancelled meanwhile
            return
        loop = future.get_loop()
        key = self.key
        if in_place and _placement != "workers":
            last = key[0].get(key[1]) if key is not None else None
            # loop._ready is CPython's queue of ready callbacks: nothing else waits to run
            if _placement == "in_place" or (
                    last is not None and last <= INLINE_LIMIT and not getattr(loop, "_ready", True)):
                _py_counts[0] += 1
                start = _now()
                try:
                    result = self.fn(*self.args, **self.kwargs)
                except Exception as exc:
                    future.set_exception(exc)
                else:
                    future.set_result(result)
                finally:
                    if key is not None:
                        key[0][key[1]] = _now() - start
                return
        _py_counts[1] += 1
        workers.submit(loop, self.fn, self.args, self.kwargs, future, key)

    def __del__(self):
        if not self.started:
            _warn_never_awaited(getattr(self.fn, "__qualname__", self.fn))


def _warn_never_awaited(what):
    warnings.warn(f"the tango call {what} was never awaited: it was not made", RuntimeWarning, stacklevel=2)


class LoopWorkers:
    """Python threads that make blocking calls for asyncio loops.

    Lighter than ``loop.run_in_executor``: a job is a tuple on a SimpleQueue, and finished jobs
    are handed back to their loop in batches, with one wake-up of the loop per batch instead of
    one per call. The threads serve every loop of the process (``asyncio.run`` makes a new loop
    each time).
    """

    THREADS = 6

    def __init__(self):
        self.jobs = queue.SimpleQueue()
        self.threads = []
        self.lock = threading.Lock()

    def submit(self, loop, fn, args, kwargs, future, key=None):
        """Makes the call on a worker thread; its result or exception goes to ``future``."""
        back = _returns.get(loop)
        if back is None:
            back = _returns[loop] = _Returns(loop)
        self.jobs.put((back, future, fn, args, kwargs, key))
        if len(self.threads) < self.THREADS:
            with self.lock:
                if len(self.threads) < self.THREADS:
                    thread = threading.Thread(target=self._work, daemon=True,
                                              name=f"pytango-asyncio-{len(self.threads)}")
                    self.threads.append(thread)
                    thread.start()

    def _work(self):
        jobs = self.jobs
        while True:
            back, future, fn, args, kwargs, key = jobs.get()
            start = _now()
            try:
                back.put(future, fn(*args, **kwargs), None)
            except BaseException as exc:
                back.put(future, None, exc)
            if key is not None:
                key[0][key[1]] = _now() - start
            del back, future, fn, args, kwargs, key


class _Returns:
    """Finished calls on their way back to one loop (held weakly: a loop's entry in
    ``_returns`` must not keep it alive)."""

    def __init__(self, loop):
        self.loop = weakref.ref(loop)
        self.done = []
        self.lock = threading.Lock()

    def put(self, future, result, exc):
        with self.lock:
            self.done.append((future, result, exc))
            first = len(self.done) == 1
        if first:
            loop = self.loop()
            try:
                if loop is None:
                    raise RuntimeError("the loop is gone")
                loop.call_soon_threadsafe(self._flush)
            except RuntimeError:  # the loop is closed: nobody waits any more
                with self.lock:
                    self.done.clear()

    def _flush(self):
        with self.lock:
            batch, self.done = self.done, []
        for future, result, exc in batch:
            if future.done():  # cancelled while on its way
                continue
            if exc is None:
                future.set_result(result)
            else:
                future.set_exception(exc)


_returns = weakref.WeakKeyDictionary()  # loop -> _Returns
workers = LoopWorkers()


def loop_port(loop):
    """Where the compiled pool threads return finished calls to ``loop`` (an
    ``_tango.AsyncPort`` whose eventfd the loop watches), or None for a loop that cannot watch
    a file: its calls then go to the Python workers. See ext/client/async_pool.cpp."""
    ref = _ports.get(loop, False)
    if ref is None:
        return None
    port = ref() if ref is not False else None
    if port is None:  # a loop not seen yet, or whose port is gone (the loop was closed)
        port = _tango.AsyncPort()
        try:
            loop.add_reader(port.fileno(), port.drain)
        except (NotImplementedError, AttributeError):
            port = None
        _ports[loop] = weakref.ref(port) if port is not None else None
    return port


# loop -> weak reference to its AsyncPort, or None. The loop's reader holds the port, and the
# port holds the futures of finished calls until the loop takes them: a strong reference here
# would keep every loop alive through them.
_ports = weakref.WeakKeyDictionary()
