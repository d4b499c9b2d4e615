#include "context.hpp"
#include "cyberex/record.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cyberex::scenario_impl {

// ------------------------------------------------------------------------------------------------------------------
// Context

void Context::report(Diagnostic::Severity severity, int file, std::string pointer, std::string code,
                     std::string message, bool at_key)
{
  Pending p;
  p.diagnostic.severity = severity;
  p.diagnostic.file = file >= 0 && file < static_cast<int>(files.size())
                          ? files[static_cast<std::size_t>(file)].doc.path
                          : std::string();
  p.diagnostic.pointer = std::move(pointer);
  p.diagnostic.code = std::move(code);
  p.diagnostic.message = std::move(message);
  p.file = file;
  p.at_key = at_key;
  if (severity == Diagnostic::Severity::error) {
    ++errors_;
    malformed_.emplace(file, p.diagnostic.pointer);
  }
  pending_.push_back(std::move(p));
}

bool Context::malformed(int file, const std::string& pointer) const
{
  // the pointer itself or any pointer inside it ("/c2" covers "/c2/node")
  if (malformed_.count({file, pointer}))
    return true;
  const std::string inside = pointer + "/";
  auto it = malformed_.lower_bound({file, inside});
  return it != malformed_.end() && it->first == file && it->second.compare(0, inside.size(), inside) == 0;
}

bool Context::malformed(const Origin& origin, const std::string& suffix) const
{
  const int f = file_of(origin);
  return f >= 0 && malformed(f, origin.pointer + suffix);
}

bool Context::maybe_unread(const std::string& id) const
{
  if (unread_ids.empty())
    return false;
  if (unread_ids.count(id))
    return true;
  const std::size_t colon = id.find(':'); // an imported label of a topology declared in the unread file
  if (colon != std::string::npos && unread_ids.count(id.substr(0, colon)))
    return true;
  const std::size_t dash = id.rfind('-'); // a copy of a counted node
  return dash != std::string::npos && dash + 1 < id.size() &&
         id.find_first_not_of("0123456789", dash + 1) == std::string::npos && unread_ids.count(id.substr(0, dash));
}

void Context::recover_ids(const std::string& text)
{
  // "id" then optional blanks, a colon, optional blanks and a string without escapes: good enough for ids, which
  // hold no quotes or backslashes.
  const auto blank = [&](std::size_t i) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
      ++i;
    return i;
  };
  for (std::size_t at = text.find("\"id\""); at != std::string::npos; at = text.find("\"id\"", at + 4)) {
    std::size_t i = blank(at + 4);
    if (i >= text.size() || text[i] != ':')
      continue;
    i = blank(i + 1);
    if (i >= text.size() || text[i] != '"')
      continue;
    const std::size_t end = text.find_first_of("\"\\\n", i + 1);
    if (end == std::string::npos || text[end] != '"' || end == i + 1)
      continue;
    unread_ids.insert(text.substr(i + 1, end - i - 1));
  }
}

int Context::file_of(const Origin& origin) const
{
  auto it = file_by_path.find(origin.file);
  return it == file_by_path.end() ? -1 : it->second;
}

void Context::error(const Origin& origin, const std::string& suffix, std::string code, std::string message)
{
  const int f = file_of(origin);
  if (f < 0) {
    Diagnostic d;
    d.file = origin.file;
    d.pointer = origin.pointer + suffix;
    d.code = std::move(code);
    d.message = std::move(message);
    add_located(std::move(d));
    return;
  }
  error(f, origin.pointer + suffix, std::move(code), std::move(message));
}

void Context::warning(const Origin& origin, const std::string& suffix, std::string code, std::string message)
{
  const int f = file_of(origin);
  if (f < 0) {
    Diagnostic d;
    d.severity = Diagnostic::Severity::warning;
    d.file = origin.file;
    d.pointer = origin.pointer + suffix;
    d.code = std::move(code);
    d.message = std::move(message);
    add_located(std::move(d));
    return;
  }
  warning(f, origin.pointer + suffix, std::move(code), std::move(message));
}

void Context::add_located(Diagnostic d)
{
  if (d.severity == Diagnostic::Severity::error)
    ++errors_;
  Pending p;
  p.diagnostic = std::move(d);
  pending_.push_back(std::move(p));
}

Diagnostics Context::finish()
{
  // One pass over each file's text locates all of its diagnostics. A pointer that does not exist (a missing member)
  // falls back to its closest existing ancestor.
  std::map<int, std::map<std::string, json_source::Location>> wanted;
  for (const Pending& p : pending_) {
    if (p.file < 0)
      continue;
    auto& w = wanted[p.file];
    std::string ptr = p.diagnostic.pointer;
    while (true) {
      w.emplace(ptr, json_source::Location{});
      if (ptr.empty())
        break;
      ptr.resize(ptr.rfind('/'));
    }
  }
  std::map<int, std::map<std::size_t, json_source::Position>> where;
  for (auto& [file, w] : wanted) {
    const std::string& text = files[static_cast<std::size_t>(file)].doc.text;
    json_source::locate(text, w);
    std::vector<std::size_t> offsets;
    for (const auto& [ptr, loc] : w) {
      if (loc.value != std::string::npos)
        offsets.push_back(loc.value);
      if (loc.key != std::string::npos)
        offsets.push_back(loc.key);
    }
    const auto pos = json_source::positions(text, offsets);
    for (std::size_t i = 0; i < offsets.size(); ++i)
      where[file][offsets[i]] = pos[i];
  }
  Diagnostics out;
  for (Pending& p : pending_) {
    if (p.file >= 0) {
      const auto& w = wanted[p.file];
      std::string ptr = p.diagnostic.pointer;
      bool exact = true;
      while (true) {
        auto it = w.find(ptr);
        if (it != w.end() && it->second.value != std::string::npos) {
          const std::size_t off =
              (p.at_key && exact && it->second.key != std::string::npos) ? it->second.key : it->second.value;
          const auto& pos = where[p.file][off];
          p.diagnostic.line = pos.line;
          p.diagnostic.column = pos.column;
          break;
        }
        if (ptr.empty())
          break;
        ptr.resize(ptr.rfind('/'));
        exact = false;
      }
    }
    out.add(std::move(p.diagnostic));
  }
  pending_.clear();
  return out;
}

// ------------------------------------------------------------------------------------------------------------------
// Messages

std::string quote(const std::string& s)
{
  return "'" + s + "'";
}

std::string describe(const json& v)
{
  switch (v.type()) {
  case json::value_t::object:
    return "an object";
  case json::value_t::array:
    return "an array";
  case json::value_t::null:
    return "null";
  case json::value_t::string: {
    std::string s = v.get_ref<const std::string&>();
    if (s.size() > 60)
      s = s.substr(0, 57) + "...";
    return json(s).dump(-1, ' ', false, json::error_handler_t::replace);
  }
  default:
    return v.dump();
  }
}

std::string suggestion(const std::string& word, const std::vector<std::string>& candidates)
{
  const std::string s = did_you_mean(word, candidates);
  return s.empty() ? std::string() : "; did you mean " + quote(s) + "?";
}

std::string format_duration(double seconds)
{
  if (!std::isfinite(seconds))
    return "never";
  const auto ms_total = static_cast<long long>(std::llround(seconds * 1000));
  if (ms_total == 0)
    return "0s";
  long long s = ms_total / 1000;
  const long long ms = ms_total % 1000;
  std::string out;
  const std::pair<long long, const char*> parts[] = {{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}};
  for (const auto& [unit, name] : parts)
    if (s >= unit) {
      out += std::to_string(s / unit) + name;
      s %= unit;
    }
  if (ms)
    out += std::to_string(ms) + "ms";
  return out;
}

namespace {

std::string number_text(double x)
{
  if (std::isinf(x))
    return x > 0 ? "infinity" : "-infinity";
  if (x == std::floor(x) && std::fabs(x) < 1e15)
    return std::to_string(static_cast<long long>(x));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

std::string range_text(double min, double max)
{
  if (std::isinf(max))
    return "of at least " + number_text(min);
  return "from " + number_text(min) + " to " + number_text(max);
}

template <typename E, int N>
std::vector<std::string> names_of()
{
  std::vector<std::string> out;
  for (int i = 0; i < N; ++i)
    out.emplace_back(to_string(static_cast<E>(i)));
  return out;
}

} // namespace

const std::vector<std::string>& node_kind_names()
{
  static const auto v = names_of<NodeKind, static_cast<int>(NodeKind::attacker) + 1>();
  return v;
}
const std::vector<std::string>& team_role_names()
{
  static const auto v = names_of<TeamRole, 4>();
  return v;
}
const std::vector<std::string>& criticality_names()
{
  static const auto v = names_of<Criticality, 4>();
  return v;
}
const std::vector<std::string>& access_names()
{
  static const auto v = names_of<Access, 4>();
  return v;
}
const std::vector<std::string>& step_effect_names()
{
  static const auto v = names_of<StepEffect, static_cast<int>(StepEffect::none) + 1>();
  return v;
}
const std::vector<std::string>& inject_type_names()
{
  static const auto v = names_of<InjectType, 4>();
  return v;
}
const std::vector<std::string>& action_type_names()
{
  static const auto v = names_of<ActionType, static_cast<int>(LAST_ACTION_TYPE) + 1>();
  return v;
}
const std::vector<std::string>& indicator_type_names()
{
  static const auto v = names_of<Indicator::Type, static_cast<int>(Indicator::Type::other) + 1>();
  return v;
}

// ------------------------------------------------------------------------------------------------------------------
// Values

bool read_string(Context& ctx, int file, const json& v, const std::string& ptr, std::string& out)
{
  if (!v.is_string()) {
    ctx.error(file, ptr, "scenario.type", "expected a string; got " + describe(v));
    return false;
  }
  out = v.get<std::string>();
  return true;
}

bool read_quantity(Context& ctx, int file, const json& v, const std::string& ptr, units::Quantity q, double& out)
{
  if (v.is_string()) {
    if (auto x = units::parse(q, v.get_ref<const std::string&>())) {
      out = *x;
      return true;
    }
  } else if (!v.is_number()) {
    ctx.error(file, ptr, "scenario.type", units::error_message(q, describe(v)));
    return false;
  }
  ctx.error(file, ptr, "scenario.bad-unit", units::error_message(q, describe(v)));
  return false;
}

bool read_distribution(Context& ctx, int file, const json& v, const std::string& ptr, Distribution& out)
{
  using Q = units::Quantity;
  if (!v.is_object()) {
    if (v.is_string() || v.is_number()) {
      out = Distribution{};
      return read_quantity(ctx, file, v, ptr, Q::duration, out.a);
    }
    ctx.error(file, ptr, "scenario.type", "expected a duration or a distribution object; got " + describe(v));
    return false;
  }
  static const std::vector<std::string> kinds{"fixed", "uniform", "exponential", "lognormal", "triangular", "normal"};
  if (v.size() != 1) {
    ctx.error(file, ptr, "scenario.bad-value",
              "a distribution has exactly one of \"fixed\", \"uniform\", \"exponential\", \"lognormal\", "
              "\"triangular\", \"normal\"");
    return false;
  }
  const std::string kind = v.begin().key();
  const json& body = v.begin().value();
  const std::string at = ptr + "/" + json_source::escape_token(kind);
  Distribution d;
  // Reads a fixed-size array of durations.
  const auto durations = [&](std::size_t n, double* dst) {
    if (!body.is_array() || body.size() != n) {
      ctx.error(file, at, "scenario.type",
                "expected an array of " + std::to_string(n) + " durations; got " + describe(body));
      return false;
    }
    bool ok = true;
    for (std::size_t i = 0; i < n; ++i)
      ok = read_quantity(ctx, file, body[i], at + "/" + std::to_string(i), Q::duration, dst[i]) && ok;
    return ok;
  };
  if (kind == "fixed") {
    d.kind = Distribution::Kind::fixed;
    if (!read_quantity(ctx, file, body, at, Q::duration, d.a))
      return false;
  } else if (kind == "uniform") {
    d.kind = Distribution::Kind::uniform;
    double x[2];
    if (!durations(2, x))
      return false;
    if (x[0] > x[1]) {
      ctx.error(file, at, "scenario.bad-value", "uniform [min, max] needs min <= max");
      return false;
    }
    d.a = x[0];
    d.b = x[1];
  } else if (kind == "exponential") {
    d.kind = Distribution::Kind::exponential;
    if (!read_quantity(ctx, file, body, at, Q::duration, d.a))
      return false;
  } else if (kind == "triangular") {
    d.kind = Distribution::Kind::triangular;
    double x[3];
    if (!durations(3, x))
      return false;
    if (x[0] > x[1] || x[1] > x[2]) {
      ctx.error(file, at, "scenario.bad-value", "triangular [min, mode, max] needs min <= mode <= max");
      return false;
    }
    d.a = x[0];
    d.c = x[1];
    d.b = x[2];
  } else if (kind == "lognormal" || kind == "normal") {
    const bool log = kind == "lognormal";
    d.kind = log ? Distribution::Kind::lognormal : Distribution::Kind::normal;
    Reader r(ctx, file, body, at);
    if (!r.ok())
      return false;
    bool ok = r.quantity(log ? "median" : "mean", Q::duration, d.a, true);
    if (log)
      ok = r.number("sigma", d.b, 0, NEVER, true) && ok;
    else
      ok = r.quantity("stddev", Q::duration, d.b, true) && ok;
    if (!ok)
      return false;
  } else {
    ctx.error(file, at, "scenario.unknown-key", "unknown distribution " + quote(kind) + suggestion(kind, kinds), true);
    return false;
  }
  out = d;
  return true;
}

bool read_trigger(Context& ctx, int file, const json& v, const std::string& ptr, Trigger& out)
{
  using K = Trigger::Kind;
  // a trigger on a record is named after the record's type (cyberex/record.hpp)
  static const std::vector<std::pair<std::string, K>> kinds{
      {to_string(RecordType::node_compromised), K::node_compromised},
      {"service_down", K::service_down},
      {"service_degraded", K::service_degraded},
      {"exfiltrated_over", K::exfiltrated_over},
      {"action", K::action},
      {"message", K::message},
      {"alert", K::alert},
      {"expectation_met", K::expectation_met},
      {"expectation_missed", K::expectation_missed},
      {"inject_delivered", K::inject_delivered},
      {"power_lost_over", K::power_lost_over},
      {to_string(RecordType::data_published), K::data_published},
      {"probe_down", K::probe_down},
      {"probe_degraded", K::probe_degraded},
      {to_string(RecordType::unit_derated), K::unit_derated},
      {to_string(RecordType::unit_tripped), K::unit_tripped},
      {to_string(RecordType::dependency_lost), K::dependency_lost},
      {to_string(RecordType::backup_exhausted), K::backup_exhausted},
      {to_string(RecordType::step_succeeded), K::step_succeeded},
      {to_string(RecordType::node_encrypted), K::node_encrypted},
      {"all", K::all},
      {"any", K::any},
      {"not", K::not_}};
  static const std::vector<std::string> kind_names = [] {
    std::vector<std::string> n;
    for (const auto& k : kinds)
      n.push_back(k.first);
    return n;
  }();
  if (!v.is_object()) {
    ctx.error(file, ptr, "scenario.type",
              "expected a trigger object such as {\"node_compromised\": \"node:x\"}; got " + describe(v));
    return false;
  }
  Trigger t;
  t.pointer = ptr;
  std::string kind_name;
  for (const auto& [name, kind] : kinds)
    if (v.contains(name)) {
      if (!kind_name.empty()) {
        ctx.error(file, ptr, "scenario.bad-value",
                  "a trigger has one condition, found " + quote(kind_name) + " and " + quote(name) +
                      "; combine conditions with {\"all\": [...]} or {\"any\": [...]}");
        return false;
      }
      kind_name = name;
      t.kind = kind;
    }
  if (kind_name.empty()) {
    std::string hint;
    for (const auto& [key, value] : v.items())
      if (hint.empty())
        hint = suggestion(key, kind_names);
    ctx.error(
        file, ptr, "scenario.bad-value",
        "a trigger needs one of node_compromised, service_down, service_degraded, exfiltrated_over, action, message, "
        "alert, expectation_met, expectation_missed, inject_delivered, power_lost_over, data_published, "
        "probe_down, probe_degraded, unit_derated, unit_tripped, dependency_lost, backup_exhausted, "
        "step_succeeded, node_encrypted, all, any, not" +
            hint);
    return false;
  }
  // Optional keys (a campaign, a target, a recipient) read as false when absent without reporting anything, so
  // success is judged by the errors reported, not by the readers' results alone.
  const std::size_t errors_before = ctx.error_count();
  Reader r(ctx, file, v, ptr);
  bool ok = true;
  switch (t.kind) {
  case K::all:
  case K::any:
    if (const json* a = r.get(kind_name)) {
      if (!a->is_array() || a->empty()) {
        ctx.error(file, r.at(kind_name), "scenario.type",
                  "expected a non-empty array of triggers; got " + describe(*a));
        return false;
      }
      for (std::size_t i = 0; i < a->size(); ++i) {
        Trigger child;
        if (read_trigger(ctx, file, (*a)[i], r.at(kind_name) + "/" + std::to_string(i), child))
          t.children.push_back(std::move(child));
        else
          ok = false;
      }
    }
    break;
  case K::not_:
    if (const json* c = r.get(kind_name)) {
      Trigger child;
      if (read_trigger(ctx, file, *c, r.at(kind_name), child))
        t.children.push_back(std::move(child));
      else
        ok = false;
    }
    break;
  case K::node_compromised:
  case K::service_down:
  case K::service_degraded:
  case K::expectation_met:
  case K::expectation_missed:
  case K::inject_delivered:
  case K::data_published:
  case K::unit_derated:
  case K::unit_tripped:
  case K::dependency_lost:
  case K::backup_exhausted:
  case K::node_encrypted:
    ok = r.string(kind_name, t.subject, true);
    break;
  case K::probe_down:
  case K::probe_degraded:
    ok = r.string(kind_name, t.subject, true);
    ok = r.string("team", t.team) && ok;
    break;
  case K::step_succeeded: {
    Reader m(ctx, file, *r.get(kind_name), r.at(kind_name));
    if (!m.ok())
      return false;
    m.string("campaign", t.subject);
    m.string("step", t.step);
    m.string("technique", t.technique);
    if (ctx.error_count() != errors_before)
      return false;
    if (t.step.empty() && t.technique.empty()) {
      ctx.error(file, r.at(kind_name), "scenario.missing-field",
                "step_succeeded names a \"step\" (with its \"campaign\") or a \"technique\"");
      return false;
    }
    if (!t.step.empty() && t.subject.empty()) {
      ctx.error(file, r.at(kind_name), "scenario.missing-field",
                "missing field \"campaign\": a step id is unique within its campaign");
      return false;
    }
    break;
  }
  case K::exfiltrated_over:
    ok = r.quantity(kind_name, units::Quantity::data, t.amount, true);
    ok = r.string("campaign", t.subject) && ok;
    break;
  case K::power_lost_over:
    ok = r.quantity(kind_name, units::Quantity::power, t.amount, true);
    ok = r.string("grid", t.subject) && ok;
    break;
  case K::action: {
    ok = r.string(kind_name, t.action_type, true);
    if (ok && !action_type_from_string(t.action_type)) {
      ctx.error(file, r.at(kind_name), "scenario.bad-value",
                "unknown action type " + quote(t.action_type) + suggestion(t.action_type, action_type_names()));
      ok = false;
    }
    ok = r.string("team", t.team, true) && ok;
    ok = r.string("target", t.subject) && ok;
    ok = r.string("indicator", t.indicator) && ok;
    if (!t.indicator.empty() && t.action_type != "block") {
      ctx.error(file, r.at("indicator"), "scenario.bad-value",
                "\"indicator\" names what a \"block\" action blocks; this trigger waits for " + quote(t.action_type));
      ok = false;
    }
    break;
  }
  case K::message: {
    Reader m(ctx, file, *r.get(kind_name), r.at(kind_name));
    ok = m.ok() && m.string("from", t.team, true);
    ok = m.ok() && m.string("to", t.to) && ok;
    break;
  }
  case K::alert: {
    Reader m(ctx, file, *r.get(kind_name), r.at(kind_name));
    ok = m.ok() && m.string("team", t.team, true);
    ok = m.ok() && m.string("technique", t.subject) && ok;
    break;
  }
  case K::always:
    break;
  }
  if (!ok && ctx.error_count() != errors_before)
    return false;
  out = std::move(t);
  return true;
}

// ------------------------------------------------------------------------------------------------------------------
// Reader

Reader::Reader(Context& ctx, int file, const json& value, std::string pointer)
    : ctx_(ctx), file_(file), pointer_(std::move(pointer))
{
  if (value.is_object())
    object_ = &value;
  else
    ctx_.error(file_, pointer_, "scenario.type", "expected an object; got " + describe(value));
}

Reader::~Reader()
{
  if (!object_)
    return;
  std::vector<std::string> candidates(known_.begin(), known_.end());
  for (const auto& [key, value] : object_->items())
    if (!known_.count(key))
      ctx_.error(file_, at(key), "scenario.unknown-key", "unknown key " + quote(key) + suggestion(key, candidates),
                 true);
}

const json* Reader::get(const std::string& key, bool required)
{
  known_.insert(key);
  if (!object_)
    return nullptr;
  auto it = object_->find(key);
  if (it == object_->end()) {
    if (required)
      ctx_.error(file_, pointer_, "scenario.missing-field", "missing field " + quote(key));
    return nullptr;
  }
  return &*it;
}

bool Reader::string(const std::string& key, std::string& out, bool required)
{
  const json* v = get(key, required);
  if (!v || !read_string(ctx_, file_, *v, at(key), out))
    return false;
  if (required && key == "id" && out.empty()) {
    ctx_.error(file_, at(key), "scenario.bad-value", "expected a non-empty identifier; got \"\"");
    return false;
  }
  return true;
}

bool Reader::integer(const std::string& key, std::int64_t& out, std::int64_t min, std::int64_t max, bool required)
{
  const json* v = get(key, required);
  if (!v)
    return false;
  if (!v->is_number_integer()) {
    ctx_.error(file_, at(key), "scenario.type", "expected a whole number; got " + describe(*v));
    return false;
  }
  // Read through the unsigned/signed value as stored, so 2^63 and above are out of range rather than wrapped.
  const bool too_big = v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(max);
  const std::int64_t x = too_big ? max : v->get<std::int64_t>();
  if (too_big || x < min || x > max) {
    ctx_.error(file_, at(key), "scenario.out-of-range",
               "expected a whole number " +
                   range_text(static_cast<double>(min), max == INT64_MAX ? NEVER : static_cast<double>(max)) +
                   "; got " + describe(*v));
    return false;
  }
  out = x;
  return true;
}

bool Reader::integer(const std::string& key, int& out, int min, int max, bool required)
{
  std::int64_t x = 0;
  if (!integer(key, x, min, max, required))
    return false;
  out = static_cast<int>(x);
  return true;
}

bool Reader::number(const std::string& key, double& out, double min, double max, bool required)
{
  const json* v = get(key, required);
  if (!v)
    return false;
  if (!v->is_number()) {
    ctx_.error(file_, at(key), "scenario.type", "expected a number; got " + describe(*v));
    return false;
  }
  const double x = v->get<double>();
  if (!(x >= min && x <= max)) {
    ctx_.error(file_, at(key), "scenario.out-of-range",
               "expected a number " + range_text(min, max) + "; got " + describe(*v));
    return false;
  }
  out = x;
  return true;
}

bool Reader::probability(const std::string& key, double& out, bool required)
{
  const json* v = get(key, required);
  if (!v)
    return false;
  if (!v->is_number()) {
    ctx_.error(file_, at(key), "scenario.type", "expected a probability (a number from 0 to 1); got " + describe(*v));
    return false;
  }
  const double x = v->get<double>();
  if (!(x >= 0 && x <= 1)) {
    ctx_.error(file_, at(key), "scenario.probability-range",
               "a probability is a number from 0 to 1; got " + describe(*v));
    return false;
  }
  out = x;
  return true;
}

bool Reader::boolean(const std::string& key, bool& out)
{
  const json* v = get(key);
  if (!v)
    return false;
  if (!v->is_boolean()) {
    ctx_.error(file_, at(key), "scenario.type", "expected true or false; got " + describe(*v));
    return false;
  }
  out = v->get<bool>();
  return true;
}

bool Reader::quantity(const std::string& key, units::Quantity q, double& out, bool required)
{
  const json* v = get(key, required);
  return v && read_quantity(ctx_, file_, *v, at(key), q, out);
}

bool Reader::strings(const std::string& key, std::vector<std::string>& out, bool required)
{
  const json* v = get(key, required);
  if (!v)
    return false;
  if (!v->is_array()) {
    ctx_.error(file_, at(key), "scenario.type", "expected an array of strings; got " + describe(*v));
    return false;
  }
  bool ok = true;
  out.clear();
  for (std::size_t i = 0; i < v->size(); ++i) {
    std::string s;
    if (read_string(ctx_, file_, (*v)[i], at(key) + "/" + std::to_string(i), s))
      out.push_back(std::move(s));
    else
      ok = false;
  }
  return ok;
}

bool Reader::distribution(const std::string& key, Distribution& out, bool required)
{
  const json* v = get(key, required);
  return v && read_distribution(ctx_, file_, *v, at(key), out);
}

bool Reader::location(const std::string& key, std::optional<GeoPoint>& out)
{
  const json* v = get(key);
  if (!v)
    return false;
  Reader r(ctx_, file_, *v, at(key));
  if (!r.ok())
    return false;
  GeoPoint p;
  bool ok = r.number("lat", p.lat, -90, 90, true);
  ok = r.number("lon", p.lon, -180, 180, true) && ok;
  if (ok)
    out = p;
  return ok;
}

} // namespace cyberex::scenario_impl
