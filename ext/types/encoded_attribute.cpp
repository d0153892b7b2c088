// tango.EncodedAttribute, bound on cppTango's Tango::EncodedAttribute.
//
// The compiled class has the encoders and decoders with their inputs already sorted out: an
// image is a C-contiguous buffer of width x height pixels (tango/encoded_attribute.py turns
// numpy arrays, bytes and nested sequences into one), a DevEncoded value to decode is the one a
// client DeviceAttribute read with ExtractAs.Nothing keeps (convert/device_attribute.cpp).
//
// cppTango checks neither side: its encoders read width x height pixels from whatever they are
// given, and its decoders take the image size from the data itself. Here buffers must hold
// exactly the pixels they are said to, and received data is checked before cppTango reads it
// (raw images: their size against their header; JPEG: types/jpeg.cpp), so that bad input is a
// Python exception or a DevFailed. JPEG is decoded by pytango itself with cppTango 9.3 (see
// compat.hpp).
//
// Every call keeps the GIL: they are short CPU work, and cppTango 9.3's JPEG encoder allocates
// its buffers from a global table without a lock, so its calls must not overlap.
//
// The buffer pool and serialization of cppTango's EncodedAttribute(buf_pool_size, serialization)
// exist for an image lent to the attribute until it is sent. Here the image is copied into the
// attribute's value when it is set (with the GIL, as encoding is), so every EncodedAttribute is
// made with one buffer and no lock: the arguments are accepted and have no effect. (cppTango's
// pool also has faults this avoids: its pooled constructor leaves the lock table unset without
// serialization, which the destructor then deletes; encode_rgb24 does not move to the next
// buffer, so with a pool the image set is an older one; with serialization each encode locks a
// buffer that only its sending unlocks.)
#include "pytango.hpp"
#include "types/encoded_attribute.hpp"
#include "types/jpeg.hpp"
#include "convert/device_attribute.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>

namespace pt {

namespace {

enum class Pixels { Gray8, Gray16, Rgb24, Rgb32 };

int bytes_per_pixel(Pixels p) {
    switch (p) {
    case Pixels::Gray8: return 1;
    case Pixels::Gray16: return 2;
    case Pixels::Rgb24: return 3;
    case Pixels::Rgb32: return 4;
    }
    return 1;
}

const char *pixels_name(Pixels p) {
    switch (p) {
    case Pixels::Gray8: return "gray8";
    case Pixels::Gray16: return "gray16";
    case Pixels::Rgb24: return "rgb24";
    case Pixels::Rgb32: return "rgb32";
    }
    return "";
}

// A read-only view of a C-contiguous Python buffer, for the length of a call.
class PixelBuffer {
public:
    explicit PixelBuffer(py::handle o) {
        if (PyObject_GetBuffer(o.ptr(), &view_, PyBUF_C_CONTIGUOUS) != 0) {
            PyErr_Clear();
            throw py::type_error(std::string("expected a C-contiguous buffer of pixels, not ") + Py_TYPE(o.ptr())->tp_name);
        }
    }
    ~PixelBuffer() { PyBuffer_Release(&view_); }
    PixelBuffer(const PixelBuffer &) = delete;
    PixelBuffer &operator=(const PixelBuffer &) = delete;

    const unsigned char *data() const { return static_cast<const unsigned char *>(view_.buf); }
    std::size_t size() const { return static_cast<std::size_t>(view_.len); }

private:
    Py_buffer view_{};
};

std::string dims(long long w, long long h) { return std::to_string(w) + "x" + std::to_string(h); }

// What cppTango can encode: at least one pixel, sizes that fit the 16 bits the formats give them,
// and buffers its int arithmetic can address (JPEG works on 16x16 blocks of 4 bytes a pixel).
void check_image(int w, int h, Pixels p, bool jpeg, std::size_t nbytes) {
    if (w < 1 || h < 1)
        throw py::value_error("an image of " + dims(w, h) + " pixels: width and height must be at least 1");
    if (w > 65535 || h > 65535)
        throw py::value_error("an image of " + dims(w, h) + " pixels: width and height are at most 65535");
    const std::uint64_t bytes = static_cast<std::uint64_t>(w) * static_cast<std::uint64_t>(h) * bytes_per_pixel(p);
    const std::uint64_t work = jpeg ? ((static_cast<std::uint64_t>(w) + 15) / 16 * 16) *
                                          ((static_cast<std::uint64_t>(h) + 15) / 16 * 16) * 4
                                    : bytes + 4;
    if (work > static_cast<std::uint64_t>(INT_MAX))
        throw py::value_error("an image of " + dims(w, h) + " pixels is too large to encode");
    if (nbytes != bytes)
        throw py::value_error("a " + std::string(pixels_name(p)) + " image of " + dims(w, h) + " pixels is " +
                              std::to_string(bytes) + " bytes, the data has " + std::to_string(nbytes));
}

void encode(Tango::EncodedAttribute &self, py::handle data, int w, int h, Pixels p, bool jpeg, double quality = 0) {
    PixelBuffer buf(data);
    check_image(w, h, p, jpeg, buf.size());
    if (std::isnan(quality)) throw py::value_error("the JPEG quality must be a number from 0 to 100");
    quality = std::min(100.0, std::max(0.0, quality));
    // cppTango reads the pixels through non-const pointers; it does not write them.
    auto *pixels = const_cast<unsigned char *>(buf.data());
    switch (p) {
    case Pixels::Gray8:
        if (jpeg) self.encode_jpeg_gray8(pixels, w, h, quality);
        else self.encode_gray8(pixels, w, h);
        break;
    case Pixels::Gray16: {
        if (reinterpret_cast<std::uintptr_t>(pixels) % alignof(unsigned short) == 0) {
            self.encode_gray16(reinterpret_cast<unsigned short *>(pixels), w, h);
        } else { // a buffer from a misaligned slice
            std::vector<unsigned short> aligned(buf.size() / sizeof(unsigned short));
            std::memcpy(aligned.data(), pixels, buf.size());
            self.encode_gray16(aligned.data(), w, h);
        }
        break;
    }
    case Pixels::Rgb24:
        if (jpeg) self.encode_jpeg_rgb24(pixels, w, h, quality);
        else self.encode_rgb24(pixels, w, h);
        break;
    case Pixels::Rgb32: self.encode_jpeg_rgb32(pixels, w, h, quality); break;
    }
}

// ---- decoding ----------------------------------------------------------------------------------

[[noreturn]] void fail(const char *reason, const std::string &desc, const char *origin) {
    Tango::Except::throw_exception(reason, desc, std::string("EncodedAttribute::") + origin);
}

// The record of `da`, after the checks PyTango makes first: a DeviceAttribute whose value was
// not extracted (PyTango: one without a value attribute).
DeviceAttribute &unextracted(py::handle da, const char *who) {
    if (!PyObject_TypeCheck(da.ptr(), record_type<DeviceAttribute>))
        throw py::type_error(std::string(who) + "(): expected a DeviceAttribute, not " + Py_TYPE(da.ptr())->tp_name);
    DeviceAttribute &r = record_of<DeviceAttribute>(da.ptr());
    if (!(r.unset & kUnsetValue)) {
        if (r.has_failed) throw py::type_error("the DeviceAttribute holds no value to decode: its read failed");
        if (r.quality == Tango::ATTR_INVALID)
            throw py::type_error("the DeviceAttribute holds no value to decode: its quality is ATTR_INVALID");
        if (!r.value.is_none())
            throw py::type_error("DeviceAttribute argument must have been obtained from a call which doesn't extract "
                                 "the contents (read it with extract_as=ExtractAs.Nothing)");
    }
    return r;
}

// The DevEncoded value the record keeps, with cppTango's errors when there is none.
Tango::DevVarEncodedArray &received(DeviceAttribute &r, const char *who) {
    if (!r.encoded || r.encoded->length() == 0) {
        const bool no_data = (r.unset & kUnsetValue) || r.is_empty || r.type == Tango::DATA_TYPE_UNKNOWN;
        if (no_data) fail(Tango::API_WrongFormat, "Attribute contains no data", who);
        fail("API_IncompatibleAttrArgumentType", "Cannot extract, data in DeviceAttribute object is not DevEncoded", who);
    }
    return *r.encoded;
}

ExtractAs decode_extract_as(py::handle extract_as) {
    int v = -1;
    if (PyLong_Check(extract_as.ptr())) {
        v = static_cast<int>(PyLong_AsLong(extract_as.ptr()));
        if (v == -1 && PyErr_Occurred()) PyErr_Clear();
    }
    const auto ex = static_cast<ExtractAs>(v);
    if (ex != ExtractAs::Numpy && ex != ExtractAs::String && ex != ExtractAs::Tuple && ex != ExtractAs::List)
        throw py::type_error("extract_as must be one of Numpy, String, Tuple, List");
    return ex;
}

// What a raw image's 4-byte header (width, height: big endian) says it holds, against its size.
void check_raw(const Tango::DevVarCharArray &data, Pixels p, const char *format, const char *who) {
    const std::size_t n = data.length();
    if (n < 4)
        fail(Tango::API_DecodeErr, "corrupted " + std::string(format) + " data: " + std::to_string(n) +
                                       " bytes, less than its 4-byte header", who);
    const unsigned char *b = data.get_buffer();
    const long w = (b[0] << 8) | b[1], h = (b[2] << 8) | b[3];
    const std::size_t need = 4 + static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * bytes_per_pixel(p);
    if (n < need)
        fail(Tango::API_DecodeErr, "corrupted " + std::string(format) + " data: a " + dims(w, h) + " image needs " +
                                       std::to_string(need) + " bytes, the data has " + std::to_string(n), who);
}

#if !PYTANGO_OWN_JPEG_DECODING
// cppTango 10's JPEG decoding (libjpeg) returns the stream's components whatever was asked for:
// a stream of the other kind would be read past its end.
void check_received_jpeg(const Tango::DevVarCharArray &data, bool colour, const char *who) {
    const JpegFrame f = jpeg_frame(data.get_buffer(), data.length());
    if (!f.found) fail(Tango::API_DecodeErr, "corrupted JPEG data: no frame header", who);
    if (f.components != (colour ? 3 : 1))
        fail(Tango::API_WrongFormat, colour ? "Not a color format" : "Not a grayscale 8bit format", who);
    if (static_cast<std::uint64_t>(f.width) * static_cast<std::uint64_t>(f.height) * 4 > static_cast<std::uint64_t>(INT_MAX))
        fail(Tango::API_DecodeErr, "a JPEG image of " + dims(f.width, f.height) + " pixels is too large to decode", who);
}
#endif

// An image cppTango allocated (new[]), owned until handed over to Python.
template <class T>
py::object image_to_py(std::unique_ptr<T[]> pixels, int w, int h, Pixels p, ExtractAs ex) {
    const std::size_t count = static_cast<std::size_t>(w) * static_cast<std::size_t>(h);
    const auto *bytes = reinterpret_cast<const unsigned char *>(pixels.get());
    const int bpp = bytes_per_pixel(p);
    if (ex == ExtractAs::Numpy) {
        py::dtype dt = p == Pixels::Gray8 ? py::dtype::of<std::uint8_t>()
                       : p == Pixels::Gray16 ? py::dtype::of<std::uint16_t>()
                                             : py::dtype::of<std::uint32_t>();
        T *raw = pixels.get();
        py::capsule owner(raw, [](void *q) { delete[] static_cast<T *>(q); });
        pixels.release(); // the capsule owns it now
        return py::array(dt, {static_cast<py::ssize_t>(h), static_cast<py::ssize_t>(w)}, raw, owner);
    }
    if (ex == ExtractAs::String)
        return py::make_tuple(w, h, py::bytes(reinterpret_cast<const char *>(bytes), count * bpp));
    // Tuple or List of rows. As PyTango gives them: a gray8 pixel is a bytes object of length 1,
    // the others ints (an rgb32 pixel is its 4 bytes R, G, B, A read as a native uint32).
    auto pixel = [&](std::size_t i) -> py::object {
        switch (p) {
        case Pixels::Gray8: return py::bytes(reinterpret_cast<const char *>(bytes + i), 1);
        case Pixels::Gray16: return py::int_(reinterpret_cast<const std::uint16_t *>(bytes)[i]);
        default: {
            std::uint32_t v;
            std::memcpy(&v, bytes + 4 * i, 4);
            return py::int_(v);
        }
        }
    };
    const bool as_list = ex == ExtractAs::List;
    py::object rows = as_list ? py::object(py::list(h)) : py::object(py::tuple(h));
    for (int y = 0; y < h; ++y) {
        py::object row = as_list ? py::object(py::list(w)) : py::object(py::tuple(w));
        for (int x = 0; x < w; ++x) {
            PyObject *v = pixel(static_cast<std::size_t>(y) * w + x).release().ptr();
            if (as_list) PyList_SET_ITEM(row.ptr(), x, v);
            else PyTuple_SET_ITEM(row.ptr(), x, v);
        }
        if (as_list) PyList_SET_ITEM(rows.ptr(), y, row.release().ptr());
        else PyTuple_SET_ITEM(rows.ptr(), y, row.release().ptr());
    }
    return rows;
}

py::object decode(Tango::EncodedAttribute &self, py::handle da, py::handle extract_as, Pixels p) {
    const char *who = p == Pixels::Gray8 ? "decode_gray8" : p == Pixels::Gray16 ? "decode_gray16" : "decode_rgb32";
    DeviceAttribute &record = unextracted(da, who);
    const ExtractAs ex = decode_extract_as(extract_as);
    Tango::DevVarEncodedArray &seq = received(record, who);

    const Tango::DevEncoded &value = seq[0];
    const char *format = value.encoded_format.in() != nullptr ? value.encoded_format.in() : "";
    const Tango::DevVarCharArray &data = value.encoded_data;
    // Formats other than the decoder's are refused by cppTango (API_WrongFormat).
    if (p == Pixels::Gray8 && std::strcmp(format, GRAY_8) == 0) check_raw(data, Pixels::Gray8, format, who);
    if (p == Pixels::Gray16 && std::strcmp(format, GRAY_16) == 0) check_raw(data, Pixels::Gray16, format, who);
    if (p == Pixels::Rgb32 && std::strcmp(format, RGB_24) == 0) check_raw(data, Pixels::Rgb24, format, who);
    const bool jpeg = (p == Pixels::Gray8 && std::strcmp(format, JPEG_GRAY_8) == 0) ||
                      (p == Pixels::Rgb32 && std::strcmp(format, JPEG_RGB) == 0);
    if (jpeg) {
#if PYTANGO_OWN_JPEG_DECODING
        JpegImage image = decode_jpeg(data.get_buffer(), data.length(), p == Pixels::Rgb32, who);
        return image_to_py(std::move(image.pixels), image.width, image.height, p, ex);
#else
        check_received_jpeg(data, p == Pixels::Rgb32, who);
#endif
    }

    // cppTango's decoders take a DeviceAttribute: one lent the received value (release = false:
    // the sequence stays the record's).
    Tango::DeviceAttribute holder;
    holder.get_Encoded_data() = new Tango::DevVarEncodedArray(seq.maximum(), seq.length(), seq.get_buffer(), false);
    int w = 0, h = 0;
    if (p == Pixels::Gray16) {
        unsigned short *out = nullptr;
        self.decode_gray16(&holder, &w, &h, &out);
        return image_to_py(std::unique_ptr<unsigned short[]>(out), w, h, p, ex);
    }
    unsigned char *out = nullptr;
    if (p == Pixels::Gray8) self.decode_gray8(&holder, &w, &h, &out);
    else self.decode_rgb32(&holder, &w, &h, &out);
    return image_to_py(std::unique_ptr<unsigned char[]>(out), w, h, p, ex);
}

} // namespace

bool encoded_attribute_value(py::handle value, Tango::DevEncoded &out, const std::string &attr_name) {
    if (!py::isinstance<Tango::EncodedAttribute>(value)) return false;
    auto &enc = value.cast<Tango::EncodedAttribute &>();
    Tango::DevString *format = enc.get_format();
    const Tango::DevUChar *data = enc.get_data();
    const auto size = static_cast<long>(enc.get_size());
    if (format == nullptr || *format == nullptr)
        Tango::Except::throw_exception("PyDs_DevEncodedFormatNotSpecified",
                                       "DevEncoded format for attribute " + attr_name + " not specified",
                                       "EncodedAttribute (set_value)");
    if (data == nullptr || size <= 0)
        Tango::Except::throw_exception("PyDs_DevEncodedDataNotSpecified",
                                       "DevEncoded data for attribute " + attr_name + " not specified",
                                       "EncodedAttribute (set_value)");
    // A copy: the EncodedAttribute may encode again (from any thread) before the reply is sent.
    out.encoded_format = CORBA::string_dup(*format);
    out.encoded_data.length(static_cast<CORBA::ULong>(size));
    std::memcpy(out.encoded_data.get_buffer(), data, static_cast<std::size_t>(size));
    return true;
}

void register_encoded_attribute(py::module_ &m) {
    using EA = Tango::EncodedAttribute;
    py::class_<EA>(m, "EncodedAttribute", "cppTango's encoder and decoder of images in DevEncoded values.")
        .def(py::init<>())
        .def(py::init([](int buf_pool_size, bool serialization) {
                 if (buf_pool_size < 1) throw py::value_error("buf_pool_size must be at least 1");
                 (void)serialization; // see the top of this file
                 return std::make_unique<EA>();
             }),
             py::arg("buf_pool_size"), py::arg("serialization") = false)
        .def("_encode_gray8", [](EA &self, py::handle data, int w, int h) {
            encode(self, data, w, h, Pixels::Gray8, false);
        })
        .def("_encode_jpeg_gray8", [](EA &self, py::handle data, int w, int h, double quality) {
            encode(self, data, w, h, Pixels::Gray8, true, quality);
        })
        .def("_encode_gray16", [](EA &self, py::handle data, int w, int h) {
            encode(self, data, w, h, Pixels::Gray16, false);
        })
        .def("_encode_rgb24", [](EA &self, py::handle data, int w, int h) {
            encode(self, data, w, h, Pixels::Rgb24, false);
        })
        .def("_encode_jpeg_rgb24", [](EA &self, py::handle data, int w, int h, double quality) {
            encode(self, data, w, h, Pixels::Rgb24, true, quality);
        })
        .def("_encode_jpeg_rgb32", [](EA &self, py::handle data, int w, int h, double quality) {
            encode(self, data, w, h, Pixels::Rgb32, true, quality);
        })
        .def("_decode_gray8", [](EA &self, py::handle da, py::handle ex) { return decode(self, da, ex, Pixels::Gray8); })
        .def("_decode_gray16", [](EA &self, py::handle da, py::handle ex) { return decode(self, da, ex, Pixels::Gray16); })
        .def("_decode_rgb32", [](EA &self, py::handle da, py::handle ex) { return decode(self, da, ex, Pixels::Rgb32); });
}

} // namespace pt
