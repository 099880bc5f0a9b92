#include "office/office.hpp"

#include "core/text.hpp"
#include "office/analysis.hpp"
#include "office/cfb.hpp"

namespace emotriage::office {
namespace {

using detail::Context;

std::string join(const std::vector<std::string>& items, std::string_view separator = ", ") {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

core::Finding finding(std::string_view id, core::Severity severity, std::string ja, std::string en,
                      std::string evidence, const core::Attachment& node) {
  core::Finding f;
  f.id = std::string(id);
  f.severity = severity;
  f.message_ja = std::move(ja);
  f.message_en = std::move(en);
  const std::string where = node.path.empty() ? node.filename : node.path;
  f.evidence = where.empty() ? std::move(evidence) : where + ": " + evidence;
  f.part = node.part;
  return f;
}

enum class Format { cfb, ooxml, rtf, pdf, unknown };

Format sniff(std::string_view bytes, std::string_view detected_type) {
  if (is_cfb(bytes)) return Format::cfb;
  if (bytes.starts_with("PK\x03\x04")) return Format::ooxml;
  if (bytes.starts_with("{\\rt")) return Format::rtf;
  if (core::find_bytes(bytes.substr(0, 1024), "%PDF-") != std::string_view::npos)
    return Format::pdf;
  // Word opens RTF with junk before "{\rt"; Adobe accepts a PDF header within the first 1 KiB.
  if (detected_type == "rtf" &&
      core::find_bytes(bytes.substr(0, 1024), "{\\rt") != std::string_view::npos) {
    return Format::rtf;
  }
  return Format::unknown;
}

void report(Context& context) {
  core::Attachment& node = context.node;
  if (!context.vba_modules.empty()) {
    node.macros = true;
    context.findings.push_back(finding(
        "attachment.office-macro", core::Severity::medium,
        "文書に VBA "
        "マクロが含まれています。送信者に心当たりがなければ開かず、マクロを有効にしないでください"
        "。",
        "The document contains VBA macros. Do not open it or enable macros unless the sender "
        "confirms it.",
        "VBA modules: " + join(context.vba_modules, "; "), node));
  }
  const MacroIntent& intent = context.intent;
  if (!context.vba_modules.empty() && intent.suspicious()) {
    node.autoexec = true;
    std::vector<std::string> capabilities = intent.write;
    capabilities.insert(capabilities.end(), intent.execute.begin(), intent.execute.end());
    for (const std::string& keyword : intent.autoexec) detail::add_unique(node.keywords, keyword);
    for (const std::string& keyword : capabilities) detail::add_unique(node.keywords, keyword);
    std::string evidence = "auto-exec: " + join(intent.autoexec);
    if (!intent.write.empty()) evidence += "; write: " + join(intent.write);
    if (!intent.execute.empty()) evidence += "; execute: " + join(intent.execute);
    context.findings.push_back(
        finding("attachment.macro-autoexec", core::Severity::high,
                "文書を開くと自動で動くマクロが、ファイルの書き込みや外部プログラムの実行を行う作り"
                "になっています"
                "（Emotet などの不正マクロと同じ特徴）。絶対に開かないでください。",
                "A macro runs automatically when the document opens and can write files or start "
                "programs (the pattern of Emotet-style malicious macros). Do not open it.",
                std::move(evidence), node));
  }
  if (!context.xlm_facts.empty()) {
    // A macro sheet part alone (xl/macrosheets/) or a macro-sheet BOUNDSHEET is enough; names of
    // Auto_Open without any macro sheet still count, as Excel runs them.
    node.xlm_macros = true;
    const bool strong = context.xlm_auto_open && context.xlm_execute;
    context.findings.push_back(finding(
        "attachment.xlm-macro", strong ? core::Severity::high : core::Severity::medium,
        strong
            ? "Excel 4.0 マクロ（XLM）が開くと自動実行され、外部プログラムや DLL を呼び出す作りです"
              "（2021〜22 年の Emotet の Excel と同じ手口）。絶対に開かないでください。"
            : "Excel 4.0 "
              "マクロ（XLM）のマクロシートまたは自動実行名が含まれています。送信者に確認するまで開"
              "かないでください。",
        strong ? "Excel 4.0 (XLM) macros run on open and call programs or DLLs (the technique of "
                 "the 2021-22 Emotet Excel files). Do not open it."
               : "The workbook contains Excel 4.0 (XLM) macro sheets or auto-run names. Do not "
                 "open it until the sender confirms it.",
        join(context.xlm_facts, "; "), node));
  } else if (context.xlm_auto_open) {
    node.xlm_macros = true;
  }
  if (!context.encryption.empty()) {
    node.encrypted = true;
    for (const std::string& kind : context.encryption) context.property("office.encryption", kind);
    // The mail-level check (inspect) looks for a password in the body, as for encrypted zips.
    context.property("office.password-required", "true");
    context.findings.push_back(finding(
        "attachment.encrypted-document", core::Severity::medium,
        "パスワードで暗号化された Office "
        "文書です。中身を検査できません。同じメールにパスワードが書かれている場合は"
        "Emotet などが検査をすり抜けるために使う手口です。",
        "The Office document is password-encrypted and cannot be inspected. A password in the "
        "same mail is a trick Emotet and others use to get past scanners.",
        "encryption: " + join(context.encryption), node));
  }
  if (!context.lure_phrases.empty()) {
    context.findings.push_back(finding(
        "content.enable-macro-lure", core::Severity::medium,
        "文書内に「コンテンツの有効化」やテンプレート "
        "フォルダへのコピーなど、マクロを動かさせるための指示文があります。"
        "指示に従わないでください。",
        "The document tells the reader to enable content/macros or to copy it into a trusted "
        "(Templates) folder, a lure to make macros run. Do not follow it.",
        "phrases: " + join(context.lure_phrases), node));
  }
}

}  // namespace

void analyze(std::string_view bytes, core::Attachment& node, std::vector<core::Finding>& findings,
             std::vector<Embedded>& embedded, const core::Limits& limits) {
  Context context(node, findings, embedded, limits);
  switch (sniff(bytes, node.detected_type)) {
    case Format::cfb:
      detail::analyze_cfb(bytes, context, {});
      break;
    case Format::ooxml:
      detail::analyze_ooxml(bytes, context);
      break;
    case Format::rtf:
      detail::analyze_rtf(bytes, context);
      break;
    case Format::pdf:
      detail::analyze_pdf(bytes, context);
      break;
    case Format::unknown:
      context.malformed("Office 文書として認識できる構造がありません。",
                        "No Office document structure was recognised.", node.detected_type);
      break;
  }
  report(context);
}

}  // namespace emotriage::office
