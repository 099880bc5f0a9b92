// Helpers shared by the .msg and TNEF readers: MAPI property values to UTF-8, compressed RTF,
// and the MIME text writer.
#pragma once
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace emotriage::outlook::detail {

// MAPI property types (MS-OXCDATA 2.11.1) that the readers interpret.
inline constexpr std::uint16_t kPtShort = 0x0002;
inline constexpr std::uint16_t kPtLong = 0x0003;
inline constexpr std::uint16_t kPtBoolean = 0x000B;
inline constexpr std::uint16_t kPtObject = 0x000D;
inline constexpr std::uint16_t kPtString8 = 0x001E;
inline constexpr std::uint16_t kPtUnicode = 0x001F;
inline constexpr std::uint16_t kPtSystime = 0x0040;
inline constexpr std::uint16_t kPtBinary = 0x0102;

// Charset label for a Windows code page (932 -> "cp932"); empty for 0 or unknown pages.
std::string codepage_label(std::uint32_t codepage);
// PT_STRING8 bytes to UTF-8 with the code page (0: detected); stops at the first NUL.
std::string decode_string8(std::string_view bytes, std::uint32_t codepage);
// PT_UNICODE (UTF-16LE) bytes to UTF-8; stops at the first NUL; bad surrogates become U+FFFD.
std::string decode_utf16le(std::string_view bytes);
// A FILETIME (100 ns since 1601-01-01 UTC) as an RFC 5322 date in UTC; empty when out of range.
std::string filetime_to_rfc5322(std::uint64_t filetime);

// MS-OXRTFCP: PR_RTF_COMPRESSED to RTF, at most `max_bytes` of output.
std::expected<std::string, std::string> decompress_rtf(std::string_view compressed,
                                                       std::uint64_t max_bytes);

// The body an RTF stream carries, as UTF-8: HTML de-encapsulated from \fromhtml1 RTF, otherwise
// the text of the RTF (MS-OXRTFEX; \fromtext and native RTF alike).
struct RtfBody {
  std::string text;
  bool html = false;
};
RtfBody rtf_to_body(std::string_view rtf, std::uint64_t max_bytes);

// MIME writing.
std::string base64_lines(std::string_view bytes);  // 76-column lines, CRLF ended
// A header value as RFC 2047 B-words in UTF-8 when it is not plain printable ASCII.
std::string encode_header_text(std::string_view utf8);
// "Name <addr>" with the name encoded or quoted as needed; the address alone when no name.
std::string format_mailbox(std::string_view name, std::string_view address);
// A filename parameter in RFC 2231 form when needed: `filename*=utf-8''...` or `filename="..."`.
std::string filename_parameter(std::string_view attribute, std::string_view utf8_name);
// A multipart entity (its Content-Type header, then the parts) with a boundary that occurs in none
// of `parts`; `depth` keeps nested boundaries apart.
std::string multipart(std::string_view subtype, const std::vector<std::string>& parts,
                      std::uint32_t depth);
// A text/<subtype> leaf in UTF-8, base64.
std::string text_part(std::string_view subtype, std::string_view utf8);
// An attachment leaf: the bytes in base64 under `name` (no name: none written).
std::string file_part(std::string_view content_type, std::string_view name, std::string_view bytes);

}  // namespace emotriage::outlook::detail
