#ifndef HOMELAB_CFASTJSON_H
#define HOMELAB_CFASTJSON_H

#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// The bytes among the 16 at `p` that end the plain run of a JSON string: a quote, a backslash, a control character
/// (below 0x20) or, when `stop_at_non_ascii` is non-zero, a byte above 0x7F. Bit i of the result is byte i; zero
/// when none of the 16 is one of those. All 16 bytes must be readable (the tape pads its copy of the document).
static inline uint32_t hl_json_string_stops16(const uint8_t *p, int stop_at_non_ascii) {
#if defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
    __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
    // v <= 0x1F, unsigned: the minimum of v and 0x1F is v itself.
    __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
    uint32_t stops = (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control));
    if (stop_at_non_ascii) stops |= (uint32_t)_mm_movemask_epi8(v);
    return stops;
#else
    // Portable: byte by byte (the compiler vectorises what it can).
    uint32_t stops = 0;
    for (int i = 0; i < 16; i++) {
        uint8_t byte = p[i];
        int stop = byte == '"' || byte == '\\' || byte < 0x20 || (stop_at_non_ascii && byte >= 0x80);
        stops |= (uint32_t)stop << i;
    }
    return stops;
#endif
}

#endif
