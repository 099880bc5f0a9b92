// Internal: the state one office::analyze call builds up, shared by the format readers. Facts are
// collected first and turned into findings once at the end (office.cpp), so a VBA project seen
// both in a .docm and its vbaProject.bin yields one finding.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/attachment.hpp"
#include "core/finding.hpp"
#include "core/limits.hpp"
#include "office/office.hpp"
#include "office/vba.hpp"

namespace emotriage::office::detail {

// Per-item caps (module constants: core::Limits is owned elsewhere). Each is far above what real
// documents need and keeps one hostile item from taking the whole decoded-bytes budget.
inline constexpr std::uint64_t kMaxStreamBytes = 64ull << 20;       // one CFB stream / zip member
inline constexpr std::uint64_t kMaxModuleSourceBytes = 4ull << 20;  // VBA modules are < 1 MiB
inline constexpr std::size_t kMaxVbaModules = 1000;  // Office caps a project far lower in practice
inline constexpr std::size_t kMaxListed = 100;       // properties, urls, keywords per document
inline constexpr std::size_t kMaxEmbedded = 64;      // embedded files returned per document

struct Context {
  Context(core::Attachment& node_, std::vector<core::Finding>& findings_,
          std::vector<Embedded>& embedded_, const core::Limits& limits_)
      : node(node_),
        findings(findings_),
        embedded(embedded_),
        limits(limits_),
        decoded_budget(limits_.decoded_bytes) {}

  core::Attachment& node;
  std::vector<core::Finding>& findings;
  std::vector<Embedded>& embedded;
  const core::Limits& limits;
  std::uint64_t decoded_budget;  // bytes this document may still decompress or copy out

  // Facts for the findings.
  std::vector<std::string> vba_modules;  // "Macros/VBA: ThisDocument, Module1"
  MacroIntent intent;
  std::vector<std::string> xlm_facts;  // "macro sheet Macro1 (very hidden)", "Auto_Open", "EXEC"
  bool xlm_auto_open = false;
  bool xlm_execute = false;
  std::vector<std::string> encryption;    // "ooxml-agile", "biff-rc4-cryptoapi" ...
  std::vector<std::string> lure_phrases;  // as found
  std::vector<std::string> limits_hit;

  // Takes `bytes` from the decoded budget; false (and a limit finding once) when exhausted.
  bool consume(std::uint64_t bytes);
  void limit(std::string_view name, std::uint64_t value);
  void malformed(std::string ja, std::string en, std::string_view evidence);
  void property(std::string_view key, std::string_view value);
  void url(std::string_view url);
  void add_embedded(std::string name, std::string bytes);
};

void add_unique(std::vector<std::string>& list, std::string_view value,
                std::size_t cap = kMaxListed);

// Format readers. `where` names the container for evidence ("word/vbaProject.bin").
void analyze_cfb(std::string_view bytes, Context& context, std::string_view where);
void analyze_ooxml(std::string_view bytes, Context& context);
void analyze_rtf(std::string_view bytes, Context& context);
void analyze_pdf(std::string_view bytes, Context& context);

// Excel 4.0 macros in a BIFF5/BIFF8 Workbook stream; also notes FILEPASS encryption.
void analyze_biff(std::string_view workbook, Context& context);
// An OLE1 "Package" native payload (Ole10Native stream / RTF objdata), returned as embedded.
bool extract_ole_package(std::string_view native, bool has_size_prefix, Context& context);

// Lure phrases ("Enable Content", 「コンテンツの有効化」, Templates folder ...) in raw bytes, in
// UTF-8, UTF-16LE and CP932 forms; `scan_lure_xml` strips tags first (OOXML text runs).
void scan_lure(std::string_view bytes, Context& context);
void scan_lure_xml(std::string_view xml, Context& context);

// The value of attribute `name` in the XML start tag `tag` ("<Relationship ... />"), unescaped.
std::string xml_attribute(std::string_view tag, std::string_view name);

}  // namespace emotriage::office::detail
