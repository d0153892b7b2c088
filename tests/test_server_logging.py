"""Device logging: the streams with % arguments, the LogIt decorators, TangoStream, the
logging.Handler into a device's Tango log, -v levels and the logging targets (console, file,
device), in every server green mode.

The messages travel as Tango sends them: a log device target (``device::<name>``) receives each
record through its ``Log`` command, as ``[time ms, level, source, message, context, thread]``.
"""

import logging
import time

import pytest

import tango
from tango import DevFailed, DeviceProxy, LogLevel
from tango.log4tango import DebugIt, ErrorIt, InfoIt, TangoLoggingHandler, TangoStream, WarnIt
from tango.server import attribute, command
from tango.test_context import DeviceTestContext

from _green_server import GreenModeProbe, GreenMultiDeviceTestContext
from conftest import BUILTIN_LOG_TARGETS, wait_for

SINK = "test/log/sink"
SOURCE = "test/log/source"


class LogSink(GreenModeProbe):
    """A log device target: keeps the records it receives."""

    records = []

    @command(dtype_in=(str,))
    def Log(self, record):
        type(self).records.append(list(record))

    @attribute(dtype=(str,), max_dim_x=10000)
    def lines(self):
        return [f"{r[1]} {r[2]} {r[3]}" for r in type(self).records] or [""]

    @attribute(dtype=(str,), max_dim_x=6)
    def last_record(self):
        return type(self).records[-1] if type(self).records else [""]


class Counted:
    """An argument whose repr is counted: the decorators must not format what is not logged."""

    reprs = 0

    def __repr__(self):
        type(self).reprs += 1
        return "Counted()"


class LogSource(GreenModeProbe):
    def init_device(self):
        super().init_device()
        self.library = logging.getLogger(f"library.{self.get_name()}")
        self.library.setLevel(logging.DEBUG)
        self.library.propagate = False
        self.library.handlers[:] = [TangoLoggingHandler(self)]

    @command(dtype_in=(str,))
    def Say(self, argin):
        level, fmt, *args = argin
        getattr(self, f"{level}_stream")(fmt, *args)

    @command
    @InfoIt(show_args=True, show_ret=True)
    def Double(self, x: int) -> int:
        return 2 * x

    @DebugIt(show_args=True, show_kwargs=True, show_ret=True)
    def helper(self, text, numbers=None):
        return text.upper()

    @command
    def CallHelper(self):
        self.helper("a" * 30, numbers=[1, 2])
        self.helper("short")

    @command
    @WarnIt()
    def Fail(self):
        raise ValueError("it went wrong")

    @attribute
    @ErrorIt()
    def guarded(self) -> int:
        return 7

    @DebugIt(show_args=True)
    def quiet(self, value):
        return value

    @command(dtype_out=int)
    def QuietCall(self):
        Counted.reprs = 0
        self.quiet(Counted())
        return Counted.reprs

    @command(dtype_in=(str,))
    def LibraryLog(self, argin):
        level, message = argin
        self.library.log(getattr(logging, level), "%s from the library", message)

    @command
    def PrintInfo(self):
        print("printed", 5, file=self.log_info)

    @command(dtype_out=(str,))
    def LoggerFacts(self):
        logger = self.get_logger()
        return [logger.get_name(), str(logger.get_level()), str(logger.is_debug_enabled()),
                str(logger.is_info_enabled())]


@pytest.fixture(scope="module")
def context(server_mode):
    info = [{"class": LogSink, "devices": [{"name": SINK}]},
            {"class": LogSource, "devices": [{"name": SOURCE}]}]
    with GreenMultiDeviceTestContext(info, server_mode, debug=0) as ctx:
        source = DeviceProxy(ctx.get_device_access(SOURCE))
        source.add_logging_target(f"device::{ctx.get_device_access(SINK)}")
        yield ctx


@pytest.fixture
def source(context):
    proxy = DeviceProxy(context.get_device_access(SOURCE))
    proxy.set_logging_level(int(LogLevel.LOG_DEBUG))
    return proxy


@pytest.fixture
def sink(context):
    return DeviceProxy(context.get_device_access(SINK))


def lines(sink):
    return list(sink.lines)


def wait_for_line(sink, line):
    wait_for(lambda: line in lines(sink), timeout=10)


@pytest.mark.parametrize("level", ["debug", "info", "warn", "error", "fatal"])
def test_streams_format_their_arguments_with_percent(source, sink, level):
    source.Say([level, f"{level}: %s and %s", "x", "3"])
    wait_for_line(sink, f"{level.upper()} {SOURCE} {level}: x and 3")


def test_a_stream_without_arguments_keeps_its_text_as_it_is(source, sink):
    source.Say(["info", "literal %s and 100%"])
    wait_for_line(sink, f"INFO {SOURCE} literal %s and 100%")


def test_a_record_carries_time_source_and_thread(source, sink):
    before = time.time()
    source.Say(["warn", "the record fields"])
    wait_for_line(sink, f"WARN {SOURCE} the record fields")
    stamp_ms, level, src, message, context, thread = sink.last_record
    assert before - 0.01 <= int(stamp_ms) / 1000 <= time.time() + 0.01
    assert (level, src, message, context) == ("WARN", SOURCE, "the record fields", "")
    assert thread != ""


def test_decorator_logs_entry_arguments_and_result(source, sink):
    assert source.Double(21) == 42
    # (each record is sent on its own asynchronous call: they may arrive in either order)
    wait_for_line(sink, f"INFO {SOURCE} 42 <- LogSource.Double()")
    wait_for_line(sink, f"INFO {SOURCE} -> LogSource.Double(21)")


def test_decorator_cuts_long_arguments_and_shows_keywords(source, sink):
    source.CallHelper()
    cut = "'" + "a" * 19 + "[...]"
    for line in (f"-> LogSource.helper({cut}, numbers=[1, 2])", f"{cut.upper()} <- LogSource.helper()",
                 "-> LogSource.helper('short')", "'SHORT' <- LogSource.helper()"):
        wait_for_line(sink, f"DEBUG {SOURCE} {line}")


def test_decorator_logs_an_exception_and_lets_it_through(source, sink):
    with pytest.raises(DevFailed, match="it went wrong"):
        source.Fail()
    wait_for_line(sink, f"WARN {SOURCE} <- LogSource.Fail() raised exception!")
    wait_for_line(sink, f"WARN {SOURCE} -> LogSource.Fail()")


def test_decorated_attribute_read_is_logged(source, sink):
    assert source.guarded == 7
    wait_for_line(sink, f"ERROR {SOURCE} <- LogSource.guarded()")
    wait_for_line(sink, f"ERROR {SOURCE} -> LogSource.guarded()")


def test_below_the_device_level_nothing_is_formatted_nor_sent(source, sink):
    source.set_logging_level(int(LogLevel.LOG_INFO))
    assert source.QuietCall() == 0
    source.Say(["debug", "not sent"])
    source.Say(["info", "sent after the debug one"])
    wait_for_line(sink, f"INFO {SOURCE} sent after the debug one")
    assert not any(line.endswith("not sent") for line in lines(sink))
    source.set_logging_level(int(LogLevel.LOG_DEBUG))
    assert source.QuietCall() == 1


def test_print_to_a_log_stream(source, sink):
    source.PrintInfo()
    wait_for_line(sink, f"INFO {SOURCE} printed 5")


@pytest.mark.parametrize("python_level, tango_level", [
    ("CRITICAL", "FATAL"), ("ERROR", "ERROR"), ("WARNING", "WARN"), ("INFO", "INFO"),
    ("DEBUG", "DEBUG"),
])
def test_logging_handler_maps_python_levels(source, sink, python_level, tango_level):
    source.LibraryLog([python_level, f"{python_level} record"])
    wait_for_line(sink, f"{tango_level} {SOURCE} {python_level} record from the library")


def test_logging_handler_follows_the_device_level(source, sink):
    source.set_logging_level(int(LogLevel.LOG_WARN))
    source.LibraryLog(["INFO", "dropped"])
    source.LibraryLog(["ERROR", "kept"])
    wait_for_line(sink, f"ERROR {SOURCE} kept from the library")
    assert not any("dropped" in line for line in lines(sink))


def test_device_logger(source):
    name, level, debug, info = source.LoggerFacts()
    assert (name, int(level), debug, info) == (SOURCE, int(tango._tango.LevelLevel.DEBUG), "True", "True")
    source.set_logging_level(int(LogLevel.LOG_ERROR))
    assert source.LoggerFacts()[1:] == [str(int(tango._tango.LevelLevel.ERROR)), "False", "False"]


def test_file_target_receives_the_device_lines(context, source, tmp_path):
    path = tmp_path / "source.log"
    admin = DeviceProxy(context.get_server_access())
    admin.AddLoggingTarget([SOURCE, f"file::{path}"])
    try:
        source.Say(["error", "written to %s", "the file"])
        wait_for(lambda: path.exists() and "written to the file" in path.read_text(), timeout=10)
        assert SOURCE in path.read_text()
    finally:
        admin.RemoveLoggingTarget([SOURCE, f"file::{path}"])


class Quiet(GreenModeProbe):
    pass


# cppTango's reading of -v: 1-2 log INFO, 3 and more DEBUG, each with a console target; without
# -v (and no logging_level property) the devices do not log.
@pytest.mark.parametrize("verbose, level", [(0, LogLevel.LOG_OFF), (1, LogLevel.LOG_INFO),
                                            (2, LogLevel.LOG_INFO), (3, LogLevel.LOG_DEBUG),
                                            (4, LogLevel.LOG_DEBUG)])
def test_verbose_levels_of_the_command_line(verbose, level):
    with DeviceTestContext(Quiet, debug=verbose) as proxy:
        assert proxy.get_logging_level() == int(level)
        targets = set(proxy.get_logging_target())
        assert targets == BUILTIN_LOG_TARGETS | ({"console::cout"} if verbose else set())


def test_tango_stream_sends_whole_lines():
    sent = []
    stream = TangoStream(sent.append)
    stream.write("ab")
    assert sent == []
    stream.write("c\nd\n")
    assert sent == ["abc\nd"]
    stream.write("tail")
    stream.flush()
    stream.flush()
    assert sent == ["abc\nd", "tail"]


def test_decorators_keep_the_method_and_reject_nothing_silently():
    class Plain:
        def get_logger(self):
            raise AssertionError("not called: no device here")

    def method(self, x: int) -> int:
        """Doc."""
        return x

    wrapped = InfoIt(show_args=True)(method)
    assert (wrapped.__name__, wrapped.__doc__, wrapped.__annotations__) == \
        ("method", "Doc.", {"x": int, "return": int})
    assert wrapped.__wrapped__ is method
    with pytest.raises(AssertionError, match="no device here"):
        wrapped(Plain(), 1)


def test_level_names_and_values():
    assert tango.Level.get_name(int(tango._tango.LevelLevel.WARN)) == "WARN"
    assert tango.Level.get_value("DEBUG") == int(tango._tango.LevelLevel.DEBUG)
    logger = tango.Logger("standalone", int(tango._tango.LevelLevel.INFO))
    assert (logger.get_name(), logger.is_info_enabled(), logger.is_debug_enabled()) == \
        ("standalone", True, False)
    logger.info("no appender: %s", "dropped quietly")
    with pytest.raises(ValueError, match="unknown log level name: LOUD"):
        tango.Level.get_value("LOUD")
