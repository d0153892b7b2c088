"""A Tango database server (sys/database/N, class DataBase) on tango.server: storage (the
interface: records and operations), sqlite_backend with sqlite_schema (the default) and
redis_backend, schema (the standard entries of a fresh database), properties (the packed
property layouts), device (the commands), database (the entry point)."""
