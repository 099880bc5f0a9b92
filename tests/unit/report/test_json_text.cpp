// The compact JSON writer against nlohmann's dump, which it replaces on the output paths: the
// same text for every byte value, invalid UTF-8, every number kind and nesting.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "report/json_text.hpp"

namespace emotriage::report {
namespace {

using Json = nlohmann::ordered_json;

std::string reference(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

TEST(CompactJson, EveryByteValueAsNlohmannWritesIt) {
  for (int c = 0; c < 256; ++c) {
    SCOPED_TRACE(c);
    // A short string (scalar only), inside the first and the second 16-byte block, and in the
    // tail after two blocks.
    for (auto [at, size] :
         {std::pair<std::size_t, std::size_t>{1, 5}, {5, 21}, {17, 40}, {33, 40}}) {
      std::string text(size, 'a');
      text[at] = static_cast<char>(c);
      EXPECT_EQ(compact_json(Json(text)), reference(Json(text)));
    }
  }
}

TEST(CompactJson, InvalidUtf8AndEscapesAsNlohmannWritesThem) {
  for (std::string text :
       {std::string("\"quoted\\path\"\r\n\t\x01\x1f\x7f"), std::string("日本語 ①㈱ \xE9\xAB\x99"),
        std::string("\xFF\xFE"), std::string("\xE3\x81"), std::string("ok\xC3\x28tail"),
        std::string("\xED\xA0\x80 surrogate"), std::string("\xF4\x90\x80\x80"),
        std::string("\xC0\xAF overlong"), std::string()}) {
    EXPECT_EQ(compact_json(Json(text)), reference(Json(text)));
  }
}

// Random strings of pieces that matter (ASCII, controls, quote, backslash, multi-byte characters)
// long enough for the 16-byte scan; once only valid UTF-8, once with invalid bytes mixed in.
std::string random_text(std::mt19937& random, const std::vector<std::string>& pieces) {
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 60);
  std::string text;
  for (int n = length(random); n > 0; --n) text += pieces[pick(random)];
  return text;
}

TEST(CompactJson, RandomStringsAsNlohmannWritesThem) {
  const std::vector<std::string> valid = {
      "a",    "b",    " ",    "\"",       "\\",           "\n",
      "\x01", "\x1f", "\x7f", "\xC3\xA9", "\xE3\x81\x82", "\xF0\x9F\x98\x80"};
  std::vector<std::string> mixed = valid;
  for (const char* invalid : {"\x80", "\xBF", "\xFF", "\xE3\x81", "\xED\xA0\x80", "\xC0\xAF"}) {
    mixed.emplace_back(invalid);
  }
  const std::vector<std::string>* piece_sets[] = {&valid, &mixed};
  std::mt19937 random(20261130);
  for (int round = 0; round < 10'000; ++round) {
    for (const std::vector<std::string>* pieces : piece_sets) {
      std::string text = random_text(random, *pieces);
      ASSERT_EQ(compact_json(Json(text)), reference(Json(text))) << round;
    }
  }
}

TEST(CompactJson, NumbersNestingAndKeysAsNlohmannWritesThem) {
  Json value = Json::object();
  value["min"] = std::numeric_limits<std::int64_t>::min();
  value["max"] = std::numeric_limits<std::int64_t>::max();
  value["unsigned"] = std::numeric_limits<std::uint64_t>::max();
  value["zero"] = 0;
  value["negative"] = -42;
  value["floats"] = Json::array({0.1, 1e300, -0.0, 2.5, std::numeric_limits<double>::quiet_NaN()});
  value["flags"] = Json::array({true, false, nullptr});
  value["empty"] = Json::object();
  value["none"] = Json::array();
  value["key \"needs\"\n escaping"] = "v";
  value["\xFF invalid key"] = Json::array({Json::object({{"nested", Json::array({1, "x"})}})});
  EXPECT_EQ(compact_json(value), reference(value));
}

}  // namespace
}  // namespace emotriage::report
