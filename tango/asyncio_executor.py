"""PyTango's asyncio executor API: ``AsyncioExecutor``, ``get_global_executor``,
``set_global_executor`` (code such as ophyd-async's Tango transport uses them).

An AsyncioExecutor is bound to a loop (the running one, else a new one set as the thread's
loop): ``delegate`` runs a function on its thread pool and returns an asyncio future,
``submit`` schedules a coroutine function on the loop from any thread and returns a
``concurrent.futures.Future``, ``execute`` runs it there and waits. pytango's asyncio proxies
use the loop running in the calling thread whatever the global executor is (see
tango/_executor_base.py).
"""

import asyncio
import functools
import inspect

from ._executor_base import AbstractExecutor, GlobalExecutor, thread_pool
from ._warnings import warn_once
from .utils import _is_coroutine_function

__all__ = ["AsyncioExecutor", "get_global_executor", "set_global_executor"]


class AsyncioExecutor(AbstractExecutor):
    """Runs calls for one asyncio loop (``loop``, default the running loop or a new one) on
    ``subexecutor`` (default a shared thread pool)."""

    asynchronous = True
    default_wait = False

    def __init__(self, loop=None, subexecutor=None):
        super().__init__()
        if loop is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                loop = asyncio.new_event_loop()
                asyncio.set_event_loop(loop)
        self.loop = loop
        self.subexecutor = subexecutor if subexecutor is not None else thread_pool()

    def delegate(self, fn, *args, **kwargs):
        """``fn(*args, **kwargs)`` on the thread pool, as an asyncio future of the loop."""
        return asyncio.ensure_future(
            self.loop.run_in_executor(self.subexecutor, functools.partial(fn, *args, **kwargs)),
            loop=self.loop)

    def access(self, accessor, timeout=None):
        """The result of a future made by ``delegate``, running the loop until it is done (the
        loop must not be running: inside it, ``await`` the future)."""
        if self.loop.is_running():
            raise RuntimeError("Loop is already running: await the future instead")
        return self.loop.run_until_complete(asyncio.wait_for(accessor, timeout))

    def submit(self, fn, *args, **kwargs):
        """Schedule ``fn(*args, **kwargs)`` on the loop (thread-safe); a concurrent Future."""
        return asyncio.run_coroutine_threadsafe(self._coroutine(fn, args, kwargs), self.loop)

    def execute(self, fn, *args, **kwargs):
        """Run ``fn`` on the loop and return its result (in the loop's thread: the coroutine,
        to be awaited)."""
        if self.in_executor_context():
            return self._coroutine(fn, args, kwargs)
        return self.submit(fn, *args, **kwargs).result()

    @staticmethod
    def _coroutine(fn, args, kwargs):
        if _is_coroutine_function(fn):
            return fn(*args, **kwargs)
        name = getattr(fn, "__qualname__", getattr(fn, "__name__", repr(fn)))
        warn_once(f"Sync {name} function called: support of sync functions in PyTango's Asyncio "
                  "mode is deprecated. Use 'async def' instead of 'def'.",
                  key=f"deprecated:tango.asyncio_executor:sync_function:{name}",
                  category=DeprecationWarning, stacklevel=3)

        async def call():
            result = fn(*args, **kwargs)
            return (await result) if inspect.isawaitable(result) else result

        return call()


_GLOBAL = GlobalExecutor(AsyncioExecutor)


def get_global_executor():
    """The global AsyncioExecutor (made, for the current loop, on first use)."""
    return _GLOBAL.get()


def set_global_executor(executor):
    """Make ``executor`` the global AsyncioExecutor."""
    _GLOBAL.set(executor)


def _switch_global_executor_to_thread():
    """A new global executor for the calling thread when the current one belongs to another
    thread, which keeps getting its own (see tango.green.switch_existing_global_executors_to_thread)."""
    _GLOBAL.switch_to_thread()
