// Address lists (From, To, Cc, Reply-To ...) parsed from the raw header so that display names are
// decoded by the project's own RFC 2047 code, including the quoted "=?..?=" form.
#pragma once
#include <string_view>
#include <vector>

#include "core/message.hpp"

namespace emotriage::mime {

struct AddressList {
  std::vector<core::Mailbox> mailboxes;
  bool malformed = false;
};

AddressList parse_address_list(std::string_view raw);

// "<id@host>" lists (Message-ID, In-Reply-To, References): the ids with their angle brackets.
std::vector<std::string> parse_message_ids(std::string_view raw);

}  // namespace emotriage::mime
