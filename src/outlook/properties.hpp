// The MAPI property view that both Outlook containers share: a .msg compound file (storages and
// streams, MS-OXMSG) and a PST/OST mailbox (libpff record sets, MS-PST) expose the same
// properties, recipients, attachments and embedded messages. build_mime rebuilds any message so
// exposed as RFC 822/MIME, so the two readers cannot drift apart.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "core/limits.hpp"

namespace emotriage::outlook::detail {

class PropertySource {
 public:
  virtual ~PropertySource() = default;

  // A fixed-size value (PT_LONG, PT_SYSTIME, PT_SHORT, PT_BOOLEAN) of property `id`.
  virtual std::optional<std::uint64_t> fixed(std::uint16_t id) const = 0;
  // The bytes of a variable-size property of exactly this type, at most `max_bytes`;
  // `complete` (when given) tells whether that was all of it.
  virtual std::optional<std::string> raw(std::uint16_t id, std::uint16_t type,
                                         std::uint64_t max_bytes,
                                         bool* complete = nullptr) const = 0;

  // Recipients and attachments of a message, by index.
  virtual std::size_t recipient_count() const = 0;
  virtual std::unique_ptr<PropertySource> recipient(std::size_t index) const = 0;
  virtual std::size_t attachment_count() const = 0;
  virtual std::unique_ptr<PropertySource> attachment(std::size_t index) const = 0;
  // On an attachment: the message it embeds, or null when it carries bytes (or nothing).
  virtual std::unique_ptr<PropertySource> embedded_message() const = 0;

  // A string property (PT_UNICODE, else PT_STRING8 decoded with `codepage`) as UTF-8; empty
  // when absent.
  std::string text(std::uint16_t id, std::uint32_t codepage) const;
};

// Rebuilds the message as UTF-8 MIME (see outlook::msg_to_mime for what goes where). Limit and
// nesting cuts are reported to `findings` when given.
std::string build_mime(const PropertySource& message, const core::Limits& limits,
                       std::vector<core::Finding>* findings);

}  // namespace emotriage::outlook::detail
