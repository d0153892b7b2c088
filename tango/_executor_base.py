"""The executor objects of PyTango's executor API (tango.asyncio_executor,
tango.futures_executor, tango.gevent_executor): what code written for PyTango gets from
``get_global_executor()`` and hands to ``set_global_executor()``.

An executor runs callables the way its green mode wants: ``delegate`` starts one and returns an
accessor (a future), ``access`` waits for an accessor's result, ``submit`` hands a callable to
the executor's own thread or loop, ``execute`` runs it there and waits, ``run`` is the green
call (delegate, then access unless ``wait=False``). An executor belongs to the thread that made
it (``in_executor_context()``).

pytango's proxies do not need a global executor to find their loop or hub: a call uses the
loop running in the calling thread (asyncio) or gevent's hub (gevent) and the executors of
tango/green.py. These classes are the same machinery offered as PyTango's objects, for code
that drives calls through them.
"""

import os
import threading

__all__ = ["AbstractExecutor", "SynchronousExecutor"]


class AbstractExecutor:
    """The common part: an identity (thread, process) and the green call ``run``."""

    asynchronous = False
    default_wait = True

    def __init__(self):
        self.subexecutor = None
        self.ident = threading.get_ident(), os.getpid()

    def get_ident(self):
        """(thread id, process id) of the thread that made this executor."""
        return self.ident

    def in_executor_context(self):
        """True in the thread (and process) that made this executor."""
        return self.ident == (threading.get_ident(), os.getpid())

    def delegate(self, fn, *args, **kwargs):
        """Start ``fn(*args, **kwargs)`` and return an accessor of its result."""
        raise ValueError("Not supported in synchronous mode")

    def access(self, accessor, timeout=None):
        """The result of an accessor made by ``delegate``."""
        raise ValueError("Not supported in synchronous mode")

    def submit(self, fn, *args, **kwargs):
        """Hand ``fn`` to the executor's own thread or loop (here: call it)."""
        return fn(*args, **kwargs)

    def execute(self, fn, *args, **kwargs):
        """Run ``fn`` in the executor's own thread or loop and return its result."""
        return fn(*args, **kwargs)

    def run(self, fn, args=(), kwargs=None, wait=None, timeout=None):
        """Call ``fn`` as the green mode does: delegated, then waited for unless ``wait`` is
        false (the accessor is returned then). Outside the executor's thread the call is made
        in place."""
        kwargs = kwargs or {}
        if wait is None:
            wait = self.default_wait
        if not self.asynchronous:
            if not wait or timeout:
                raise ValueError("Not supported in synchronous mode")
            return fn(*args, **kwargs)
        if not self.in_executor_context():
            return fn(*args, **kwargs)
        accessor = self.delegate(fn, *args, **kwargs)
        return self.access(accessor, timeout=timeout) if wait else accessor


class SynchronousExecutor(AbstractExecutor):
    """Calls made in place, in the calling thread."""


def thread_pool(max_workers=20):
    """The thread pool shared by the executors that delegate to threads (a
    PyTangoThreadPoolExecutor, tango.green.get_thread_pool_executor), made when first used."""
    global _POOL
    if _POOL is None:
        with _POOL_LOCK:
            if _POOL is None:
                from .utils import PyTangoThreadPoolExecutor

                _POOL = PyTangoThreadPoolExecutor(max_workers=max_workers,
                                                  thread_name_prefix="_PyTangoThreadPoolExecutor")
    return _POOL


_POOL = None
_POOL_LOCK = threading.Lock()


class GlobalExecutor:
    """The global executor of one green mode: made on first ``get``, replaced by ``set``.

    ``switch_to_thread()`` (tango.green.switch_existing_global_executors_to_thread) sets the
    current one aside for the thread it belongs to and makes a new one in the calling thread:
    ``get`` then gives each of those threads its own, and every other thread the new one."""

    def __init__(self, factory):
        self._factory = factory
        self._executor = None
        self._by_thread = {}  # (thread id, process id) -> the executor set aside for that thread

    def get(self):
        executor = self._executor
        if executor is None:
            executor = self._executor = self._factory()
        elif self._by_thread and not _in_context(executor):
            return self._by_thread.get((threading.get_ident(), os.getpid()), executor)
        return executor

    def set(self, executor):
        self._executor = executor

    def switch_to_thread(self):
        """Make a new global executor in the calling thread when the current one belongs to
        another thread (which keeps it); nothing when there is none yet, or it is this thread's."""
        executor = self._executor
        if executor is not None and not _in_context(executor):
            self._by_thread[executor.get_ident()] = executor
            self._executor = self._factory()


def _in_context(executor):
    check = getattr(executor, "in_executor_context", None)
    return check() if callable(check) else True
