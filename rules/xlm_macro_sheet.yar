// emotriage project rule: a BIFF8 workbook (.xls) with an Excel 4.0 macro sheet and the
// functions or command lines the 2021–22 Emotet XLM droppers used. A BOUNDSHEET record
// (type 0x0085) whose sheet-type byte is 0x01 declares a macro sheet; the visibility byte before
// it may be visible (0), hidden (1) or very hidden (2).
rule emotriage_xlm_macro_sheet_exec : office xlm emotet
{
  meta:
    author = "emotriage project"
    severity = "high"
    description = "Excel 97-2003 workbook with an Excel 4.0 macro sheet that runs or fetches code"
    description_ja = "コードを実行・取得する Excel 4.0 マクロシートを含む Excel 97-2003 ブック"
  strings:
    $macro_sheet = { 85 00 ?? 00 ?? ?? ?? ?? (00 | 01 | 02) 01 }
    $f1 = "EXEC" ascii wide
    $f2 = "CALL" ascii wide
    $f3 = "REGISTER" ascii wide
    $f4 = "URLDownloadToFile" nocase ascii wide
    $f5 = "regsvr32" nocase ascii wide
    $f6 = "rundll32" nocase ascii wide
    $f7 = "mshta" nocase ascii wide
  condition:
    uint32be(0) == 0xD0CF11E0 and $macro_sheet and any of ($f*)
}
