"""`make demo`: start the PowerSupply server without a database, drive it from the client."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from client import main  # noqa: E402
from power_supply import PowerSupply  # noqa: E402

from tango.test_context import DeviceTestContext  # noqa: E402

if __name__ == "__main__":
    print("starting the PowerSupply device server (no database)...")
    with DeviceTestContext(PowerSupply, device_name="test/power/1", debug=0) as proxy:
        access = proxy.get_full_name()
        print(f"server up: {access}")
        code = main(access)
    print("server stopped; demo done")
    sys.exit(code)
