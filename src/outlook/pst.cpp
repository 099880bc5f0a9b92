// PST/OST mailboxes (MS-PST) through libpff: every folder is walked, every mail item is exposed
// as a PropertySource and rebuilt as MIME by the builder the .msg reader uses. libpff reports a
// damaged file through its error values; each becomes a parse.malformed finding on the message,
// folder or file it concerns, and the walk goes on.
#include <libpff.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "outlook/detail.hpp"
#include "outlook/outlook.hpp"
#include "outlook/properties.hpp"

namespace emotriage::outlook {
namespace {

using namespace detail;

constexpr std::uint16_t kAttachData = 0x3701;
constexpr std::uint16_t kSubject = 0x0037;

// A PST may hold PR_SUBJECT as U+0001, one character (the length of a "RE: " prefix), then the
// subject; PST readers (java-libpst, libpst) drop those two characters, and so does this one.
std::string without_subject_marker(std::string value, std::uint16_t type) {
  const std::size_t unit = type == kPtUnicode ? 2 : 1;
  const bool marked =
      value.size() >= 2 * unit && value[0] == '\x01' && (unit == 1 || value[1] == '\0');
  if (marked) value.erase(0, 2 * unit);
  return value;
}

// A real mailbox holds a few hundred folders and some 100,000 messages; a damaged or hostile
// file may claim millions, or nest folders without end.
constexpr std::size_t kMaxFolders = 100'000;
constexpr std::size_t kMaxMessages = 2'000'000;
constexpr std::size_t kMaxFolderDepth = 64;
// Recipients and attachments libpff reports for one message: the builder uses at most 1000
// recipients and Limits::part_count parts; the rest is not even asked for.
constexpr int kMaxListed = 10'000;

// A libpff error value, freed on scope exit; text() is its message.
class PffError {
 public:
  PffError() = default;
  PffError(const PffError&) = delete;
  PffError& operator=(const PffError&) = delete;
  ~PffError() { libpff_error_free(&error_); }
  libpff_error_t** out() { return &error_; }
  std::string text() const {
    if (error_ == nullptr) return "libpff failed without a reason";
    char buffer[512] = {};
    libpff_error_sprint(error_, buffer, sizeof buffer);
    return std::string(buffer);
  }

 private:
  libpff_error_t* error_ = nullptr;
};

struct ItemDeleter {
  void operator()(libpff_item_t* item) const { libpff_item_free(&item, nullptr); }
};
using Item = std::unique_ptr<libpff_item_t, ItemDeleter>;
using SharedItem = std::shared_ptr<libpff_item_t>;

struct RecordSetDeleter {
  void operator()(libpff_record_set_t* set) const { libpff_record_set_free(&set, nullptr); }
};
using RecordSet = std::unique_ptr<libpff_record_set_t, RecordSetDeleter>;

struct EntryDeleter {
  void operator()(libpff_record_entry_t* entry) const { libpff_record_entry_free(&entry, nullptr); }
};
using Entry = std::unique_ptr<libpff_record_entry_t, EntryDeleter>;

SharedItem share(libpff_item_t* item) {
  return SharedItem(item, ItemDeleter());
}

// Reads at most `max_bytes` through a libpff read function (record entry or attachment data).
template <typename Read>
std::string read_bounded(std::uint64_t size, std::uint64_t max_bytes, bool* complete, Read read) {
  std::string out(static_cast<std::size_t>(std::min(size, max_bytes)), '\0');
  std::size_t got = 0;
  while (got < out.size()) {
    const ssize_t n = read(reinterpret_cast<std::uint8_t*>(out.data()) + got, out.size() - got);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);
  if (complete != nullptr) *complete = got == size;
  return out;
}

// The properties of one libpff record set: a message, a recipient, an attachment.
class RecordSource : public PropertySource {
 public:
  // `owner` keeps the item the record set belongs to alive; `item` is the message or attachment
  // item itself (null for a recipient).
  RecordSource(SharedItem owner, RecordSet set, libpff_item_t* item, bool is_message)
      : owner_(std::move(owner)), set_(std::move(set)), item_(item) {
    if (!is_message || item_ == nullptr) return;
    libpff_item_t* recipients = nullptr;
    if (libpff_message_get_recipients(item_, &recipients, nullptr) == 1 && recipients != nullptr) {
      recipients_ = share(recipients);
      int count = 0;
      if (libpff_item_get_number_of_record_sets(recipients, &count, nullptr) == 1) {
        recipient_count_ = static_cast<std::size_t>(std::clamp(count, 0, kMaxListed));
      }
    }
    int count = 0;
    if (libpff_message_get_number_of_attachments(item_, &count, nullptr) == 1) {
      attachment_count_ = static_cast<std::size_t>(std::clamp(count, 0, kMaxListed));
    }
  }

  std::optional<std::uint64_t> fixed(std::uint16_t id) const override {
    for (const std::uint16_t type : {kPtLong, kPtSystime, kPtShort, kPtBoolean}) {
      bool complete = false;
      const auto bytes = entry_bytes(id, type, 8, &complete);
      if (!bytes || !complete || bytes->empty()) continue;
      std::uint64_t value = 0;
      for (std::size_t i = bytes->size(); i-- > 0;) {
        value = (value << 8) | static_cast<unsigned char>((*bytes)[i]);
      }
      return value;
    }
    return std::nullopt;
  }

  std::optional<std::string> raw(std::uint16_t id, std::uint16_t type, std::uint64_t max_bytes,
                                 bool* complete = nullptr) const override {
    return entry_bytes(id, type, max_bytes, complete);
  }

  std::size_t recipient_count() const override { return recipient_count_; }
  std::unique_ptr<PropertySource> recipient(std::size_t index) const override {
    libpff_record_set_t* set = nullptr;
    if (libpff_item_get_record_set_by_index(recipients_.get(), static_cast<int>(index), &set,
                                            nullptr) != 1) {
      return nullptr;
    }
    return std::make_unique<RecordSource>(recipients_, RecordSet(set), nullptr, false);
  }

  std::size_t attachment_count() const override { return attachment_count_; }
  std::unique_ptr<PropertySource> attachment(std::size_t index) const override;

  std::unique_ptr<PropertySource> embedded_message() const override { return nullptr; }

 protected:
  std::optional<std::string> entry_bytes(std::uint16_t id, std::uint16_t type,
                                         std::uint64_t max_bytes, bool* complete) const {
    libpff_record_entry_t* found = nullptr;
    if (libpff_record_set_get_entry_by_type(set_.get(), id, type, &found,
                                            LIBPFF_ENTRY_VALUE_FLAG_IGNORE_NAME_TO_ID_MAP,
                                            nullptr) != 1 ||
        found == nullptr) {
      return std::nullopt;
    }
    const Entry entry(found);
    std::size_t size = 0;
    if (libpff_record_entry_get_data_size(entry.get(), &size, nullptr) != 1) return std::nullopt;
    std::string value =
        read_bounded(size, max_bytes, complete, [&](std::uint8_t* buffer, std::size_t length) {
          return libpff_record_entry_read_buffer(entry.get(), buffer, length, nullptr);
        });
    return id == kSubject ? without_subject_marker(std::move(value), type) : value;
  }

  SharedItem owner_;
  RecordSet set_;
  libpff_item_t* item_;
  SharedItem recipients_;
  std::size_t recipient_count_ = 0, attachment_count_ = 0;
};

// An attachment item: its bytes come through libpff's attachment data stream, an embedded
// message ('i' attachments) is an item of its own.
class AttachmentSource final : public RecordSource {
 public:
  AttachmentSource(SharedItem attachment, RecordSet set)
      : RecordSource(attachment, std::move(set), attachment.get(), false) {}

  std::optional<std::string> raw(std::uint16_t id, std::uint16_t type, std::uint64_t max_bytes,
                                 bool* complete = nullptr) const override {
    if (id != kAttachData || type != kPtBinary) {
      return entry_bytes(id, type, max_bytes, complete);
    }
    int kind = 0;
    size64_t size = 0;
    if (libpff_attachment_get_type(item_, &kind, nullptr) != 1 ||
        kind != LIBPFF_ATTACHMENT_TYPE_DATA ||
        libpff_attachment_get_data_size(item_, &size, nullptr) != 1 ||
        libpff_attachment_data_seek_offset(item_, 0, SEEK_SET, nullptr) < 0) {
      return std::nullopt;
    }
    return read_bounded(size, max_bytes, complete, [&](std::uint8_t* buffer, std::size_t length) {
      return libpff_attachment_data_read_buffer(item_, buffer, length, nullptr);
    });
  }

  std::unique_ptr<PropertySource> embedded_message() const override;
};

// The message properties of an item (its first record set), or null.
std::unique_ptr<PropertySource> message_source(SharedItem item) {
  libpff_record_set_t* set = nullptr;
  if (libpff_item_get_record_set_by_index(item.get(), 0, &set, nullptr) != 1) return nullptr;
  libpff_item_t* raw_item = item.get();
  return std::make_unique<RecordSource>(std::move(item), RecordSet(set), raw_item, true);
}

std::unique_ptr<PropertySource> RecordSource::attachment(std::size_t index) const {
  libpff_item_t* attachment = nullptr;
  if (libpff_message_get_attachment(item_, static_cast<int>(index), &attachment, nullptr) != 1) {
    return nullptr;
  }
  SharedItem shared = share(attachment);
  libpff_record_set_t* set = nullptr;
  if (libpff_item_get_record_set_by_index(attachment, 0, &set, nullptr) != 1) return nullptr;
  return std::make_unique<AttachmentSource>(std::move(shared), RecordSet(set));
}

std::unique_ptr<PropertySource> AttachmentSource::embedded_message() const {
  int kind = 0;
  if (libpff_attachment_get_type(item_, &kind, nullptr) != 1 ||
      kind != LIBPFF_ATTACHMENT_TYPE_ITEM) {
    return nullptr;
  }
  libpff_item_t* embedded = nullptr;
  if (libpff_attachment_get_item(item_, &embedded, nullptr) != 1 || embedded == nullptr) {
    return nullptr;
  }
  return message_source(share(embedded));
}

// Item types that are not mail: address book, calendar, tasks, notes, journal, settings.
bool is_mail_type(std::uint8_t type) {
  switch (type) {
    case LIBPFF_ITEM_TYPE_ACTIVITY:
    case LIBPFF_ITEM_TYPE_APPOINTMENT:
    case LIBPFF_ITEM_TYPE_CONFIGURATION:
    case LIBPFF_ITEM_TYPE_CONTACT:
    case LIBPFF_ITEM_TYPE_DISTRIBUTION_LIST:
    case LIBPFF_ITEM_TYPE_NOTE:
    case LIBPFF_ITEM_TYPE_TASK:
    case LIBPFF_ITEM_TYPE_FOLDER:
      return false;
    default:
      return true;
  }
}

core::Finding pff_malformed(std::string_view what_ja, std::string_view what_en,
                            const std::string& reason) {
  return core::malformed_finding(std::string(what_ja), std::string(what_en), reason);
}

// A folder name as one locator step: '/', '#', '%' and control characters percent-encoded so the
// path splits back unambiguously; an unnamed folder is "_".
std::string locator_step(std::string_view name) {
  if (name.empty()) return "_";
  std::string out;
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '/' || c == '#' || c == '%' || byte < 0x20 || byte == 0x7F) {
      constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    } else {
      out += c;
    }
  }
  return out;
}

std::string folder_name(libpff_item_t* folder) {
  std::size_t size = 0;
  if (libpff_folder_get_utf8_name_size(folder, &size, nullptr) != 1 || size == 0) return {};
  constexpr std::size_t kMaxName = 1024;
  std::string name(std::min(size, kMaxName), '\0');
  if (libpff_folder_get_utf8_name(folder, reinterpret_cast<std::uint8_t*>(name.data()), name.size(),
                                  nullptr) != 1) {
    return {};
  }
  if (const auto nul = name.find('\0'); nul != std::string::npos) name.resize(nul);
  return name;
}

class Walker {
 public:
  Walker(const core::Limits& limits, const PstSink& sink) : limits_(limits), sink_(sink) {}

  void walk(libpff_file_t* file) {
    PffError error;
    libpff_item_t* root = nullptr;
    if (libpff_file_get_root_folder(file, &root, error.out()) != 1 || root == nullptr) {
      fail("", "PST/OST ファイルのフォルダー構造を読めませんでした",
           "the folder tree of the PST/OST file could not be read", error.text());
      return;
    }
    walk_folder(Item(root), "", 0);
    if (libpff_file_is_corrupted(file, nullptr) == 1) {
      fail("", "PST/OST ファイルに壊れた部分があります。読めたメールだけを解析しました",
           "the PST/OST file is damaged; only the messages that could be read were analysed",
           "libpff marks the file as corrupted");
    }
    if (folders_cut_) emit({"", "", {core::limit_finding("pst_folders", kMaxFolders)}, false, 0});
    if (messages_cut_)
      emit({"", "", {core::limit_finding("pst_messages", kMaxMessages)}, false, 0});
  }

 private:
  void fail(std::string location, std::string_view ja, std::string_view en,
            const std::string& reason) {
    emit({std::move(location), "", {pff_malformed(ja, en, reason)}, false, 0});
  }

  void emit(PstItem&& item) {
    item.walked = messages_;
    sink_(std::move(item));
  }

  void walk_folder(Item folder, const std::string& path, std::size_t depth) {
    if (++folders_ > kMaxFolders || depth > kMaxFolderDepth) {
      folders_cut_ = true;
      return;
    }
    const std::string prefix = path.empty() ? path : path + "/";
    int messages = 0;
    PffError error;
    if (libpff_folder_get_number_of_sub_messages(folder.get(), &messages, error.out()) != 1) {
      fail(path, "PST/OST のフォルダーのメール一覧を読めませんでした",
           "the message list of a PST/OST folder could not be read", error.text());
    }
    bool passed_over = false;
    for (int index = 0; index < messages; ++index) {
      if (messages_ >= kMaxMessages) {
        messages_cut_ = true;
        break;
      }
      ++messages_;
      passed_over |= !message(folder.get(), index, prefix + std::to_string(index + 1));
    }
    // Contacts, appointments and tasks fill whole folders: one note per folder, not per item.
    if (passed_over) emit({path, "", {}, true, 0});
    int subfolders = 0;
    PffError sub_error;
    if (libpff_folder_get_number_of_sub_folders(folder.get(), &subfolders, sub_error.out()) != 1) {
      fail(path, "PST/OST のサブフォルダー一覧を読めませんでした",
           "the subfolder list of a PST/OST folder could not be read", sub_error.text());
      return;
    }
    for (int index = 0; index < subfolders && !folders_cut_; ++index) {
      libpff_item_t* sub = nullptr;
      PffError item_error;
      if (libpff_folder_get_sub_folder(folder.get(), index, &sub, item_error.out()) != 1 ||
          sub == nullptr) {
        fail(prefix + "folder=" + std::to_string(index + 1),
             "PST/OST のサブフォルダーを読めませんでした",
             "a subfolder of the PST/OST file could not be read", item_error.text());
        continue;
      }
      // The root folder has no name; its children start the path.
      const std::string name = locator_step(folder_name(sub));
      walk_folder(Item(sub), prefix + name, depth + 1);
    }
  }

  // False when the item is not mail and was passed over.
  bool message(libpff_item_t* folder, int index, std::string location) {
    libpff_item_t* raw_item = nullptr;
    PffError error;
    if (libpff_folder_get_sub_message(folder, index, &raw_item, error.out()) != 1 ||
        raw_item == nullptr) {
      fail(std::move(location), "PST/OST のメールを読めませんでした",
           "a message of the PST/OST file could not be read", error.text());
      return true;
    }
    SharedItem item = share(raw_item);
    std::uint8_t type = LIBPFF_ITEM_TYPE_UNDEFINED;
    libpff_item_get_type(raw_item, &type, nullptr);
    if (!is_mail_type(type)) return false;
    const auto source = message_source(std::move(item));
    if (!source) {
      fail(std::move(location), "PST/OST のメールのプロパティを読めませんでした",
           "the properties of a PST/OST message could not be read", "no record set");
      return true;
    }
    PstItem out{std::move(location), "", {}, false, 0};
    out.mime = build_mime(*source, limits_, &out.findings);
    emit(std::move(out));
    return true;
  }

  const core::Limits& limits_;
  const PstSink& sink_;
  std::size_t folders_ = 0, messages_ = 0;
  bool folders_cut_ = false, messages_cut_ = false;
};

struct FileDeleter {
  void operator()(libpff_file_t* file) const {
    libpff_file_close(file, nullptr);
    libpff_file_free(&file, nullptr);
  }
};
using File = std::unique_ptr<libpff_file_t, FileDeleter>;

// Opens `path` read-only; null when libpff cannot, with why in `failure` when given.
File open_pst(const std::string& path, core::Finding* failure) {
  libpff_file_t* raw_file = nullptr;
  PffError error;
  if (libpff_file_initialize(&raw_file, error.out()) != 1) {
    if (failure != nullptr) {
      *failure = pff_malformed("PST/OST の読み取りを開始できませんでした",
                               "the PST/OST reader could not start", error.text());
    }
    return nullptr;
  }
  PffError open_error;
  if (libpff_file_open(raw_file, path.c_str(), LIBPFF_OPEN_READ, open_error.out()) != 1) {
    libpff_file_free(&raw_file, nullptr);
    if (failure != nullptr) {
      *failure =
          pff_malformed("PST/OST ファイルとして開けませんでした",
                        "the file could not be opened as a PST/OST mailbox", open_error.text());
    }
    return nullptr;
  }
  return File(raw_file);
}

// Items below `folder` as Walker::walk_folder visits them: the same caps, counts only.
struct ItemCounter {
  std::size_t folders = 0;
  std::uint64_t items = 0;
  bool cut = false;  // the walk stops at the first folder over a cap

  void count(libpff_item_t* folder, std::size_t depth) {
    if (++folders > kMaxFolders || depth > kMaxFolderDepth) {
      cut = true;
      return;
    }
    int messages = 0;
    if (libpff_folder_get_number_of_sub_messages(folder, &messages, nullptr) == 1) {
      items = std::min<std::uint64_t>(items + static_cast<std::uint64_t>(std::max(messages, 0)),
                                      kMaxMessages);
    }
    int subfolders = 0;
    if (libpff_folder_get_number_of_sub_folders(folder, &subfolders, nullptr) != 1) return;
    for (int index = 0; index < subfolders && !cut; ++index) {
      libpff_item_t* sub = nullptr;
      if (libpff_folder_get_sub_folder(folder, index, &sub, nullptr) != 1 || sub == nullptr) {
        continue;
      }
      count(Item(sub).get(), depth + 1);
    }
  }
};

}  // namespace

bool is_pst(std::string_view head) {
  return head.starts_with("!BDN");
}

void read_pst_file(const std::string& path, const core::Limits& limits, const PstSink& sink) {
  core::Finding failure;
  const File file = open_pst(path, &failure);
  if (!file) {
    sink({"", "", {std::move(failure)}, false, 0});
    return;
  }
  Walker(limits, sink).walk(file.get());
}

std::optional<std::uint64_t> pst_item_count(const std::string& path) {
  const File file = open_pst(path, nullptr);
  libpff_item_t* root = nullptr;
  if (!file || libpff_file_get_root_folder(file.get(), &root, nullptr) != 1 || root == nullptr) {
    return std::nullopt;
  }
  ItemCounter counter;
  counter.count(Item(root).get(), 0);
  return counter.items;
}

void read_pst_memory(std::string_view bytes, const core::Limits& limits, const PstSink& sink) {
  // Not a libbfio memory range: Debian's libbfio (20201125) copies past the end of the range when
  // libpff asks for more than is left (fuzz_pst, a 4-byte "!BDN"). An anonymous in-memory file
  // gives libpff ordinary reads that stop at its end.
  const int descriptor = memfd_create("emotriage-pst", MFD_CLOEXEC);
  bool written = descriptor >= 0;
  for (std::size_t done = 0; written && done < bytes.size();) {
    const ssize_t wrote = write(descriptor, bytes.data() + done, bytes.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    written = wrote > 0;
    if (written) done += static_cast<std::size_t>(wrote);
  }
  if (!written) {
    const std::string reason = std::strerror(errno);
    if (descriptor >= 0) close(descriptor);
    sink({"",
          "",
          {pff_malformed("PST/OST をメモリ上に用意できませんでした",
                         "the PST/OST data could not be prepared in memory", reason)},
          false,
          0});
    return;
  }
  read_pst_file("/proc/self/fd/" + std::to_string(descriptor), limits, sink);
  close(descriptor);
}

}  // namespace emotriage::outlook
