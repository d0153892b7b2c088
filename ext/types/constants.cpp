// Versions and constants of the cppTango the module was built with.
#include "pytango.hpp"

namespace pt {

namespace {

// cppTango's named constants (tango_const.h: error reasons, defaults, limits, names), by the
// names cppTango gives them, one for one as PyTango's tango.constants has them.
void register_cpptango_constants(py::module_ &c) {
    using namespace Tango;
    c.attr("ACCESS_SERVICE") = ACCESS_SERVICE;
    c.attr("ALL_EVENTS") = ALL_EVENTS;
    c.attr("API_AttrConfig") = API_AttrConfig;
    c.attr("API_AttrEventProp") = API_AttrEventProp;
    c.attr("API_AttrIncorrectDataNumber") = API_AttrIncorrectDataNumber;
    c.attr("API_AttrNoAlarm") = API_AttrNoAlarm;
    c.attr("API_AttrNotAllowed") = API_AttrNotAllowed;
    c.attr("API_AttrNotFound") = API_AttrNotFound;
    c.attr("API_AttrNotWritable") = API_AttrNotWritable;
    c.attr("API_AttrOptProp") = API_AttrOptProp;
    c.attr("API_AttrPropValueNotSet") = API_AttrPropValueNotSet;
    c.attr("API_AttrValueNotSet") = API_AttrValueNotSet;
    c.attr("API_AttrWrongDefined") = API_AttrWrongDefined;
    c.attr("API_AttrWrongMemValue") = API_AttrWrongMemValue;
    c.attr("API_BadConfigurationProperty") = API_BadConfigurationProperty;
    c.attr("API_BlackBoxArgument") = API_BlackBoxArgument;
    c.attr("API_BlackBoxEmpty") = API_BlackBoxEmpty;
    c.attr("API_CannotCheckAccessControl") = API_CannotCheckAccessControl;
    c.attr("API_CannotOpenFile") = API_CannotOpenFile;
    c.attr("API_CantActivatePOAManager") = API_CantActivatePOAManager;
    c.attr("API_CantCreateClassPoa") = API_CantCreateClassPoa;
    c.attr("API_CantCreateLockingThread") = API_CantCreateLockingThread;
    c.attr("API_CantFindLockingThread") = API_CantFindLockingThread;
    c.attr("API_CantGetClientIdent") = API_CantGetClientIdent;
    c.attr("API_CantGetDevObjectId") = API_CantGetDevObjectId;
    c.attr("API_CantInstallSignal") = API_CantInstallSignal;
    c.attr("API_CantRetrieveClass") = API_CantRetrieveClass;
    c.attr("API_CantRetrieveClassList") = API_CantRetrieveClassList;
    c.attr("API_CantStoreDeviceClass") = API_CantStoreDeviceClass;
    c.attr("API_ClassNotFound") = API_ClassNotFound;
    c.attr("API_CmdArgumentTypeNotSupported") = API_CmdArgumentTypeNotSupported;
    c.attr("API_CommandNotAllowed") = API_CommandNotAllowed;
    c.attr("API_CommandNotFound") = API_CommandNotFound;
    c.attr("API_CorbaSysException") = API_CorbaSysException;
    c.attr("API_CorruptedDatabase") = API_CorruptedDatabase;
    c.attr("API_DatabaseAccess") = API_DatabaseAccess;
    c.attr("API_DeviceLocked") = API_DeviceLocked;
    c.attr("API_DeviceNotFound") = API_DeviceNotFound;
    c.attr("API_DeviceNotLocked") = API_DeviceNotLocked;
    c.attr("API_DeviceUnlockable") = API_DeviceUnlockable;
    c.attr("API_DeviceUnlocked") = API_DeviceUnlocked;
    c.attr("API_EventSupplierNotConstructed") = API_EventSupplierNotConstructed;
    c.attr("API_IncoherentDbData") = API_IncoherentDbData;
    c.attr("API_IncoherentDevData") = API_IncoherentDevData;
    c.attr("API_IncoherentValues") = API_IncoherentValues;
    c.attr("API_IncompatibleAttrDataType") = API_IncompatibleAttrDataType;
    c.attr("API_IncompatibleCmdArgumentType") = API_IncompatibleCmdArgumentType;
    c.attr("API_InitMethodNotFound") = API_InitMethodNotFound;
    c.attr("API_InitNotPublic") = API_InitNotPublic;
    c.attr("API_InitThrowsException") = API_InitThrowsException;
    c.attr("API_JavaRuntimeSecurityException") = API_JavaRuntimeSecurityException;
    c.attr("API_MemoryAllocation") = API_MemoryAllocation;
    c.attr("API_MethodArgument") = API_MethodArgument;
    c.attr("API_MethodNotFound") = API_MethodNotFound;
    c.attr("API_MissedEvents") = API_MissedEvents;
    c.attr("API_NotSupportedFeature") = API_NotSupportedFeature;
    c.attr("API_NtDebugWindowError") = API_NtDebugWindowError;
    c.attr("API_OverloadingNotSupported") = API_OverloadingNotSupported;
    c.attr("API_PolledDeviceNotInPoolConf") = API_PolledDeviceNotInPoolConf;
    c.attr("API_PolledDeviceNotInPoolMap") = API_PolledDeviceNotInPoolMap;
    c.attr("API_PollingThreadNotFound") = API_PollingThreadNotFound;
    c.attr("API_ReadOnlyMode") = API_ReadOnlyMode;
    c.attr("API_SignalOutOfRange") = API_SignalOutOfRange;
    c.attr("API_SystemCallFailed") = API_SystemCallFailed;
    c.attr("API_WAttrOutsideLimit") = API_WAttrOutsideLimit;
    c.attr("API_WizardConfError") = API_WizardConfError;
    c.attr("API_WrongEventData") = API_WrongEventData;
    c.attr("API_WrongHistoryDataBuffer") = API_WrongHistoryDataBuffer;
    c.attr("API_WrongLockingStatus") = API_WrongLockingStatus;
    c.attr("API_ZmqInitFailed") = API_ZmqInitFailed;
    c.attr("AllAttr") = AllAttr;
    c.attr("AllAttr_3") = AllAttr_3;
    c.attr("AllCmd") = AllCmd;
    c.attr("CLNT_TIMEOUT") = CLNT_TIMEOUT;
    c.attr("CLNT_TIMEOUT_STR") = CLNT_TIMEOUT_STR;
    c.attr("CONTROL_SYSTEM") = CONTROL_SYSTEM;
    c.attr("CTRL_SOCK_ENDPOINT") = CTRL_SOCK_ENDPOINT;
    c.attr("DATABASE_CLASS") = DATABASE_CLASS;
    c.attr("DB_CONNECT_TIMEOUT") = DB_CONNECT_TIMEOUT;
    c.attr("DB_RECONNECT_TIMEOUT") = DB_RECONNECT_TIMEOUT;
    c.attr("DB_START_PHASE_RETRIES") = DB_START_PHASE_RETRIES;
    c.attr("DB_TIMEOUT") = DB_TIMEOUT;
    c.attr("DEFAULT_EVENT_PERIOD") = DEFAULT_EVENT_PERIOD;
    c.attr("DEFAULT_POLLING_THREADS_POOL_SIZE") = DEFAULT_POLLING_THREADS_POOL_SIZE;
    c.attr("DEFAULT_POLL_OLD_FACTOR") = DEFAULT_POLL_OLD_FACTOR;
    c.attr("DEVICE_UNLOCKED_REASON") = DEVICE_UNLOCKED_REASON;
    c.attr("DSDeviceDomain") = DSDeviceDomain;
    c.attr("DbObjName") = DbObjName;
    c.attr("DefaultBlackBoxDepth") = DefaultBlackBoxDepth;
    c.attr("DefaultMaxSeq") = DefaultMaxSeq;
    c.attr("DefaultPollRingDepth") = DefaultPollRingDepth;
    c.attr("DefaultWritAttrProp") = DefaultWritAttrProp;
    c.attr("DescNotSet") = NotSet; // the name before Tango 8
    c.attr("EVENT_HEARTBEAT_PERIOD") = EVENT_HEARTBEAT_PERIOD;
    c.attr("EVENT_METHOD_NAME") = EVENT_METHOD_NAME;
    c.attr("EVENT_RESUBSCRIBE_PERIOD") = EVENT_RESUBSCRIBE_PERIOD;
    c.attr("EnvVariable") = EnvVariable;
    c.attr("FormatNotSpec_FL") = FormatNotSpec_FL;
    c.attr("FormatNotSpec_INT") = FormatNotSpec_INT;
    c.attr("FormatNotSpec_STR") = FormatNotSpec_STR;
    c.attr("HEARTBEAT") = HEARTBEAT;
    c.attr("HEARTBEAT_EVENT_NAME") = HEARTBEAT_EVENT_NAME;
    c.attr("HEARTBEAT_METHOD_NAME") = HEARTBEAT_METHOD_NAME;
    c.attr("InitialOutput") = InitialOutput;
    c.attr("LOCAL_POLL_REQUEST") = LOCAL_POLL_REQUEST;
    c.attr("LOCAL_REQUEST_STR_SIZE") = LOCAL_REQUEST_STR_SIZE;
    c.attr("MAX_GIOP_PER_SERVER") = MAX_GIOP_PER_SERVER;
    c.attr("MAX_SOCKET_SUB") = MAX_SOCKET_SUB;
    c.attr("MAX_TRANSFER_SIZE") = MAX_TRANSFER_SIZE;
    c.attr("MCAST_HOPS") = MCAST_HOPS;
    c.attr("MCAST_PROT") = MCAST_PROT;
    c.attr("MIN_IDL_CONF5") = MIN_IDL_CONF5;
    c.attr("MIN_IDL_DEV_INTR") = MIN_IDL_DEV_INTR;
    c.attr("MIN_LOCK_VALIDITY") = MIN_LOCK_VALIDITY;
    c.attr("MIN_POLL_PERIOD") = MIN_POLL_PERIOD;
    c.attr("MaxDevPropLength") = MaxDevPropLength;
    c.attr("MaxServerNameLength") = MaxServerNameLength;
    c.attr("MemAttrPropName") = MemAttrPropName;
    c.attr("MemNotUsed") = MemNotUsed;
    c.attr("MessBoxTitle") = MessBoxTitle;
    c.attr("NARROW_CLNT_TIMEOUT") = NARROW_CLNT_TIMEOUT;
    c.attr("NOTIFD_CHANNEL") = NOTIFD_CHANNEL;
    c.attr("NoClass") = NoClass;
    c.attr("NotSet") = NotSet;
    c.attr("PGM_IVL") = PGM_IVL;
    c.attr("PGM_RATE") = PGM_RATE;
    c.attr("PUB_HWM") = PUB_HWM;
    c.attr("PollAttribute") = PollAttribute;
    c.attr("PollCommand") = PollCommand;
    c.attr("ResNotDefined") = ResNotDefined;
    c.attr("RootAttNotDef") = RootAttNotDef;
    c.attr("SERVICE_PROP_NAME") = SERVICE_PROP_NAME;
    c.attr("SUB_HWM") = SUB_HWM;
    c.attr("SUB_SEND_HWM") = SUB_SEND_HWM;
    c.attr("StatusNotSet") = StatusNotSet;
    c.attr("TANGO_FLOAT_PRECISION") = TANGO_FLOAT_PRECISION;
    c.attr("TANGO_PY_MOD_NAME") = TANGO_PY_MOD_NAME;
    c.attr("TG_IMP_MINOR_DEVFAILED") = TG_IMP_MINOR_DEVFAILED;
    c.attr("TG_IMP_MINOR_NON_DEVFAILED") = TG_IMP_MINOR_NON_DEVFAILED;
    c.attr("TG_IMP_MINOR_TO") = TG_IMP_MINOR_TO;
    c.attr("TG_LOCAL_HOST") = TG_LOCAL_HOST;
    c.attr("TangoHostNotSet") = TangoHostNotSet;
    c.attr("USER_ENV_VAR_FILE") = USER_ENV_VAR_FILE;
    c.attr("WindowsEnvVariable") = WindowsEnvVariable;
    c.attr("ZMQ_EVENT_PROT_VERSION") = ZMQ_EVENT_PROT_VERSION;
    c.attr("kLogTargetConsole") = kLogTargetConsole;
    c.attr("kLogTargetDevice") = kLogTargetDevice;
    c.attr("kLogTargetFile") = kLogTargetFile;
    c.attr("kLogTargetSep") = kLogTargetSep;
}

} // namespace

void register_constants(py::module_ &m) {
    auto c = m.def_submodule("constants", "Constants of the cppTango the module was built with.");
    c.attr("TgLibVers") = Tango::TgLibVers;
    c.attr("TgLibMajorVers") = Tango::TgLibMajorVers;
    c.attr("TgLibVersNb") = Tango::TgLibVersNb;
    c.attr("TANGO_VERSION_MAJOR") = TANGO_VERSION_MAJOR;
    c.attr("TANGO_VERSION_MINOR") = TANGO_VERSION_MINOR;
    c.attr("TANGO_VERSION_PATCH") = TANGO_VERSION_PATCH;
    c.attr("DevVersion") = Tango::DevVersion;
    c.attr("DefaultDocUrl") = Tango::DefaultDocUrl;
    c.attr("DEFAULT_LOCK_VALIDITY") = Tango::DEFAULT_LOCK_VALIDITY;
    c.attr("DEFAULT_TIMEOUT") = Tango::CLNT_TIMEOUT;
    c.attr("AlrmValueNotSpec") = Tango::AlrmValueNotSpec;
    c.attr("AssocWritNotSpec") = Tango::AssocWritNotSpec;
    c.attr("DescNotSpec") = Tango::DescNotSpec;
    c.attr("FormatNotSpec") = Tango::FormatNotSpec;
    c.attr("LabelNotSpec") = Tango::LabelNotSpec;
    c.attr("UnitNotSpec") = Tango::UnitNotSpec;
    c.attr("StdUnitNotSpec") = Tango::StdUnitNotSpec;
    c.attr("DispUnitNotSpec") = Tango::DispUnitNotSpec;
    c.attr("NotANumber") = Tango::NotANumber;
    c.attr("TANGO_VERSION") = Tango::TgLibVers;
    c.attr("TANGO_VERSION_NB") = TANGO_VERSION_MAJOR * 10000 + TANGO_VERSION_MINOR * 100 + TANGO_VERSION_PATCH;
    c.attr("PY_MAJOR_VERSION") = PY_MAJOR_VERSION;
    c.attr("PY_MINOR_VERSION") = PY_MINOR_VERSION;
    c.attr("PY_MICRO_VERSION") = PY_MICRO_VERSION;
    c.attr("PY_VERSION") = PY_VERSION;
    c.attr("PY_VERSION_HEX") = PY_VERSION_HEX;
    c.attr("PYBIND11_VERSION_MAJOR") = PYBIND11_VERSION_MAJOR;
    c.attr("PYBIND11_VERSION_MINOR") = PYBIND11_VERSION_MINOR;
    c.attr("PYBIND11_VERSION_PATCH") = PYBIND11_VERSION_PATCH;
    register_cpptango_constants(c);
    m.attr("__cpptango_version__") = Tango::TgLibVers;
    // cppTango's own OpenTelemetry (10.0 on): it adds a log target of its own to every device
#ifdef TANGO_USE_TELEMETRY
    m.attr("_cpptango_has_telemetry") = true;
#else
    m.attr("_cpptango_has_telemetry") = false;
#endif
    // PyTango's flag of telemetry in the binding (constants.TELEMETRY_SUPPORTED): pytango does not
    // wire cppTango's telemetry yet, so it is off, on every cppTango line
    auto telemetry = m.def_submodule("_telemetry", "Whether this binding gives cppTango's telemetry.");
    telemetry.attr("TELEMETRY_ENABLED") = false;
}

} // namespace pt
