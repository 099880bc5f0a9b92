// emotriage project rule: the lure text of Emotet-era documents that asks the reader to turn
// macros on ("Enable Content" / 「コンテンツの有効化」). Japanese is matched as UTF-16LE (Word and
// Excel text), CP932 (older documents) and UTF-8. A document that only mentions the button is
// possible, hence medium.
rule emotriage_document_enable_content_lure : lure emotet
{
  meta:
    author = "emotriage project"
    severity = "medium"
    description = "Document text asks to click 'Enable Content' or 'Enable Editing'"
    description_ja = "文書に「コンテンツの有効化」「編集を有効にする」を押させる文言があります"
  strings:
    $en1 = "Enable Content" nocase ascii wide
    $en2 = "Enable Editing" nocase ascii wide
    $en3 = "Enable Macros" nocase ascii wide
    // コンテンツの有効化
    $ja1_utf16 = { B3 30 F3 30 C6 30 F3 30 C4 30 6E 30 09 67 B9 52 16 53 }
    $ja1_cp932 = { 83 52 83 93 83 65 83 93 83 63 82 CC 97 4C 8C F8 89 BB }
    $ja1_utf8 = { E3 82 B3 E3 83 B3 E3 83 86 E3 83 B3 E3 83 84 E3 81 AE E6 9C 89 E5 8A B9 E5 8C 96 }
    // 編集を有効にする
    $ja2_utf16 = { E8 7D C6 96 92 30 09 67 B9 52 6B 30 59 30 8B 30 }
    $ja2_cp932 = { 95 D2 8F 57 82 F0 97 4C 8C F8 82 C9 82 B7 82 E9 }
    $ja2_utf8 = { E7 B7 A8 E9 9B 86 E3 82 92 E6 9C 89 E5 8A B9 E3 81 AB E3 81 99 E3 82 8B }
  condition:
    any of them
}
