// The two languages every user-facing text exists in.
#pragma once
#include <string_view>

namespace emotriage::report {

enum class Lang { ja, en };

inline std::string_view pick(Lang lang, std::string_view ja, std::string_view en) {
  return lang == Lang::ja ? ja : en;
}

}  // namespace emotriage::report
