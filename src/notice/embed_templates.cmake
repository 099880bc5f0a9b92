# Writes OUTPUT, a C++ file holding every TEMPLATE_DIR/**/*.mustache as a string (see
# embedded_templates.hpp). Run as: cmake -DTEMPLATE_DIR=... -DOUTPUT=... -P embed_templates.cmake
file(GLOB_RECURSE files RELATIVE ${TEMPLATE_DIR} ${TEMPLATE_DIR}/*.mustache)
list(SORT files)
set(entries "")
foreach(file ${files})
  file(READ ${TEMPLATE_DIR}/${file} hex HEX)
  string(LENGTH "${hex}" hex_length)
  math(EXPR length "${hex_length} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${hex}")
  string(APPEND entries "    {\"${file}\", std::string_view(\"${escaped}\", ${length})},\n")
endforeach()
file(WRITE ${OUTPUT}.tmp
"// Generated from templates/ by embed_templates.cmake; do not edit.
#include \"notice/embedded_templates.hpp\"

namespace emotriage::notice {

namespace {
constexpr EmbeddedTemplate kTemplates[] = {
${entries}};
}  // namespace

std::span<const EmbeddedTemplate> embedded_templates() { return kTemplates; }

}  // namespace emotriage::notice
")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
