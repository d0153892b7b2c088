"""What PyTango's test tooling asks of the binding about coverage runs.

PyTango can be built with gcov instrumentation and then patches device methods so that coverage
sees the threads cppTango calls them on. pytango has neither: its device servers run in child
processes of their own, and its extension is never built for gcov. The two names below say so,
in the form PyTango's suites read them.
"""

__all__ = []

# A traced coverage run (device methods patched for coverage tracing) is never active here.
_traced_coverage_run_active = False


def _dump_cpp_coverage():
    """Write gcov's C++ coverage data: this build has none, so this is a clear error."""
    raise RuntimeError(
        "pytango's extension is not built with C++ coverage support: there is no coverage data to dump"
    )
