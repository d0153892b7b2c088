"""PyTango's gevent executor API: ``GeventExecutor``, ``get_global_executor``,
``set_global_executor`` (gevent is an optional dependency: importing this module without it is
a clear ImportError, as tango.gevent). A GeventExecutor delegates calls to gevent's thread pool
and returns ``AsyncResult``s; ``submit`` runs a function as a greenlet in the hub's thread,
from any thread (see tango/_executor_base.py)."""

import functools
import threading

from ._executor_base import AbstractExecutor, GlobalExecutor
from .green import import_gevent

gevent = import_gevent()

__all__ = ["GeventExecutor", "get_global_executor", "set_global_executor"]


class _Task:
    """A call handed to the hub's thread; ``result()`` waits for it from any thread."""

    def __init__(self, fn, args, kwargs):
        self._call = functools.partial(fn, *args, **kwargs)
        self._done = threading.Event()
        self._value = self._error = None

    def run(self):
        try:
            self._value = self._call()
        except BaseException as exc:  # handed to the waiting thread
            self._error = exc
        finally:
            self._done.set()

    def result(self, timeout=None):
        if not self._done.wait(timeout):
            raise TimeoutError(f"the call did not finish within {timeout} s")
        if self._error is not None:
            raise self._error
        return self._value


class GeventExecutor(AbstractExecutor):
    """Calls for one gevent hub (``loop``, default the hub's loop of this thread) on
    ``subexecutor`` (default gevent's thread pool of the hub)."""

    asynchronous = True
    default_wait = True

    def __init__(self, loop=None, subexecutor=None):
        super().__init__()
        hub = gevent.get_hub()
        self.loop = loop if loop is not None else hub.loop
        self.subexecutor = subexecutor if subexecutor is not None else hub.threadpool

    def delegate(self, fn, *args, **kwargs):
        """``fn(*args, **kwargs)`` on the thread pool, as a gevent AsyncResult."""
        return self.subexecutor.spawn(fn, *args, **kwargs)

    def access(self, accessor, timeout=None):
        """The result of an AsyncResult made by ``delegate`` (the hub runs meanwhile)."""
        return accessor.get(timeout=timeout)

    def submit(self, fn, *args, **kwargs):
        """Run ``fn`` as a greenlet in the hub's thread, from any thread; a task whose
        ``result()`` waits for it."""
        task = _Task(fn, args, kwargs)
        self.loop.run_callback_threadsafe(lambda: gevent.spawn(task.run))
        return task

    def execute(self, fn, *args, **kwargs):
        """Run ``fn`` in the hub's thread and return its result."""
        if self.in_executor_context():
            return fn(*args, **kwargs)
        return self.submit(fn, *args, **kwargs).result()


_GLOBAL = GlobalExecutor(GeventExecutor)


def get_global_executor():
    """The global GeventExecutor (made on first use)."""
    return _GLOBAL.get()


def set_global_executor(executor):
    """Make ``executor`` the global GeventExecutor."""
    _GLOBAL.set(executor)


def _switch_global_executor_to_thread():
    """A new global executor for the calling thread when the current one belongs to another
    thread, which keeps getting its own (see tango.green.switch_existing_global_executors_to_thread)."""
    _GLOBAL.switch_to_thread()
