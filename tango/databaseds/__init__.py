"""A Tango database server (sys/database/N, class DataBase) on tango.server, storing in sqlite:
schema (the tables and standard entries), storage (the interface) and sqlite_backend,
properties (the packed property layouts), device (the commands), database (the entry point)."""
