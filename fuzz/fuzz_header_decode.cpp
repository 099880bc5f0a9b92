// Header-level decoders: RFC 2047 words, address lists, parameters, trace and auth headers.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/text.hpp"
#include "mime/address.hpp"
#include "mime/params.hpp"
#include "mime/rfc2047.hpp"
#include "mime/structured.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto decoded = emotriage::mime::decode_header_text(input);
  // Every decoder promises valid UTF-8 out of any bytes in.
  if (!emotriage::core::is_valid_utf8(decoded.text)) __builtin_trap();
  for (const auto& mailbox : emotriage::mime::parse_address_list(input).mailboxes) {
    if (!emotriage::core::is_valid_utf8(mailbox.display_name)) __builtin_trap();
  }
  for (const auto& [name, value] : emotriage::mime::parse_field_with_params(input).params) {
    if (!emotriage::core::is_valid_utf8(value)) __builtin_trap();
  }
  (void)emotriage::mime::parse_message_ids(input);
  (void)emotriage::mime::parse_received(input);
  (void)emotriage::mime::parse_authentication_results(input);
  (void)emotriage::mime::parse_dkim_signature(input);
  (void)emotriage::mime::parse_date(input);
  return 0;
}
