// emotriage project rule: a OneNote section (.one) with an embedded file (FileDataStoreObject,
// MS-ONESTORE 2.6.13) whose payload is a script, HTA, batch file, shortcut or program: the 2023
// Emotet OneNote wave. The payload starts 36 bytes after the object's GUID (GUID, cbLength,
// two reserved fields) and is cbLength (its low 32 bits) long; markers are looked for inside it.
rule emotriage_onenote_embedded_script : onenote emotet
{
  meta:
    author = "emotriage project"
    severity = "high"
    description = "OneNote file with an embedded script, HTA, batch file, shortcut or program"
    description_ja = "スクリプト・HTA・バッチ・ショートカット・実行ファイルが埋め込まれた OneNote ファイル"
  strings:
    $file_data_store = { E7 16 E3 BD 65 26 11 45 A4 C4 8D 4D 0B 7A 9E AC }
    $s1 = "<job" nocase
    $s2 = "<hta:application" nocase
    $s3 = "<script" nocase
    $s4 = "@echo off" nocase
    $s5 = "WScript.Shell" nocase
    $s6 = "CreateObject" nocase
    $s7 = "powershell" nocase
    $s8 = { 4C 00 00 00 01 14 02 00 }
  condition:
    uint32be(0) == 0xE4525C7B and
    for any i in (1 .. #file_data_store) : (
      uint16(@file_data_store[i] + 36) == 0x5A4D or
      for any of ($s*) : ($ in (@file_data_store[i] + 36 ..
                               @file_data_store[i] + 36 + uint32(@file_data_store[i] + 16)))
    )
}
