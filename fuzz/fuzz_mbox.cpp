// mbox splitting with a tiny window so chunk boundaries and the size cut are exercised.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "ingest/source.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  emotriage::ingest::Options options;
  options.max_message_bytes = 512;
  options.read_chunk = 61;
  std::uint64_t total = 0;
  emotriage::ingest::Visitor visitor{
      .message =
          [&](emotriage::ingest::RawMessage&& message) {
            if (message.bytes.size() > options.max_message_bytes) __builtin_trap();
            total += message.bytes.size();
          },
      .error = [](emotriage::core::Error) {},
      .skipped = {},
  };
  emotriage::ingest::read_mbox(in, "fuzz", options, visitor);
  return total > size ? 1 : 0;
}
