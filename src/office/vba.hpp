// VBA projects (MS-OVBA): the compression format, the `dir` stream, and mraptor-style intent.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace emotriage::office {

// MS-OVBA 2.4.1 decompression of a CompressedContainer. Returns nullopt when the signature byte
// is missing; stops at the first malformed chunk (what was decoded so far is returned) and at
// `max_bytes` of output (`*truncated` set).
std::optional<std::string> vba_decompress(std::string_view container, std::size_t max_bytes,
                                          bool* truncated = nullptr);

struct VbaModule {
  std::string name;               // MODULENAME (decoded with the project code page)
  std::string stream_name;        // MODULESTREAMNAME, as in the CFB (Unicode form when present)
  std::uint32_t text_offset = 0;  // MODULEOFFSET: where the compressed source starts
};

struct VbaDirectory {
  std::uint16_t code_page = 1252;  // PROJECTCODEPAGE
  std::string project_name;
  std::vector<VbaModule> modules;
  bool malformed = false;  // a record ran past the end; the modules read so far are kept
};

// Parses a decompressed `dir` stream (MS-OVBA 2.3.4.2). At most `max_modules` modules.
VbaDirectory parse_vba_dir(std::string_view dir, std::size_t max_modules);

// What mraptor looks for, with the keywords that matched (in first-seen order, no repeats).
struct MacroIntent {
  std::vector<std::string> autoexec;  // AutoOpen, Document_Open, CommandButton1_Click ...
  std::vector<std::string> write;     // Kill, SaveToFile, Open ... For Binary ...
  std::vector<std::string> execute;   // Shell, CreateObject, Declare ... Lib ...
  bool suspicious() const { return !autoexec.empty() && (!write.empty() || !execute.empty()); }
};

// Scans VBA source (any ASCII-compatible encoding) and adds to `intent`.
void scan_macro_source(std::string_view source, MacroIntent& intent);

// Converts text in a Windows code page (932 = Shift_JIS/CP932, 1252 ...) to UTF-8 with ICU;
// unknown code pages are read as Windows-1252. Invalid bytes become U+FFFD.
std::string decode_code_page(std::string_view bytes, std::uint32_t code_page);

}  // namespace emotriage::office
