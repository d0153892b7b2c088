"""The storage interface of the database server: the device speaks SQL to it, nothing else.

A backend offers two calls: ``read(sql, params)`` returns rows (tuples), and ``transaction()``
is a context manager whose ``execute(sql, params)`` runs statements that are committed together
when the block ends (and rolled back if it raises), so that every command is one transaction and
an acknowledged command survives a kill -9.
"""

import abc


class Storage(abc.ABC):
    @abc.abstractmethod
    def read(self, sql, params=()):
        """Rows of a query (a list of tuples)."""

    @abc.abstractmethod
    def transaction(self):
        """A context manager with ``execute(sql, params) -> rows``, committed on exit."""

    @abc.abstractmethod
    def close(self):
        """Release the store (and its lock on the file)."""
