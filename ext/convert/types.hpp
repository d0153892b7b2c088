// The one table of Tango data types: a trait per element type, and the switches that turn a
// runtime type id into a compile-time trait. Every conversion in the project (client reads and
// writes, command in and out, server attributes, events) is written once, generically, over it.
#pragma once

#include "pytango.hpp"

namespace pt {

// How array values are handed to Python on reads (PyTango's ExtractAs).
enum class ExtractAs { Numpy, ByteArray, Bytes, Tuple, List, String, Nothing };

// What a value of an element type is, for the generic code to branch on with `if constexpr`.
enum class Kind { Numeric, String, State, Encoded };

template <Tango::CmdArgType Id, class Value, class Seq, Tango::CmdArgType ArrayId, Kind K>
struct TypeTraits {
    static constexpr Tango::CmdArgType id = Id;          // scalar / attribute element type
    static constexpr Tango::CmdArgType array_id = ArrayId; // command array type (DEVVAR_*)
    static constexpr Kind kind = K;
    using value_type = Value; // C++ element type
    using seq_type = Seq;     // CORBA sequence of elements
};

template <Tango::CmdArgType Id> struct tango_type;

#define PYTANGO_TYPE(ID, VALUE, SEQ, ARRAY_ID, KIND)                                          \
    template <> struct tango_type<Tango::ID>                                                   \
        : TypeTraits<Tango::ID, VALUE, Tango::SEQ, Tango::ARRAY_ID, Kind::KIND> {}
// One line per Tango element type: the whole table.
PYTANGO_TYPE(DEV_BOOLEAN, Tango::DevBoolean, DevVarBooleanArray, DEVVAR_BOOLEANARRAY, Numeric);
PYTANGO_TYPE(DEV_UCHAR, Tango::DevUChar, DevVarCharArray, DEVVAR_CHARARRAY, Numeric);
PYTANGO_TYPE(DEV_SHORT, Tango::DevShort, DevVarShortArray, DEVVAR_SHORTARRAY, Numeric);
PYTANGO_TYPE(DEV_USHORT, Tango::DevUShort, DevVarUShortArray, DEVVAR_USHORTARRAY, Numeric);
PYTANGO_TYPE(DEV_LONG, Tango::DevLong, DevVarLongArray, DEVVAR_LONGARRAY, Numeric);
PYTANGO_TYPE(DEV_ULONG, Tango::DevULong, DevVarULongArray, DEVVAR_ULONGARRAY, Numeric);
PYTANGO_TYPE(DEV_LONG64, Tango::DevLong64, DevVarLong64Array, DEVVAR_LONG64ARRAY, Numeric);
PYTANGO_TYPE(DEV_ULONG64, Tango::DevULong64, DevVarULong64Array, DEVVAR_ULONG64ARRAY, Numeric);
PYTANGO_TYPE(DEV_FLOAT, Tango::DevFloat, DevVarFloatArray, DEVVAR_FLOATARRAY, Numeric);
PYTANGO_TYPE(DEV_DOUBLE, Tango::DevDouble, DevVarDoubleArray, DEVVAR_DOUBLEARRAY, Numeric);
PYTANGO_TYPE(DEV_ENUM, Tango::DevShort, DevVarShortArray, DEVVAR_SHORTARRAY, Numeric);
PYTANGO_TYPE(DEV_STRING, Tango::DevString, DevVarStringArray, DEVVAR_STRINGARRAY, String);
PYTANGO_TYPE(DEV_STATE, Tango::DevState, DevVarStateArray, DEVVAR_STATEARRAY, State);
PYTANGO_TYPE(DEV_ENCODED, Tango::DevEncoded, DevVarEncodedArray, DEV_VOID, Encoded);
#undef PYTANGO_TYPE

[[noreturn]] void throw_unsupported_type(long type, const char *where);

// Calls f(tango_type<Id>{}) for an element (attribute) type id.
template <class F>
decltype(auto) visit_element_type(long type, F &&f) {
    switch (type) {
    case Tango::DEV_BOOLEAN: return f(tango_type<Tango::DEV_BOOLEAN>{});
    case Tango::DEV_UCHAR: return f(tango_type<Tango::DEV_UCHAR>{});
    case Tango::DEV_SHORT: return f(tango_type<Tango::DEV_SHORT>{});
    case Tango::DEV_USHORT: return f(tango_type<Tango::DEV_USHORT>{});
    case Tango::DEV_LONG: return f(tango_type<Tango::DEV_LONG>{});
    case Tango::DEV_ULONG: return f(tango_type<Tango::DEV_ULONG>{});
    case Tango::DEV_LONG64: return f(tango_type<Tango::DEV_LONG64>{});
    case Tango::DEV_ULONG64: return f(tango_type<Tango::DEV_ULONG64>{});
    case Tango::DEV_FLOAT: return f(tango_type<Tango::DEV_FLOAT>{});
    case Tango::DEV_DOUBLE: return f(tango_type<Tango::DEV_DOUBLE>{});
    case Tango::DEV_ENUM: return f(tango_type<Tango::DEV_ENUM>{});
    case Tango::DEV_STRING: return f(tango_type<Tango::DEV_STRING>{});
    case Tango::DEV_STATE: return f(tango_type<Tango::DEV_STATE>{});
    case Tango::DEV_ENCODED: return f(tango_type<Tango::DEV_ENCODED>{});
    default: throw_unsupported_type(type, "attribute");
    }
}

// Command argument types: a scalar of an element type, an array of one, or a special shape.
template <class T> struct ScalarArg { using traits = T; };
template <class T> struct ArrayArg { using traits = T; };
struct VoidArg {};
struct LongStringArg {};
struct DoubleStringArg {};

template <class F>
decltype(auto) visit_command_type(long type, F &&f) {
    switch (type) {
    case Tango::DEV_VOID: return f(VoidArg{});
    case Tango::DEVVAR_LONGSTRINGARRAY: return f(LongStringArg{});
    case Tango::DEVVAR_DOUBLESTRINGARRAY: return f(DoubleStringArg{});
    case Tango::CONST_DEV_STRING: return f(ScalarArg<tango_type<Tango::DEV_STRING>>{});
    case Tango::DEVVAR_BOOLEANARRAY: return f(ArrayArg<tango_type<Tango::DEV_BOOLEAN>>{});
    case Tango::DEVVAR_CHARARRAY: return f(ArrayArg<tango_type<Tango::DEV_UCHAR>>{});
    case Tango::DEVVAR_SHORTARRAY: return f(ArrayArg<tango_type<Tango::DEV_SHORT>>{});
    case Tango::DEVVAR_USHORTARRAY: return f(ArrayArg<tango_type<Tango::DEV_USHORT>>{});
    case Tango::DEVVAR_LONGARRAY: return f(ArrayArg<tango_type<Tango::DEV_LONG>>{});
    case Tango::DEVVAR_ULONGARRAY: return f(ArrayArg<tango_type<Tango::DEV_ULONG>>{});
    case Tango::DEVVAR_LONG64ARRAY: return f(ArrayArg<tango_type<Tango::DEV_LONG64>>{});
    case Tango::DEVVAR_ULONG64ARRAY: return f(ArrayArg<tango_type<Tango::DEV_ULONG64>>{});
    case Tango::DEVVAR_FLOATARRAY: return f(ArrayArg<tango_type<Tango::DEV_FLOAT>>{});
    case Tango::DEVVAR_DOUBLEARRAY: return f(ArrayArg<tango_type<Tango::DEV_DOUBLE>>{});
    case Tango::DEVVAR_STRINGARRAY: return f(ArrayArg<tango_type<Tango::DEV_STRING>>{});
    case Tango::DEVVAR_STATEARRAY: return f(ArrayArg<tango_type<Tango::DEV_STATE>>{});
    default:
        return visit_element_type(type, [&](auto t) -> decltype(auto) {
            return f(ScalarArg<decltype(t)>{});
        });
    }
}

} // namespace pt
