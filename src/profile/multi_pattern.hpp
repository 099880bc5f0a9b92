// Aho-Corasick over bytes: finds every occurrence of many patterns in one pass over a text, so
// searching for 1,000 employees' names costs about what searching for one does.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace emotriage::profile {

class MultiPatternMatcher {
 public:
  // Adds a pattern (non-empty, different from every earlier one) and returns its id: 0, 1, 2 ...
  int add(std::string_view pattern);
  // Computes failure links; call once after the last add and before scan.
  void build();

  // Calls on_match(pattern_id, end) for every occurrence, `end` one past its last byte, in the
  // order the occurrences end. Returns false as soon as on_match does (the caller's bound).
  template <class OnMatch>
  bool scan(std::string_view text, OnMatch&& on_match) const {
    int state = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      state = step(state, static_cast<unsigned char>(text[i]));
      for (int node = nodes_[state].pattern >= 0 ? state : nodes_[state].output_link; node > 0;
           node = nodes_[node].output_link) {
        if (!on_match(nodes_[node].pattern, i + 1)) return false;
      }
    }
    return true;
  }

  std::size_t pattern_length(int id) const { return lengths_[static_cast<std::size_t>(id)]; }

 private:
  struct Node {
    std::vector<std::pair<unsigned char, int>> edges;  // sorted by byte after build()
    int fail = 0;
    int output_link = -1;  // nearest proper suffix state that ends a pattern
    int pattern = -1;      // the pattern ending here
  };
  int child(int state, unsigned char byte) const;
  int step(int state, unsigned char byte) const;

  std::vector<Node> nodes_{1};
  // The root's transitions as a table: most bytes of a text leave from the root.
  std::array<int, 256> root_next_{};
  std::vector<std::size_t> lengths_;
};

}  // namespace emotriage::profile
