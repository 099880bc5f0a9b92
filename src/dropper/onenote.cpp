// OneNote dropper analysis: the 2023 Emotet wave embedded a script (.wsf/.hta/.vbs) in a .one
// page behind a "double-click to view" picture. Embedded files live in FileDataStoreObject
// structures ([MS-ONESTORE] 2.6.13), which start with a fixed GUID; finding them by that GUID is
// what OneNoteAnalyzer and YARA rules do, and needs no model of the rest of the revision store.
#include <algorithm>

#include "core/text.hpp"
#include "dropper/byte_reader.hpp"
#include "dropper/dropper.hpp"
#include "dropper/sniff.hpp"

namespace emotriage::dropper {

namespace {

// {BDE316E7-2665-4511-A4C4-8D4D0B7A9EAC} as stored (little-endian GUID).
constexpr std::string_view kFileDataStoreGuid{
    "\xE7\x16\xE3\xBD\x65\x26\x11\x45\xA4\xC4\x8D\x4D\x0B\x7A\x9E\xAC", 16};
// .one section header {7B5C52E4-D88C-4DA7-AEB1-5378D02996D3} and .onetoc2
// {43FF2FA1-EFD9-4C76-9EE2-10EA5722765F}.
constexpr std::string_view kOneSectionGuid{
    "\xE4\x52\x5C\x7B\x8C\xD8\xA7\x4D\xAE\xB1\x53\x78\xD0\x29\x96\xD3", 16};
constexpr std::string_view kOneTocGuid{
    "\xA1\x2F\xFF\x43\xD9\xEF\x76\x4C\x9E\xE2\x10\xEA\x57\x22\x76\x5F", 16};
// guidHeader (16) + cbLength (8) + unused (4) + reserved (8).
constexpr std::size_t kFileDataHeaderBytes = 36;
// Droppers embed one to a few files; thousands of objects would only multiply the work.
constexpr std::size_t kMaxOneNoteFiles = 256;

const std::vector<std::string_view>& script_keywords() {
  static const std::vector<std::string_view> kKeywords = {
      "wscript.shell", "createobject", "powershell",    "schtasks",          "cmd.exe /c",
      "cmd /c",        "mshta",        "activexobject", "shell.application", "adodb.stream",
      "regsvr32",      "rundll32",     "certutil",      "bitsadmin",         "urldownloadtofile"};
  return kKeywords;
}

}  // namespace

OneNoteScan find_onenote_files(std::string_view bytes) {
  OneNoteScan scan;
  std::size_t pos = 0;
  while (true) {
    std::size_t at = core::find_bytes(bytes, kFileDataStoreGuid, pos);
    if (at == std::string_view::npos) break;
    if (scan.files.size() == kMaxOneNoteFiles) {
      scan.truncated = true;
      break;
    }
    auto length = read_u64(bytes, at + 16);
    auto payload = length ? slice(bytes, at + kFileDataHeaderBytes, *length) : std::nullopt;
    if (!payload) {
      // A GUID with a length past the end: a cut or forged notebook. Keep searching after it.
      ++scan.bad_lengths;
      pos = at + kFileDataStoreGuid.size();
      continue;
    }
    scan.files.push_back({at + kFileDataHeaderBytes, *payload});
    pos = at + kFileDataHeaderBytes + payload->size();
  }
  return scan;
}

void analyze_onenote(std::string_view bytes, core::Attachment& node,
                     std::vector<core::Finding>& findings, std::vector<Embedded>& embedded,
                     const core::Limits& limits) {
  if (!bytes.starts_with(kOneSectionGuid) && !bytes.starts_with(kOneTocGuid)) {
    findings.push_back(core::malformed_finding(
        "OneNote ファイルの先頭にあるべき識別子 (GUID) がありません",
        "the OneNote file does not start with a OneNote header GUID", node.path, node.part));
  }
  OneNoteScan scan = find_onenote_files(bytes);
  if (scan.bad_lengths > 0) {
    findings.push_back(core::malformed_finding(
        concat("OneNote の埋め込みファイル ", scan.bad_lengths,
               " 件の長さがファイルの終わりを越えています"),
        concat(scan.bad_lengths,
               " OneNote embedded file(s) claim a length past the end of the file"),
        node.path, node.part));
  }
  if (scan.truncated) {
    findings.push_back(core::limit_finding("onenote_embedded_files", kMaxOneNoteFiles, node.part));
    node.truncated = true;
  }

  std::vector<std::string> types;
  std::vector<std::string> executable_types;
  std::uint64_t extracted = 0;
  for (std::size_t i = 0; i < scan.files.size(); ++i) {
    const OneNoteFile& file = scan.files[i];
    std::string type = sniff_payload_type(file.bytes);
    node.properties.emplace_back(
        "onenote.embedded", concat(type, " (", file.bytes.size(), " bytes @", file.offset, ")"));
    types.push_back(type);
    if (is_executable_type(type)) executable_types.push_back(type);
    if (file.bytes.size() > limits.decoded_bytes - extracted) {
      findings.push_back(core::limit_finding("decoded_bytes", limits.decoded_bytes, node.part));
      node.truncated = true;
      continue;
    }
    extracted += file.bytes.size();
    std::string extension = type == "data" || type == "text" ? "bin" : type;
    embedded.push_back(
        {concat("onenote-embedded-", i + 1, ".", extension), std::string(file.bytes)});
  }

  for (std::string& keyword : find_keywords(bytes, script_keywords())) {
    if (std::ranges::find(node.keywords, keyword) == node.keywords.end())
      node.keywords.push_back(std::move(keyword));
  }

  if (types.empty()) return;
  std::string type_list;
  for (const std::string& type : types) type_list += (type_list.empty() ? "" : ", ") + type;
  bool executable = !executable_types.empty();
  std::string keyword_note;
  for (const std::string& keyword : node.keywords)
    keyword_note += (keyword_note.empty() ? "; keywords: " : ", ") + keyword;
  findings.push_back(core::Finding{
      "attachment.onenote-embedded-file",
      executable ? core::Severity::high : core::Severity::medium,
      executable
          ? concat("OneNote ファイルに実行可能なファイル (", type_list,
                   ") が埋め込まれています。2023年の Emotet は、ページ上の「ダブルクリックして"
                   "表示」などの画像の裏にスクリプトを隠しました。開かずに削除してください")
          : concat("OneNote ファイルにファイル (", type_list, ") が埋め込まれています"),
      executable ? concat("the OneNote file embeds executable content (", type_list,
                          "); the 2023 Emotet wave hid a script behind a \"double-click to "
                          "view\" picture")
                 : concat("the OneNote file embeds file(s): ", type_list),
      concat(node.path, ": ", types.size(), " embedded file(s): ", type_list, keyword_note),
      node.part});
}

}  // namespace emotriage::dropper
