// The same mail as .eml and as .msg must get the same verdict. Each incident of
// examples/incidents is written as an Outlook .msg at test time (the office tests' CFB writer):
// its header block as PR_TRANSPORT_MESSAGE_HEADERS, its bodies as PR_BODY / PR_HTML, its
// attachments by value and its attached mails as embedded messages, as Outlook saves a received
// mail. Both files then go through the whole pipeline (ingest sniffing, parse, analysis).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <tuple>

#include <unistd.h>
#include "app/pipeline.hpp"

#include "fixtures.hpp"
#include "mime/parser.hpp"
#include "outlook/detail.hpp"
#include "profile/profile.hpp"

namespace emotriage::outlook {
namespace {

namespace fs = std::filesystem;
using office::test::le32;
using office::test::make_cfb;
using Streams = std::vector<std::pair<std::string, std::string>>;

constexpr std::uint32_t kUtf8 = 65001;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string entry(std::uint16_t id, std::uint16_t type, std::uint64_t value) {
  return le32((std::uint32_t{id} << 16) | type) + le32(6) +
         le32(static_cast<std::uint32_t>(value)) + le32(static_cast<std::uint32_t>(value >> 32));
}

void add(Streams& streams, std::string& properties, const std::string& prefix, std::uint16_t id,
         std::uint16_t type, std::string value) {
  char name[32];
  std::snprintf(name, sizeof name, "__substg1.0_%04X%04X", id, type);
  properties += entry(id, type, value.size());
  streams.emplace_back(prefix + name, std::move(value));
}

// The nearest attached message (message/rfc822 part) holding part `index`, or -1.
int owner_of(const core::Message& message, std::size_t index) {
  for (int at = message.parts[index].parent; at >= 0;
       at = message.parts[static_cast<std::size_t>(at)].parent) {
    if (message.parts[static_cast<std::size_t>(at)].message) return at;
  }
  return -1;
}

std::string header_block(const core::Envelope& envelope) {
  std::string out;
  for (const auto& header : envelope.headers) out += header.name + ": " + header.raw + "\r\n";
  return out;
}

class MsgWriter {
 public:
  explicit MsgWriter(const core::Message& message) : message_(message) {}

  // The message owned by `owner` (-1: the top one) under `prefix`; `header_bytes` is 32 at the
  // top and 24 for an embedded message (MS-OXMSG 2.4.1).
  void write(int owner, const std::string& prefix, std::size_t header_bytes,
             const core::Envelope& envelope) {
    std::string props(header_bytes, '\0');
    props += entry(0x3FFD, detail::kPtLong, kUtf8);  // PR_MESSAGE_CODEPAGE
    props += entry(0x3FDE, detail::kPtLong, kUtf8);  // PR_INTERNET_CPID
    add(streams_, props, prefix, 0x007D, detail::kPtString8, header_block(envelope));
    int attachments = 0;
    bool plain = false, html = false;
    for (std::size_t i = 0; i < message_.parts.size(); ++i) {
      const core::Part& part = message_.parts[i];
      if (owner_of(message_, i) != owner || part.is_multipart) continue;
      const bool body = !part.is_attachment && !part.message;
      if (body && part.content_type == "text/plain" && !plain) {
        plain = true;
        add(streams_, props, prefix, 0x1000, detail::kPtString8, part.text);
      } else if (body && part.content_type == "text/html" && !html) {
        html = true;
        add(streams_, props, prefix, 0x1013, detail::kPtBinary, part.text);
      } else if (part.message || part.is_attachment) {
        char name[40];
        std::snprintf(name, sizeof name, "__attach_version1.0_#%08X/", attachments++);
        attachment(prefix + name, static_cast<int>(i));
      }
    }
    streams_.emplace_back(prefix + "__properties_version1.0", props);
  }

  std::string bytes() const { return make_cfb(streams_); }

 private:
  void attachment(const std::string& prefix, int index) {
    const core::Part& part = message_.parts[static_cast<std::size_t>(index)];
    std::string props(8, '\0');
    if (!part.filename.empty()) {
      add(streams_, props, prefix, 0x3707, detail::kPtString8, part.filename);
    }
    if (part.message) {
      props += entry(0x3705, detail::kPtLong, 5);  // ATTACH_EMBEDDED_MSG
      props += entry(0x3701, detail::kPtObject, 0);
      write(index, prefix + "__substg1.0_3701000D/", 24, *part.message);
    } else {
      props += entry(0x3705, detail::kPtLong, 1);  // ATTACH_BY_VALUE
      add(streams_, props, prefix, 0x370E, detail::kPtString8, part.content_type);
      add(streams_, props, prefix, 0x3701, detail::kPtBinary, part.content);
    }
    streams_.emplace_back(prefix + "__properties_version1.0", props);
  }

  const core::Message& message_;
  Streams streams_;
};

struct Outcome {
  std::string scenario;
  int score = 0;
  std::set<std::string> ids;
};

// Every analysis of one input (the mail, then its attached mails), in order.
std::vector<Outcome> analyse(const fs::path& input, const app::AnalysisContext& context) {
  app::BatchOptions options;
  options.jobs = 1;
  options.analysis = &context;
  std::vector<Outcome> out;
  std::function<void(const verdict::Analysis&)> collect = [&](const verdict::Analysis& analysis) {
    Outcome outcome{
        std::string(verdict::to_string(analysis.verdict.scenario)), analysis.verdict.score, {}};
    for (const auto* finding :
         verdict::all_findings(analysis.message, analysis.evidence, analysis.inspection)) {
      outcome.ids.insert(finding->id);
    }
    out.push_back(std::move(outcome));
    for (const auto& inner : analysis.attached) collect(inner);
  };
  app::run_batch({input.string()}, options,
                 {.message = {},
                  .analysis = [&](verdict::Analysis&& analysis) { collect(analysis); },
                  .error = {},
                  .skipped = {},
                  .progress = {}});
  return out;
}

// A colleague's mail that carries `file` (a .msg or .eml) as a plain attachment, as Outlook and
// most clients send "forward as attachment" of a saved file.
std::string carrier_of(const std::string& file, const std::string& name, const std::string& type) {
  return "From: 山田 太郎 <t.yamada@sample-shoji.example>\r\n"
         "To: security@sample-shoji.example\r\n"
         "Subject: =?UTF-8?B?5LiN5a+p44Gq44Oh44O844Or44KS6Lui6YCB44GX44G+44GZ?=\r\n"
         "Date: Mon, 05 Jan 2026 10:00:00 +0900\r\n"
         "Message-ID: <carrier@sample-shoji.example>\r\n"
         "MIME-Version: 1.0\r\n"
         "Content-Type: multipart/mixed; boundary=\"carrier\"\r\n\r\n"
         "--carrier\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
         "Please check the attached mail.\r\n"
         "--carrier\r\nContent-Type: " +
         type + "\r\nContent-Disposition: attachment; filename=\"" + name +
         "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + detail::base64_lines(file) +
         "--carrier--\r\n";
}

class IncidentFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    auto profile = profile::load_profile((source_ / "examples/profile.toml").string());
    ASSERT_TRUE(profile.has_value());
    matcher_.emplace(std::move(*profile));
    context_ = app::AnalysisContext{.matcher = &*matcher_};
    mime::initialize();
    fs::create_directories(scratch_);
  }
  void TearDown() override { fs::remove_all(scratch_); }

  // Calls `check(eml path, eml bytes, the same mail as .msg bytes)` for every incident.
  template <class Check>
  void for_each_incident(Check check) {
    std::size_t compared = 0;
    for (const auto& file : fs::directory_iterator(source_ / "examples/incidents")) {
      if (file.path().extension() != ".eml") continue;
      SCOPED_TRACE(file.path().filename().string());
      const std::string eml = read_file(file.path());
      const core::Message parsed = mime::parse_message(eml, "x.eml", core::Limits{});
      MsgWriter writer(parsed);
      writer.write(-1, "", 32, parsed.envelope);
      check(file.path(), eml, writer.bytes());
      ++compared;
    }
    EXPECT_EQ(compared, 14u);
  }

  fs::path write(const std::string& name, const std::string& bytes) const {
    const fs::path path = scratch_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  const fs::path source_{EMOTRIAGE_SOURCE_DIR};
  const fs::path scratch_ =
      fs::temp_directory_path() / ("emotriage-msg-" + std::to_string(getpid()));
  std::optional<profile::Matcher> matcher_;
  app::AnalysisContext context_;
};

TEST_F(IncidentFiles, EveryIncidentAsMsgGetsTheVerdictOfItsEml) {
  for_each_incident([&](const fs::path& eml, const std::string&, const std::string& msg) {
    const std::vector<Outcome> from_eml = analyse(eml, context_);
    const std::vector<Outcome> from_msg = analyse(write("incident.msg", msg), context_);
    ASSERT_EQ(from_eml.size(), from_msg.size());
    for (std::size_t i = 0; i < from_eml.size(); ++i) {
      EXPECT_EQ(from_eml[i].scenario, from_msg[i].scenario) << "analysis " << i;
      EXPECT_EQ(from_eml[i].score, from_msg[i].score) << "analysis " << i;
      EXPECT_EQ(from_eml[i].ids, from_msg[i].ids) << "analysis " << i;
    }
  });
}

// Found in audit: an incident forwarded as an attached .msg file (or a saved .eml sent as
// application/octet-stream) was one opaque attachment of the colleague's mail — never parsed, its
// attachments never inspected, and the forward judged "not suspicious". The attached file is the
// reported mail: it gets the verdict of the incident itself, and the colleague is not blamed.
TEST_F(IncidentFiles, AnIncidentAttachedAsAFileGetsTheVerdictOfItsEml) {
  for_each_incident([&](const fs::path& eml_path, const std::string& eml, const std::string& msg) {
    const std::vector<Outcome> from_eml = analyse(eml_path, context_);
    for (const auto& [name, type, bytes] :
         {std::tuple{"reported.msg", "application/vnd.ms-outlook", msg},
          std::tuple{"reported.eml", "application/octet-stream", eml}}) {
      SCOPED_TRACE(name);
      const std::vector<Outcome> carried =
          analyse(write("carrier.eml", carrier_of(bytes, name, type)), context_);
      ASSERT_EQ(carried.size(), from_eml.size() + 1);
      EXPECT_EQ(carried[0].scenario, "not-suspicious");
      for (std::size_t i = 0; i < from_eml.size(); ++i) {
        std::set<std::string> expected_ids = from_eml[i].ids;
        if (i == 0) expected_ids.insert("forward.attached");
        EXPECT_EQ(carried[i + 1].scenario, from_eml[i].scenario) << "analysis " << i;
        EXPECT_EQ(carried[i + 1].score, from_eml[i].score) << "analysis " << i;
        EXPECT_EQ(carried[i + 1].ids, expected_ids) << "analysis " << i;
      }
    }
  });
}

}  // namespace
}  // namespace emotriage::outlook
