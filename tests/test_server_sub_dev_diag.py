"""Util.get_sub_dev_diag(): the sub devices a server's devices register (as C++ devices do for
the admin device's QuerySubDevice), in every server green mode, and the device a request
thread works for."""

import json

import tango
from tango import GreenMode, Util
from tango.server import command

from _green_server import GreenMultiDeviceTestContext, GreenModeProbe


class Diagnosed(GreenModeProbe):
    @command(dtype_in=str)
    def AddSub(self, sub_device):
        Util.instance().get_sub_dev_diag().register_sub_device(self.get_name(), sub_device)

    @command
    def RemoveSubs(self):
        Util.instance().get_sub_dev_diag().remove_sub_devices(self.get_name())

    @command(dtype_out=str)
    def Subs(self):
        diag = Util.instance().get_sub_dev_diag()
        return json.dumps({"subs": diag.get_sub_devices(), "associated": diag.get_associated_device()})


INFO = ({"class": Diagnosed, "devices": [{"name": "test/diag/1"}, {"name": "test/diag/2"}]},)


def test_sub_devices_registered_and_removed(server_mode):
    with GreenMultiDeviceTestContext(INFO, server_mode, debug=0) as ctx:
        one, two = ctx.get_device("test/diag/1"), ctx.get_device("test/diag/2")
        assert json.loads(one.Subs())["subs"] == []
        one.AddSub("sys/tg_test/1")
        two.AddSub("a/b/c")
        assert sorted(json.loads(two.Subs())["subs"]) == ["test/diag/1 sys/tg_test/1", "test/diag/2 a/b/c"]
        one.RemoveSubs()
        assert json.loads(one.Subs())["subs"] == ["test/diag/2 a/b/c"]
        admin = tango.DeviceProxy(ctx.get_server_access())
        assert admin.QuerySubDevice() == ["test/diag/2 a/b/c"]


def test_the_associated_device_is_the_device_of_the_request():
    # cppTango records it per request thread: a synchronous server runs device code there
    with GreenMultiDeviceTestContext(INFO, GreenMode.Synchronous, debug=0) as ctx:
        assert json.loads(ctx.get_device("test/diag/1").Subs())["associated"] == "test/diag/1"
        assert json.loads(ctx.get_device("test/diag/2").Subs())["associated"] == "test/diag/2"
