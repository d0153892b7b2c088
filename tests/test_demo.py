"""`make demo` (examples/demo.py) as users run it: the database-free part and the whole control
system (embedded database, registered server, restart), with the lines it prints."""

import os
import subprocess
import sys

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")


def test_make_demo_runs_the_whole_control_system():
    env = {k: v for k, v in os.environ.items() if k != "TANGO_HOST"}
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    done = subprocess.run([sys.executable, os.path.join(EXAMPLES, "demo.py")], env=env, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for expected in [
        "state after turn_on: ON",
        "registered: demo/power/1 (server PowerSupply/demo, alias psu), max_current = 5.0",
        "by name: demo/power/1 is OFF; by alias: demo/power/1",
        "the device read its property from the database: ValueError: 8.0 A is above the maximum of 5.0 A",
        "current set to 2.0 A (memorized in the database)",
        "after a restart the set point is back: w_value = 2.0 A",
        "server stopped",
        "database stopped; control system demo done",
        "demo done",
    ]:
        assert expected in lines, done.stdout
    assert lines.index("state after turn_on: ON") < lines.index("demo done")


def test_the_database_server_console_script():
    script = os.path.join(os.path.dirname(sys.executable), "pytango-databaseds")
    done = subprocess.run([script, "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: pytango-databaseds ")
    assert "--file FILE" in done.stdout
