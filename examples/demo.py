"""`make demo`: the PowerSupply server without a database, driven by the client; then a whole
control system (examples/control_system.py): the embedded database, the server registered in it
and run under TANGO_HOST, found by name and alias, its memorized set point kept over a restart."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from client import main  # noqa: E402
import control_system  # noqa: E402
from power_supply import PowerSupply  # noqa: E402

from tango.test_context import DeviceTestContext  # noqa: E402

if __name__ == "__main__":
    print("starting the PowerSupply device server (no database)...")
    with DeviceTestContext(PowerSupply, device_name="test/power/1", debug=0) as proxy:
        access = proxy.get_full_name()
        print(f"server up: {access}")
        code = main(access)
    print("server stopped")
    if code == 0:
        print()
        print("a whole control system: database, registered server, client...")
        code = control_system.main()
    print("demo done")
    sys.exit(code)
