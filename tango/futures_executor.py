"""PyTango's futures executor API: ``FuturesExecutor``, ``get_global_executor``,
``set_global_executor``. A FuturesExecutor delegates calls to a thread pool (a process pool with
``process=True``) and returns ``concurrent.futures.Future``s (see tango/_executor_base.py)."""

import functools

from ._executor_base import AbstractExecutor, GlobalExecutor, thread_pool

__all__ = ["FuturesExecutor", "get_global_executor", "set_global_executor"]


class FuturesExecutor(AbstractExecutor):
    """Calls on a pool of ``max_workers`` threads (or processes)."""

    asynchronous = True
    default_wait = True

    def __init__(self, process=False, max_workers=20):
        super().__init__()
        if process:
            from concurrent.futures import ProcessPoolExecutor

            self.subexecutor = ProcessPoolExecutor(max_workers=max_workers)
        else:
            self.subexecutor = thread_pool(max_workers)

    def delegate(self, fn, *args, **kwargs):
        """``fn(*args, **kwargs)`` on the pool, as a concurrent Future."""
        return self.subexecutor.submit(functools.partial(fn, *args, **kwargs))

    def access(self, accessor, timeout=None):
        """The result of a Future made by ``delegate`` (TimeoutError after ``timeout`` s)."""
        return accessor.result(timeout=timeout)


_GLOBAL = GlobalExecutor(FuturesExecutor)


def get_global_executor():
    """The global FuturesExecutor (made on first use)."""
    return _GLOBAL.get()


def set_global_executor(executor):
    """Make ``executor`` the global FuturesExecutor."""
    _GLOBAL.set(executor)


def _switch_global_executor_to_thread():
    """A new global executor for the calling thread when the current one belongs to another
    thread, which keeps getting its own (see tango.green.switch_existing_global_executors_to_thread)."""
    _GLOBAL.switch_to_thread()
