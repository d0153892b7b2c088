"""A whole Tango control system in one script: the embedded database server (tango.databaseds,
on sqlite), the PowerSupply server registered in it and run under TANGO_HOST, and a client that
finds the device by name and by alias. `make demo` runs it after the database-free demo.

The same steps by hand, in three shells:

    pytango-databaseds --port 10000 --file /tmp/tango.db 2
    TANGO_HOST=127.0.0.1:10000 python -c "import tango; tango.Database().add_device(
        tango.DbDevInfo('demo/power/1', 'PowerSupply', 'PowerSupply/demo'))"
    TANGO_HOST=127.0.0.1:10000 python examples/power_supply.py demo
"""

import os
import socket
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(argv, env, what):
    """A server process, once it says it serves (its output is shown if it fails first)."""
    process = subprocess.Popen([sys.executable, *argv], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    seen = []
    for line in process.stdout:  # ends when the process does
        seen.append(line)
        if line.strip() == "Ready to accept request":
            return process
    raise RuntimeError(f"{what} ended with {process.wait()} before serving:\n{''.join(seen)}")


def stop(process):
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


def main():
    with tempfile.TemporaryDirectory(prefix="pytango-demo-") as tmp:
        port = free_port()
        tango_host = f"127.0.0.1:{port}"
        env = dict(os.environ, TANGO_HOST=tango_host, PYTHONUNBUFFERED="1")
        db_file = os.path.join(tmp, "tango.db")
        database = start(["-m", "tango.databaseds.database", "--host", "127.0.0.1", "--port", str(port),
                          "--file", db_file, "2"], env, "the database server")
        server = None
        try:
            print(f"database server up: TANGO_HOST={tango_host}, stored in {db_file}")
            os.environ["TANGO_HOST"] = tango_host  # before this process's first proxy
            import tango

            db = tango.Database()
            db.add_device(tango.DbDevInfo("demo/power/1", "PowerSupply", "PowerSupply/demo"))
            db.put_device_property("demo/power/1", {"max_current": 5.0})
            db.put_device_alias("demo/power/1", "psu")
            print(f"registered: {db.get_device_name('PowerSupply/demo', 'PowerSupply')[0]} "
                  f"(server PowerSupply/demo, alias {db.get_alias_from_device('demo/power/1')}), "
                  f"max_current = {db.get_device_property('demo/power/1', 'max_current')['max_current'][0]}")

            script = os.path.join(HERE, "power_supply.py")
            server = start([script, "demo"], env, "the PowerSupply server")
            ps = tango.DeviceProxy("demo/power/1")  # found through the database
            print(f"by name: {ps.dev_name()} is {ps.state()}; "
                  f"by alias: {tango.DeviceProxy('psu').dev_name()}")
            ps.turn_on()
            ps.current = 2.0
            try:
                ps.ramp(8.0)
            except tango.DevFailed as exc:
                print(f"the device read its property from the database: "
                      f"{exc.args[0].desc.strip().splitlines()[-1]}")
            print(f"current set to {ps.current} A (memorized in the database)")

            stop(server)
            server = start([script, "demo"], env, "the PowerSupply server")
            restored = tango.DeviceProxy("psu").read_attribute("current")
            print(f"after a restart the set point is back: w_value = {restored.w_value} A")
            tango.DeviceProxy("dserver/PowerSupply/demo").Kill()
            server.wait(20)
            server = None
            print("server stopped")
        finally:
            if server is not None:
                stop(server)
            stop(database)
        print("database stopped; control system demo done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
