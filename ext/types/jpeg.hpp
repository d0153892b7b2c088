// JPEG streams received in DevEncoded values (formats JPEG_GRAY8 and JPEG_RGB), read before
// cppTango's decoder gets them (cppTango 10), or decoded here instead (cppTango 9.3, whose
// decoder is not usable: see compat.hpp).
#pragma once

#include "pytango.hpp"

#include <cstddef>
#include <memory>

namespace pt {

// The image that a stream's frame header announces, found along the markers as libjpeg walks
// them; found is false when there is no frame header before the first scan or the end (libjpeg
// then refuses the stream itself).
struct JpegFrame {
    bool found = false;
    int width = 0, height = 0;
    int components = 0; // 1: gray, 3: colour (YCbCr or RGB), 4: CMYK
};

JpegFrame jpeg_frame(const unsigned char *data, std::size_t size);

#if PYTANGO_OWN_JPEG_DECODING
struct JpegImage {
    int width = 0, height = 0;
    std::unique_ptr<unsigned char[]> pixels; // new[]
};

// The image of a stream, decoded with libjpeg as cppTango 10 decodes it: with colour, 4 bytes a
// pixel (R, G, B and A = 255) from a colour stream, else 1 byte a pixel from a gray one. A
// DevFailed otherwise (origin EncodedAttribute::<origin>): API_WrongFormat for a stream of the
// other kind, API_DecodeErr with libjpeg's message for one it cannot decode.
JpegImage decode_jpeg(const unsigned char *data, std::size_t size, bool colour, const char *origin);
#endif

} // namespace pt
