"""A client of the PowerSupply example: reads, writes, runs commands, meets a state check.

    python examples/client.py tango://127.0.0.1:10000/test/power/1#dbase=no
"""

import sys

import tango


def main(name):
    ps = tango.DeviceProxy(name)
    print(f"connected to {ps} ({ps.info().dev_class}), state {ps.state()}: {ps.status()}")
    print(f"voltage = {ps.voltage} V")
    try:
        ps.current = 2.0
    except tango.DevFailed as exc:
        print(f"writing the current while off is refused: {exc.args[0].reason}")
    ps.turn_on()
    print(f"state after turn_on: {ps.state()}")
    ps.current = 2.0
    print(f"current = {ps.current} A, voltage = {ps.voltage} V")
    print(f"ramp(4.0) -> {ps.ramp(4.0)} V")
    try:
        ps.ramp(50.0)
    except tango.DevFailed as exc:
        print(f"ramp(50.0) fails on the server: {exc.args[0].desc.strip().splitlines()[-1]}")
    ps.calibrate()
    config = ps.get_attribute_config("voltage")
    print(f"voltage config: label={config.label!r} unit={config.unit!r} format={config.format!r}")
    ps.turn_off()
    print(f"state after turn_off: {ps.state()}: {ps.status()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
