// Excel 4.0 (XLM) macros in BIFF5/BIFF8 workbooks (MS-XLS): macro-sheet BOUNDSHEET records and
// substreams, Auto_Open names, and the functions their formulas call. FILEPASS = encrypted.
#include <cstring>

#include "core/text.hpp"
#include "office/analysis.hpp"
#include "office/bytes.hpp"

namespace emotriage::office::detail {
namespace {

unsigned byte_at(std::string_view bytes, std::size_t at) {
  return at < bytes.size() ? static_cast<unsigned char>(bytes[at]) : 0;
}

constexpr std::uint16_t kFormula = 0x0006, kName = 0x0018, kFilePass = 0x002F, kBoundSheet = 0x0085,
                        kArray = 0x0221, kSharedFormula = 0x04BC, kBof = 0x0809;

// Functions (Ftab) and commands (Cetab) that make an XLM macro act: run code, call DLLs, write
// files. MS-XLS 2.5.198.17 / 2.5.198.4.
struct XlmFunction {
  std::uint16_t id;
  bool command;  // Cetab (fCeFunc) rather than Ftab
  const char* name;
  bool executes;
};
constexpr XlmFunction kXlmFunctions[] = {
    {0x006E, false, "EXEC", true},      {0x0096, false, "CALL", true},
    {0x0095, false, "REGISTER", true},  {0x0011, true, "RUN", true},
    {0x0060, true, "FORMULA", false},   {0x0061, true, "FORMULA.FILL", false},
    {0x0084, false, "FOPEN", false},    {0x008A, false, "FWRITE", false},
    {0x0089, false, "FWRITELN", false}, {0x0006, true, "FILE.DELETE", false},
    {0x0094, true, "ON.TIME", false},   {0x00B2, false, "EXECUTE", true},
};
constexpr std::uint16_t kFtabChar = 0x006F;

// Strings in formulas that name a download or a system binary.
constexpr const char* kXlmStrings[] = {"URLDownloadToFile", "regsvr32", "rundll32", "mshta",
                                       "powershell",        "WScript",  "Shell32",  "Kernel32"};

struct SheetScan {
  std::size_t char_calls = 0;
};

void note_function(const XlmFunction& function, Context& context) {
  add_unique(context.xlm_facts, function.name);
  add_unique(context.node.keywords, function.name);
  if (function.executes) context.xlm_execute = true;
}

void note_string(std::string_view text, Context& context) {
  const std::string lower = core::ascii_lower(text);
  for (const char* keyword : kXlmStrings) {
    if (lower.find(core::ascii_lower(keyword)) != std::string::npos) {
      add_unique(context.xlm_facts, keyword);
      add_unique(context.node.keywords, keyword);
      context.xlm_execute = true;
    }
  }
  if (lower.starts_with("http://") || lower.starts_with("https://")) context.url(text);
}

// Walks a BIFF8 formula token array (rgce). Stops at the first token it does not know: the size
// of the rest is then unknown, and guessing would invent function calls.
void scan_rgce(std::string_view rgce, Context& context, SheetScan& scan) {
  std::size_t pos = 0;
  while (pos < rgce.size()) {
    const unsigned ptg = byte_at(rgce, pos++);
    const unsigned base = ptg < 0x20 ? ptg : ((ptg & 0x1F) | 0x20);
    switch (base) {
      case 0x01:
      case 0x02:
        pos += 4;
        break;      // ptgExp, ptgTbl
      case 0x17: {  // ptgStr: ShortXLUnicodeString
        const unsigned count = byte_at(rgce, pos);
        const bool wide = byte_at(rgce, pos + 1) & 1;
        pos += 2;
        const std::size_t length = wide ? count * 2u : count;
        if (pos + length > rgce.size()) return;
        const std::string_view raw = rgce.substr(pos, length);
        note_string(wide ? decode_code_page(raw, 1200) : std::string(raw), context);
        pos += length;
        break;
      }
      case 0x19: {  // ptgAttr
        const unsigned flags = byte_at(rgce, pos);
        const std::uint16_t count = le16(rgce, pos + 1);
        pos += 3;
        if (flags & 0x04) pos += (std::size_t{count} + 1) * 2;  // tAttrChoose jump table
        break;
      }
      case 0x1C:
      case 0x1D:
        pos += 1;
        break;
      case 0x1E:
        pos += 2;
        break;
      case 0x1F:
        pos += 8;
        break;
      case 0x20:
        pos += 7;
        break;
      case 0x21:
      case 0x22: {  // ptgFunc / ptgFuncVar
        if (base == 0x22) ++pos;
        const std::uint16_t tab = le16(rgce, pos);
        pos += 2;
        const bool command = base == 0x22 && (tab & 0x8000);
        const std::uint16_t id = tab & 0x7FFF;
        if (!command && id == kFtabChar) ++scan.char_calls;
        for (const XlmFunction& function : kXlmFunctions) {
          if (function.id == id && function.command == command) note_function(function, context);
        }
        break;
      }
      case 0x23:
      case 0x24:
      case 0x2A:
      case 0x2C:
        pos += 4;
        break;
      case 0x25:
      case 0x2B:
      case 0x2D:
        pos += 8;
        break;
      case 0x26:
      case 0x27:
      case 0x28:
        pos += 6;
        break;
      case 0x29:
        pos += 2;
        break;
      case 0x39:
      case 0x3A:
      case 0x3C:
        pos += 6;
        break;
      case 0x3B:
      case 0x3D:
        pos += 10;
        break;
      default:
        if (ptg >= 0x03 && ptg <= 0x16) break;  // operators and ptgParen/ptgMissArg: no data
        return;
    }
  }
}

std::string sheet_state(unsigned state) {
  switch (state & 3) {
    case 0:
      return "visible";
    case 1:
      return "hidden";
    default:
      return "very hidden";
  }
}

}  // namespace

void analyze_biff(std::string_view workbook, Context& context) {
  bool biff8 = true;
  bool encrypted = false;
  bool in_macro_sheet = false;
  bool first_bof = true;
  SheetScan scan;
  std::size_t pos = 0;
  while (pos + 4 <= workbook.size()) {
    const std::uint16_t id = le16(workbook, pos);
    const std::uint16_t length = le16(workbook, pos + 2);
    pos += 4;
    if (length > workbook.size() - pos) break;
    const std::string_view data = workbook.substr(pos, length);
    pos += length;
    // BOF and FILEPASS are never encrypted; record headers stay readable after FILEPASS.
    if (id == kBof) {
      if (first_bof) biff8 = le16(data, 0) == 0x0600;
      first_bof = false;
      in_macro_sheet = le16(data, 2) == 0x0040;
      if (in_macro_sheet) add_unique(context.xlm_facts, "macro sheet substream");
      continue;
    }
    if (id == kFilePass) {
      encrypted = true;
      const std::uint16_t type = le16(data, 0);
      const std::uint16_t major = le16(data, 2);
      add_unique(context.encryption, type == 0    ? "biff-xor"
                                     : major == 1 ? "biff-rc4"
                                                  : "biff-rc4-cryptoapi");
      continue;
    }
    if (encrypted) continue;
    if (id == kBoundSheet && data.size() >= 7) {
      const unsigned state = byte_at(data, 4), type = byte_at(data, 5);
      if (type != 1) continue;
      const unsigned count = byte_at(data, 6);
      std::string name;
      if (biff8) {
        const bool wide = byte_at(data, 7) & 1;
        const std::string_view raw =
            data.substr(std::min<std::size_t>(8, data.size()), wide ? count * 2u : count);
        name = wide ? decode_code_page(raw, 1200) : decode_code_page(raw, 1252);
      } else {
        name = decode_code_page(data.substr(7, count), 1252);
      }
      add_unique(context.xlm_facts, "macro sheet '" + name + "' (" + sheet_state(state) + ")");
    } else if (id == kName && data.size() >= 15) {
      const std::uint16_t flags = le16(data, 0);
      const unsigned count = byte_at(data, 3);
      std::string name;
      if (flags & 0x0020) {  // fBuiltin: the name is one character code
        const unsigned code = biff8 ? byte_at(data, 15) : byte_at(data, 14);
        if (code == 0x01) name = "Auto_Open";
        if (code == 0x02) name = "Auto_Close";
      } else if (biff8) {
        const bool wide = byte_at(data, 14) & 1;
        const std::string_view raw = data.substr(15, wide ? count * 2u : count);
        name = wide ? decode_code_page(raw, 1200) : std::string(raw);
      } else {
        name = std::string(data.substr(14, count));
      }
      if (core::istarts_with(name, "Auto_Open")) {
        context.xlm_auto_open = true;
        add_unique(context.xlm_facts, "defined name " + name);
        add_unique(context.node.keywords, "Auto_Open");
      }
    } else if (in_macro_sheet && biff8) {
      std::size_t at = 0;
      if (id == kFormula)
        at = 20;
      else if (id == kSharedFormula)
        at = 8;
      else if (id == kArray)
        at = 12;
      else
        continue;
      const std::uint16_t cce = le16(data, at);
      if (at + 2 <= data.size()) scan_rgce(data.substr(at + 2, cce), context, scan);
    }
  }
  if (scan.char_calls >= 10) {
    add_unique(context.xlm_facts,
               "strings built with CHAR() (" + std::to_string(scan.char_calls) + " calls)");
  }
}

}  // namespace emotriage::office::detail
