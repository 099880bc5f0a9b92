// Dropper formats of the 2022–23 Emotet waves: Windows shortcuts (.lnk) and OneNote notebooks
// (.one/.onepkg) with embedded files.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/attachment.hpp"
#include "core/finding.hpp"
#include "core/limits.hpp"

namespace emotriage::dropper {

struct Embedded {
  std::string name;
  std::string bytes;
};

// What a shortcut says, decoded to UTF-8 (CP932 for ANSI strings that are not ASCII).
struct LnkInfo {
  std::uint32_t link_flags = 0;
  std::uint32_t file_attributes = 0;
  std::uint32_t target_file_size = 0;
  std::uint32_t show_command = 0;
  std::string target;           // best of: LinkInfo path, environment block, LinkTargetIDList
  std::string idlist_path;      // the LinkTargetIDList as a path, best effort
  std::string local_base_path;  // LinkInfo (local volume or network share + suffix)
  std::string name, relative_path, working_dir, arguments, icon_location;
  std::string environment_target;     // EnvironmentVariableDataBlock ("%windir%\\...")
  std::string icon_environment;       // IconEnvironmentDataBlock
  std::string darwin_id;              // DarwinDataBlock (MSI application id)
  std::string machine_id;             // TrackerDataBlock: NetBIOS name of the machine that made it
  std::vector<std::string> problems;  // malformed structures met (English, for the evidence)
  bool truncated = false;             // a bound stopped the parse
};

// Parses MS-SHLLINK bytes without any library (Debian's liblnk needs libbfio headers to read
// from memory, and those are not packaged): bounded by the buffer and small item counts.
// nullopt when the bytes are not a shell link (bad header size or CLSID).
std::optional<LnkInfo> parse_lnk(std::string_view bytes);

// MS-SHLLINK: target, arguments, working dir, icon into node.properties; attachment.lnk (high
// when arguments run findstr/Set-Content/powershell/cmd /c or are padded, TargetFileSize 0).
void analyze_lnk(std::string_view bytes, core::Attachment& node,
                 std::vector<core::Finding>& findings, const core::Limits& limits);

// OneNote: every FileDataStoreObject's payload into `embedded`; attachment.onenote-embedded-file
// naming their types; script keywords into node.keywords.
// The FileDataStoreObject payloads of a OneNote file (MS-ONESTORE 2.6.13), in file order.
struct OneNoteFile {
  std::size_t offset = 0;  // of the payload in the notebook
  std::string_view bytes;
};
struct OneNoteScan {
  std::vector<OneNoteFile> files;
  bool truncated = false;       // more objects than kMaxOneNoteFiles, or a length past the end
  std::size_t bad_lengths = 0;  // objects whose cbLength points past the end of the file
};
OneNoteScan find_onenote_files(std::string_view bytes);

// Short type name of an embedded payload by its first bytes ("exe", "lnk", "hta", "wsf", "bat",
// "vbs", "js", "ps1", "zip", "ole", "pdf", "image", "html", "text", "data").
std::string sniff_payload_type(std::string_view bytes);

void analyze_onenote(std::string_view bytes, core::Attachment& node,
                     std::vector<core::Finding>& findings, std::vector<Embedded>& embedded,
                     const core::Limits& limits);

}  // namespace emotriage::dropper
