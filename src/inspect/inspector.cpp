// The recursion: every object is typed, hashed, checked for name tricks, handed to the analyser
// of its format, and whatever it contains (archive members, embedded files, attached mails'
// attachments) is inspected the same way, within the limits of one message.
#include <chrono>
#include <exception>
#include <map>
#include <set>

#include "dropper/dropper.hpp"
#include "inspect/archive_reader.hpp"
#include "inspect/digest.hpp"
#include "inspect/findings.hpp"
#include "inspect/inspect.hpp"
#include "inspect/names.hpp"
#include "inspect/types.hpp"
#include "inspect/zip_directory.hpp"
#include "mime/parser.hpp"
#include "office/office.hpp"
#include "outlook/outlook.hpp"

namespace emotriage::inspect {

namespace {

using Clock = std::chrono::steady_clock;

// libarchive hands data over in chunks of this size; larger buffers do not read faster.
constexpr std::size_t kChunkBytes = 256u << 10;
// Candidates longer than this are sentences, not passwords.
constexpr std::size_t kMaxPasswordBytes = 128;
// Below this many expanded bytes the ratio bound is not applied: a 200-byte zip holding a
// 300 KB text file is ordinary.
constexpr std::uint64_t kRatioFloorBytes = 1u << 20;
// detected_type of a member whose data no candidate password opened.
constexpr std::string_view kLocked = "encrypted";
// How often (in chunks) a long member read looks at the clock.
constexpr unsigned kClockEveryChunks = 64;

std::string hex_byte(int value) {
  static constexpr char kHex[] = "0123456789abcdef";
  return std::string("0x") + kHex[(value >> 4) & 15] + kHex[value & 15];
}

// One member's data as read from the archive.
struct MemberData {
  std::string kept;  // whole when complete and small enough, else the head
  bool complete = false;
  bool stopped_by_limit = false;
  bool encryption_error = false;
  std::string error;
  Filler filler;
};

// Why a walk over an archive's entries ended.
struct WalkResult {
  bool encrypted = false;  // some entry (or the whole directory) needs a passphrase
  // (entry ordinal, index in node.children) of members not read for lack of a passphrase
  std::vector<std::pair<std::size_t, std::size_t>> locked;
};

class Inspector {
 public:
  Inspector(const Options& options, std::vector<core::Finding>& findings)
      : options_(options),
        limits_(options.limits),
        findings_(findings),
        deadline_(Clock::now() + std::chrono::milliseconds(options.limits.message_millis)) {}

  // `sha256`, when the parser already has it, is the digest of `bytes`.
  void inspect_top(std::string_view bytes, core::Attachment& node, std::string_view sha256) {
    part_ = node.part;
    tree_size_ = std::max<std::uint64_t>(bytes.size(), 1);
    tree_expanded_ = 0;
    tree_exhausted_ = false;
    bool digested = false;
    if (!sha256.empty()) {
      node.size = bytes.size();
      node.sha256 = sha256;
      md5_of_digested(bytes, node);
      digested = true;
    }
    inspect_object(bytes, node, 0, digested);
  }

 private:
  const Options& options_;
  const core::Limits& limits_;
  std::vector<core::Finding>& findings_;
  Clock::time_point deadline_;
  std::vector<char> buffer_;  // archive reads; allocated by the first one (most mail has none)
  std::set<std::string, std::less<>> limits_hit_;
  std::string part_;
  std::uint64_t expanded_ = 0;       // decompressed bytes in this message
  std::uint64_t entries_ = 0;        // members and embedded objects in this message
  std::uint64_t tree_size_ = 1;      // size of the attachment being inspected
  std::uint64_t tree_expanded_ = 0;  // decompressed bytes inside it
  // Set when the attachment has used its expansion budget: nothing more in it is decompressed
  // (else every sibling of a 42.zip-style bomb would still be opened for its first chunk).
  bool tree_exhausted_ = false;

  std::vector<char>& chunk_buffer() {
    if (buffer_.empty()) buffer_.resize(kChunkBytes);
    return buffer_;
  }

  // Reports a limit once per message; always returns false so callers can `return limit(...)`.
  bool limit(std::string_view name, std::uint64_t value) {
    if (limits_hit_.emplace(name).second)
      findings_.push_back(core::limit_finding(name, value, part_));
    return false;
  }

  bool in_time() {
    return Clock::now() <= deadline_ || limit("message_millis", limits_.message_millis);
  }

  bool admit_object() {
    return ++entries_ <= limits_.archive_entries ||
           limit("archive_entries", limits_.archive_entries);
  }

  // Counts decompressed bytes against the message and attachment budgets.
  bool admit_expanded(std::uint64_t bytes) {
    if (tree_exhausted_) return false;
    expanded_ += bytes;
    tree_expanded_ += bytes;
    if (expanded_ > limits_.expanded_bytes) {
      tree_exhausted_ = true;
      return limit("expanded_bytes", limits_.expanded_bytes);
    }
    if (tree_expanded_ > kRatioFloorBytes &&
        tree_expanded_ / tree_size_ > limits_.expansion_ratio) {
      tree_exhausted_ = true;
      return limit("expansion_ratio", limits_.expansion_ratio);
    }
    return true;
  }

  template <class Analyse>
  void guarded(core::Attachment& node, Analyse&& analyse) {
    try {
      analyse();
    } catch (const std::exception& error) {
      findings_.push_back(analyser_crashed_finding(node, error.what()));
    }
  }

  core::Attachment child_of(const core::Attachment& parent, std::string name) {
    core::Attachment child;
    child.part = parent.part;
    child.filename = std::move(name);
    child.path = parent.path + "/" + child.filename;
    return child;
  }

  void inspect_object(std::string_view bytes, core::Attachment& node, unsigned depth,
                      bool digested) {
    if (!digested) digest_whole(bytes, node);
    node.detected_type = detect_type(bytes, node.filename);
    // The ssdeep names the same bytes as the SHA-256: none for a member read only in part.
    if (!node.sha256.empty() && bytes.size() == node.size) fuzzy_hash_if_code(bytes, node);
    if (is_executable_type(node.detected_type)) findings_.push_back(executable_finding(node));
    if (auto trick = find_name_trick(node.filename, node.detected_type)) {
      findings_.push_back(double_extension_finding(node, *trick));
    }
    const std::string& type = node.detected_type;
    bool container = is_archive_type(type) || is_office_type(type) || type == "onenote" ||
                     type == "tnef" || type == "eml" || type == "mht";
    if (container && depth >= limits_.archive_depth) {
      node.truncated = true;
      limit("archive_depth", limits_.archive_depth);
    } else if (in_time()) {
      analyse(bytes, node, depth);
    }
    if (options_.scan) {
      guarded(node, [&] { options_.scan(bytes, node, findings_); });
    }
  }

  void analyse(std::string_view bytes, core::Attachment& node, unsigned depth) {
    const std::string& type = node.detected_type;
    if (is_office_type(type)) {
      std::vector<office::Embedded> embedded;
      guarded(node, [&] { office::analyze(bytes, node, findings_, embedded, limits_); });
      inspect_embedded(embedded, node, depth);
    } else if (type == "lnk") {
      guarded(node, [&] { dropper::analyze_lnk(bytes, node, findings_, limits_); });
    } else if (type == "onenote") {
      std::vector<dropper::Embedded> embedded;
      guarded(node, [&] { dropper::analyze_onenote(bytes, node, findings_, embedded, limits_); });
      inspect_embedded(embedded, node, depth);
    } else if (type == "tnef") {
      std::vector<outlook::Embedded> embedded;
      guarded(node, [&] {
        if (auto files = outlook::tnef_extract(bytes, limits_)) embedded = std::move(*files);
      });
      inspect_embedded(embedded, node, depth);
    } else if (type == "eml" || type == "mht") {
      guarded(node, [&] { inspect_mail(bytes, node, depth); });
    } else if (is_archive_type(type)) {
      guarded(node, [&] { inspect_archive(bytes, node, depth); });
    }
    if (is_disk_image_type(type)) {
      std::size_t files = 0;
      for (const auto& child : node.children) files += child.encrypted ? 0 : 1;
      findings_.push_back(disk_image_finding(node, files));
    }
  }

  template <class Embedded>
  void inspect_embedded(std::vector<Embedded>& embedded, core::Attachment& node, unsigned depth) {
    for (std::size_t i = 0; i < embedded.size(); ++i) {
      if (!admit_object() || !admit_expanded(embedded[i].bytes.size()) || !in_time()) {
        node.truncated = true;
        return;
      }
      std::string name = embedded[i].name.empty() ? "embedded-" + std::to_string(i + 1)
                                                  : decode_member_name(embedded[i].name);
      core::Attachment child = child_of(node, std::move(name));
      inspect_object(embedded[i].bytes, child, depth + 1, false);
      node.children.push_back(std::move(child));
      // Each embedded object's bytes are freed once inspected.
      std::string().swap(embedded[i].bytes);
    }
  }

  void inspect_mail(std::string_view bytes, core::Attachment& node, unsigned depth) {
    mime::initialize();
    core::Message mail = mime::parse_message(bytes, node.path, limits_);
    if (!mail.envelope.subject.empty())
      node.properties.emplace_back("mail.subject", mail.envelope.subject);
    if (!mail.envelope.from.empty()) {
      node.properties.emplace_back("mail.from", mail.envelope.from.front().address);
    }
    for (const auto& part : mail.parts) {
      if (!part.is_attachment || part.is_multipart || part.content_type == "message/rfc822")
        continue;
      if (!admit_object() || !in_time()) {
        node.truncated = true;
        return;
      }
      core::Attachment child =
          child_of(node, part.filename.empty() ? "part-" + part.path : part.filename);
      child.declared_type = part.content_type;
      child.truncated = part.content_truncated;
      inspect_object(part.content, child, depth + 1, false);
      node.children.push_back(std::move(child));
    }
  }

  // Streams the current entry's data: digests and filler over all of it, at most `keep` bytes
  // held.
  MemberData read_member(ArchiveReader& reader, std::uint64_t keep, core::Attachment& child) {
    MemberData data;
    StreamDigest digest;
    for (unsigned chunk = 1;; ++chunk) {
      std::int64_t got = reader.read(chunk_buffer());
      if (got < 0) {
        data.encryption_error = reader.failed_on_encryption();
        data.error = reader.error();
        break;
      }
      if (got == 0) {
        data.complete = true;
        break;
      }
      std::string_view bytes(buffer_.data(), static_cast<std::size_t>(got));
      digest.update(bytes);
      if (data.kept.size() < keep) {
        data.kept.append(
            bytes.substr(0, std::min<std::uint64_t>(bytes.size(), keep - data.kept.size())));
      }
      if (!admit_expanded(bytes.size()) || (chunk % kClockEveryChunks == 0 && !in_time())) {
        data.stopped_by_limit = true;
        break;
      }
    }
    data.filler = digest.finish(child);
    if (!data.complete) {
      // Digests of a partial read would name an object that does not exist.
      child.sha256.clear();
      child.md5.clear();
    }
    return data;
  }

  core::Attachment unread_member(const core::Attachment& parent, const ArchiveEntry& entry) {
    core::Attachment child = child_of(parent, member_name(entry, parent));
    child.truncated = true;
    child.declared_size = entry.size_known ? entry.declared_size : 0;
    child.detected_type = extension_of(child.filename);
    child.properties.emplace_back("inspected", "name only: expansion budget spent");
    if (is_executable_extension(child.detected_type))
      findings_.push_back(executable_finding(child));
    if (auto trick = find_name_trick(child.filename, "")) {
      findings_.push_back(double_extension_finding(child, *trick));
    }
    return child;
  }

  // Members no candidate password opened: only their names can be checked.
  void check_locked_names(core::Attachment& node) {
    for (auto& child : node.children) {
      if (child.detected_type != kLocked) continue;
      if (auto trick = find_name_trick(child.filename, "")) {
        findings_.push_back(double_extension_finding(child, *trick));
      }
    }
  }

  // Reads and inspects the current entry into `child`; false when it needs a passphrase.
  bool inspect_member(ArchiveReader& reader, const ArchiveEntry& entry, std::string_view container,
                      core::Attachment& child, unsigned depth) {
    child.declared_size = entry.size_known ? entry.declared_size : 0;
    // The container's size bounds the member's compressed size when the format does not say.
    std::uint64_t compressed = child.compressed_size > 0
                                   ? child.compressed_size
                                   : std::max<std::uint64_t>(container.size(), 1);
    auto padded = [&](std::uint64_t size) {
      return size >= limits_.padding_bytes && size / compressed >= limits_.padding_ratio;
    };
    bool padded_by_header = entry.size_known && padded(entry.declared_size);
    std::uint64_t keep = padded_by_header || child.declared_size > limits_.member_bytes
                             ? limits_.head_bytes
                             : limits_.member_bytes;
    MemberData data = read_member(reader, keep, child);
    if (data.encryption_error) return false;
    if (!data.complete && !data.stopped_by_limit) {
      findings_.push_back(unreadable_archive_finding(child, data.error));
    }
    if (!data.complete) child.truncated = true;
    if (data.kept.size() < child.size) {
      child.truncated = true;
      data.kept.resize(std::min<std::uint64_t>(data.kept.size(), limits_.head_bytes));
      child.properties.emplace_back("inspected-head-bytes", std::to_string(data.kept.size()));
    }
    std::uint64_t size = std::max(child.size, child.declared_size);
    if (padded_by_header || padded(child.size)) {
      child.properties.emplace_back("padding.filler-bytes", std::to_string(data.filler.bytes));
      if (data.filler.value >= 0) {
        child.properties.emplace_back("padding.filler-byte", hex_byte(data.filler.value));
      }
      findings_.push_back(padded_finding(child, size, compressed));
    }
    inspect_object(data.kept, child, depth, true);
    return true;
  }

  // One pass over the archive. Without `passphrase` every member is inspected and locked ones
  // are recorded; with it only the members in `locked` are read, into their placeholders.
  WalkResult walk(std::string_view bytes, core::Attachment& node, unsigned depth,
                  std::optional<std::string_view> passphrase, const WalkResult* locked) {
    WalkResult result;
    ArchiveReader reader(bytes, node.detected_type, passphrase);
    if (!reader.opened()) {
      if (reader.failed_on_encryption()) {
        result.encrypted = true;
      } else if (locked == nullptr) {
        findings_.push_back(unreadable_archive_finding(node, reader.error()));
      }
      return result;
    }
    std::multimap<std::string, std::uint64_t> compressed_sizes;
    if (node.detected_type == "zip") {
      for (auto& entry : read_zip_directory(bytes, limits_.archive_entries)) {
        compressed_sizes.emplace(entry.raw_name, entry.compressed_size);
        if (!entry.unicode_name.empty()) {
          compressed_sizes.emplace(entry.unicode_name, entry.compressed_size);
        }
      }
    }
    ArchiveEntry entry;
    for (std::size_t ordinal = 0;; ++ordinal) {
      if (!in_time()) {
        node.truncated = true;
        break;
      }
      NextStatus status = reader.next(entry);
      if (status == NextStatus::end) break;
      if (status == NextStatus::failed) {
        if (reader.failed_on_encryption()) {
          result.encrypted = true;
        } else if (locked == nullptr) {
          findings_.push_back(unreadable_archive_finding(node, reader.error()));
        }
        node.truncated = true;
        break;
      }
      if (locked == nullptr && !admit_object()) {
        node.truncated = true;
        break;
      }
      if (!entry.regular_file) continue;
      if (tree_exhausted_) {
        // The budget is spent (a bomb beside it): the member is listed and judged by its name
        // only, so a dropper next to a bomb is still reported.
        node.truncated = true;
        if (locked == nullptr) node.children.push_back(unread_member(node, entry));
        continue;
      }
      std::size_t placeholder = node.children.size();
      if (locked != nullptr) {
        auto found = std::find_if(locked->locked.begin(), locked->locked.end(),
                                  [&](const auto& item) { return item.first == ordinal; });
        if (found == locked->locked.end()) continue;
        placeholder = found->second;
      }
      core::Attachment child = child_of(node, member_name(entry, node));
      if (auto size = compressed_sizes.find(entry.raw_name); size != compressed_sizes.end()) {
        child.compressed_size = size->second;
        compressed_sizes.erase(size);
      }
      bool readable = inspect_member(reader, entry, bytes, child, depth + 1);
      if (locked != nullptr) {
        if (!readable) continue;  // another passphrase protects this member
        child.encrypted = true;
        child.password_found = std::string(*passphrase);
        node.children[placeholder] = std::move(child);
        continue;
      }
      if (!readable) {
        child.encrypted = true;
        child.detected_type = kLocked;
        result.encrypted = true;
        result.locked.emplace_back(ordinal, node.children.size());
      }
      node.children.push_back(std::move(child));
    }
    return result;
  }

  std::string member_name(const ArchiveEntry& entry, const core::Attachment& node) {
    bool single_stream =
        node.detected_type == "gzip" || node.detected_type == "bzip2" || node.detected_type == "xz";
    if (single_stream && entry.raw_name == "data") {
      // libarchive's "raw" format names the one decompressed stream "data".
      std::string name = node.filename;
      auto dot = name.rfind('.');
      return dot == std::string::npos || dot == 0 ? name + ".data" : name.substr(0, dot);
    }
    return entry.raw_name.empty() ? "(no name)" : decode_member_name(entry.raw_name);
  }

  // True when `candidate` decrypts the first encrypted entry (up to head_bytes of it).
  bool opens(std::string_view bytes, std::string_view type, std::string_view candidate) {
    ArchiveReader reader(bytes, type, candidate);
    ArchiveEntry entry;
    for (std::uint64_t seen = 0; seen < limits_.archive_entries; ++seen) {
      if (reader.next(entry) != NextStatus::entry) return false;
      if (!entry.encrypted || !entry.regular_file) continue;
      std::uint64_t read = 0;
      while (read < limits_.head_bytes) {
        std::int64_t got = reader.read(chunk_buffer());
        if (got < 0) return false;
        if (got == 0) break;
        read += static_cast<std::uint64_t>(got);
        if (!admit_expanded(static_cast<std::uint64_t>(got))) return false;
      }
      return true;
    }
    return false;
  }

  void inspect_archive(std::string_view bytes, core::Attachment& node, unsigned depth) {
    WalkResult first = walk(bytes, node, depth, std::nullopt, nullptr);
    if (!first.encrypted) return;
    try_passwords(bytes, node, depth, first);
    check_locked_names(node);
  }

  void try_passwords(std::string_view bytes, core::Attachment& node, unsigned depth,
                     const WalkResult& first) {
    node.encrypted = true;
    findings_.push_back(encrypted_archive_finding(node));
    std::set<std::string_view> tried;
    for (const auto& candidate : options_.passwords) {
      if (tried.size() >= limits_.password_tries) {
        limit("password_tries", limits_.password_tries);
        break;
      }
      if (candidate.empty() || candidate.size() > kMaxPasswordBytes ||
          !tried.insert(candidate).second || !in_time()) {
        continue;
      }
      if (opens(bytes, node.detected_type, candidate)) {
        node.password_found = candidate;
        findings_.push_back(password_in_body_finding(node));
        walk(bytes, node, depth, candidate, &first);
        return;
      }
    }
  }
};

core::Attachment top_node(std::string part, std::string filename, std::string declared_type) {
  core::Attachment node;
  node.part = std::move(part);
  node.path = filename.empty() ? (node.part.empty() ? "(input)" : "part-" + node.part) : filename;
  node.filename = std::move(filename);
  node.declared_type = std::move(declared_type);
  return node;
}

}  // namespace

Result inspect_message(const core::Message& message, const Options& options) {
  Result result;
  Inspector inspector(options, result.findings);
  for (const auto& part : message.parts) {
    if (!part.is_attachment || part.is_multipart || part.content_type == "message/rfc822") continue;
    core::Attachment node = top_node(part.path, part.filename, part.content_type);
    // The parser's digest is of the whole decoded part, so only when none of it was cut.
    inspector.inspect_top(part.content, node, part.content_truncated ? "" : part.sha256);
    if (part.content_truncated) node.truncated = true;
    result.attachments.push_back(std::move(node));
  }
  return result;
}

Result inspect_bytes(std::string_view bytes, std::string_view filename, const Options& options) {
  Result result;
  Inspector inspector(options, result.findings);
  core::Attachment node = top_node("", std::string(filename), "");
  inspector.inspect_top(bytes, node, "");
  result.attachments.push_back(std::move(node));
  return result;
}

}  // namespace emotriage::inspect
