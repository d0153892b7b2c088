// JPEG streams of DevEncoded values: their frame header, and (cppTango 9.3) their decoding.
#include "pytango.hpp"
#include "types/jpeg.hpp"

#include <climits>
#include <cstdint>

#if PYTANGO_OWN_JPEG_DECODING
#include <csetjmp>
#include <cstdio> // jpeglib.h uses FILE
#include <new>
#include <jpeglib.h>
#endif

namespace pt {

namespace {

// The stream byte by byte; past its end, zeros.
class Bytes {
public:
    Bytes(const unsigned char *data, std::size_t size) : data_(data), size_(size) {}
    int next() { return pos_ < size_ ? data_[pos_++] : 0; }
    int next16() {
        const int high = next();
        return (high << 8) | next();
    }
    void skip(std::size_t n) { pos_ = n < size_ - pos_ ? pos_ + n : size_; }
    bool at_end() const { return pos_ >= size_; }
    std::size_t left() const { return size_ - pos_; }

private:
    const unsigned char *data_;
    std::size_t size_;
    std::size_t pos_ = 0;
};

} // namespace

// As libjpeg reads a header (jdmarker.c): the start of image marker first; then each marker is
// found after any bytes other than 0xFF and any 0xFF fill bytes (0xFF 0x00 is not a marker), and
// all but the standalone ones (RSTn, TEM) are followed by their length. Its end is an end of
// image marker. The first frame header (SOFn: 0xC0 to 0xCF but DHT, JPG and DAC) gives the image.
JpegFrame jpeg_frame(const unsigned char *data, std::size_t size) {
    JpegFrame f;
    Bytes in(data, size);
    if (in.next() != 0xFF || in.next() != 0xD8) return f;
    for (;;) {
        int c = 0;
        do {
            do {
                if (in.at_end()) return f;
                c = in.next();
            } while (c != 0xFF);
            do {
                if (in.at_end()) return f;
                c = in.next();
            } while (c == 0xFF);
        } while (c == 0);
        if (c >= 0xC0 && c <= 0xCF && c != 0xC4 && c != 0xC8 && c != 0xCC) {
            if (in.left() < 8) return f; // cut short: libjpeg refuses it
            in.next16();                 // length
            in.next();                   // sample precision
            f.height = in.next16();
            f.width = in.next16();
            f.components = in.next();
            f.found = true;
            return f;
        }
        if (c == 0xD8 || c == 0xD9 || c == 0xDA) return f; // a second start, the end, a scan: no image
        if ((c >= 0xD0 && c <= 0xD7) || c == 0x01) continue;
        const int length = in.next16();
        if (length < 2) return f;
        in.skip(static_cast<std::size_t>(length - 2));
    }
}

#if PYTANGO_OWN_JPEG_DECODING

namespace {

// libjpeg's errors end the decoding with a longjmp back to decode_into (the usual libjpeg way:
// its C frames cannot be unwound by a C++ exception); its warnings (corrupt data it decodes as
// far as it can) are not printed.
struct JpegErrors {
    jpeg_error_mgr mgr; // first: libjpeg holds a pointer to it
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX] = {};
};

void on_jpeg_error(j_common_ptr info) {
    auto *errors = reinterpret_cast<JpegErrors *>(info->err);
    (*info->err->format_message)(info, errors->message);
    std::longjmp(errors->jump, 1);
}

void on_jpeg_message(j_common_ptr) {}

enum class Outcome { Decoded, LibjpegError, OtherKind, TooLarge, NoMemory };

// Only C resources from the setjmp on: a longjmp skips destructors. On Decoded, *out is new[].
Outcome decode_into(const unsigned char *data, std::size_t size, bool colour, JpegErrors &errors, int &width,
                    int &height, unsigned char *&out) {
    jpeg_decompress_struct info;
    info.err = jpeg_std_error(&errors.mgr);
    errors.mgr.error_exit = &on_jpeg_error;
    errors.mgr.output_message = &on_jpeg_message;
    unsigned char *volatile frame = nullptr;
    if (setjmp(errors.jump) != 0) {
        jpeg_destroy_decompress(&info);
        delete[] frame;
        return Outcome::LibjpegError;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, static_cast<unsigned long>(size));
    jpeg_read_header(&info, TRUE);
    width = static_cast<int>(info.image_width);
    height = static_cast<int>(info.image_height);
    if (info.num_components != (colour ? 3 : 1)) {
        jpeg_destroy_decompress(&info);
        return Outcome::OtherKind;
    }
    if (static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height) * 4 > static_cast<std::uint64_t>(INT_MAX)) {
        jpeg_destroy_decompress(&info);
        return Outcome::TooLarge;
    }
    if (colour) info.out_color_space = JCS_EXT_RGBA;
    jpeg_start_decompress(&info);
    const std::size_t stride = static_cast<std::size_t>(info.output_width) * info.output_components;
    frame = new (std::nothrow) unsigned char[stride * info.output_height];
    if (frame == nullptr) {
        jpeg_destroy_decompress(&info);
        return Outcome::NoMemory;
    }
    while (info.output_scanline < info.output_height) {
        JSAMPROW row = frame + static_cast<std::size_t>(info.output_scanline) * stride;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    out = frame;
    return Outcome::Decoded;
}

} // namespace

JpegImage decode_jpeg(const unsigned char *data, std::size_t size, bool colour, const char *origin) {
    const std::string where = std::string("EncodedAttribute::") + origin;
    if (size == 0) Tango::Except::throw_exception(Tango::API_DecodeErr, "libjpeg: empty JPEG data", where);
    JpegErrors errors;
    JpegImage image;
    unsigned char *pixels = nullptr;
    switch (decode_into(data, size, colour, errors, image.width, image.height, pixels)) {
    case Outcome::Decoded: image.pixels.reset(pixels); return image;
    case Outcome::LibjpegError:
        Tango::Except::throw_exception(Tango::API_DecodeErr, std::string("libjpeg: ") + errors.message, where);
    case Outcome::OtherKind:
        Tango::Except::throw_exception(Tango::API_WrongFormat, colour ? "Not a color format" : "Not a grayscale 8bit format",
                                       where);
    case Outcome::TooLarge:
        Tango::Except::throw_exception(Tango::API_DecodeErr, "a JPEG image of " + std::to_string(image.width) + "x" +
                                                                 std::to_string(image.height) + " pixels is too large to decode",
                                       where);
    case Outcome::NoMemory: break;
    }
    Tango::Except::throw_exception(Tango::API_DecodeErr, "not enough memory to decode the JPEG image", where);
}

#endif

} // namespace pt
