"""`make bench`, database and group figures: our client next to a C++ client against the same
database, our database server (tango.databaseds, sqlite) next to the C++ DataBaseds (MariaDB)
with the same C++ client, and tango.Group next to cppTango's Tango::Group from C++.

Both databases are started as the test suite starts them (tests/tango_databases.py); without
MariaDB and tango-db installed the figures that need the C++ database say so.
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, "build")
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests"))

from bench import free_port, py_latency  # noqa: E402  (the figures' common helpers)
from tango_databases import CppDatabaseServer, PyDatabaseServer, PyRedisDatabaseServer, redis_missing  # noqa: E402

DEVICE = "bench/dbprop/1"


def cpp(*args):
    out = subprocess.run([os.path.join(BUILD, "bench_db_client"), *map(str, args)], capture_output=True, text=True,
                         timeout=600)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def turns(measures, repeat, key, lower_is_better=True):
    """Each measure `repeat` times, taking turns (a drifting machine meets both alike): the best."""
    runs = {name: [] for name in measures}
    for _ in range(repeat):
        for name, measure in measures.items():
            runs[name].append(measure()[key])
    return {name: (min if lower_is_better else max)(values) for name, values in runs.items()}


def start_server(argv, env, timeout=120):
    """Seconds until the server prints that it serves."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in proc.stdout:
            if line.strip() == "Ready to accept request":
                return time.perf_counter() - t
            if time.perf_counter() - t > timeout:
                break
        raise RuntimeError(f"{argv[0]} did not start")
    finally:
        proc.kill()
        proc.wait(10)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer iterations")
    args = parser.parse_args()
    n, repeat, devices = (300, 1, 1000) if args.quick else (2000, 3, 1000)

    import tango

    cpp_db = None if CppDatabaseServer.missing() else CppDatabaseServer().start()
    py_db = PyDatabaseServer().start()
    redis_db = None if redis_missing() else PyRedisDatabaseServer().start()
    group_server = None
    checks = []
    rows = []
    try:
        dbs = {"ours": py_db, **({"C++": cpp_db} if cpp_db else {}), **({"redis": redis_db} if redis_db else {})}
        for db in dbs.values():
            client = tango.Database(*db.tango_host.split(":"))
            client.add_device(tango.DbDevInfo(DEVICE, "BenchDevice", "bench_server/props"))
            client.put_device_property(DEVICE, {"speed": 3.5})
            client.add_server("bench_server/big", [tango.DbDevInfo(f"bench/big/{i}", "BenchDevice", "bench_server/big")
                                                   for i in range(devices)])

        if cpp_db:
            # -- our client vs the C++ client, against the C++ DataBaseds -------------------------
            host, port = cpp_db.tango_host.split(":")
            os.environ["TANGO_HOST"] = cpp_db.tango_host  # this process's database, before any proxy
            db = tango.Database(host, int(port))
            prop = turns({"C++": lambda: cpp("get_property", host, port, DEVICE, n),
                          "Python": lambda: py_latency(lambda: db.get_device_property(DEVICE, "speed"), n)},
                         repeat, "median_us")
            rows.append(("Database.get_device_property", f"{prop['C++']:.1f} us", f"{prop['Python']:.1f} us"))
            checks.append(("get_device_property, ours vs C++ client", prop["Python"] / prop["C++"], "<=", 1.15))
            proxy = turns({"C++": lambda: cpp("proxy", "sys/database/2", n // 4),
                           "Python": lambda: py_latency(lambda: tango.DeviceProxy("sys/database/2"), n // 4)},
                          repeat, "median_us")
            rows.append(("DeviceProxy('sys/database/2')", f"{proxy['C++']:.1f} us", f"{proxy['Python']:.1f} us"))
            checks.append(("DeviceProxy by short name, ours vs C++ client", proxy["Python"] / proxy["C++"], "<=", 1.15))

            # -- our database server vs the C++ one, the same C++ client ---------------------------
            requests = {
                "DbGetDeviceProperty": [DEVICE, "speed"],
                "DbImportDevice": [DEVICE],
                "DbPutDeviceProperty": [DEVICE, "1", "speed", "1", "3.5"],
            }
            print("\ndatabase servers, requests per second (C++ client), best of", repeat)
            print(f"  {'request':24} {'C++ DataBaseds':>16} {'tango.databaseds':>18} {'(on redis)':>12}")
            for cmd, cmd_args in requests.items():
                rate = turns({name: (lambda d=d: cpp("db_command", *d.tango_host.split(":"), n, cmd, *cmd_args))
                              for name, d in dbs.items()}, repeat, "per_s", lower_is_better=False)
                on_redis = f"{rate['redis']:>10,.0f}/s" if "redis" in rate else f"{'-':>12}"
                print(f"  {cmd:24} {rate['C++']:>14,.0f}/s {rate['ours']:>16,.0f}/s {on_redis}")
                checks.append((f"{cmd}, ours vs C++ DataBaseds", rate["ours"] / rate["C++"], ">=", 0.8))
            startup = {}
            for name, d in dbs.items():
                env = dict(os.environ, TANGO_HOST=d.tango_host)
                startup[name] = min(start_server([os.path.join(BUILD, "bench_server"), "big"], env)
                                    for _ in range(max(repeat, 2)))
            on_redis = f"{startup['redis']:>10.2f} s" if "redis" in startup else f"{'-':>12}"
            print(f"  {'start, ' + str(devices) + ' devices':24} {startup['C++']:>14.2f} s {startup['ours']:>16.2f} s "
                  f"{on_redis}")
            checks.append((f"server of {devices} devices starts, ours vs C++", startup["ours"] / startup["C++"],
                           "<=", 1.5))
        else:
            print(f"\nthe C++ database is not installed here ({CppDatabaseServer.missing()}): "
                  "its figures are left out")

        # -- tango.Group vs Tango::Group, 100 devices of a C++ server -------------------------------
        gport = free_port()
        names = [f"bench/grp/{i}" for i in range(100)]
        group_server = subprocess.Popen([os.path.join(BUILD, "bench_server"), "grp", "-nodb", "-dlist", ",".join(names),
                                         "-ORBendPoint", f"giop:tcp:127.0.0.1:{gport}"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        trls = [f"tango://127.0.0.1:{gport}/{name}#dbase=no" for name in names]
        deadline = time.monotonic() + 30
        while True:
            try:
                tango.DeviceProxy(trls[-1]).ping()
                break
            except tango.DevFailed:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        group = tango.Group("bench")
        group.add(trls)

        def py_group():
            replies = group.command_inout("Noop")
            assert not replies.has_failed()

        g = turns({"C++": lambda: cpp("group_command", n // 10, *trls),
                   "Python": lambda: py_latency(py_group, n // 10)}, repeat, "median_us")
        rows.append(("Group.command_inout, 100 devices", f"{g['C++']:.1f} us", f"{g['Python']:.1f} us"))
        checks.append(("Group.command_inout on 100 devices, ours vs C++", g["Python"] / g["C++"], "<=", 1.2))
    finally:
        if group_server is not None:
            group_server.kill()
            group_server.wait(10)
        py_db.stop()
        if redis_db:
            redis_db.stop()
        if cpp_db:
            cpp_db.stop()

    print(f"\nclients, median latency, best of {repeat}")
    print(f"  {'call':36} {'C++ client':>14} {'pytango':>14}")
    for call, c, p in rows:
        print(f"  {call:36} {c:>14} {p:>14}")
    print("\nratios against the targets of issue 13")
    for name, value, op, target in checks:
        ok = value <= target if op == "<=" else value >= target
        print(f"  {name:50} {value:6.2f}  (target {op} {target})  {'PASS' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
