// OOXML packages (docx ... xlsb) read with libarchive from memory: VBA projects, Excel 4.0 macro
// sheets and Auto_Open names, external relationships, embedded objects, lure text.
#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "core/text.hpp"
#include "office/analysis.hpp"
#include "office/cfb.hpp"

namespace emotriage::office::detail {
namespace {

// Real packages have at most a few thousand parts; a forged central directory may claim millions.
constexpr std::size_t kMaxZipEntries = 20000;

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};

bool is_ident(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.';
}

// Calls of XLM functions written as formula text: "=EXEC(...)", "CALL(" ...
void scan_macrosheet_xml(std::string_view xml, Context& context) {
  struct Function {
    const char* name;
    bool executes;
  };
  static constexpr Function kFunctions[] = {
      {"EXEC(", true},         {"CALL(", true},          {"REGISTER(", true}, {"RUN(", true},
      {"FORMULA(", false},     {"FORMULA.FILL(", false}, {"FOPEN(", false},   {"FWRITE(", false},
      {"FILE.DELETE(", false}, {"ON.TIME(", false}};
  const std::string lower = core::ascii_lower(xml);
  for (const Function& function : kFunctions) {
    const std::string needle = core::ascii_lower(function.name);
    for (std::size_t at = lower.find(needle); at != std::string::npos;
         at = lower.find(needle, at + 1)) {
      if (at > 0 && is_ident(lower[at - 1])) continue;
      const std::string name(function.name, std::strlen(function.name) - 1);
      add_unique(context.xlm_facts, name);
      add_unique(context.node.keywords, name);
      if (function.executes) context.xlm_execute = true;
      break;
    }
  }
  std::size_t char_calls = 0;
  for (std::size_t at = lower.find("char("); at != std::string::npos && char_calls < 100000;
       at = lower.find("char(", at + 1)) {
    if (at == 0 || !is_ident(lower[at - 1])) ++char_calls;
  }
  if (char_calls >= 10) {
    add_unique(context.xlm_facts,
               "strings built with CHAR() (" + std::to_string(char_calls) + " calls)");
  }
}

// Strings that XLM droppers pass to CALL/REGISTER, in ASCII or UTF-16LE (xlsb stores UTF-16).
void scan_xlm_strings(std::string_view bytes, Context& context) {
  for (const char* keyword : {"URLDownloadToFile", "regsvr32", "rundll32", "mshta", "powershell"}) {
    std::string wide;
    for (const char* p = keyword; *p; ++p) {
      wide.push_back(*p);
      wide.push_back('\0');
    }
    if (core::find_bytes(bytes, keyword) != std::string_view::npos ||
        core::find_bytes(bytes, wide) != std::string_view::npos) {
      add_unique(context.xlm_facts, keyword);
      add_unique(context.node.keywords, keyword);
      context.xlm_execute = true;
    }
  }
}

std::vector<std::string_view> start_tags(std::string_view xml, std::string_view element) {
  std::vector<std::string_view> tags;
  const std::string open = "<" + std::string(element);
  for (std::size_t at = xml.find(open); at != std::string_view::npos && tags.size() < 100000;
       at = xml.find(open, at + 1)) {
    const std::size_t after = at + open.size();
    if (after < xml.size() && xml[after] != ' ' && xml[after] != '\t' && xml[after] != '\r' &&
        xml[after] != '\n' && xml[after] != '/' && xml[after] != '>') {
      continue;
    }
    const std::size_t end = xml.find('>', after);
    if (end == std::string_view::npos) break;
    tags.push_back(xml.substr(at, end - at + 1));
  }
  return tags;
}

void scan_relationships(std::string_view member, std::string_view xml, Context& context) {
  for (const std::string_view tag : start_tags(xml, "Relationship")) {
    if (!core::iequals(xml_attribute(tag, "TargetMode"), "External")) continue;
    const std::string type = xml_attribute(tag, "Type");
    const std::string target = xml_attribute(tag, "Target");
    const std::string kind =
        type.substr(type.rfind('/') == std::string::npos ? 0 : type.rfind('/') + 1);
    // Hyperlinks are ordinary in documents: they go to the URL list only. Remote templates,
    // OLE links and frames are fetched by Office on open, so they are properties.
    if (kind != "hyperlink") {
      context.property("ooxml.external-relationship",
                       kind + " " + target + " (" + std::string(member) + ")");
    }
    if (target.find("://") != std::string::npos) context.url(target);
  }
}

struct WorkbookParts {
  std::string workbook_xml;
  std::string workbook_rels;
};

void scan_workbook(const WorkbookParts& parts, Context& context) {
  for (const std::string_view tag : start_tags(parts.workbook_xml, "definedName")) {
    const std::string name = xml_attribute(tag, "name");
    if (core::istarts_with(name, "_xlnm.Auto_Open") || core::istarts_with(name, "Auto_Open")) {
      context.xlm_auto_open = true;
      add_unique(context.xlm_facts, "defined name " + name);
      add_unique(context.node.keywords, "Auto_Open");
    }
  }
  std::vector<std::string> macro_ids;
  for (const std::string_view tag : start_tags(parts.workbook_rels, "Relationship")) {
    const std::string type = xml_attribute(tag, "Type");
    if (type.ends_with("/xlMacrosheet") || type.ends_with("/xlIntlMacrosheet")) {
      macro_ids.push_back(xml_attribute(tag, "Id"));
    }
  }
  for (const std::string_view tag : start_tags(parts.workbook_xml, "sheet")) {
    const std::string id = xml_attribute(tag, "r:id");
    if (std::find(macro_ids.begin(), macro_ids.end(), id) == macro_ids.end()) continue;
    std::string state = xml_attribute(tag, "state");
    if (state.empty()) state = "visible";
    if (state == "veryHidden") state = "very hidden";
    add_unique(context.xlm_facts,
               "macro sheet '" + xml_attribute(tag, "name") + "' (" + state + ")");
  }
}

}  // namespace

void analyze_ooxml(std::string_view bytes, Context& context) {
  std::unique_ptr<archive, ArchiveCloser> reader(archive_read_new());
  archive_read_support_format_zip(reader.get());
  if (archive_read_open_memory(reader.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) {
    context.malformed("OOXML（zip）構造を読めません。", "The OOXML (zip) package cannot be read.",
                      archive_error_string(reader.get()) ? archive_error_string(reader.get()) : "");
    return;
  }
  WorkbookParts workbook;
  archive_entry* entry = nullptr;
  std::size_t count = 0;
  int status = ARCHIVE_OK;
  while ((status = archive_read_next_header(reader.get(), &entry)) == ARCHIVE_OK ||
         status == ARCHIVE_WARN) {
    if (++count > kMaxZipEntries) {
      context.limit("office.zip_entries", kMaxZipEntries);
      break;
    }
    const char* raw_name = archive_entry_pathname_utf8(entry);
    if (!raw_name) raw_name = archive_entry_pathname(entry);
    const std::string name = raw_name ? raw_name : "";
    const std::string lower = core::ascii_lower(name);
    const bool content_types = lower == "[content_types].xml";
    const bool rels = lower.ends_with(".rels");
    const bool vba = lower.ends_with("vbaproject.bin");
    // Sheet parts only: xl/macrosheets/sheet1.xml|.bin, not _rels/ or binaryIndex parts.
    const bool macrosheet = lower.starts_with("xl/macrosheets/") &&
                            lower.find('/', 15) == std::string::npos &&
                            !lower.starts_with("xl/macrosheets/binaryindex");
    const bool workbook_part = lower == "xl/workbook.xml" || lower == "xl/workbook.bin" ||
                               lower == "xl/_rels/workbook.xml.rels" ||
                               lower == "xl/_rels/workbook.bin.rels";
    const bool embedding = lower.find("/embeddings/") != std::string::npos;
    const bool text =
        (lower.ends_with(".xml") &&
         (lower.starts_with("word/") || lower.starts_with("ppt/slides/") ||
          lower.starts_with("xl/sharedstrings") || lower.starts_with("xl/drawings/") ||
          lower.starts_with("xl/worksheets/"))) ||
        lower == "xl/sharedstrings.bin";
    if (!(content_types || rels || vba || macrosheet || workbook_part || embedding || text))
      continue;
    if (archive_entry_is_encrypted(entry)) continue;

    std::string data;
    const std::uint64_t cap = std::min<std::uint64_t>(kMaxStreamBytes, context.decoded_budget);
    char buffer[65536];
    bool cut = false;
    for (;;) {
      const la_ssize_t n = archive_read_data(reader.get(), buffer, sizeof buffer);
      if (n < 0) {
        context.malformed("OOXML の部品を展開できません。", "An OOXML part cannot be decompressed.",
                          name);
        break;
      }
      if (n == 0) break;
      if (data.size() + static_cast<std::size_t>(n) > cap) {
        cut = true;
        break;
      }
      data.append(buffer, static_cast<std::size_t>(n));
    }
    if (cut) {
      context.limit("office.stream_bytes", kMaxStreamBytes);
      continue;
    }
    if (!context.consume(data.size())) break;

    if (content_types) {
      if (data.find("macroEnabled") != std::string::npos)
        context.property("ooxml.macro-enabled", "true");
    } else if (vba) {
      analyze_cfb(data, context, name);
    } else if (macrosheet) {
      add_unique(context.xlm_facts, "macro sheet part " + name);
      if (lower.ends_with(".xml")) scan_macrosheet_xml(data, context);
      scan_xlm_strings(data, context);
    } else if (embedding) {
      const std::size_t slash = name.rfind('/');
      context.add_embedded(name.substr(slash + 1), std::move(data));
      continue;
    }
    if (rels) scan_relationships(name, data, context);
    if (lower == "xl/workbook.xml") workbook.workbook_xml = data;
    if (lower == "xl/_rels/workbook.xml.rels") workbook.workbook_rels = data;
    if (lower == "xl/workbook.bin") {
      // BrtName records store names as UTF-16LE; built-in names keep the "_xlnm." prefix.
      const std::string wide_auto_open{"A\0u\0t\0o\0_\0O\0p\0e\0n\0", 18};
      if (core::find_bytes(data, wide_auto_open) != std::string_view::npos) {
        context.xlm_auto_open = true;
        add_unique(context.xlm_facts, "defined name Auto_Open");
        add_unique(context.node.keywords, "Auto_Open");
      }
    }
    if (text) {
      if (lower.ends_with(".bin"))
        scan_lure(data, context);
      else
        scan_lure_xml(data, context);
    }
  }
  if (status == ARCHIVE_FATAL) {
    context.malformed("OOXML（zip）構造が途中で壊れています。",
                      "The OOXML (zip) package is damaged.",
                      archive_error_string(reader.get()) ? archive_error_string(reader.get()) : "");
  }
  scan_workbook(workbook, context);
}

}  // namespace emotriage::office::detail
