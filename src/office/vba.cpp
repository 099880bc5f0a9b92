#include "office/vba.hpp"

#include <unicode/ucnv.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "core/text.hpp"
#include "office/bytes.hpp"

namespace emotriage::office {
namespace {

void add_unique(std::vector<std::string>& list, std::string_view keyword) {
  if (std::find(list.begin(), list.end(), keyword) == list.end()) list.emplace_back(keyword);
}

// mraptor's keyword sets (oletools/mraptor.py), matched on whole identifiers, case-insensitively.
// `Call` is left out of the execute set: in VBA it is an ordinary statement ("Call Init"), so
// counting it would mark harmless Workbook_Open macros; mraptor added it for XLM, which the BIFF
// and macro-sheet scanners handle with function ids instead.
constexpr std::array kAutoExecWords = {"AutoExec",
                                       "AutoOpen",
                                       "Auto_Open",
                                       "AutoClose",
                                       "Auto_Close",
                                       "AutoExit",
                                       "Auto_Exit",
                                       "AutoNew",
                                       "Auto_New",
                                       "Document_Open",
                                       "DocumentOpen",
                                       "Document_Close",
                                       "Document_BeforeClose",
                                       "DocumentBeforeClose",
                                       "DocumentChange",
                                       "Document_New",
                                       "NewDocument",
                                       "Workbook_Open",
                                       "Workbook_Activate",
                                       "Workbook_Close",
                                       "Workbook_BeforeClose",
                                       "Worksheet_Calculate"};
// ActiveX and form events that fire without a click on "Enable": Object_Event names.
constexpr std::array kAutoExecEventSuffixes = {"Painted",
                                               "Painting",
                                               "GotFocus",
                                               "LostFocus",
                                               "MouseHover",
                                               "Layout",
                                               "Click",
                                               "Change",
                                               "Resize",
                                               "BeforeNavigate2",
                                               "BeforeScriptExecute",
                                               "DocumentComplete",
                                               "DownloadBegin",
                                               "DownloadComplete",
                                               "FileDownload",
                                               "NavigateComplete2",
                                               "NavigateError",
                                               "ProgressChange",
                                               "PropertyChange",
                                               "SetSecureLockIcon",
                                               "StatusTextChange",
                                               "TitleChange",
                                               "MouseMove",
                                               "MouseEnter",
                                               "MouseLeave",
                                               "OnConnecting"};
constexpr std::array kWriteWords = {"FileCopy",
                                    "CopyFile",
                                    "Kill",
                                    "CreateTextFile",
                                    "VirtualAlloc",
                                    "RtlMoveMemory",
                                    "URLDownloadToFile",
                                    "URLDownloadToFileA",
                                    "URLDownloadToFileW",
                                    "AltStartupPath",
                                    "WriteProcessMemory",
                                    "WriteText",
                                    "SaveToFile",
                                    "SaveAs",
                                    "SaveAsRTF",
                                    "FileSaveAs",
                                    "MkDir",
                                    "RmDir",
                                    "SaveSetting",
                                    "SetAttr"};
constexpr std::array kExecuteWords = {
    "Shell",         "CreateObject",       "GetObject",    "SendKeys",     "Run",
    "MacScript",     "FollowHyperlink",    "CreateThread", "ShellExecute", "ShellExecuteA",
    "ShellExecuteW", "ExecuteExcel4Macro", "Exec",         "Register",     "SetTimer",
    "CallByName",    "PowerShell"};
// Dotted ProgIDs: matched as text with identifier boundaries on both sides.
constexpr std::array<std::pair<std::string_view, bool>, 5> kProgIds = {{
    {"ADODB.Stream", false},
    {"Scripting.FileSystemObject", false},
    {"WScript.Shell", true},
    {"Shell.Application", true},
    {"MSXML2.XMLHTTP", true},
}};

bool is_ident(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::vector<std::string_view> identifiers(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < line.size()) {
    if (!is_ident(line[i])) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < line.size() && is_ident(line[i])) ++i;
    words.push_back(line.substr(start, i - start));
  }
  return words;
}

template <std::size_t N>
const char* match_word(std::string_view word, const std::array<const char*, N>& words) {
  for (const char* candidate : words) {
    if (core::iequals(word, candidate)) return candidate;
  }
  return nullptr;
}

void scan_line(std::string_view line, MacroIntent& intent) {
  const std::vector<std::string_view> words = identifiers(line);
  bool open_seen = false, declare_seen = false;
  for (std::size_t w = 0; w < words.size(); ++w) {
    const std::string_view word = words[w];
    if (const char* hit = match_word(word, kAutoExecWords)) add_unique(intent.autoexec, hit);
    const std::size_t underscore = word.rfind('_');
    if (underscore != std::string_view::npos && underscore > 0) {
      const std::string_view suffix = word.substr(underscore + 1);
      for (const char* event : kAutoExecEventSuffixes) {
        if (core::iequals(suffix, event)) add_unique(intent.autoexec, word);
      }
    }
    if (const char* hit = match_word(word, kWriteWords)) add_unique(intent.write, hit);
    if (const char* hit = match_word(word, kExecuteWords)) add_unique(intent.execute, hit);
    if (core::ascii_lower(word).find("xmlhttp") != std::string::npos) {
      add_unique(intent.execute, "XMLHTTP");
    }
    if (core::iequals(word, "Open")) open_seen = true;
    if (open_seen && w > 0) {
      for (const char* mode : {"Write", "Append", "Binary", "Output", "Random"}) {
        if (core::iequals(word, mode)) add_unique(intent.write, std::string("Open ... ") + mode);
      }
    }
    if (core::iequals(word, "Declare")) declare_seen = true;
    if (declare_seen && core::iequals(word, "Lib")) add_unique(intent.execute, "Declare ... Lib");
  }
  // File statements "Put #1, , data" and "Write #1, text".
  const std::string_view trimmed = core::trim(line);
  for (const char* statement : {"Put", "Write"}) {
    const std::size_t n = std::strlen(statement);
    if (trimmed.size() > n + 1 && core::istarts_with(trimmed, statement)) {
      const std::string_view rest = core::trim(trimmed.substr(n));
      if (!is_ident(trimmed[n]) && rest.starts_with('#')) {
        add_unique(intent.write, std::string(statement) + " #");
      }
    }
  }
  const std::string lower = core::ascii_lower(line);
  for (const auto& [prog_id, executes] : kProgIds) {
    const std::string needle = core::ascii_lower(prog_id);
    for (std::size_t at = lower.find(needle); at != std::string::npos;
         at = lower.find(needle, at + 1)) {
      const bool left_ok = at == 0 || !is_ident(lower[at - 1]);
      const std::size_t end = at + needle.size();
      const bool right_ok = end >= lower.size() || !is_ident(lower[end]);
      if (left_ok && right_ok) {
        add_unique(executes ? intent.execute : intent.write, prog_id);
        break;
      }
    }
  }
}

}  // namespace

std::optional<std::string> vba_decompress(std::string_view container, std::size_t max_bytes,
                                          bool* truncated) {
  if (truncated) *truncated = false;
  if (container.empty() || container[0] != '\x01') return std::nullopt;
  std::string out;
  std::size_t pos = 1;
  while (pos + 2 <= container.size()) {
    const std::uint16_t header = le16(container, pos);
    const std::size_t chunk_end = std::min(pos + (header & 0x0FFFu) + 3, container.size());
    pos += 2;
    const std::size_t chunk_start = out.size();
    if ((header & 0x8000u) == 0) {  // stored chunk: 4096 raw bytes
      const std::size_t n = std::min<std::size_t>(chunk_end - pos, max_bytes - out.size());
      out.append(container.substr(pos, n));
      if (out.size() >= max_bytes) {
        if (truncated) *truncated = true;
        return out;
      }
      pos = chunk_end;
      continue;
    }
    while (pos < chunk_end) {
      const auto flags = static_cast<unsigned char>(container[pos++]);
      for (int bit = 0; bit < 8 && pos < chunk_end; ++bit) {
        if ((flags & (1u << bit)) == 0) {
          out.push_back(container[pos++]);
        } else {
          if (pos + 2 > chunk_end) return out;
          const std::uint16_t token = le16(container, pos);
          pos += 2;
          const std::size_t difference = out.size() - chunk_start;
          unsigned bit_count = 4;
          while (bit_count < 12 && (std::size_t{1} << bit_count) < difference) ++bit_count;
          const std::size_t length = (token & (0xFFFFu >> bit_count)) + 3;
          const std::size_t offset = (token >> (16 - bit_count)) + 1;
          if (offset > difference) return out;  // points before the chunk: malformed
          for (std::size_t i = 0; i < length && out.size() < max_bytes; ++i) {
            out.push_back(out[out.size() - offset]);
          }
        }
        if (out.size() >= max_bytes) {
          if (truncated) *truncated = true;
          return out;
        }
      }
    }
    pos = chunk_end;
  }
  return out;
}

VbaDirectory parse_vba_dir(std::string_view dir, std::size_t max_modules) {
  VbaDirectory result;
  VbaModule current;
  std::size_t pos = 0;
  while (pos + 6 <= dir.size()) {
    const std::uint16_t id = le16(dir, pos);
    std::uint64_t size = le32(dir, pos + 2);
    pos += 6;
    // PROJECTVERSION: its "size" field is a fixed 4, but 6 bytes follow (MS-OVBA 2.3.4.2.1.11).
    if (id == 0x0009) size = 6;
    if (size > dir.size() - pos) {
      result.malformed = true;
      break;
    }
    const std::string_view data = dir.substr(pos, size);
    pos += size;
    switch (id) {
      case 0x0003:
        result.code_page = le16(data, 0);
        break;
      case 0x0004:
        result.project_name = decode_code_page(data, result.code_page);
        break;
      case 0x0019:  // MODULENAME starts a module record
        current = VbaModule{};
        current.name = decode_code_page(data, result.code_page);
        break;
      case 0x0047:
        current.name = decode_code_page(data, 1200);
        break;
      case 0x001A:
        current.stream_name = decode_code_page(data, result.code_page);
        break;
      case 0x0032:
        current.stream_name = decode_code_page(data, 1200);
        break;
      case 0x0031:
        current.text_offset = le32(data, 0);
        break;
      case 0x002B:  // module terminator
        if (result.modules.size() >= max_modules) return result;
        if (!current.stream_name.empty()) result.modules.push_back(std::move(current));
        current = VbaModule{};
        break;
      case 0x0010:
        return result;  // dir terminator
      default:
        break;
    }
  }
  return result;
}

void scan_macro_source(std::string_view source, MacroIntent& intent) {
  // Join " _" line continuations so "Open x _\n For Binary" is one statement, as mraptor does.
  std::string statement;
  std::size_t start = 0;
  while (start < source.size()) {
    std::size_t end = source.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = source.size();
    std::string_view line = source.substr(start, end - start);
    start = end + 1;
    if (start < source.size() && source[end] == '\r' && source[start] == '\n') ++start;
    const std::string_view trimmed_right = line.substr(0, line.find_last_not_of(" \t") + 1);
    if (trimmed_right.size() >= 2 && trimmed_right.ends_with(" _")) {
      statement.append(trimmed_right.substr(0, trimmed_right.size() - 1));
      continue;
    }
    statement.append(line);
    scan_line(statement, intent);
    statement.clear();
  }
  if (!statement.empty()) scan_line(statement, intent);
}

std::string decode_code_page(std::string_view bytes, std::uint32_t code_page) {
  if (bytes.empty()) return {};
  std::string name;
  switch (code_page) {
    case 932:
      name = "windows-31j";
      break;
    case 1200:
      name = "UTF-16LE";
      break;
    case 1201:
      name = "UTF-16BE";
      break;
    case 65001:
      name = "UTF-8";
      break;
    case 10000:
      name = "macintosh";
      break;
    case 20127:
      name = "US-ASCII";
      break;
    case 20932:
    case 51932:
      name = "EUC-JP";
      break;
    case 50220:
    case 50221:
    case 50222:
      name = "ISO-2022-JP";
      break;
    default:
      name = "windows-" + std::to_string(code_page);
      break;
  }
  UErrorCode status = U_ZERO_ERROR;
  UConverter* probe = ucnv_open(name.c_str(), &status);
  if (U_FAILURE(status)) name = "windows-1252";
  ucnv_close(probe);
  // UTF-8 needs at most 3 bytes per UTF-16 unit and every input byte yields at most one unit.
  std::string out(bytes.size() * 3 + 4, '\0');
  status = U_ZERO_ERROR;
  const int32_t length = ucnv_convert(
      "UTF-8", name.c_str(), out.data(), static_cast<int32_t>(out.size()), bytes.data(),
      static_cast<int32_t>(std::min<std::size_t>(bytes.size(), INT32_MAX / 4)), &status);
  if (U_FAILURE(status)) return {};
  out.resize(static_cast<std::size_t>(length));
  return out;
}

}  // namespace emotriage::office
