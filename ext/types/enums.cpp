// Every Tango enumeration, as Python enum.IntEnum subclasses (tango._enum_base.TangoEnum).
#include "pytango.hpp"
#include "convert/types.hpp"
#include "types/enums.hpp"

namespace pt {

namespace {
constexpr const char *kBase = "tango._enum_base.TangoEnum";
}

void register_enums(py::module_ &m) {
    py::native_enum<Tango::DevState>(m, "DevState", kBase)
        .value("ON", Tango::ON).value("OFF", Tango::OFF).value("CLOSE", Tango::CLOSE)
        .value("OPEN", Tango::OPEN).value("INSERT", Tango::INSERT).value("EXTRACT", Tango::EXTRACT)
        .value("MOVING", Tango::MOVING).value("STANDBY", Tango::STANDBY).value("FAULT", Tango::FAULT)
        .value("INIT", Tango::INIT).value("RUNNING", Tango::RUNNING).value("ALARM", Tango::ALARM)
        .value("DISABLE", Tango::DISABLE).value("UNKNOWN", Tango::UNKNOWN)
        .finalize();

    py::native_enum<Tango::AttrQuality>(m, "AttrQuality", kBase)
        .value("ATTR_VALID", Tango::ATTR_VALID).value("ATTR_INVALID", Tango::ATTR_INVALID)
        .value("ATTR_ALARM", Tango::ATTR_ALARM).value("ATTR_CHANGING", Tango::ATTR_CHANGING)
        .value("ATTR_WARNING", Tango::ATTR_WARNING)
        .export_values()
        .finalize();

    py::native_enum<Tango::AttrWriteType>(m, "AttrWriteType", kBase)
        .value("READ", Tango::READ).value("READ_WITH_WRITE", Tango::READ_WITH_WRITE)
        .value("WRITE", Tango::WRITE).value("READ_WRITE", Tango::READ_WRITE)
        .value("WT_UNKNOWN", Tango::WT_UNKNOWN)
        .export_values()
        .finalize();

    py::native_enum<Tango::AttrDataFormat>(m, "AttrDataFormat", kBase)
        .value("SCALAR", Tango::SCALAR).value("SPECTRUM", Tango::SPECTRUM)
        .value("IMAGE", Tango::IMAGE).value("FMT_UNKNOWN", Tango::FMT_UNKNOWN)
        .export_values()
        .finalize();

    py::native_enum<Tango::DispLevel>(m, "DispLevel", kBase)
        .value("OPERATOR", Tango::OPERATOR).value("EXPERT", Tango::EXPERT)
        .value("DL_UNKNOWN", Tango::DL_UNKNOWN)
        .export_values()
        .finalize();

    py::native_enum<Tango::ErrSeverity>(m, "ErrSeverity", kBase)
        .value("WARN", Tango::WARN).value("ERR", Tango::ERR).value("PANIC", Tango::PANIC)
        .export_values()
        .finalize();

    py::native_enum<Tango::DevSource>(m, "DevSource", kBase)
        .value("DEV", Tango::DEV).value("CACHE", Tango::CACHE).value("CACHE_DEV", Tango::CACHE_DEV)
        .export_values()
        .finalize();

    py::native_enum<Tango::LockerLanguage>(m, "LockerLanguage", kBase)
        .value("CPP", Tango::CPP).value("JAVA", Tango::JAVA)
        // IDL 6 (cppTango 10) lockers; by number so that 9.3 knows them too
        .value("CPP_6", static_cast<Tango::LockerLanguage>(2))
        .value("JAVA_6", static_cast<Tango::LockerLanguage>(3))
        .export_values()
        .finalize();

    py::native_enum<Tango::SerialModel>(m, "SerialModel", kBase)
        .value("BY_DEVICE", Tango::BY_DEVICE).value("BY_CLASS", Tango::BY_CLASS)
        .value("BY_PROCESS", Tango::BY_PROCESS).value("NO_SYNC", Tango::NO_SYNC)
        .export_values()
        .finalize();

    py::native_enum<Tango::cb_sub_model>(m, "cb_sub_model", kBase)
        .value("PUSH_CALLBACK", Tango::PUSH_CALLBACK).value("PULL_CALLBACK", Tango::PULL_CALLBACK)
        .export_values()
        .finalize();

    py::native_enum<Tango::asyn_req_type>(m, "asyn_req_type", kBase)
        .value("POLLING", Tango::POLLING).value("CALLBACK", Tango::CALL_BACK)
        .value("ALL_ASYNCH", Tango::ALL_ASYNCH)
        .export_values()
        .finalize();

    py::native_enum<Tango::EventType> event_type(m, "EventType", kBase);
    event_type
        .value("CHANGE_EVENT", Tango::CHANGE_EVENT) // (QUALITY_EVENT, 1: gone from cppTango 10 and PyTango 10.3)
        .value("PERIODIC_EVENT", Tango::PERIODIC_EVENT).value("ARCHIVE_EVENT", Tango::ARCHIVE_EVENT)
        .value("USER_EVENT", Tango::USER_EVENT).value("ATTR_CONF_EVENT", Tango::ATTR_CONF_EVENT)
        .value("DATA_READY_EVENT", Tango::DATA_READY_EVENT)
        .value("INTERFACE_CHANGE_EVENT", Tango::INTERFACE_CHANGE_EVENT)
        .value("PIPE_EVENT", Tango::PIPE_EVENT).value("ALARM_EVENT", compat::ALARM_EVENT);
    event_type.finalize();

    py::native_enum<Tango::AccessControlType>(m, "AccessControlType", kBase)
        .value("ACCESS_READ", Tango::ACCESS_READ).value("ACCESS_WRITE", Tango::ACCESS_WRITE)
        .export_values()
        .finalize();

    py::native_enum<Tango::PipeWriteType>(m, "PipeWriteType", kBase)
        .value("PIPE_READ", Tango::PIPE_READ).value("PIPE_READ_WRITE", Tango::PIPE_READ_WRITE)
        .value("PIPE_WT_UNKNOWN", Tango::PIPE_WT_UNKNOWN)
        .export_values()
        .finalize();

    py::native_enum<Tango::AttReqType>(m, "AttReqType", kBase)
        .value("READ_REQ", Tango::READ_REQ).value("WRITE_REQ", Tango::WRITE_REQ)
        .export_values()
        .finalize();

    py::native_enum<Tango::LogLevel>(m, "LogLevel", kBase)
        .value("LOG_OFF", Tango::LOG_OFF).value("LOG_FATAL", Tango::LOG_FATAL)
        .value("LOG_ERROR", Tango::LOG_ERROR).value("LOG_WARN", Tango::LOG_WARN)
        .value("LOG_INFO", Tango::LOG_INFO).value("LOG_DEBUG", Tango::LOG_DEBUG)
        .export_values()
        .finalize();

    py::native_enum<Tango::LogTarget>(m, "LogTarget", kBase)
        .value("LOG_CONSOLE", Tango::LOG_CONSOLE).value("LOG_FILE", Tango::LOG_FILE)
        .value("LOG_DEVICE", Tango::LOG_DEVICE)
        .export_values()
        .finalize();

    py::native_enum<Tango::PollObjType>(m, "PollObjType", kBase)
        .value("POLL_CMD", Tango::POLL_CMD).value("POLL_ATTR", Tango::POLL_ATTR)
        .value("EVENT_HEARTBEAT", Tango::EVENT_HEARTBEAT).value("STORE_SUBDEV", Tango::STORE_SUBDEV)
        .export_values()
        .finalize();

    py::native_enum<ExtractAs>(m, "ExtractAs", kBase)
        .value("Numpy", ExtractAs::Numpy).value("ByteArray", ExtractAs::ByteArray)
        .value("Bytes", ExtractAs::Bytes).value("Tuple", ExtractAs::Tuple)
        .value("List", ExtractAs::List).value("String", ExtractAs::String)
        .value("Nothing", ExtractAs::Nothing)
        .finalize();

    py::native_enum<Tango::AttrSerialModel>(m, "AttrSerialModel", kBase)
        .value("ATTR_NO_SYNC", Tango::ATTR_NO_SYNC).value("ATTR_BY_KERNEL", Tango::ATTR_BY_KERNEL)
        .value("ATTR_BY_USER", Tango::ATTR_BY_USER)
        .finalize();

    py::native_enum<Tango::KeepAliveCmdCode>(m, "KeepAliveCmdCode", kBase)
        .value("EXIT_TH", Tango::EXIT_TH)
        .finalize();

    py::native_enum<Tango::LockCmdCode>(m, "LockCmdCode", kBase)
        .value("LOCK_ADD_DEV", Tango::LOCK_ADD_DEV).value("LOCK_REM_DEV", Tango::LOCK_REM_DEV)
        .value("LOCK_UNLOCK_ALL_EXIT", Tango::LOCK_UNLOCK_ALL_EXIT).value("LOCK_EXIT", Tango::LOCK_EXIT)
        .finalize();

    py::native_enum<Tango::MessBoxType>(m, "MessBoxType", kBase)
        .value("STOP", Tango::STOP).value("INFO", Tango::INFO)
        .finalize();

    py::native_enum<Tango::PollCmdCode>(m, "PollCmdCode", kBase)
        .value("POLL_ADD_OBJ", Tango::POLL_ADD_OBJ).value("POLL_REM_OBJ", Tango::POLL_REM_OBJ)
        .value("POLL_START", Tango::POLL_START).value("POLL_STOP", Tango::POLL_STOP)
        .value("POLL_UPD_PERIOD", Tango::POLL_UPD_PERIOD).value("POLL_REM_DEV", Tango::POLL_REM_DEV)
        .value("POLL_EXIT", Tango::POLL_EXIT).value("POLL_REM_EXT_TRIG_OBJ", Tango::POLL_REM_EXT_TRIG_OBJ)
        .value("POLL_ADD_HEARTBEAT", Tango::POLL_ADD_HEARTBEAT)
        .value("POLL_REM_HEARTBEAT", Tango::POLL_REM_HEARTBEAT)
        .finalize();

    py::native_enum<Tango::Attribute::alarm_flags>(m, "alarm_flags", kBase)
        .value("min_level", Tango::Attribute::min_level).value("max_level", Tango::Attribute::max_level)
        .value("rds", Tango::Attribute::rds).value("min_warn", Tango::Attribute::min_warn)
        .value("max_warn", Tango::Attribute::max_warn).value("numFlags", Tango::Attribute::numFlags)
        .finalize();

    py::native_enum<EventSubMode>(m, "EventSubMode", kBase)
        .value("Sync", EventSubMode::Sync).value("SyncRead", EventSubMode::SyncRead)
        .value("Async", EventSubMode::Async).value("AsyncRead", EventSubMode::AsyncRead)
        .value("Stateless", EventSubMode::Stateless)
        .finalize();

    py::native_enum<EventReason>(m, "EventReason", kBase)
        .value("Unknown", EventReason::Unknown).value("SubFail", EventReason::SubFail)
        .value("SubSuccess", EventReason::SubSuccess).value("Update", EventReason::Update)
        .finalize();

    // CmdArgType values are also top-level names (tango.DevDouble), exported by tango/__init__.py
    // (not here: CmdArgType.DevState must not hide the DevState enum).
    py::native_enum<Tango::CmdArgType>(m, "CmdArgType", kBase)
        .value("DevVoid", Tango::DEV_VOID).value("DevBoolean", Tango::DEV_BOOLEAN)
        .value("DevShort", Tango::DEV_SHORT).value("DevLong", Tango::DEV_LONG)
        .value("DevFloat", Tango::DEV_FLOAT).value("DevDouble", Tango::DEV_DOUBLE)
        .value("DevUShort", Tango::DEV_USHORT).value("DevULong", Tango::DEV_ULONG)
        .value("DevString", Tango::DEV_STRING).value("DevVarCharArray", Tango::DEVVAR_CHARARRAY)
        .value("DevVarShortArray", Tango::DEVVAR_SHORTARRAY)
        .value("DevVarLongArray", Tango::DEVVAR_LONGARRAY)
        .value("DevVarFloatArray", Tango::DEVVAR_FLOATARRAY)
        .value("DevVarDoubleArray", Tango::DEVVAR_DOUBLEARRAY)
        .value("DevVarUShortArray", Tango::DEVVAR_USHORTARRAY)
        .value("DevVarULongArray", Tango::DEVVAR_ULONGARRAY)
        .value("DevVarStringArray", Tango::DEVVAR_STRINGARRAY)
        .value("DevVarLongStringArray", Tango::DEVVAR_LONGSTRINGARRAY)
        .value("DevVarDoubleStringArray", Tango::DEVVAR_DOUBLESTRINGARRAY)
        .value("DevState", Tango::DEV_STATE).value("ConstDevString", Tango::CONST_DEV_STRING)
        .value("DevVarBooleanArray", Tango::DEVVAR_BOOLEANARRAY)
        .value("DevUChar", Tango::DEV_UCHAR).value("DevLong64", Tango::DEV_LONG64)
        .value("DevULong64", Tango::DEV_ULONG64)
        .value("DevVarLong64Array", Tango::DEVVAR_LONG64ARRAY)
        .value("DevVarULong64Array", Tango::DEVVAR_ULONG64ARRAY)
        .value("DevInt", compat::DEV_INT).value("DevEncoded", Tango::DEV_ENCODED)
        .value("DevEnum", Tango::DEV_ENUM).value("DevPipeBlob", Tango::DEV_PIPE_BLOB)
        .value("DevVarStateArray", Tango::DEVVAR_STATEARRAY)
        // DevVarEncodedArray is 32 in cppTango 10 and unknown to 9.3: kept by number
        .value("DevVarEncodedArray", static_cast<Tango::CmdArgType>(32))
        .value("Unknown", Tango::DATA_TYPE_UNKNOWN)
        .finalize();
}

} // namespace pt
