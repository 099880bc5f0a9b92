#include "profile/multi_pattern.hpp"

#include <algorithm>
#include <deque>

namespace emotriage::profile {

int MultiPatternMatcher::add(std::string_view pattern) {
  int state = 0;
  for (char c : pattern) {
    auto byte = static_cast<unsigned char>(c);
    int next = -1;
    for (const auto& [edge_byte, target] : nodes_[state].edges) {
      if (edge_byte == byte) next = target;
    }
    if (next < 0) {
      next = static_cast<int>(nodes_.size());
      nodes_[state].edges.emplace_back(byte, next);
      nodes_.emplace_back();
    }
    state = next;
  }
  int id = static_cast<int>(lengths_.size());
  nodes_[state].pattern = id;
  lengths_.push_back(pattern.size());
  return id;
}

void MultiPatternMatcher::build() {
  for (Node& node : nodes_) std::sort(node.edges.begin(), node.edges.end());
  root_next_.fill(0);
  for (const auto& [byte, target] : nodes_[0].edges) root_next_[byte] = target;
  // Breadth-first, so every failure target is finished before it is used.
  std::deque<int> queue;
  for (const auto& [byte, target] : nodes_[0].edges) {
    nodes_[target].fail = 0;
    queue.push_back(target);
  }
  while (!queue.empty()) {
    int state = queue.front();
    queue.pop_front();
    for (const auto& [byte, target] : nodes_[state].edges) {
      int fallback = nodes_[state].fail;
      while (fallback > 0 && child(fallback, byte) < 0) fallback = nodes_[fallback].fail;
      int fail = child(fallback, byte);
      nodes_[target].fail = fail >= 0 && fail != target ? fail : 0;
      const Node& fail_node = nodes_[nodes_[target].fail];
      nodes_[target].output_link =
          fail_node.pattern >= 0 ? nodes_[target].fail : fail_node.output_link;
      queue.push_back(target);
    }
  }
}

int MultiPatternMatcher::child(int state, unsigned char byte) const {
  const auto& edges = nodes_[state].edges;
  auto it = std::lower_bound(edges.begin(), edges.end(), std::make_pair(byte, 0),
                             [](const auto& a, const auto& b) { return a.first < b.first; });
  return it != edges.end() && it->first == byte ? it->second : -1;
}

int MultiPatternMatcher::step(int state, unsigned char byte) const {
  while (state != 0) {
    int next = child(state, byte);
    if (next >= 0) return next;
    state = nodes_[state].fail;
  }
  return root_next_[byte];
}

}  // namespace emotriage::profile
