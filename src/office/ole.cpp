// OLE2/CFB documents: VBA projects, Excel workbooks, Word/PowerPoint encryption flags, encrypted
// OOXML packages, OLE Package objects.
#include <cstring>

#include "core/text.hpp"
#include "office/analysis.hpp"
#include "office/bytes.hpp"
#include "office/cfb.hpp"

namespace emotriage::office::detail {
namespace {

std::string read_stream(const Cfb& cfb, const CfbEntry& entry, Context& context) {
  const std::uint64_t cap = std::min<std::uint64_t>(kMaxStreamBytes, context.decoded_budget);
  bool complete = false;
  std::string data = cfb.read(entry, cap, &complete);
  if (!complete && entry.size > cap && data.size() == cap) {
    context.limit("office.stream_bytes", kMaxStreamBytes);
  }
  context.consume(data.size());
  return data;
}

void analyze_vba_project(const Cfb& cfb, const CfbEntry& vba, Context& context,
                         std::string_view where) {
  const int dir_index = cfb.find(vba.path + "/dir");
  const std::string location = where.empty() ? vba.path : std::string(where) + "/" + vba.path;
  std::string dir_raw = read_stream(cfb, cfb.entries()[dir_index], context);
  const std::optional<std::string> dir = vba_decompress(dir_raw, kMaxStreamBytes);
  if (!dir) {
    add_unique(context.vba_modules, location + ": (dir stream unreadable)");
    context.malformed("VBA プロジェクトの dir ストリームが壊れています。",
                      "The dir stream of the VBA project is malformed.", location);
    return;
  }
  const VbaDirectory directory = parse_vba_dir(*dir, kMaxVbaModules);
  if (directory.malformed) {
    context.malformed("VBA プロジェクトの dir ストリームが途中で切れています。",
                      "The dir stream of the VBA project is truncated.", location);
  }
  if (directory.modules.size() >= kMaxVbaModules)
    context.limit("office.vba_modules", kMaxVbaModules);
  std::string names;
  for (const VbaModule& module : directory.modules) {
    if (!names.empty()) names += ", ";
    names += module.name.empty() ? module.stream_name : module.name;
    const int index = cfb.find(vba.path + "/" + module.stream_name);
    if (index < 0) continue;
    const std::string stream = read_stream(cfb, cfb.entries()[index], context);
    if (module.text_offset >= stream.size()) continue;
    bool truncated = false;
    const std::optional<std::string> source = vba_decompress(
        std::string_view(stream).substr(module.text_offset), kMaxModuleSourceBytes, &truncated);
    if (!source) continue;
    if (truncated) context.limit("office.vba_module_bytes", kMaxModuleSourceBytes);
    if (!context.consume(source->size())) break;
    scan_macro_source(*source, context.intent);
    scan_lure(decode_code_page(*source, directory.code_page), context);
  }
  add_unique(context.vba_modules, location + ": " + names);
  context.property("vba.code-page", std::to_string(directory.code_page));
}

void note_ooxml_encryption(const Cfb& cfb, int info_index, Context& context) {
  const std::string info = cfb.read(cfb.entries()[info_index], 8);
  const std::uint16_t major = le16(info, 0), minor = le16(info, 2);
  std::string kind = "ooxml";
  if (major == 4 && minor == 4)
    kind = "ooxml-agile";
  else if ((major == 2 || major == 3 || major == 4) && minor == 2)
    kind = "ooxml-standard";
  else if ((major == 3 || major == 4) && minor == 3)
    kind = "ooxml-extensible";
  add_unique(context.encryption, kind);
}

void note_word_encryption(const Cfb& cfb, int index, Context& context) {
  const std::string fib = cfb.read(cfb.entries()[index], 32);
  if (le16(fib, 0) != 0xA5EC) return;  // not a Word 97+ FIB
  const std::uint16_t flags = le16(fib, 0x0A);
  if (flags & 0x0100) add_unique(context.encryption, (flags & 0x8000) ? "word-xor" : "word-rc4");
}

void note_powerpoint_encryption(const Cfb& cfb, int index, Context& context) {
  const std::string user = cfb.read(cfb.entries()[index], 16);
  // CurrentUserAtom.headerToken: 0xF3D1C4DF marks an encrypted presentation (MS-PPT 2.3.2).
  if (le32(user, 12) == 0xF3D1C4DF) add_unique(context.encryption, "powerpoint-rc4-cryptoapi");
}

}  // namespace

bool extract_ole_package(std::string_view native, bool has_size_prefix, Context& context) {
  std::size_t pos = has_size_prefix ? 4 : 0;
  if (le16(native, pos) != 2) return false;
  pos += 2;
  auto c_string = [&](std::string& out) {
    const std::size_t end = native.find('\0', pos);
    if (end == std::string_view::npos) return false;
    out.assign(native.substr(pos, end - pos));
    pos = end + 1;
    return true;
  };
  std::string label, source_path;
  if (!c_string(label) || !c_string(source_path)) return false;
  pos += 4;  // two reserved 16-bit fields
  const std::uint32_t temp_length = le32(native, pos);
  pos += 4;
  if (pos > native.size() || temp_length > native.size() - pos) return false;
  const std::string temp_path(native.substr(pos, temp_length));
  pos += temp_length;
  const std::uint32_t data_length = le32(native, pos);
  pos += 4;
  if (pos > native.size()) return false;
  const std::string_view data =
      native.substr(pos, std::min<std::size_t>(data_length, native.size() - pos));
  if (data.size() < data_length) {
    context.malformed("OLE パッケージのデータが途中で切れています。",
                      "The OLE Package payload is truncated.", label);
  }
  // Package strings are ANSI; the writer's code page is unknown, so they are read as CP1252.
  const std::string name = decode_code_page(label.empty() ? temp_path : label, 1252);
  const std::string source = decode_code_page(source_path, 1252);
  context.property("ole.package", name + (source.empty() ? "" : " (" + source + ")"));
  context.add_embedded(name, std::string(data));
  return true;
}

void analyze_cfb(std::string_view bytes, Context& context, std::string_view where) {
  std::expected<Cfb, std::string> opened = Cfb::open(bytes);
  if (!opened) {
    context.malformed("OLE2（複合ファイル）の構造を読めません。",
                      "The OLE2 (compound file) structure cannot be read.",
                      std::string(where) + (where.empty() ? "" : ": ") + opened.error());
    return;
  }
  const Cfb& cfb = *opened;
  const std::vector<CfbEntry>& entries = cfb.entries();

  const int info = cfb.find("EncryptionInfo");
  if (info >= 0 && cfb.find("EncryptedPackage") >= 0) note_ooxml_encryption(cfb, info, context);

  bool vba_seen = false;
  for (std::size_t i = 1; i < entries.size(); ++i) {
    const CfbEntry& entry = entries[i];
    const CfbEntry& parent = entries[entry.parent];
    if (entry.is_storage && core::iequals(entry.name, "VBA") &&
        cfb.find(entry.path + "/dir") >= 0) {
      vba_seen = true;
      analyze_vba_project(cfb, entry, context, where);
    } else if (!entry.is_storage && entry.name == "\x01Ole10Native") {
      extract_ole_package(read_stream(cfb, entry, context), true, context);
    } else if (!entry.is_storage && core::iequals(entry.name, "Package") && entry.parent != 0) {
      // An OOXML document embedded in a Word/Excel file (ObjectPool/_123/Package).
      context.add_embedded(parent.name + ".package", read_stream(cfb, entry, context));
    }
  }
  if (!vba_seen && cfb.find("_VBA_PROJECT_CUR") >= 0) {
    add_unique(context.vba_modules, std::string(where) + "_VBA_PROJECT_CUR: (no dir stream)");
  }

  for (const char* name : {"Workbook", "Book"}) {
    if (const int index = cfb.find(name); index >= 0 && !entries[index].is_storage) {
      analyze_biff(read_stream(cfb, entries[index], context), context);
      break;
    }
  }
  if (const int index = cfb.find("WordDocument"); index >= 0)
    note_word_encryption(cfb, index, context);
  if (const int index = cfb.find("Current User"); index >= 0) {
    note_powerpoint_encryption(cfb, index, context);
  }
  // Text in Word/Excel/PowerPoint streams is stored in sector order in practice; scanning the
  // file itself finds lure phrases without copying every stream.
  scan_lure(bytes, context);
  if (cfb.damaged()) {
    context.malformed("OLE2 の構造に不整合があります（壊れたチェーンまたはディレクトリ）。",
                      "The OLE2 structure is inconsistent (broken sector chain or directory).",
                      where);
  }
}

}  // namespace emotriage::office::detail
