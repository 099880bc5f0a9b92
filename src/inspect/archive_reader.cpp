#include "inspect/archive_reader.hpp"

#include <locale.h>

#include <archive.h>
#include <archive_entry.h>

#include "core/text.hpp"

namespace emotriage::inspect {

namespace {

void enable_formats(::archive* reader, std::string_view type) {
  if (type == "zip") {
    archive_read_support_format_zip(reader);
  } else if (type == "7z") {
    archive_read_support_format_7zip(reader);
  } else if (type == "rar") {
    archive_read_support_format_rar(reader);
    archive_read_support_format_rar5(reader);
  } else if (type == "cab") {
    archive_read_support_format_cab(reader);
  } else if (type == "iso") {
    archive_read_support_format_iso9660(reader);
  } else if (type == "tar") {
    archive_read_support_format_tar(reader);
  } else if (type == "gzip" || type == "bzip2" || type == "xz") {
    // A compressed tar, or else one compressed file ("raw": its single entry is the data).
    archive_read_support_filter_gzip(reader);
    archive_read_support_filter_bzip2(reader);
    archive_read_support_filter_xz(reader);
    archive_read_support_format_tar(reader);
    archive_read_support_format_raw(reader);
  }
}

}  // namespace

ArchiveReader::ArchiveReader(std::string_view bytes, std::string_view type,
                             std::optional<std::string_view> passphrase)
    : archive_(archive_read_new(), &archive_read_free) {
  if (!archive_) return;
  enable_formats(archive_.get(), type);
  if (passphrase) archive_read_add_passphrase(archive_.get(), std::string(*passphrase).c_str());
  opened_ = archive_read_open_memory(archive_.get(), bytes.data(), bytes.size()) == ARCHIVE_OK;
}

ArchiveReader::~ArchiveReader() = default;

namespace {

// libarchive converts entry names to the calling thread's locale and drops a UTF-8 name it cannot
// convert, which in the C locale is every non-ASCII one (a Japanese name in a zip with the UTF-8
// flag). Reading headers under a UTF-8 locale, set for this thread only, keeps them; raw CP932
// names still pass through unchanged for the caller to decode.
class Utf8LocaleScope {
 public:
  Utf8LocaleScope() {
    static const locale_t utf8 = [] {
      locale_t made = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
      if (made == static_cast<locale_t>(0)) {
        made = newlocale(LC_CTYPE_MASK, "en_US.UTF-8", static_cast<locale_t>(0));
      }
      return made;
    }();
    if (utf8 != static_cast<locale_t>(0)) previous_ = uselocale(utf8);
  }
  ~Utf8LocaleScope() {
    if (previous_ != static_cast<locale_t>(0)) uselocale(previous_);
  }
  Utf8LocaleScope(const Utf8LocaleScope&) = delete;
  Utf8LocaleScope& operator=(const Utf8LocaleScope&) = delete;

 private:
  locale_t previous_ = static_cast<locale_t>(0);
};

}  // namespace

NextStatus ArchiveReader::next(ArchiveEntry& entry) {
  if (!opened_) return NextStatus::failed;
  ::archive_entry* header = nullptr;
  Utf8LocaleScope utf8_names;
  int status = archive_read_next_header(archive_.get(), &header);
  if (status == ARCHIVE_EOF) return NextStatus::end;
  // ARCHIVE_WARN: a name that could not be converted to the locale; the raw name is still there.
  if (status != ARCHIVE_OK && status != ARCHIVE_WARN) return NextStatus::failed;
  // The UTF-8 name first (zip's UTF-8 flag, 7z, Joliet): the plain pathname is converted to the
  // process locale and comes back NULL for non-ASCII names in the C locale. Without it, the raw
  // bytes (CP932 in Japanese zips) are decoded by the caller.
  const char* name = archive_entry_pathname_utf8(header);
  if (name == nullptr) name = archive_entry_pathname(header);
  entry.raw_name = name == nullptr ? "" : name;
  entry.regular_file = archive_entry_filetype(header) == AE_IFREG;
  entry.size_known = archive_entry_size_is_set(header) != 0;
  entry.declared_size =
      entry.size_known
          ? static_cast<std::uint64_t>(std::max<la_int64_t>(0, archive_entry_size(header)))
          : 0;
  entry.encrypted = archive_entry_is_encrypted(header) != 0;
  return NextStatus::entry;
}

std::int64_t ArchiveReader::read(std::span<char> buffer) {
  la_ssize_t got = archive_read_data(archive_.get(), buffer.data(), buffer.size());
  return got < 0 ? -1 : static_cast<std::int64_t>(got);
}

std::string ArchiveReader::error() const {
  const char* text = archive_ ? archive_error_string(archive_.get()) : nullptr;
  return text == nullptr ? std::string("unknown archive error") : std::string(text);
}

bool ArchiveReader::failed_on_encryption() const {
  std::string text = core::ascii_lower(error());
  return text.find("passphrase") != std::string::npos ||
         text.find("encrypt") != std::string::npos || text.find("password") != std::string::npos;
}

}  // namespace emotriage::inspect
