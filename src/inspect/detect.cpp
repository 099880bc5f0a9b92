// Content type by the project's own signature checks first (they must win: libmagic calls a
// docm "Microsoft Word 2007+" and an ISO with a boot record "DOS/MBR boot sector"), then
// libmagic, then, for plain text only, the name's extension.
#include <magic.h>

#include <array>
#include <cmath>
#include <cstring>
#include <memory>

#include "core/text.hpp"
#include "inspect/inspect.hpp"
#include "inspect/names.hpp"
#include "inspect/types.hpp"
#include "inspect/zip_directory.hpp"

namespace emotriage::inspect {

namespace {

using namespace std::string_view_literals;

// libmagic reads at most this much; every signature it needs for our types is near the start.
constexpr std::size_t kMagicBytes = 256u << 10;
// The zip end-of-central-directory record and its longest comment.
constexpr std::size_t kZipEndWindow = 22 + 65535;
// Text-format checks (scripts, html, mail headers) look at this head only.
constexpr std::size_t kTextHeadBytes = 64u << 10;
// Central directory entries looked at to tell OOXML from a plain zip.
constexpr std::size_t kOoxmlDirectoryEntries = 4096;

bool starts_with(std::string_view bytes, std::string_view prefix) {
  return bytes.substr(0, prefix.size()) == prefix;
}

bool at(std::string_view bytes, std::size_t offset, std::string_view signature) {
  return offset <= bytes.size() && bytes.substr(offset, signature.size()) == signature;
}

std::uint32_t read_le32(std::string_view bytes, std::size_t offset) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    value |= std::uint32_t(static_cast<unsigned char>(bytes[offset + i])) << (8 * i);
  }
  return value;
}

// One libmagic handle per thread: a magic_t is not thread-safe.
class MagicHandle {
 public:
  MagicHandle()
      // CDF, ELF and tar are recognised by our own checks before libmagic is asked.
      : cookie_(magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_CDF |
                           MAGIC_NO_CHECK_ELF | MAGIC_NO_CHECK_TAR | MAGIC_ERROR)) {
    if (cookie_ != nullptr && magic_load(cookie_, nullptr) != 0) {
      magic_close(cookie_);
      cookie_ = nullptr;
    }
  }
  ~MagicHandle() {
    if (cookie_ != nullptr) magic_close(cookie_);
  }
  MagicHandle(const MagicHandle&) = delete;
  MagicHandle& operator=(const MagicHandle&) = delete;

  std::string mime_type(std::string_view bytes) {
    if (cookie_ == nullptr) return {};
    const char* type = magic_buffer(cookie_, bytes.data(), std::min(bytes.size(), kMagicBytes));
    return type == nullptr ? std::string() : std::string(type);
  }

 private:
  magic_t cookie_;
};

std::string magic_mime_type(std::string_view bytes) {
  thread_local MagicHandle handle;
  return handle.mime_type(bytes);
}

bool has_member(const std::vector<ZipDirectoryEntry>& entries, std::string_view prefix) {
  for (const auto& entry : entries) {
    if (core::istarts_with(entry.raw_name, prefix)) return true;
  }
  return false;
}

// docx/docm/xlsx/xlsm/xlsb/pptx/pptm by the parts an OOXML package holds; "zip" otherwise.
std::string zip_type(std::string_view bytes, std::string_view extension) {
  auto entries = read_zip_directory(bytes, kOoxmlDirectoryEntries);
  if (!has_member(entries, "[Content_Types].xml")) return "zip";
  auto macro_name = [&](std::initializer_list<std::string_view> names) {
    for (auto name : names) {
      if (extension == name) return true;
    }
    return false;
  };
  if (has_member(entries, "word/")) {
    bool macros = has_member(entries, "word/vbaProject.bin") || macro_name({"docm", "dotm"});
    return macros ? "docm" : "docx";
  }
  if (has_member(entries, "xl/")) {
    if (has_member(entries, "xl/workbook.bin")) return "xlsb";
    bool macros = has_member(entries, "xl/vbaProject.bin") ||
                  has_member(entries, "xl/macrosheets/") || macro_name({"xlsm", "xltm", "xlam"});
    return macros ? "xlsm" : "xlsx";
  }
  if (has_member(entries, "ppt/")) {
    bool macros =
        has_member(entries, "ppt/vbaProject.bin") || macro_name({"pptm", "potm", "ppsm", "ppam"});
    return macros ? "pptm" : "pptx";
  }
  return "zip";
}

// A UTF-16LE directory entry name at a 128-byte boundary (where CFB directory entries sit).
bool has_cfb_entry(std::string_view bytes, std::u16string_view name) {
  std::string pattern;
  for (char16_t c : name) {
    pattern += static_cast<char>(c & 0xff);
    pattern += static_cast<char>(c >> 8);
  }
  pattern.append(2, '\0');
  for (std::size_t from = 0;;) {
    std::size_t found = core::find_bytes(bytes, pattern, from);
    if (found == std::string_view::npos) return false;
    if (found % 128 == 0) return true;
    from = found + 1;
  }
}

// doc/xls/ppt/msi/msg by the root entry CLSID and stream names; "ole" when none matches.
std::string cfb_type(std::string_view bytes) {
  if (bytes.size() >= 512) {
    std::uint32_t shift =
        static_cast<unsigned char>(bytes[0x1e]) | (static_cast<unsigned char>(bytes[0x1f]) << 8);
    if (shift == 9 || shift == 12) {
      std::uint64_t sector = 1ull << shift;
      std::uint64_t root = (std::uint64_t(read_le32(bytes, 0x30)) + 1) * sector;
      static constexpr std::string_view kMsiClsid =
          "\x84\x10\x0c\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46"sv;
      static constexpr std::string_view kMspClsid =
          "\x86\x10\x0c\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46"sv;
      if (root + 0x60 <= bytes.size() &&
          (at(bytes, root + 0x50, kMsiClsid) || at(bytes, root + 0x50, kMspClsid))) {
        return "msi";
      }
    }
  }
  // An Outlook message first: the documents attached to it carry their own stream names.
  if (has_cfb_entry(bytes, u"__properties_version1.0")) return "msg";
  if (has_cfb_entry(bytes, u"WordDocument")) return "doc";
  if (has_cfb_entry(bytes, u"Workbook") || has_cfb_entry(bytes, u"Book")) return "xls";
  if (has_cfb_entry(bytes, u"PowerPoint Document")) return "ppt";
  return "ole";
}

bool is_iso9660(std::string_view bytes) {
  for (std::size_t offset : {0x8001u, 0x8801u, 0x9001u}) {
    if (at(bytes, offset, "CD001")) return true;
  }
  return false;
}

bool is_udf(std::string_view bytes) {
  // Volume recognition sequence: 2,048-byte descriptors from 32 KiB on.
  for (std::size_t offset = 0x8001; offset < 0x8001 + 16 * 2048; offset += 2048) {
    if (at(bytes, offset, "BEA01") || at(bytes, offset, "NSR02") || at(bytes, offset, "NSR03")) {
      return true;
    }
  }
  return false;
}

bool is_pe(std::string_view bytes) {
  if (!starts_with(bytes, "MZ") || bytes.size() < 0x40) return false;
  std::uint32_t header = read_le32(bytes, 0x3c);
  return at(bytes, header, "PE\0\0"sv);
}

std::string_view skip_bom_and_space(std::string_view text) {
  if (starts_with(text, "\xef\xbb\xbf")) text.remove_prefix(3);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r' ||
                           text.front() == '\n')) {
    text.remove_prefix(1);
  }
  return text;
}

bool icontains(std::string_view haystack, std::string_view needle) {
  return core::ascii_lower(haystack).find(needle) != std::string::npos;
}

// RFC 822 headers at the start: "Name: value" lines including at least two well-known fields.
bool looks_like_mail(std::string_view head) {
  static constexpr std::array<std::string_view, 10> kFields = {
      "from",       "to",           "subject",     "date",         "received",
      "message-id", "mime-version", "return-path", "content-type", "delivered-to"};
  if (starts_with(head, "From "))
    head.remove_prefix(head.find('\n') == std::string_view::npos ? head.size()
                                                                 : head.find('\n') + 1);
  int known = 0;
  for (int line = 0; line < 40 && !head.empty(); ++line) {
    auto end = head.find('\n');
    std::string_view text = head.substr(0, end);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.empty()) return known >= 2;
    if (text.front() != ' ' && text.front() != '\t') {
      auto colon = text.find(':');
      if (colon == std::string_view::npos || colon == 0) return false;
      for (char c : text.substr(0, colon)) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
      }
      std::string field = core::ascii_lower(text.substr(0, colon));
      for (auto known_field : kFields) {
        if (field == known_field) ++known;
      }
    }
    if (end == std::string_view::npos) break;
    head.remove_prefix(end + 1);
  }
  return known >= 2;
}

// Text formats recognised by content: encoded scripts, HTA, WSF, MHT, mail, HTML.
std::string text_format(std::string_view bytes, std::string_view extension) {
  std::string_view head = skip_bom_and_space(bytes.substr(0, kTextHeadBytes));
  if (starts_with(head, "#@~^")) return extension == "jse" ? "jse" : "vbe";
  std::string lower = core::ascii_lower(head.substr(0, 4096));
  if (icontains(head, "<hta:application")) return "hta";
  if ((lower.starts_with("<job") || lower.starts_with("<package") ||
       (lower.starts_with("<?xml") && (lower.find("<job") != std::string::npos ||
                                       lower.find("<package") != std::string::npos))) &&
      lower.find("<script") != std::string::npos) {
    return "wsf";
  }
  if (looks_like_mail(head)) {
    // A saved web page, not an HTML mail with inline images (also multipart/related).
    bool saved_page = lower.find("snapshot-content-location") != std::string::npos ||
                      lower.find("<saved by ") != std::string::npos || extension == "mht" ||
                      extension == "mhtml";
    return saved_page && lower.find("multipart/related") != std::string::npos ? "mht" : "eml";
  }
  if (lower.starts_with("<!doctype html") || lower.starts_with("<html") ||
      lower.starts_with("<head") || lower.starts_with("<body") ||
      (lower.starts_with("<") && lower.find("<html") != std::string::npos)) {
    return "html";
  }
  return {};
}

// Own binary signatures, most specific first; empty when none matches.
std::string signature_type(std::string_view bytes, std::string_view extension) {
  if (starts_with(bytes, "PK\x03\x04") || starts_with(bytes, "PK\x05\x06") ||
      starts_with(bytes, "PK\x07\x08")) {
    return zip_type(bytes, extension);
  }
  if (starts_with(bytes, "7z\xbc\xaf\x27\x1c")) return "7z";
  if (starts_with(bytes, "Rar!\x1a\x07\x00"sv) || starts_with(bytes, "Rar!\x1a\x07\x01\x00"sv)) {
    return "rar";
  }
  if (starts_with(bytes, "\x1f\x8b")) return "gzip";
  if (starts_with(bytes, "BZh") && bytes.size() > 3 && bytes[3] >= '1' && bytes[3] <= '9') {
    return "bzip2";
  }
  if (starts_with(bytes,
                  "\xfd"
                  "7zXZ\x00"sv))
    return "xz";
  if (starts_with(bytes, "MSCF\0\0\0\0"sv)) return "cab";
  if (starts_with(bytes, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")) return cfb_type(bytes);
  if (starts_with(bytes, "L\0\0\0\x01\x14\x02\0\0\0\0\0\xc0\0\0\0\0\0\0\x46"sv)) return "lnk";
  if (starts_with(bytes, "\xe4\x52\x5c\x7b\x8c\xd8\xa7\x4d\xae\xb1\x53\x78\xd0\x29\x96\xd3")) {
    return "onenote";
  }
  if (starts_with(bytes, "\x78\x9f\x3e\x22")) return "tnef";  // winmail.dat, 0x223E9F78 LE
  if (starts_with(bytes, "vhdxfile")) return "vhdx";
  if (starts_with(bytes, "conectix") ||
      (bytes.size() >= 512 && at(bytes, bytes.size() - 512, "conectix"))) {
    return "vhd";
  }
  if (is_iso9660(bytes)) return "iso";
  if (is_udf(bytes)) return "udf";
  if (starts_with(bytes, "{\\rt")) return "rtf";
  if (core::find_bytes(bytes.substr(0, 1024 + 5), "%PDF-") != std::string_view::npos) {
    return "pdf";
  }
  if (is_pe(bytes)) return "pe";
  if (starts_with(bytes,
                  "\x7f"
                  "ELF"))
    return "elf";
  if (at(bytes, 257, "ustar")) return "tar";
  // A zip behind a prefix (junk put in front of it, a stub that is not a PE): its end record
  // lies in the last 64 KiB + 22 bytes, which is where libarchive reads it from.
  std::size_t tail = bytes.size() > kZipEndWindow ? bytes.size() - kZipEndWindow : 0;
  if (core::find_bytes(bytes.substr(tail), "PK\x05\x06") != std::string_view::npos) {
    return zip_type(bytes, extension);
  }
  return {};
}

// The common pictures by their own signatures: libmagic took a tenth of the analysis time, most
// of it on photos and screenshots, to say "image". Asked only of binary bytes: a picture
// signature in front of text (a GIF/JScript polyglot, a .bat whose first line cmd.exe skips)
// stays text and goes to the script checks.
bool is_picture(std::string_view bytes) {
  return starts_with(bytes, "\xff\xd8\xff") || starts_with(bytes, "\x89PNG\r\n\x1a\n") ||
         starts_with(bytes, "GIF87a") || starts_with(bytes, "GIF89a") ||
         (starts_with(bytes, "RIFF") && at(bytes, 8, "WEBP")) || starts_with(bytes, "II*\0"sv) ||
         starts_with(bytes, "MM\0*"sv) ||
         (at(bytes, 4, "ftyp") && (at(bytes, 8, "heic") || at(bytes, 8, "heix") ||
                                   at(bytes, 8, "mif1") || at(bytes, 8, "avif")));
}

// Random-looking bytes (compressed or encrypted data) with none of our signatures: libmagic
// spends about a millisecond on its rules to answer "application/octet-stream". An archive
// behind a prefix (a self-extractor, junk put in front of a zip) is still left to libmagic,
// which finds it inside the window it reads.
bool looks_random(std::string_view bytes) {
  std::string_view window = bytes.substr(0, kMagicBytes);
  for (std::string_view archive : {"PK\x03\x04"sv, "PK\x05\x06"sv, "Rar!\x1a\x07"sv,
                                   "7z\xbc\xaf\x27\x1c"sv, "MSCF\0\0\0\0"sv}) {
    if (core::find_bytes(window, archive) != std::string_view::npos) return false;
  }
  std::string_view head = bytes.substr(0, 4096);
  if (head.size() < 1024) return false;
  std::array<std::uint32_t, 256> counts{};
  for (char c : head) ++counts[static_cast<unsigned char>(c)];
  double entropy = 0;
  for (std::uint32_t count : counts) {
    if (count == 0) continue;
    double p = static_cast<double>(count) / static_cast<double>(head.size());
    entropy -= p * std::log2(p);
  }
  return entropy > 7.2;  // bits per byte; random data is near 8 - log2(e)*255/(2*size)
}

std::string from_magic(std::string_view mime) {
  struct Mapping {
    std::string_view mime, type;
  };
  static constexpr std::array<Mapping, 28> kMappings = {{
      {"application/zip", "zip"},
      {"application/x-7z-compressed", "7z"},
      {"application/x-rar", "rar"},
      {"application/vnd.rar", "rar"},
      {"application/gzip", "gzip"},
      {"application/x-bzip2", "bzip2"},
      {"application/x-xz", "xz"},
      {"application/x-tar", "tar"},
      {"application/vnd.ms-cab-compressed", "cab"},
      {"application/x-iso9660-image", "iso"},
      {"application/x-dosexec", "pe"},
      {"application/vnd.microsoft.portable-executable", "pe"},
      {"application/x-executable", "elf"},
      {"application/x-sharedlib", "elf"},
      {"application/x-pie-executable", "elf"},
      {"application/x-msi", "msi"},
      {"application/x-ole-storage", "ole"},
      {"application/CDFV2", "ole"},
      {"application/msword", "doc"},
      {"application/vnd.ms-excel", "xls"},
      {"application/vnd.ms-powerpoint", "ppt"},
      {"application/vnd.ms-outlook", "msg"},
      {"text/rtf", "rtf"},
      {"application/pdf", "pdf"},
      {"application/x-ms-shortcut", "lnk"},
      {"text/html", "html"},
      {"message/rfc822", "eml"},
      {"text/x-msdos-batch", "bat"},
  }};
  for (const auto& mapping : kMappings) {
    if (mime == mapping.mime) return std::string(mapping.type);
  }
  if (mime.starts_with("image/")) return "image";
  if (mime.starts_with("text/")) return "text";
  if (mime == "inode/x-empty") return "empty";
  if (mime == "application/x-raw-disk-image" || mime == "application/x-ima") return "img";
  return {};
}

// No NUL and few control characters in the head: text in any ASCII-compatible charset.
bool looks_textual(std::string_view bytes) {
  std::string_view head = bytes.substr(0, 4096);
  std::size_t control = 0;
  for (char c : head) {
    auto byte = static_cast<unsigned char>(c);
    if (byte == 0) return false;
    if (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r' && byte != 0x0c) ++control;
  }
  return control * 20 < head.size();
}

// Script types by extension, for content that is plain text.
std::string script_by_extension(std::string_view extension) {
  struct Mapping {
    std::string_view extension, type;
  };
  static constexpr std::array<Mapping, 11> kMappings = {{
      {"js", "js"},
      {"jse", "jse"},
      {"vbs", "vbs"},
      {"vbe", "vbe"},
      {"wsf", "wsf"},
      {"hta", "hta"},
      {"ps1", "ps1"},
      {"psm1", "ps1"},
      {"bat", "bat"},
      {"cmd", "bat"},
      {"wsh", "wsf"},
  }};
  for (const auto& mapping : kMappings) {
    if (extension == mapping.extension) return std::string(mapping.type);
  }
  return {};
}

// Script language of nameless text, from statements only scripts contain.
std::string script_by_content(std::string_view bytes) {
  std::string lower = core::ascii_lower(skip_bom_and_space(bytes.substr(0, kTextHeadBytes)));
  if (lower.starts_with("@echo off") || lower.starts_with("@echo on")) return "bat";
  if (lower.find("new activexobject(") != std::string::npos) return "js";
  if (lower.find("wscript.createobject(") != std::string::npos ||
      lower.find("createobject(\"wscript.shell\")") != std::string::npos) {
    return lower.find("var ") != std::string::npos ? "js" : "vbs";
  }
  if (lower.find("invoke-expression") != std::string::npos ||
      lower.find("-encodedcommand") != std::string::npos ||
      lower.find("[system.convert]::frombase64string") != std::string::npos) {
    return "ps1";
  }
  return {};
}

}  // namespace

bool is_archive_type(std::string_view type) {
  static constexpr std::array<std::string_view, 9> kTypes = {"zip", "7z",   "rar",   "cab", "iso",
                                                             "tar", "gzip", "bzip2", "xz"};
  return std::find(kTypes.begin(), kTypes.end(), type) != kTypes.end();
}

bool is_disk_image_type(std::string_view type) {
  static constexpr std::array<std::string_view, 5> kTypes = {"iso", "udf", "img", "vhd", "vhdx"};
  return std::find(kTypes.begin(), kTypes.end(), type) != kTypes.end();
}

bool is_office_type(std::string_view type) {
  static constexpr std::array<std::string_view, 13> kTypes = {
      "ole",  "doc",  "xls",  "ppt",  "docx", "docm", "xlsx",
      "xlsm", "xlsb", "pptx", "pptm", "rtf",  "pdf"};
  return std::find(kTypes.begin(), kTypes.end(), type) != kTypes.end();
}

std::string detect_type(std::string_view bytes, std::string_view name) {
  if (bytes.empty()) return "empty";
  std::string extension = extension_of(name);
  if (std::string type = signature_type(bytes, extension); !type.empty()) return type;
  if (std::string type = text_format(bytes, extension); !type.empty()) return type;
  // libmagic spends milliseconds of regular expressions on text and tells nothing the checks
  // above did not: text goes straight to the script checks.
  std::string type;
  if (looks_textual(bytes)) {
    type = "text";
  } else if (is_picture(bytes)) {
    type = "image";
  } else if (!looks_random(bytes)) {
    type = from_magic(magic_mime_type(bytes));
  }
  if (type == "text") {
    if (std::string script = script_by_extension(extension); !script.empty()) return script;
    if (std::string script = script_by_content(bytes); !script.empty()) return script;
    return "text";
  }
  return type.empty() ? "unknown" : type;
}

}  // namespace emotriage::inspect
