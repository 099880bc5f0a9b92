// What attachment inspection learned about one attachment or one object inside it (archive
// member, embedded file). The tree mirrors containment: a zip's members are its children.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace emotriage::core {

struct Attachment {
  std::string part;      // MIME part path of the attachment this node belongs to ("2")
  std::string path;      // where inside it: "請求書.zip/請求書.doc"; the file name at the top
  std::string filename;  // this node's own name (archive member name, embedded file name)
  std::string declared_type;  // MIME Content-Type at the top; empty for members
  std::string detected_type;  // by content: zip, 7z, rar, gzip, cab, iso, udf, img, vhd, vhdx,
                              // ole, doc, xls, ppt, msi, docx, docm, xlsx, xlsm, xlsb, pptx, pptm,
                              // rtf, pdf, lnk, onenote, pe, elf, js, vbs, vbe, wsf, hta, ps1, bat,
                              // html, mht, eml, text, image, unknown
  std::uint64_t size = 0;     // real bytes of this object (measured, even when streamed)
  std::uint64_t declared_size = 0;  // size the container claims (archive header), 0 if none
  std::uint64_t compressed_size = 0;
  std::string sha256, md5, ssdeep;    // of the real bytes; ssdeep empty when not computed
  bool encrypted = false;             // encrypted archive entry or encrypted Office document
  std::string password_found;         // the candidate password that opened it
  bool macros = false;                // a VBA project is present
  bool autoexec = false;              // VBA auto-exec trigger plus a write/execute capability
  bool xlm_macros = false;            // Excel 4.0 macro sheets or Auto_Open names
  bool truncated = false;             // inspection stopped at a limit; facts may be partial
  std::vector<std::string> keywords;  // matched macro/script keywords, for the evidence line
  std::vector<std::string> urls;      // URLs found inside (documents, PDF, LNK arguments ...)
  // Type-specific facts in display order: {"lnk.target", "C:\\Windows\\..."},
  // {"ooxml.external-relationship", "https://..."}, {"onenote.embedded", "wsf"} ...
  std::vector<std::pair<std::string, std::string>> properties;
  std::vector<Attachment> children;
};

}  // namespace emotriage::core
