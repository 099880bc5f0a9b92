// Office-family documents: OLE2/CFB (doc, xls, ppt), OOXML (docx ... xlsb), RTF and PDF. Reads
// structure only; nothing is rendered or run.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/attachment.hpp"
#include "core/finding.hpp"
#include "core/limits.hpp"

namespace emotriage::office {

// A file carried inside a document (OLE Package/Ole10Native, RTF \objdata, PDF EmbeddedFile,
// OOXML embeddings/) for the caller to inspect recursively.
struct Embedded {
  std::string name;
  std::string bytes;
};

// Fills `node` (macros, autoexec, xlm_macros, encrypted, keywords, urls, properties) and adds the
// findings attachment.office-macro, attachment.macro-autoexec, attachment.xlm-macro,
// attachment.encrypted-document, content.enable-macro-lure. `node.detected_type` says which
// format `bytes` is (ole/doc/xls/ppt/docx/docm/xlsx/xlsm/xlsb/pptx/pptm/rtf/pdf).
void analyze(std::string_view bytes, core::Attachment& node, std::vector<core::Finding>& findings,
             std::vector<Embedded>& embedded, const core::Limits& limits);

}  // namespace emotriage::office
