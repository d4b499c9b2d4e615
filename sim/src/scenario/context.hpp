/* Internals of the scenario loader: the files being loaded, the diagnostics found so far (located at the end, in one
 * pass per file), and a reader for JSON objects that checks types, units and unknown keys as it goes. */
#pragma once

#include "cyberex/diagnostic.hpp"
#include "cyberex/model.hpp"
#include "cyberex/scenario.hpp"
#include "json_source.hpp"
#include "units.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace cyberex::scenario_impl {

using json = nlohmann::json;

/// One file of the scenario: the main file or an included one.
struct SourceFile {
  json_source::Document doc;
  std::string dir; ///< directory that relative paths in this file are resolved against
};

class Context {
public:
  explicit Context(const LoadOptions& load_options) : options(load_options) {}

  LoadOptions options;
  std::vector<SourceFile> files;
  std::map<std::string, int> file_by_path;

  void report(Diagnostic::Severity severity, int file, std::string pointer, std::string code, std::string message,
              bool at_key = false);
  void error(int file, std::string pointer, std::string code, std::string message, bool at_key = false)
  {
    report(Diagnostic::Severity::error, file, std::move(pointer), std::move(code), std::move(message), at_key);
  }
  void warning(int file, std::string pointer, std::string code, std::string message)
  {
    report(Diagnostic::Severity::warning, file, std::move(pointer), std::move(code), std::move(message));
  }
  /// At `origin.pointer + suffix` in the origin's file.
  void error(const Origin& origin, const std::string& suffix, std::string code, std::string message);
  void warning(const Origin& origin, const std::string& suffix, std::string code, std::string message);
  /// A diagnostic that already has its position (GraphML import, unreadable includes).
  void add_located(Diagnostic d);

  int file_of(const Origin& origin) const;
  /// Whether an error was reported at `origin.pointer + suffix` or inside it: a value present but malformed, whose
  /// absence the whole-scenario checks must not report again.
  bool malformed(const Origin& origin, const std::string& suffix = "") const;
  bool malformed(int file, const std::string& pointer) const;

  /// Ids that a file which is not valid JSON seems to define ("id": "x" pairs found in its text): a reference to
  /// one of them is not reported, since it dangles only because the file could not be read.
  std::set<std::string> unread_ids;
  /// Whether `id` may be one of unread_ids: itself, a copy "<id>-N" of a counted node, or "<topology>:<label>".
  bool maybe_unread(const std::string& id) const;
  /// Scans the text of a file that failed to parse for the ids it seems to define.
  void recover_ids(const std::string& text);
  bool has_errors() const { return errors_ > 0; }
  std::size_t error_count() const { return errors_; }
  /// Every diagnostic with line and column filled in, in the order found.
  Diagnostics finish();

private:
  struct Pending {
    Diagnostic diagnostic;
    int file = -1; ///< -1: already located
    bool at_key = false;
  };
  std::vector<Pending> pending_;
  std::size_t errors_ = 0;
  std::set<std::pair<int, std::string>> malformed_; ///< (file, pointer) of every error reported in a file
};

/// "a string", "42", "an object": how a JSON value is named in "expected X; got Y".
std::string describe(const json& value);
/// 'x' quoted for messages.
std::string quote(const std::string& s);
/// "; did you mean 'x'?" or "".
std::string suggestion(const std::string& word, const std::vector<std::string>& candidates);
/// The `count` candidates closest to `word` by edit distance, however far: closest first, ties in the candidates'
/// order. For "no label is close; the nearest are: ...".
std::vector<std::string> nearest(const std::string& word, const std::vector<std::string>& candidates,
                                 std::size_t count);
/// Seconds written back the way a planner writes them: 8h, 2h30m, 1m30s, 500ms.
std::string format_duration(double seconds);

// Value-level readers: report and return false when the value does not fit.
bool read_string(Context& ctx, int file, const json& v, const std::string& ptr, std::string& out);
bool read_quantity(Context& ctx, int file, const json& v, const std::string& ptr, units::Quantity q, double& out);
bool read_distribution(Context& ctx, int file, const json& v, const std::string& ptr, Distribution& out);
bool read_trigger(Context& ctx, int file, const json& v, const std::string& ptr, Trigger& out);

/// Reads one JSON object. Every key asked for becomes known; keys present but never asked for are reported as
/// unknown (with a suggestion) when the reader is destroyed.
class Reader {
public:
  Reader(Context& ctx, int file, const json& value, std::string pointer);
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;
  ~Reader();

  bool ok() const { return object_ != nullptr; }
  int file() const { return file_; }
  const std::string& pointer() const { return pointer_; }
  std::string at(const std::string& key) const { return pointer_ + "/" + json_source::escape_token(key); }
  Context& context() { return ctx_; }

  /// The member, or nullptr when absent (reported when required).
  const json* get(const std::string& key, bool required = false);
  /// Makes a key known without reading it (it is read elsewhere).
  void allow(const std::string& key) { known_.insert(key); }

  bool string(const std::string& key, std::string& out, bool required = false);
  bool integer(const std::string& key, std::int64_t& out, std::int64_t min, std::int64_t max, bool required = false);
  bool integer(const std::string& key, int& out, int min, int max, bool required = false);
  bool number(const std::string& key, double& out, double min, double max, bool required = false);
  bool probability(const std::string& key, double& out, bool required = false);
  bool boolean(const std::string& key, bool& out);
  bool quantity(const std::string& key, units::Quantity q, double& out, bool required = false);
  bool strings(const std::string& key, std::vector<std::string>& out, bool required = false);
  bool distribution(const std::string& key, Distribution& out, bool required = false);
  bool location(const std::string& key, std::optional<GeoPoint>& out);

  /// An enum value by its scenario-file name.
  template <typename E>
  bool enumeration(const std::string& key, E& out, std::optional<E> (*parse)(const std::string&),
                   const std::vector<std::string>& names, const char* what, bool required = false)
  {
    std::string s;
    if (!string(key, s, required))
      return false;
    if (auto v = parse(s)) {
      out = *v;
      return true;
    }
    ctx_.error(file_, at(key), "scenario.bad-value",
               "unknown " + std::string(what) + " " + quote(s) + suggestion(s, names));
    return false;
  }

  /// Calls fn(element, pointer) for each element of the array member `key` (reports a non-array).
  template <typename F>
  void each(const std::string& key, F&& fn, bool required = false)
  {
    const json* a = get(key, required);
    if (!a)
      return;
    if (!a->is_array()) {
      ctx_.error(file_, at(key), "scenario.type", "expected an array; got " + describe(*a));
      return;
    }
    const std::string base = at(key);
    for (std::size_t i = 0; i < a->size(); ++i)
      fn((*a)[i], base + "/" + std::to_string(i));
  }

private:
  Context& ctx_;
  int file_;
  const json* object_ = nullptr;
  std::string pointer_;
  std::set<std::string> known_;
};

/// Names of all values of each enum, for suggestions.
const std::vector<std::string>& node_kind_names();
const std::vector<std::string>& team_role_names();
const std::vector<std::string>& criticality_names();
const std::vector<std::string>& access_names();
const std::vector<std::string>& step_effect_names();
const std::vector<std::string>& inject_type_names();
const std::vector<std::string>& action_type_names();
const std::vector<std::string>& indicator_type_names();

} // namespace cyberex::scenario_impl
