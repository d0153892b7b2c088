"""Threads of the Python side: raising in another thread (PyTango's raise_asynch_exception)."""

import ctypes
import threading

__all__ = ["raise_asynch_exception"]


def raise_asynch_exception(thread_id, exception):
    """Raise ``exception`` (an exception class) in the Python thread ``thread_id`` (its
    ``threading.get_ident()``), at its next Python instruction: a thread blocked in a call into
    cppTango sees it when the call returns. Returns 1, or 0 when no thread has that id."""
    if not isinstance(thread_id, int):
        raise TypeError(f"thread_id must be an int (threading.get_ident()), not {type(thread_id).__name__}")
    if not (isinstance(exception, type) and issubclass(exception, BaseException)):
        raise TypeError(f"exception must be an exception class, not {exception!r}")
    if thread_id == threading.get_ident():
        raise exception
    count = ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exception))
    if count > 1:  # cannot happen for one id; undo rather than raise in several threads
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)
        raise SystemError("raise_asynch_exception reached several threads")
    return count
