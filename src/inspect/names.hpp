// File names of attachments and archive members: decoding stored names, extensions, and the
// tricks that hide an executable behind a document name.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace emotriage::inspect {

// A member name as UTF-8: kept when it already is valid UTF-8, else read as CP932 (Japanese
// Windows zips without the UTF-8 flag), else repaired with U+FFFD.
std::string decode_member_name(std::string_view raw);

// Lower-case last extension of a name ("請求書.PDF" → "pdf"), empty if none. Trailing dots and
// spaces are ignored, as Windows ignores them.
std::string extension_of(std::string_view name);

// Object types that run code when opened on Windows (PE, MSI, scripts, HTA).
bool is_executable_type(std::string_view detected_type);
// Extensions Windows runs or interprets when the file is opened.
bool is_executable_extension(std::string_view extension);

struct NameTrick {
  std::string reason_ja;
  std::string reason_en;
};

// Why the name disguises the object, if it does: bidi overrides (U+202E), a document extension
// followed by an executable one ("請求書.pdf.exe", "invoice.doc      .js"), or a document name
// on executable content.
std::optional<NameTrick> find_name_trick(std::string_view name, std::string_view detected_type);

}  // namespace emotriage::inspect
