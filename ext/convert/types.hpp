// The one table of Tango data types: a trait per element type, and the switches that turn a
// runtime type id into a compile-time trait. Every conversion in the project (client reads and
// writes, command in and out, server attributes, events) is written once, generically, over it.
#pragma once

#include "pytango.hpp"

namespace pt {

// How array values are handed to Python on reads (PyTango's ExtractAs).
// The values are PyTango's (6 was its PyTango3, a list: not offered).
enum class ExtractAs { Numpy, ByteArray, Bytes, Tuple, List, String, Nothing = 7 };

// What a value of an element type is, for the generic code to branch on with `if constexpr`.
enum class Kind { Numeric, String, State, Encoded };

template <Tango::CmdArgType Id, class Value, class Seq, Tango::CmdArgType ArrayId, Kind K,
          Tango::AttributeDataType UnionTag>
struct TypeTraits {
    static constexpr Tango::CmdArgType id = Id;          // scalar / attribute element type
    static constexpr Tango::CmdArgType array_id = ArrayId; // command array type (DEVVAR_*)
    static constexpr Kind kind = K;
    // The branch of the IDL value union (AttrValUnion) that carries this type: attribute values
    // of IDL 4+ and the data elements of pipes travel in it.
    static constexpr Tango::AttributeDataType union_tag = UnionTag;
    using value_type = Value; // C++ element type
    using seq_type = Seq;     // CORBA sequence of elements
};

template <Tango::CmdArgType Id> struct tango_type;

// UNION_TAG and MEMBER name the branch of AttrValUnion; from_union/to_union read and set it.
#define PYTANGO_TYPE(ID, VALUE, SEQ, ARRAY_ID, KIND, UNION_TAG, MEMBER)                       \
    template <> struct tango_type<Tango::ID>                                                   \
        : TypeTraits<Tango::ID, VALUE, Tango::SEQ, Tango::ARRAY_ID, Kind::KIND, Tango::UNION_TAG> { \
        static const Tango::SEQ &from_union(const Tango::AttrValUnion &u) { return u.MEMBER(); } \
        static void to_union(Tango::AttrValUnion &u, const Tango::SEQ &s) { u.MEMBER(s); }     \
    }
// One line per Tango element type: the whole table.
PYTANGO_TYPE(DEV_BOOLEAN, Tango::DevBoolean, DevVarBooleanArray, DEVVAR_BOOLEANARRAY, Numeric, ATT_BOOL, bool_att_value);
PYTANGO_TYPE(DEV_UCHAR, Tango::DevUChar, DevVarCharArray, DEVVAR_CHARARRAY, Numeric, ATT_UCHAR, uchar_att_value);
PYTANGO_TYPE(DEV_SHORT, Tango::DevShort, DevVarShortArray, DEVVAR_SHORTARRAY, Numeric, ATT_SHORT, short_att_value);
PYTANGO_TYPE(DEV_USHORT, Tango::DevUShort, DevVarUShortArray, DEVVAR_USHORTARRAY, Numeric, ATT_USHORT, ushort_att_value);
PYTANGO_TYPE(DEV_LONG, Tango::DevLong, DevVarLongArray, DEVVAR_LONGARRAY, Numeric, ATT_LONG, long_att_value);
PYTANGO_TYPE(DEV_ULONG, Tango::DevULong, DevVarULongArray, DEVVAR_ULONGARRAY, Numeric, ATT_ULONG, ulong_att_value);
PYTANGO_TYPE(DEV_LONG64, Tango::DevLong64, DevVarLong64Array, DEVVAR_LONG64ARRAY, Numeric, ATT_LONG64, long64_att_value);
PYTANGO_TYPE(DEV_ULONG64, Tango::DevULong64, DevVarULong64Array, DEVVAR_ULONG64ARRAY, Numeric, ATT_ULONG64, ulong64_att_value);
PYTANGO_TYPE(DEV_FLOAT, Tango::DevFloat, DevVarFloatArray, DEVVAR_FLOATARRAY, Numeric, ATT_FLOAT, float_att_value);
PYTANGO_TYPE(DEV_DOUBLE, Tango::DevDouble, DevVarDoubleArray, DEVVAR_DOUBLEARRAY, Numeric, ATT_DOUBLE, double_att_value);
PYTANGO_TYPE(DEV_ENUM, Tango::DevShort, DevVarShortArray, DEVVAR_SHORTARRAY, Numeric, ATT_SHORT, short_att_value);
PYTANGO_TYPE(DEV_STRING, Tango::DevString, DevVarStringArray, DEVVAR_STRINGARRAY, String, ATT_STRING, string_att_value);
PYTANGO_TYPE(DEV_STATE, Tango::DevState, DevVarStateArray, DEVVAR_STATEARRAY, State, ATT_STATE, state_att_value);
PYTANGO_TYPE(DEV_ENCODED, Tango::DevEncoded, DevVarEncodedArray, DEV_VOID, Encoded, ATT_ENCODED, encoded_att_value);
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

// Calls f(tango_type<Id>{}) for the type carried by a branch of AttrValUnion. ATT_SHORT is
// DevShort (DevEnum travels in the same branch). Returns false, without calling f, for the
// branches that carry no array of elements (ATT_NO_DATA, DEVICE_STATE).
template <class F>
bool visit_union_type(Tango::AttributeDataType tag, F &&f) {
    switch (tag) {
    case Tango::ATT_BOOL: f(tango_type<Tango::DEV_BOOLEAN>{}); return true;
    case Tango::ATT_UCHAR: f(tango_type<Tango::DEV_UCHAR>{}); return true;
    case Tango::ATT_SHORT: f(tango_type<Tango::DEV_SHORT>{}); return true;
    case Tango::ATT_USHORT: f(tango_type<Tango::DEV_USHORT>{}); return true;
    case Tango::ATT_LONG: f(tango_type<Tango::DEV_LONG>{}); return true;
    case Tango::ATT_ULONG: f(tango_type<Tango::DEV_ULONG>{}); return true;
    case Tango::ATT_LONG64: f(tango_type<Tango::DEV_LONG64>{}); return true;
    case Tango::ATT_ULONG64: f(tango_type<Tango::DEV_ULONG64>{}); return true;
    case Tango::ATT_FLOAT: f(tango_type<Tango::DEV_FLOAT>{}); return true;
    case Tango::ATT_DOUBLE: f(tango_type<Tango::DEV_DOUBLE>{}); return true;
    case Tango::ATT_STRING: f(tango_type<Tango::DEV_STRING>{}); return true;
    case Tango::ATT_STATE: f(tango_type<Tango::DEV_STATE>{}); return true;
    case Tango::ATT_ENCODED: f(tango_type<Tango::DEV_ENCODED>{}); return true;
    default: return false;
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
