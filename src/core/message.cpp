#include "core/message.hpp"

#include "core/text.hpp"

namespace emotriage::core {

const Header* Envelope::find(std::string_view name) const {
  for (const auto& header : headers) {
    if (iequals(header.name, name)) return &header;
  }
  return nullptr;
}

void Message::add_finding(Finding finding) {
  if (findings.size() < kMaxFindings) {
    findings.push_back(std::move(finding));
  } else if (findings.size() == kMaxFindings) {
    findings.push_back(limit_finding("findings", kMaxFindings));
  }
}

std::vector<int> Message::children(int index) const {
  std::vector<int> out;
  for (int i = index + 1; i < static_cast<int>(parts.size()); ++i) {
    if (parts[static_cast<std::size_t>(i)].parent == index) out.push_back(i);
  }
  return out;
}

}  // namespace emotriage::core
