// Failures of the tool itself (I/O, bad arguments). Malformed mail is never an Error: it becomes a
// finding on the message (see finding.hpp).
#pragma once
#include <expected>
#include <string>

namespace emotriage::core {

enum class ErrorCode { io, not_found, invalid_argument, unsupported, internal };

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string detail;
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorCode code, std::string detail) {
  return std::unexpected<Error>(Error{code, std::move(detail)});
}

}  // namespace emotriage::core
