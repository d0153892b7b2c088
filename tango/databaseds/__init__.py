"""A Tango database server (sys/database/N, class DataBase) on tango.server: storage (the
interface: records and operations), sqlite_backend with sqlite_schema (the default) and
redis_backend, schema (the standard entries of a fresh database), properties (the packed
property layouts), names (the device names it takes), timing (the timing statistics of
commands), device (the commands), database (the entry point)."""
