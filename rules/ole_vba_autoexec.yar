// emotriage project rule: an OLE2 (CFB) Office file whose VBA project has an auto-exec entry point
// and a way to run or fetch code. This is the 2019–2022 Emotet Word/Excel dropper pattern. The
// names survive compression because VBA keeps identifiers uncompressed in the _VBA_PROJECT and
// dir streams' identifier table.
rule emotriage_ole_vba_autoexec_shell : office macro emotet
{
  meta:
    author = "emotriage project"
    severity = "high"
    description = "Office (OLE) document with a VBA auto-exec macro that can run commands"
    description_ja = "自動実行マクロとコマンド実行の手段を持つ Office (OLE) 文書"
  strings:
    $vba_project = "_VBA_PROJECT" wide
    $auto1 = "AutoOpen" nocase ascii wide
    $auto2 = "Auto_Open" nocase ascii wide
    $auto3 = "Document_Open" nocase ascii wide
    $auto4 = "Workbook_Open" nocase ascii wide
    $auto5 = "AutoExec" nocase ascii wide
    $auto6 = "Document_Close" nocase ascii wide
    $exec1 = "WScript.Shell" nocase ascii wide
    $exec2 = "CreateObject" nocase ascii wide
    $exec3 = "Shell" ascii wide
    $exec4 = "URLDownloadToFile" nocase ascii wide
    $exec5 = "Win32_Process" nocase ascii wide
    $exec6 = "powershell" nocase ascii wide
  condition:
    uint32be(0) == 0xD0CF11E0 and $vba_project and any of ($auto*) and any of ($exec*)
}
