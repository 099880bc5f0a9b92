// The complexity guard of growth.hpp must tell quadratic work from linear work, or every test
// that relies on it could never fail.
#include "growth.hpp"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cstddef>

namespace emotriage::test_support {
namespace {

void linear_work(std::size_t scale) {
  volatile std::size_t sum = 0;
  for (std::size_t i = 0; i < scale * 100000; ++i) sum = sum + i;
}

void quadratic_work(std::size_t scale) {
  volatile std::size_t sum = 0;
  const std::size_t n = scale * 300;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) sum = sum + j;
  }
}

TEST(Growth, LinearWorkPasses) {
  expect_linear_growth(linear_work);
}

TEST(Growth, QuadraticWorkFails) {
  EXPECT_NONFATAL_FAILURE(expect_linear_growth(quadratic_work), "time grew from");
}

}  // namespace
}  // namespace emotriage::test_support
