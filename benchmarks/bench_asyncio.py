"""`make bench`, asyncio part: reads in flight at once against one Python server.

Against the Python benchmark server (py_bench_server.py), reading the scalar attribute:
- a synchronous read (DeviceProxy) and an asyncio read awaited one after another
  (tango.asyncio.DeviceProxy), means over N of each, measured in alternating blocks;
- N asyncio reads gathered at once (all in flight together), the time per read;
- for reference, N reads in flight from a C++ client over the same cppTango: six threads sharing
  one proxy (cpp/bench_client.cpp scalar_read_threads), in the same turns.
Targets (issue 5): the gathered reads at least 2.5x faster than the same reads awaited one after
another; the sequential asyncio read at most 1.1x a synchronous read.
"""

import argparse
import asyncio
import os
import resource
import time

from bench import Server, cpp_client


async def alternating_us(dev, adev, n, block=100):
    """A synchronous read and an asyncio read awaited one after another, n of each, in
    alternating blocks: both meet the same moments of a machine whose speed drifts."""
    for _ in range(100):
        dev.read_attribute("scalar")
        await adev.read_attribute("scalar")
    clock = time.perf_counter
    sync = sequential = 0.0
    for _ in range(n // block):
        start = clock()
        for _ in range(block):
            dev.read_attribute("scalar")
        middle = clock()
        for _ in range(block):
            await adev.read_attribute("scalar")
        sync += middle - start
        sequential += clock() - middle
    return sync / n * 1e6, sequential / n * 1e6


def cpu_seconds(pid=None):
    """CPU time (user + system) of this process, or of process `pid`."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def gathered_us(dev, n, server_pid, cpu):
    """Time per read of n reads gathered at once; adds the CPU per read of the client and the
    server to `cpu` (what bounds the figure: the machine has two cores)."""
    await asyncio.gather(*[dev.read_attribute("scalar") for _ in range(100)])  # warm the pool
    client, server = cpu_seconds(), cpu_seconds(server_pid)
    start = time.perf_counter()
    results = await asyncio.gather(*[dev.read_attribute("scalar") for _ in range(n)])
    elapsed = time.perf_counter() - start
    cpu["client"].append((cpu_seconds() - client) / n * 1e6)
    cpu["server"].append((cpu_seconds(server_pid) - server) / n * 1e6)
    assert len(results) == n and all(r.value == results[0].value for r in results)
    return elapsed / n * 1e6


def cpp_threads_us(server, n, threads=6):
    """Time per read of n reads in flight from the C++ client's threads."""
    return cpp_client(server, "scalar_read_threads", n, threads)["us_per_read"]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n, repeat = (500, 3) if args.quick else (2000, 7)

    import statistics

    import tango
    import tango.asyncio

    server = Server("Python")
    try:
        server.wait()
        dev = tango.DeviceProxy(server.name)

        async def run():
            # The three take turns, `repeat` times: each ratio is taken within one turn (the same
            # moments of a machine whose speed drifts), and the median of the turns is reported.
            adev = await tango.asyncio.DeviceProxy(server.name)
            turns = []
            for _ in range(repeat):
                sync, sequential = await alternating_us(dev, adev, n)
                gathered = await gathered_us(adev, n, server.proc.pid, cpu)
                cpp = cpp_threads_us(server, n)
                turns.append({"sync": sync, "sequential": sequential, "gathered": gathered, "cpp": cpp})
            return turns

        cpu = {"client": [], "server": []}
        turns = asyncio.run(run())
    finally:
        server.stop()

    best = {k: min(t[k] for t in turns) for k in turns[0]}
    speedup = statistics.median(t["sequential"] / t["gathered"] for t in turns)
    cost = statistics.median(t["sequential"] / t["sync"] for t in turns)
    print(f"\nasyncio client -> Python server, scalar read, {n} reads, best of {repeat} turns")
    print(f"  synchronous read, one after another     {best['sync']:8.1f} us/read")
    print(f"  asyncio read, awaited one after another {best['sequential']:8.1f} us/read")
    print(f"  asyncio reads, {n} in flight at once   {best['gathered']:8.1f} us/read")
    print(f"  C++ client, {n} reads from 6 threads    {best['cpp']:8.1f} us/read")
    client_cpu, server_cpu = statistics.median(cpu["client"]), statistics.median(cpu["server"])
    print(f"  CPU per read in flight: client {client_cpu:.1f} us, server {server_cpu:.1f} us: on "
          f"{os.cpu_count()} cores, at least {(client_cpu + server_cpu) / os.cpu_count():.1f} us/read")
    versus_cpp = statistics.median(t["gathered"] / t["cpp"] for t in turns)
    print(f"ratios, median over the {repeat} turns")
    print(f"  in flight, asyncio client vs C++ threads: {versus_cpp:5.2f}x the time per read")
    print(f"  in flight vs one after another: {speedup:5.2f}x faster  (target >= 2.5)  "
          f"{'PASS' if speedup >= 2.5 else 'FAIL'}")
    print(f"  sequential asyncio vs synchronous: {cost:5.2f}x  (target <= 1.1)  "
          f"{'PASS' if cost <= 1.1 else 'FAIL'}")


if __name__ == "__main__":
    main()
