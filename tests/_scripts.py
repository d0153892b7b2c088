"""Tests that need a fresh interpreter (the first test context of a process, exit paths)."""

import subprocess
import sys
import textwrap


def run_script(header, body, timeout=90):
    """Run header + body (dedented) in a new interpreter; its stdout lines, cppTango's notifd
    notice dropped. A non-zero exit fails the test with both outputs."""
    done = subprocess.run([sys.executable, "-c", header + textwrap.dedent(body)], capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, f"exit code {done.returncode}\n{done.stdout}\n{done.stderr}"
    return [line for line in done.stdout.splitlines() if line and "notifd" not in line]


def objects_left_in_traceback(make, kind):
    """Call ``make()``, which must raise DevFailed; the ``kind`` instances its traceback's frames
    hold (what a traceback report, pytest's, shows of a half-built object)."""
    import tango

    try:
        make()
    except tango.DevFailed as exc:
        found, tb = [], exc.__traceback__
        while tb is not None:
            found += [v for v in list(tb.tb_frame.f_locals.values()) if isinstance(v, kind)]
            tb = tb.tb_next
        return found
    raise AssertionError(f"{make} made its object: no DevFailed")
