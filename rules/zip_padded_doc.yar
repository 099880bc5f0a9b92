// emotriage project rule: a ZIP whose .doc member claims to inflate to 100 MB or more at a ratio
// of at least 100:1, the March 2023 Emotet trick (a < 1 MB zip holding a .doc padded with zeros
// past 500 MB so that scanners with size limits skip it). Read from the local file header
// (sizes at +18/+22, name length at +26, name at +30) and from the central directory header
// (sizes at +20/+24, name length at +28, name at +46), since a data descriptor leaves the local
// sizes zero. ZIP64 sizes (0xFFFFFFFF) are not followed.
rule emotriage_zip_padded_doc : zip padding emotet
{
  meta:
    author = "emotriage project"
    severity = "high"
    description = "ZIP with a .doc member padded to 100 MB or more (zero filler)"
    description_ja = "100 MB 以上に水増し (ゼロ埋め) された .doc を含む ZIP"
  strings:
    $local = { 50 4B 03 04 }
    $central = { 50 4B 01 02 }
    $doc = ".doc" nocase
  condition:
    uint32(0) == 0x04034B50 and (
      for any i in (1 .. #local) : (
        uint32(@local[i] + 22) >= 104857600 and uint32(@local[i] + 22) != 0xFFFFFFFF and
        uint32(@local[i] + 22) \ 100 >= uint32(@local[i] + 18) and
        $doc in (@local[i] + 30 .. @local[i] + 30 + uint16(@local[i] + 26))
      ) or
      for any j in (1 .. #central) : (
        uint32(@central[j] + 24) >= 104857600 and uint32(@central[j] + 24) != 0xFFFFFFFF and
        uint32(@central[j] + 24) \ 100 >= uint32(@central[j] + 20) and
        $doc in (@central[j] + 46 .. @central[j] + 46 + uint16(@central[j] + 28))
      )
    )
}
