"""Eight plain Python threads talking to the C++ TangoTest device at once, through one shared
proxy and through a proxy each. Every thread checks each of its results exactly: it owns one
attribute nobody else writes, and its command arguments carry its own number."""

import threading
import time

import numpy as np

import tango

N_THREADS = 8
ITERATIONS = 40           # per thread, every one checked (how many a thread makes per second:
                          # benchmarks/bench_timing.py, `make bench`)
JOIN_DEADLINE = 120.0

# One read/write spectrum per thread, each echoing what was written (TangoTest has eight).
OWNED_SPECTRA = [
    ("double_spectrum", np.float64),
    ("float_spectrum", np.float32),
    ("long_spectrum", np.int32),
    ("short_spectrum", np.int16),
    ("ushort_spectrum", np.uint16),
    ("uchar_spectrum", np.uint8),
    ("boolean_spectrum", np.bool_),
    ("string_spectrum", None),
]


def spectrum_value(dtype, thread, iteration):
    if dtype is None:
        return [f"t{thread}", f"i{iteration}", "café"]
    if dtype is np.bool_:
        return np.array([(thread + iteration + k) % 2 == 0 for k in range(3)], dtype=dtype)
    return np.array([thread, iteration % 100, thread + 1], dtype=dtype)


def spectrum_matches(dtype, read_value, expected):
    if dtype is None:
        return read_value == tuple(expected)
    return (isinstance(read_value, np.ndarray) and read_value.dtype == np.dtype(dtype)
            and np.array_equal(read_value, expected))


def run_threads(target):
    """Start N_THREADS threads on target(index, stats), released together; join them all
    within the deadline; return their stats and the exceptions they raised."""
    barrier = threading.Barrier(N_THREADS, timeout=JOIN_DEADLINE)
    errors = []
    stats = [dict(iterations=0) for _ in range(N_THREADS)]

    def body(index):
        try:
            barrier.wait()
            target(index, stats[index])
        except BaseException as exc:  # reported by the main thread
            errors.append((index, repr(exc)))

    threads = [threading.Thread(target=body, args=(i,), name=f"client-{i}", daemon=True)
               for i in range(N_THREADS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + JOIN_DEADLINE
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    stuck = [t.name for t in threads if t.is_alive()]
    assert stuck == [], f"threads still running after {JOIN_DEADLINE} s: {stuck}"
    return stats, errors


def bounded_iterations():
    """The iteration numbers of one thread's loop."""
    return range(ITERATIONS)


def check_outcome(stats, errors, expected=ITERATIONS):
    assert errors == []
    done = [s["iterations"] for s in stats]
    assert done == [expected] * N_THREADS, f"iterations per thread: {done}"


def echo_round(dev, index, iteration):
    tag = index * 100_000 + iteration
    assert dev.DevLong(tag) == tag
    assert dev.command_inout("DevDouble", tag + 0.5) == tag + 0.5
    text = f"thread {index} iteration {iteration} é"
    assert dev.DevString(text) == text
    array = dev.DevVarLongArray([index, iteration, -tag])
    assert array.dtype == np.int32 and array.tolist() == [index, iteration, -tag]
    numbers, strings = dev.DevVarLongStringArray(([tag], [f"t{index}"]))
    assert [int(n) for n in numbers] == [tag] and list(strings) == [f"t{index}"]


def owned_attribute_round(dev, index, iteration):
    attr, dtype = OWNED_SPECTRA[index]
    expected = spectrum_value(dtype, index, iteration)
    dev.write_attribute(attr, expected)
    da = dev.read_attribute(attr)
    assert spectrum_matches(dtype, da.value, expected), (attr, da.value, expected)
    assert spectrum_matches(dtype, da.w_value, expected), (attr, da.w_value, expected)


def test_echo_commands_through_one_shared_proxy(tangotest):
    tangotest.ensure_running()
    shared = tango.DeviceProxy(tangotest.name)

    def work(index, stats):
        for iteration in bounded_iterations():
            echo_round(shared, index, iteration)
            stats["iterations"] += 1

    check_outcome(*run_threads(work))
    assert shared.DevLong(42) == 42


def test_own_attributes_through_one_shared_proxy(tangotest):
    tangotest.ensure_running()
    shared = tango.DeviceProxy(tangotest.name)

    def work(index, stats):
        for iteration in bounded_iterations():
            owned_attribute_round(shared, index, iteration)
            assert shared.read_attribute("State").value == tango.DevState.RUNNING
            stats["iterations"] += 1

    check_outcome(*run_threads(work))


def test_own_proxies_created_in_the_threads(tangotest):
    tangotest.ensure_running()

    def work(index, stats):
        dev = tango.DeviceProxy(tangotest.name)  # constructed concurrently too
        for iteration in bounded_iterations():
            owned_attribute_round(dev, index, iteration)
            echo_round(dev, index, iteration)
            stats["iterations"] += 1

    check_outcome(*run_threads(work))


def test_pythonic_access_from_threads(tangotest):
    tangotest.ensure_running()
    shared = tango.DeviceProxy(tangotest.name)

    def work(index, stats):
        own = tango.DeviceProxy(tangotest.name)
        for iteration in bounded_iterations():
            proxy = shared if iteration % 2 else own
            tag = index * 1000 + iteration
            assert proxy.DevULong(tag) == tag
            assert proxy.devshort(index) == index  # names are case-insensitive
            assert "double_scalar" in proxy
            assert proxy.State() == tango.DevState.RUNNING
            stats["iterations"] += 1

    check_outcome(*run_threads(work))


def test_one_writer_per_scalar_readers_everywhere(tangotest):
    """Writers own distinct echoing scalars; every reader checks what it reads against the set
    of values its writer may have written so far (all of them tagged with the writer's id)."""
    tangotest.ensure_running()
    # string_scalar is left out: TangoTest 9.3.4 replies with a pointer into its written string,
    # which a concurrent write frees while the reply is marshalled (garbage read, in C++ too).
    writers = {0: ("long_scalar_w", int), 1: ("double_scalar_w", float), 2: ("short_scalar_w", int)}
    shared = tango.DeviceProxy(tangotest.name)
    for attr, kind in writers.values():
        shared.write_attribute(attr, kind(0) if kind is not str else "w-0")

    def tagged(kind, index, iteration):
        if kind is str:
            return f"w-{iteration}"
        return kind(index * 1000 + iteration) if kind is float else index * 1000 + iteration

    def work(index, stats):
        dev = tango.DeviceProxy(tangotest.name) if index % 2 else shared
        for iteration in bounded_iterations():
            if index in writers:
                attr, kind = writers[index]
                value = tagged(kind, index, iteration)
                dev.write_attribute(attr, value)
                assert dev.read_attribute(attr).value == value
            else:
                writer = index % 3
                attr, kind = writers[writer]
                seen = dev.read_attribute(attr).value
                assert type(seen) is kind
                if kind is str:
                    assert seen.startswith("w-")
                elif seen != 0:
                    assert int(seen) // 1000 == writer
            stats["iterations"] += 1

    check_outcome(*run_threads(work))


def test_many_short_lived_proxies_in_threads(tangotest):
    tangotest.ensure_running()
    rounds = 3

    def work(index, stats):
        for iteration in range(rounds):
            dev = tango.DeviceProxy(tangotest.name)
            assert dev.DevLong(index * 10 + iteration) == index * 10 + iteration
            del dev
            stats["iterations"] += 1

    check_outcome(*run_threads(work), expected=rounds)
