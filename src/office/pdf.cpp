// PDF: actions (/URI, /Launch, /JavaScript, /OpenAction, /AA), embedded files (/EmbeddedFile
// streams, /F and /UF names), read from the raw file and from FlateDecode streams (zlib, bounded
// per stream and by the document's decoded budget). Names are compared after #xx unescaping, so
// /J#61vaScript counts as /JavaScript.
#include <zlib.h>

#include <cstring>

#include "core/text.hpp"
#include "office/analysis.hpp"

namespace emotriage::office::detail {
namespace {

// Real PDFs have a few thousand streams; each one is inflated at most to this size.
constexpr std::size_t kMaxPdfStreams = 10000;
constexpr std::uint64_t kMaxPdfStreamBytes = 32ull << 20;
constexpr std::size_t kMaxPdfString = 8192;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\0';
}
bool is_delimiter(char c) {
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
         c == '}' || c == '/' || c == '%';
}
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A literal "( ... )" or hex "< ... >" string starting at `pos`; empty optional if neither.
std::optional<std::string> read_string(std::string_view text, std::size_t pos) {
  while (pos < text.size() && is_space(text[pos])) ++pos;
  if (pos >= text.size()) return std::nullopt;
  std::string out;
  if (text[pos] == '(') {
    int depth = 1;
    for (++pos; pos < text.size() && out.size() < kMaxPdfString; ++pos) {
      const char c = text[pos];
      if (c == '\\' && pos + 1 < text.size()) {
        const char next = text[++pos];
        switch (next) {
          case 'n':
            out.push_back('\n');
            break;
          case 'r':
            out.push_back('\r');
            break;
          case 't':
            out.push_back('\t');
            break;
          case '\r':
          case '\n':
            break;
          default:
            if (next >= '0' && next <= '7') {
              int value = next - '0';
              for (int k = 0;
                   k < 2 && pos + 1 < text.size() && text[pos + 1] >= '0' && text[pos + 1] <= '7';
                   ++k) {
                value = value * 8 + (text[++pos] - '0');
              }
              out.push_back(static_cast<char>(value));
            } else {
              out.push_back(next);
            }
        }
        continue;
      }
      if (c == '(') ++depth;
      if (c == ')' && --depth == 0) break;
      out.push_back(c);
    }
    return out;
  }
  if (text[pos] == '<' && (pos + 1 >= text.size() || text[pos + 1] != '<')) {
    int high = -1;
    for (++pos; pos < text.size() && text[pos] != '>' && out.size() < kMaxPdfString; ++pos) {
      const int value = hex_value(text[pos]);
      if (value < 0) continue;
      if (high < 0) {
        high = value;
      } else {
        out.push_back(static_cast<char>(high * 16 + value));
        high = -1;
      }
    }
    return out;
  }
  return std::nullopt;
}

// PDF text strings are PDFDocEncoding (read as Latin-1) or UTF-16BE with a BOM.
std::string text_string(std::string_view raw) {
  if (raw.starts_with("\xFE\xFF")) return decode_code_page(raw.substr(2), 1201);
  if (core::is_valid_utf8(raw)) return std::string(raw);
  return decode_code_page(raw, 28591);
}

struct PdfState {
  std::vector<std::string> file_names;  // /F and /UF strings, in file order
  std::size_t embedded_streams = 0;
};

void scan_objects(std::string_view text, Context& context, PdfState& state) {
  for (std::size_t pos = text.find('/'); pos != std::string_view::npos; pos = text.find('/', pos)) {
    ++pos;
    std::string name;
    while (pos < text.size() && !is_space(text[pos]) && !is_delimiter(text[pos]) &&
           name.size() < 64) {
      if (text[pos] == '#' && pos + 2 < text.size() && hex_value(text[pos + 1]) >= 0 &&
          hex_value(text[pos + 2]) >= 0) {
        name.push_back(static_cast<char>(hex_value(text[pos + 1]) * 16 + hex_value(text[pos + 2])));
        pos += 3;
      } else {
        name.push_back(text[pos++]);
      }
    }
    if (name == "URI") {
      if (const auto value = read_string(text, pos)) context.url(text_string(*value));
    } else if (name == "Launch" || name == "JavaScript" || name == "JS" || name == "OpenAction" ||
               name == "AA" || name == "EmbeddedFile" || name == "RichMedia" || name == "XFA") {
      context.property("pdf.keyword", "/" + name);
      if (name == "JavaScript" || name == "JS" || name == "Launch") {
        add_unique(context.node.keywords, "/" + name);
      }
      if (name == "Launch") {
        if (const auto value = read_string(text, pos))
          context.property("pdf.launch", text_string(*value));
      }
    } else if (name == "F" || name == "UF") {
      if (const auto value = read_string(text, pos); value && !value->empty()) {
        const std::string file = text_string(*value);
        add_unique(state.file_names, file);
        context.property("pdf.file-name", file);
      }
    }
  }
}

// Inflates a FlateDecode stream; a truncated or corrupt stream yields what inflated cleanly.
std::string inflate_stream(std::string_view data, std::uint64_t max_bytes, bool* cut) {
  std::string out;
  z_stream stream{};
  if (inflateInit(&stream) != Z_OK) return out;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(std::min<std::size_t>(data.size(), UINT32_MAX));
  char buffer[65536];
  for (;;) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    const int status = inflate(&stream, Z_NO_FLUSH);
    const std::size_t produced = sizeof buffer - stream.avail_out;
    if (out.size() + produced > max_bytes) {
      *cut = true;
      break;
    }
    out.append(buffer, produced);
    if (status != Z_OK || (produced == 0 && stream.avail_in == 0)) break;
  }
  inflateEnd(&stream);
  return out;
}

}  // namespace

void analyze_pdf(std::string_view bytes, Context& context) {
  PdfState state;
  scan_objects(bytes, context, state);
  std::size_t streams = 0;
  std::size_t pos = 0;
  while ((pos = core::find_bytes(bytes, "stream", pos)) != std::string_view::npos) {
    const std::size_t keyword = pos;
    pos += 6;
    if (keyword >= 3 && bytes.substr(keyword - 3, 3) == "end") continue;
    if (++streams > kMaxPdfStreams) {
      context.limit("office.pdf_streams", kMaxPdfStreams);
      break;
    }
    std::size_t start = pos;
    if (start < bytes.size() && bytes[start] == '\r') ++start;
    if (start < bytes.size() && bytes[start] == '\n') ++start;
    std::size_t end = core::find_bytes(bytes, "endstream", start);
    if (end == std::string_view::npos) end = bytes.size();
    // The stream dictionary: back to the nearest "obj" keyword, at most 4 KiB before.
    const std::size_t window = keyword > 4096 ? keyword - 4096 : 0;
    const std::size_t object = bytes.substr(window, keyword - window).rfind("obj");
    const std::string_view dictionary =
        bytes.substr(object == std::string_view::npos ? window : window + object,
                     keyword - (object == std::string_view::npos ? window : window + object));
    const bool flate = dictionary.find("/FlateDecode") != std::string_view::npos ||
                       dictionary.find("/Fl ") != std::string_view::npos ||
                       dictionary.find("/Fl/") != std::string_view::npos ||
                       dictionary.find("/Fl]") != std::string_view::npos;
    const bool embedded_file = dictionary.find("/EmbeddedFile") != std::string_view::npos;
    const std::string_view raw = bytes.substr(start, end - start);
    pos = end;
    std::string decoded;
    if (flate) {
      bool cut = false;
      decoded = inflate_stream(
          raw, std::min<std::uint64_t>(kMaxPdfStreamBytes, context.decoded_budget), &cut);
      if (cut) context.limit("office.pdf_stream_bytes", kMaxPdfStreamBytes);
      if (!context.consume(decoded.size())) break;
    } else if (embedded_file) {
      decoded.assign(raw);
      if (!context.consume(decoded.size())) break;
    } else {
      continue;  // unfiltered streams were scanned with the raw file
    }
    if (embedded_file) {
      const std::size_t index = state.embedded_streams++;
      // Filespecs usually precede their streams in file order; the n-th name goes to the n-th file.
      std::string name = index < state.file_names.size()
                             ? state.file_names[index]
                             : "pdf-embedded-" + std::to_string(index + 1) + ".bin";
      context.add_embedded(std::move(name), std::move(decoded));
    } else {
      scan_objects(decoded, context, state);
      scan_lure(decoded, context);
    }
  }
}

}  // namespace emotriage::office::detail
