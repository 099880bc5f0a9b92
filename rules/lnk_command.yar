// emotriage project rule: a Windows shortcut (MS-SHLLINK) with command-line arguments that start
// a shell or a script host, as in the 2022 Emotet LNK wave. Header size 0x4C, the shell-link
// CLSID, and the HasArguments flag (0x20) in LinkFlags.
rule emotriage_lnk_command_arguments : lnk emotet
{
  meta:
    author = "emotriage project"
    severity = "high"
    description = "Windows shortcut whose arguments start cmd, PowerShell or a script host"
    description_ja = "引数で cmd・PowerShell・スクリプトホストを起動する Windows ショートカット"
  strings:
    $c1 = "cmd.exe" nocase ascii wide
    $c2 = "cmd /c" nocase ascii wide
    $c3 = "powershell" nocase ascii wide
    $c4 = "mshta" nocase ascii wide
    $c5 = "wscript" nocase ascii wide
    $c6 = "cscript" nocase ascii wide
    $c7 = "findstr" nocase ascii wide
    $c8 = "certutil" nocase ascii wide
    $c9 = "regsvr32" nocase ascii wide
  condition:
    uint32(0) == 0x0000004C and uint32(4) == 0x00021401 and (uint32(20) & 0x20) != 0 and
    any of ($c*)
}
