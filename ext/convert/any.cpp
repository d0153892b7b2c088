#include "pytango.hpp"
#include "convert/any.hpp"
#include "convert/sequence.hpp"

namespace pt {

namespace {

// Scalars into and out of the Any: CORBA wants wrappers for booleans and octets.
template <class T>
void insert_scalar(CORBA::Any &any, const T &v) {
    if constexpr (std::is_same_v<T, Tango::DevBoolean>) any <<= CORBA::Any::from_boolean(v);
    else if constexpr (std::is_same_v<T, Tango::DevUChar>) any <<= CORBA::Any::from_octet(v);
    else any <<= v;
}

template <class T>
bool extract_scalar(const CORBA::Any &any, T &v) {
    if constexpr (std::is_same_v<T, Tango::DevBoolean>) return any >>= CORBA::Any::to_boolean(v);
    else if constexpr (std::is_same_v<T, Tango::DevUChar>) return any >>= CORBA::Any::to_octet(v);
    else return any >>= v;
}

[[noreturn]] void wrong_result(long type) {
    Tango::Except::throw_exception("API_IncompatibleCmdArgumentType",
                                   "The command result does not have the announced type " + std::to_string(type),
                                   "pytango");
}

// ([numbers], [strings]) for DevVarLongStringArray and DevVarDoubleStringArray.
template <class Struct, class NumTraits>
void mixed_from_py(CORBA::Any &any, py::handle value) {
    if (!PySequence_Check(value.ptr()) || PySequence_Size(value.ptr()) != 2) {
        if (PyErr_Occurred()) PyErr_Clear();
        throw_type_error(value, "a pair ([numbers], [strings])");
    }
    py::sequence pair = py::reinterpret_borrow<py::sequence>(value);
    auto nums = seq_from_py<NumTraits>(pair[0], 1);
    auto strs = seq_from_py<tango_type<Tango::DEV_STRING>>(pair[1], 1);
    auto *s = new Struct;
    // Copy the numbers: the struct owns its members (it goes into the Any by pointer).
    const auto n = nums.seq->length();
    if constexpr (std::is_same_v<Struct, Tango::DevVarLongStringArray>) {
        s->lvalue.length(n);
        for (CORBA::ULong i = 0; i < n; ++i) s->lvalue[i] = (*nums.seq)[i];
    } else {
        s->dvalue.length(n);
        for (CORBA::ULong i = 0; i < n; ++i) s->dvalue[i] = (*nums.seq)[i];
    }
    s->svalue = *strs.seq;
    any <<= s; // the Any takes ownership
}

template <class NumTraits, class NumSeq>
py::object mixed_to_py(const NumSeq &nums, const Tango::DevVarStringArray &strs, ExtractAs ex) {
    auto as_list = ex == ExtractAs::Numpy ? ExtractAs::List : ex;
    py::object n = array_to_py<NumTraits>(nums.get_buffer(), Shape{static_cast<long>(nums.length()), 0, false}, as_list, py::handle());
    py::object s = array_to_py<tango_type<Tango::DEV_STRING>>(strs.get_buffer(), Shape{static_cast<long>(strs.length()), 0, false}, ExtractAs::List, py::handle());
    return py::make_tuple(n, s);
}

} // namespace

void any_from_py(CORBA::Any &any, long type, py::handle value, py::object *keep) {
    visit_command_type(type, [&](auto tag) {
        using Tag = decltype(tag);
        if constexpr (std::is_same_v<Tag, VoidArg>) {
            return;
        } else if constexpr (std::is_same_v<Tag, LongStringArg>) {
            mixed_from_py<Tango::DevVarLongStringArray, tango_type<Tango::DEV_LONG>>(any, value);
        } else if constexpr (std::is_same_v<Tag, DoubleStringArg>) {
            mixed_from_py<Tango::DevVarDoubleStringArray, tango_type<Tango::DEV_DOUBLE>>(any, value);
        } else if constexpr (std::is_same_v<Tag, ArrayArg<typename Tag::traits>>) {
            using Traits = typename Tag::traits;
            auto r = seq_from_py<Traits>(value, 1);
            if (keep != nullptr) {
                *keep = std::move(r.keep);
                any <<= r.seq.release(); // the Any takes the (possibly borrowing) sequence
            } else {
                any <<= *r.seq; // a copy the Any owns
            }
        } else {
            using Traits = typename Tag::traits;
            using T = typename Traits::value_type;
            if constexpr (Traits::kind == Kind::String) {
                std::string s = bytes_from_py(value);
                any <<= s.c_str();
            } else if constexpr (Traits::kind == Kind::Encoded) {
                Tango::DevEncoded enc;
                encoded_from_py(value, enc);
                any <<= enc;
            } else {
                insert_scalar<T>(any, scalar_from_py<T>(value));
            }
        }
    });
}

py::object any_to_py(const CORBA::Any &any, long type, ExtractAs ex) {
    return visit_command_type(type, [&](auto tag) -> py::object {
        using Tag = decltype(tag);
        if constexpr (std::is_same_v<Tag, VoidArg>) {
            return py::none();
        } else if constexpr (std::is_same_v<Tag, LongStringArg>) {
            const Tango::DevVarLongStringArray *p = nullptr;
            if (!(any >>= p) || p == nullptr) wrong_result(type);
            return mixed_to_py<tango_type<Tango::DEV_LONG>>(p->lvalue, p->svalue, ex);
        } else if constexpr (std::is_same_v<Tag, DoubleStringArg>) {
            const Tango::DevVarDoubleStringArray *p = nullptr;
            if (!(any >>= p) || p == nullptr) wrong_result(type);
            return mixed_to_py<tango_type<Tango::DEV_DOUBLE>>(p->dvalue, p->svalue, ex);
        } else if constexpr (std::is_same_v<Tag, ArrayArg<typename Tag::traits>>) {
            using Traits = typename Tag::traits;
            const typename Traits::seq_type *p = nullptr;
            if (!(any >>= p) || p == nullptr) wrong_result(type);
            // The Any owns the sequence: numpy copies (commands results are small, usually).
            auto shape = Shape{static_cast<long>(p->length()), 0, false};
            auto kind_ex = (Traits::kind == Kind::String && ex == ExtractAs::Numpy) ? ExtractAs::List : ex;
            return array_to_py<Traits>(p->get_buffer(), shape, kind_ex, py::handle());
        } else {
            using Traits = typename Tag::traits;
            using T = typename Traits::value_type;
            if constexpr (Traits::kind == Kind::String) {
                const char *s = nullptr;
                if (!(any >>= s) || s == nullptr) wrong_result(type);
                return latin1_to_py(s);
            } else if constexpr (Traits::kind == Kind::Encoded) {
                const Tango::DevEncoded *p = nullptr;
                if (!(any >>= p) || p == nullptr) wrong_result(type);
                return scalar_to_py(*p);
            } else {
                T v{};
                if (!extract_scalar<T>(any, v)) wrong_result(type);
                return scalar_to_py(v);
            }
        }
    });
}

} // namespace pt
