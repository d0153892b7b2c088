"""The GIOP port of a running device server, found from its process id (Linux, /proc).

A server started with ``-ORBendPoint giop:tcp:HOST:0`` picks a free port and says nothing of it
outside; its listening sockets are in /proc. Besides its GIOP port (CORBA requests) a server
listens on ZMQ ports (events); a GIOP ``LocateRequest`` sent to each candidate tells them
apart: an ORB answers with a GIOP message, ZMQ with its own greeting.
"""

import os
import socket
import struct
import time

__all__ = ["get_server_port_via_pid"]

_LISTEN = "0A"  # TCP state in /proc/net/tcp*


def _socket_inodes(pid):
    inodes = set()
    fd_dir = f"/proc/{pid}/fd"
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(os.path.join(fd_dir, fd))
        except OSError:  # closed meanwhile
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def _listening_tcp_ports(pid):
    """The TCP ports the process ``pid`` listens on."""
    inodes = _socket_inodes(pid)
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as fh:
                lines = fh.readlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[3] == _LISTEN and fields[9] in inodes:
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return sorted(ports)


def _locate_request():
    # GIOP 1.2, little endian, LocateRequest (3): request id, KeyAddr target with a short key.
    key = b"pytango-probe"
    body = struct.pack("<IhxxI", 1, 0, len(key)) + key
    return b"GIOP" + bytes([1, 2, 1, 3]) + struct.pack("<I", len(body)) + body


def _speaks_giop(host, port, timeout=0.5):
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(_locate_request())
            return sock.recv(4) == b"GIOP"
    except OSError:
        return False


def get_server_port_via_pid(pid, host, retries=400, delay=0.05):
    """The TCP port on which the device server process ``pid`` accepts GIOP (CORBA) requests
    at ``host``: the port for ``tango://host:port/dev/name#dbase=no``.

    Looks ``retries`` times, ``delay`` seconds apart, while the server starts; RuntimeError if
    no such port shows up, or at once if the process does not exist.
    """
    last = "no listening TCP socket"
    for attempt in range(max(1, int(retries))):
        if not os.path.exists(f"/proc/{pid}"):
            raise RuntimeError(f"no process with pid {pid}")
        try:
            ports = _listening_tcp_ports(pid)
        except OSError as exc:  # the process ended meanwhile, or is not ours to inspect
            ports, last = [], str(exc)
        for port in ports:
            if _speaks_giop(host, port):
                return port
        if ports:
            last = f"none of the listening ports {ports} answers GIOP at {host}"
        if attempt + 1 < retries:
            time.sleep(delay)
    raise RuntimeError(f"could not find the GIOP port of process {pid} at {host}: {last}")
