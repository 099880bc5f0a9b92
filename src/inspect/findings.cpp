#include "inspect/findings.hpp"

#include "core/text.hpp"

namespace emotriage::inspect {

namespace {

core::Finding make(std::string_view id, core::Severity severity, std::string ja, std::string en,
                   std::string evidence, const core::Attachment& node) {
  std::string repaired;
  core::repair_utf8(core::utf8_prefix(evidence, 300), repaired);
  return core::Finding{std::string(id),     severity, std::move(ja), std::move(en),
                       std::move(repaired), node.part};
}

std::string megabytes(std::uint64_t bytes) {
  return std::to_string((bytes + (1u << 19)) >> 20) + " MB";
}

}  // namespace

core::Finding executable_finding(const core::Attachment& node) {
  return make(kExecutable, core::Severity::high,
              "実行ファイルまたはスクリプト（" + node.detected_type +
                  "）が含まれています: " + node.path + "。開かずに削除してください",
              "An executable or script (" + node.detected_type + ") is attached: " + node.path +
                  ". Delete it without opening it.",
              node.path + " (" + node.detected_type + ", sha256 " + node.sha256 + ")", node);
}

core::Finding double_extension_finding(const core::Attachment& node, const NameTrick& trick) {
  return make(kDoubleExtension, core::Severity::high,
              "ファイル名が本当の種類を偽っています（" + trick.reason_ja + "）: " + node.path,
              "The file name disguises the real type (" + trick.reason_en + "): " + node.path,
              node.path + " (detected " + node.detected_type + ")", node);
}

core::Finding encrypted_archive_finding(const core::Attachment& node) {
  return make(kEncryptedArchive, core::Severity::low,
              "パスワード付き（暗号化）の圧縮ファイルです: " + node.path +
                  "。暗号化された部分は中身を検査できません。日本ではパスワード付き ZIP "
                  "とパスワードを別々のメールで送る運用（PPAP）が一般的なため、これだけでは弱い"
                  "兆候です。同じメール本文にパスワードがある場合が強い兆候です",
              "Encrypted archive: " + node.path +
                  ". Its encrypted contents cannot be inspected. Sending an encrypted ZIP and its "
                  "password in separate mails (\"PPAP\") is common and legitimate in Japan, so "
                  "this alone is a weak signal; a password in the same mail is the strong one.",
              node.path + " (" + node.detected_type + ", encrypted)", node);
}

core::Finding password_in_body_finding(const core::Attachment& node) {
  return make(kPasswordInBody, core::Severity::high,
              "暗号化された圧縮ファイル " + node.path + " が、同じメールに書かれたパスワード「" +
                  node.password_found +
                  "」で開けました。パスワードを同じメールに書く手口は 2020 年以降の Emotet "
                  "で多用された強い兆候です（正規の PPAP ではパスワードは別のメールで届きます）。"
                  "中のファイルも検査しました",
              "The encrypted archive " + node.path + " opened with the password \"" +
                  node.password_found +
                  "\" written in the same mail. A password in the same mail is a strong "
                  "Emotet-style signal (used since 2020; legitimate PPAP sends it separately). "
                  "The files inside were inspected.",
              node.path + " password=" + node.password_found, node);
}

core::Finding padded_finding(const core::Attachment& node, std::uint64_t expanded,
                             std::uint64_t compressed) {
  std::string ratio = std::to_string(expanded / std::max<std::uint64_t>(compressed, 1));
  return make(
      kPaddedLargeFile, core::Severity::high,
      "圧縮ファイル内の " + node.path + " は展開すると " + megabytes(expanded) +
          " と巨大ですが、圧縮時は " + std::to_string(compressed) + " バイト（約 " + ratio +
          " 倍）しかありません。ウイルス対策ソフトの検査対象サイズを超えさせるための"
          "水増し（2023 年の Emotet の手口）と見られます。先頭部分を文書として検査しました",
      node.path + " expands to " + megabytes(expanded) + " from only " +
          std::to_string(compressed) + " compressed bytes (about " + ratio +
          "x): padding to exceed what antivirus scans, as Emotet did in 2023. Its head "
          "was inspected as a document.",
      node.path + " size=" + std::to_string(expanded) + " compressed=" + std::to_string(compressed),
      node);
}

core::Finding disk_image_finding(const core::Attachment& node, std::size_t listed_files) {
  std::string listing = listed_files > 0 ? std::to_string(listed_files) : std::string("?");
  return make(kDiskImage, core::Severity::medium,
              "ディスクイメージ（" + node.detected_type + "）が添付されています: " + node.path +
                  "。ダブルクリックでドライブとして開き、中のファイルにはインターネット由来の"
                  "警告（Mark of the Web）が付かないため、マルウェアの配布に使われます。"
                  "中のファイル数: " +
                  listing,
              "A disk image (" + node.detected_type + ") is attached: " + node.path +
                  ". It opens as a drive on a double click and its files lose the "
                  "Mark-of-the-Web warning, which is why malware is sent this way. Files "
                  "inside: " +
                  listing,
              node.path + " (" + node.detected_type + ")", node);
}

core::Finding unreadable_archive_finding(const core::Attachment& node, std::string_view error) {
  core::Finding finding = core::malformed_finding(
      "圧縮ファイル " + node.path + " を最後まで読めませんでした（壊れているか細工されています）",
      "The archive " + node.path + " could not be read to its end (damaged or crafted)",
      node.path + ": " + std::string(error), node.part);
  return finding;
}

core::Finding analyser_crashed_finding(const core::Attachment& node, std::string_view what) {
  return make(core::kParseCrashed, core::Severity::medium,
              node.path + " の解析中にエラーが発生したため、このファイルの検査は不完全です",
              "Analysing " + node.path + " failed; the inspection of this file is incomplete",
              node.path + ": " + std::string(what), node);
}

}  // namespace emotriage::inspect
