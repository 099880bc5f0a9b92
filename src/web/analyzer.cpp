#include "web/analyzer.hpp"

#include <functional>
#include <span>
#include <spanstream>

#include "app/pipeline.hpp"
#include "ingest/source.hpp"
#include "report/analysis_report.hpp"
#include "report/campaign.hpp"

namespace emotriage::web {

Analyzer::Analyzer(AnalyzerSetup setup)
    : matcher_(std::move(setup.profile)),
      yara_(std::move(setup.yara)),
      contacts_(std::move(setup.contacts)),
      limits_(setup.limits) {
  context_.matcher = &matcher_;
  context_.yara = yara_ ? &*yara_ : nullptr;
}

nlohmann::ordered_json Analyzer::analyze(const std::vector<Upload>& uploads,
                                         report::Lang lang) const {
  report::Campaign campaign(&matcher_.profile(), contacts_ ? &*contacts_ : nullptr);
  auto messages = nlohmann::ordered_json::array();
  auto errors = nlohmann::ordered_json::array();
  auto skipped = nlohmann::ordered_json::array();
  // A mail and, after it, the mails attached to it, each a report of its own (as `analyze`).
  std::function<void(const verdict::Analysis&)> add = [&](const verdict::Analysis& analysis) {
    campaign.add(analysis);
    messages.push_back(report::analysis_to_json(analysis, lang));
    for (const auto& inner : analysis.attached) add(inner);
  };
  ingest::Options options;
  options.max_message_bytes = limits_.message_bytes;
  options.limits = limits_;
  const ingest::Visitor visitor{
      .message = [&](ingest::RawMessage&& raw) { add(app::analyze_raw(raw, context_, limits_)); },
      .error =
          [&](core::Error error) {
            errors.push_back({{"error", std::move(error.detail)}});
          },
      .skipped =
          [&](ingest::Skipped item) {
            skipped.push_back(
                {{"source", std::move(item.locator)}, {"reason", ingest::to_string(item.reason)}});
          },
  };
  for (const auto& upload : uploads) {
    std::ispanstream in(std::span<const char>(upload.bytes.data(), upload.bytes.size()));
    ingest::read_stream(in, upload.name, upload.bytes.size(), options, visitor);
  }
  nlohmann::ordered_json result{
      {"tool", "emotriage"}, {"version", EMOTRIAGE_VERSION}, {"command", "analyze"}};
  result["messages"] = std::move(messages);
  result["campaign"] = campaign.to_json();
  result["errors"] = std::move(errors);
  result["skipped"] = std::move(skipped);
  return result;
}

}  // namespace emotriage::web
