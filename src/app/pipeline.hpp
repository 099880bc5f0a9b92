// The facade that the CLI and the web UI (and later a mail filter) share: inputs -> raw messages
// -> parsed (and, with an analysis context, analysed) messages, as a parallel map with results
// delivered in input order.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/analyze.hpp"
#include "core/error.hpp"
#include "core/limits.hpp"
#include "core/message.hpp"
#include "ingest/source.hpp"

namespace emotriage::app {

// One message, parsed. Pure: no I/O, no global state; safe to call from any thread.
core::Message parse_raw(const ingest::RawMessage& raw, const core::Limits& limits);

// One raw message (read in memory: an upload), parsed and analysed; a failure inside costs this
// message only (failed, parse.crashed), as in a batch.
verdict::Analysis analyze_raw(const ingest::RawMessage& raw, const AnalysisContext& context,
                              const core::Limits& limits);

struct BatchOptions {
  core::Limits limits;
  unsigned jobs = 0;  // 0: all cores (at most 256)
  // When set, each message is analysed on the worker and delivered through BatchEvents::analysis.
  const AnalysisContext* analysis = nullptr;
  // Keep each message's bytes in Message::raw (the case ledger stores the originals).
  bool keep_raw = false;
  // Tests only: called before each message is parsed, on the worker; whatever it throws must
  // cost that one message (parse.crashed), never the batch.
  std::function<void(const ingest::RawMessage&)> fault_injection;
};

// How far a batch is, after each delivered message.
struct BatchProgress {
  std::uint64_t messages = 0;
  std::uint64_t bytes = 0;  // the delivered messages' sizes
  // The inputs measured before reading (ingest::measure_input); unknown when one of them is
  // (stdin, a pipe).
  std::optional<ingest::Amount> total;
  ingest::Amount done;  // of the inputs, up to the end of the last delivered message
};

struct BatchEvents {
  std::function<void(core::Message&&)> message;       // in input order (without analysis)
  std::function<void(verdict::Analysis&&)> analysis;  // in input order (with analysis)
  std::function<void(const core::Error&)> error;      // an input could not be read
  std::function<void(const ingest::Skipped&)> skipped;
  // May be empty; when set, the inputs are measured before reading (a PST/OST's folders counted).
  std::function<void(const BatchProgress&)> progress;
};

struct BatchStats {
  std::uint64_t messages = 0;
  std::uint64_t bytes = 0;
  std::uint64_t errors = 0;
  std::uint64_t skipped = 0;
  std::uint64_t crashed = 0;  // messages whose parse or analysis failed (parse.crashed)
};

// Reads every input and parses its messages on `jobs` threads. Events arrive on the calling
// thread, in order. Memory stays bounded: reading waits while too many results are pending.
BatchStats run_batch(const std::vector<std::string>& inputs, const BatchOptions& options,
                     const BatchEvents& events);

}  // namespace emotriage::app
