"""Enumerations that live on the Python side only."""

from ._enum_base import TangoEnum


class GreenMode(TangoEnum):
    """How blocking calls behave: run now, return a future, a gevent result or an awaitable."""

    Synchronous = 0
    Futures = 1
    Gevent = 2
    Asyncio = 3
