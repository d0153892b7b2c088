"""A small TCP instrument simulator: a power supply speaking a line protocol.

    VOLT?        -> the voltage set point, e.g. "1.500"
    VOLT <x>     -> "OK" (or "ERR out of range" outside 0..30 V)
    CURR?        -> the current, voltage / 10 ohm
    anything else -> "ERR unknown command"

``python instrument_simulator.py [port]`` serves until interrupted; tests start it in a thread
with ``start()``.
"""

import socketserver
import sys
import threading


class _Handler(socketserver.StreamRequestHandler):
    def handle(self):
        for raw in self.rfile:
            line = raw.decode("ascii", "replace").strip()
            self.wfile.write((self.server.answer(line) + "\n").encode("ascii"))


class InstrumentSimulator(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address=("127.0.0.1", 0)):
        super().__init__(address, _Handler)
        self.voltage = 0.0
        self._lock = threading.Lock()

    @property
    def port(self):
        return self.server_address[1]

    def answer(self, line):
        with self._lock:
            if line == "VOLT?":
                return f"{self.voltage:.3f}"
            if line == "CURR?":
                return f"{self.voltage / 10:.4f}"
            if line.startswith("VOLT "):
                try:
                    value = float(line[5:])
                except ValueError:
                    return "ERR not a number"
                if not 0 <= value <= 30:
                    return "ERR out of range"
                self.voltage = value
                return "OK"
            return "ERR unknown command"


def start(port=0):
    """A simulator serving in a daemon thread; call .shutdown() to stop it."""
    sim = InstrumentSimulator(("127.0.0.1", port))
    threading.Thread(target=sim.serve_forever, daemon=True, name="instrument-simulator").start()
    return sim


if __name__ == "__main__":
    server = InstrumentSimulator(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 5025))
    print(f"instrument simulator on port {server.port}")
    server.serve_forever()
