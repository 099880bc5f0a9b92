// MS-OXMSG: an Outlook .msg compound file rebuilt as an RFC 822/MIME message. The compound file
// is read with office::Cfb (bounded, shared with the Office analysis); its storages are exposed as
// a PropertySource to the MIME builder that the PST reader shares.
#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

#include "core/text.hpp"
#include "office/bytes.hpp"
#include "office/cfb.hpp"
#include "outlook/detail.hpp"
#include "outlook/outlook.hpp"
#include "outlook/properties.hpp"

namespace emotriage::outlook {
namespace {

using namespace detail;

constexpr std::uint16_t kAttachData = 0x3701;
constexpr std::uint16_t kAttachMethod = 0x3705;
constexpr std::uint32_t kAttachEmbeddedMessage = 5;

// The property stream header: 32 bytes in the top-level message, 24 in an embedded message,
// 8 in recipient and attachment storages (MS-OXMSG 2.4).
constexpr std::size_t kTopHeaderBytes = 32;
constexpr std::size_t kEmbeddedHeaderBytes = 24;
constexpr std::size_t kObjectHeaderBytes = 8;

// The properties of one storage: fixed values from __properties_version1.0, variable ones from
// their __substg1.0_IIIITTTT streams.
class Storage final : public PropertySource {
 public:
  Storage(const office::Cfb& cfb, const std::vector<std::vector<int>>& children, int index,
          std::size_t header_bytes)
      : cfb_(cfb), children_(children), index_(index) {
    for (const int child : children_[static_cast<std::size_t>(index)]) {
      const office::CfbEntry& entry = cfb.entries()[static_cast<std::size_t>(child)];
      if (core::iequals(entry.name, "__properties_version1.0")) {
        has_property_stream_ = true;
        read_fixed(cfb.read(entry, 1u << 20), header_bytes);
      } else if (auto tag = substg_tag(entry.name)) {
        streams_.emplace(*tag, child);
      }
    }
    recipients_ = substorages("__recip_version1.0_#");
    attachments_ = substorages("__attach_version1.0_#");
  }

  std::optional<std::uint64_t> fixed(std::uint16_t id) const override {
    for (const std::uint16_t type : {kPtLong, kPtSystime, kPtShort, kPtBoolean}) {
      if (auto it = fixed_.find(tag(id, type)); it != fixed_.end()) return it->second;
    }
    return std::nullopt;
  }
  std::optional<std::string> raw(std::uint16_t id, std::uint16_t type, std::uint64_t max_bytes,
                                 bool* complete = nullptr) const override {
    const auto it = streams_.find(tag(id, type));
    if (it == streams_.end()) return std::nullopt;
    return cfb_.read(cfb_.entries()[static_cast<std::size_t>(it->second)], max_bytes, complete);
  }
  std::size_t recipient_count() const override { return recipients_.size(); }
  std::unique_ptr<PropertySource> recipient(std::size_t index) const override {
    return std::make_unique<Storage>(cfb_, children_, recipients_.at(index), kObjectHeaderBytes);
  }
  std::size_t attachment_count() const override { return attachments_.size(); }
  std::unique_ptr<PropertySource> attachment(std::size_t index) const override {
    return std::make_unique<Storage>(cfb_, children_, attachments_.at(index), kObjectHeaderBytes);
  }
  // The sub-storage __substg1.0_3701000D holds an embedded message (method 5, or a property
  // stream of its own) or an OLE object (neither).
  std::unique_ptr<PropertySource> embedded_message() const override {
    const auto it = streams_.find(tag(kAttachData, kPtObject));
    if (it == streams_.end() || !cfb_.entries()[static_cast<std::size_t>(it->second)].is_storage) {
      return nullptr;
    }
    auto embedded = std::make_unique<Storage>(cfb_, children_, it->second, kEmbeddedHeaderBytes);
    if (fixed(kAttachMethod).value_or(0) != kAttachEmbeddedMessage &&
        !embedded->has_property_stream_) {
      return nullptr;
    }
    return embedded;
  }

 private:
  // Child storages whose name starts with `prefix` (recipients, attachments), in name order.
  std::vector<int> substorages(std::string_view prefix) const {
    std::vector<int> out;
    for (const int child : children_[static_cast<std::size_t>(index_)]) {
      const office::CfbEntry& entry = cfb_.entries()[static_cast<std::size_t>(child)];
      if (entry.is_storage && core::istarts_with(entry.name, prefix)) out.push_back(child);
    }
    std::ranges::sort(out, [&](int a, int b) {
      return cfb_.entries()[static_cast<std::size_t>(a)].name <
             cfb_.entries()[static_cast<std::size_t>(b)].name;
    });
    return out;
  }
  static std::uint32_t tag(std::uint16_t id, std::uint16_t type) {
    return (std::uint32_t{id} << 16) | type;
  }
  static std::optional<std::uint32_t> substg_tag(std::string_view name) {
    constexpr std::string_view kPrefix = "__substg1.0_";
    if (name.size() != kPrefix.size() + 8 || !core::istarts_with(name, kPrefix)) return {};
    std::uint32_t value = 0;
    const char* first = name.data() + kPrefix.size();
    const auto [end, error] = std::from_chars(first, first + 8, value, 16);
    if (error != std::errc() || end != first + 8) return {};
    return value;
  }
  void read_fixed(std::string_view stream, std::size_t header_bytes) {
    for (std::size_t at = header_bytes; at + 16 <= stream.size(); at += 16) {
      const std::uint32_t property_tag = office::le32(stream, at);
      const std::uint64_t value =
          office::le32(stream, at + 8) | (std::uint64_t{office::le32(stream, at + 12)} << 32);
      fixed_.emplace(property_tag, value);
    }
  }

  const office::Cfb& cfb_;
  const std::vector<std::vector<int>>& children_;
  int index_;
  std::map<std::uint32_t, std::uint64_t> fixed_;
  std::map<std::uint32_t, int> streams_;
  bool has_property_stream_ = false;
  std::vector<int> recipients_, attachments_;
};

}  // namespace

bool is_message_file(std::string_view bytes) {
  auto cfb = office::Cfb::open(bytes);
  if (!cfb || cfb->find("__properties_version1.0") < 0) return false;
  for (const std::string_view document_stream :
       {"WordDocument", "Workbook", "Book", "PowerPoint Document", "Macros", "_VBA_PROJECT_CUR",
        "VBA", "EncryptedPackage"}) {
    if (cfb->find(document_stream) >= 0) return false;
  }
  return true;
}

std::expected<std::string, std::string> msg_to_mime(std::string_view msg_bytes,
                                                    const core::Limits& limits,
                                                    std::vector<core::Finding>* findings) {
  auto cfb = office::Cfb::open(msg_bytes);
  if (!cfb) return std::unexpected(cfb.error());
  if (cfb->find("__properties_version1.0") < 0) {
    return std::unexpected("compound file without a message property stream");
  }
  std::vector<std::vector<int>> children(cfb->entries().size());
  for (std::size_t i = 1; i < cfb->entries().size(); ++i) {
    const std::size_t parent = cfb->entries()[i].parent;
    if (parent < children.size()) children[parent].push_back(static_cast<int>(i));
  }
  std::string mime = build_mime(Storage(*cfb, children, 0, kTopHeaderBytes), limits, findings);
  if (cfb->damaged() && findings != nullptr) {
    findings->push_back(core::malformed_finding(
        "Outlook メッセージファイル (.msg) の内部構造が壊れています。読めた部分だけを解析しました",
        "the Outlook .msg compound file is damaged; only what could be read was analysed",
        "CFB chain or directory link out of range"));
  }
  return mime;
}

}  // namespace emotriage::outlook
