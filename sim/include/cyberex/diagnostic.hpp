/* Diagnostics about user input, GCC style so editors can jump to them:
 *   scenarios/x.json:41:17: error: [scenario.unknown-node] (/campaigns/0/steps/2/target) no node 'hmi-7'; did you mean
 * 'hmi-1'? */
#pragma once

#include <string>
#include <vector>

namespace cyberex {

struct Diagnostic {
  enum class Severity { error, warning, note };
  Severity severity = Severity::error;
  std::string file;
  int line = 0;        ///< 1-based; 0 when unknown
  int column = 0;      ///< 1-based, in Unicode code points (a tab is one column); 0 when unknown
  std::string code;    ///< e.g. "scenario.unknown-node"
  std::string pointer; ///< JSON pointer of the value (or key) at fault, may be empty
  std::string message;

  /// "file:line:col: error: [code] (pointer) message"
  std::string format() const;
};

/// Collects diagnostics; keeps them in the order they were found.
class Diagnostics {
public:
  void add(Diagnostic d) { items_.push_back(std::move(d)); }
  const std::vector<Diagnostic>& items() const { return items_; }
  bool has_errors() const;
  std::size_t error_count() const;
  std::size_t warning_count() const;

private:
  std::vector<Diagnostic> items_;
};

/// The closest candidate by edit distance, or "" when none is close enough to suggest.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

} // namespace cyberex
