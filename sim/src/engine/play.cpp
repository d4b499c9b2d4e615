/* --play files (scripted team actions) and the KPI JSON form. */
#include "cyberex/engine.hpp"
#include "engine/impl.hpp"
#include "scenario/json_source.hpp"
#include "scenario/loader.hpp"
#include "scenario/units.hpp"

#include <algorithm>
#include <map>

namespace cyberex {

namespace {

struct PendingDiag {
  std::string code;
  std::string pointer;
  std::string message;
};

std::string string_field(const nlohmann::json& obj, const char* key, const std::string& pointer,
                         std::vector<PendingDiag>& out)
{
  auto it = obj.find(key);
  if (it == obj.end())
    return "";
  if (!it->is_string()) {
    out.push_back({"play.type", pointer + "/" + key, std::string("expected a string for '") + key + "'"});
    return "";
  }
  return it->get<std::string>();
}

std::vector<std::string> string_list(const nlohmann::json& obj, const char* key, const std::string& pointer,
                                     std::vector<PendingDiag>& out)
{
  std::vector<std::string> v;
  auto it = obj.find(key);
  if (it == obj.end())
    return v;
  if (!it->is_array()) {
    out.push_back({"play.type", pointer + "/" + key, std::string("expected an array of strings for '") + key + "'"});
    return v;
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_string())
      out.push_back({"play.type", pointer + "/" + key + "/" + std::to_string(i), "expected a string"});
    else
      v.push_back((*it)[i].get<std::string>());
  }
  return v;
}

} // namespace

PlayResult parse_play(const std::string& text, const std::string& file, const Scenario& scenario)
{
  PlayResult result;
  auto doc = json_source::parse(file, text, json_source::Limits{}, result.diagnostics);
  if (!doc)
    return result;
  std::vector<PendingDiag> pending;
  const nlohmann::json& root = doc->root;
  static const char* known[] = {"at",         "when",      "after",         "team",    "action",
                                "target",     "indicator", "vulnerability", "service", "to",
                                "indicators", "text",      "note",          "kind",    "mode"};
  // "when" is read by the scenario loader's trigger reader and checked as the MSEL's triggers are: its diagnostics
  // come from a loader context over this file
  LoadOptions lo;
  scenario_impl::Context ctx(lo);
  ctx.files.push_back({*doc, ""});
  ctx.file_by_path[file] = 0;
  if (!root.is_object() || !root.contains("responses") || !root["responses"].is_array()) {
    pending.push_back({"play.format", "", "expected an object {\"responses\": [...]}"});
  } else {
    const auto& list = root["responses"];
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string ptr = "/responses/" + std::to_string(i);
      const auto& r = list[i];
      if (!r.is_object()) {
        pending.push_back({"play.type", ptr, "expected an object with 'at', 'team' and 'action'"});
        continue;
      }
      for (auto it = r.begin(); it != r.end(); ++it)
        if (std::find_if(std::begin(known), std::end(known), [&](const char* k) { return it.key() == k; }) ==
            std::end(known))
          pending.push_back(
              {"play.unknown-key", ptr + "/" + json_source::escape_token(it.key()), "unknown key '" + it.key() + "'"});
      Command c;
      const std::size_t before = pending.size();
      auto at = r.find("at");
      auto when = r.find("when");
      bool trigger_ok = true;
      if (when != r.end()) {
        // a conditional response: issued 'after' the trigger fires, once (docs/events.md, "Play files")
        if (at != r.end())
          pending.push_back({"play.bad-time", ptr + "/at",
                             "a response has 'at' (a time) or 'when' (a trigger with 'after'), not both"});
        const std::size_t errors = ctx.error_count();
        Trigger t;
        if (scenario_impl::read_trigger(ctx, 0, *when, ptr + "/when", t) && ctx.error_count() == errors) {
          scenario_impl::check_trigger(ctx, scenario, t, Origin{file, ptr + "/when"});
          if (ctx.error_count() == errors)
            c.when = std::move(t);
        }
        trigger_ok = ctx.error_count() == errors;
        auto after = r.find("after");
        std::optional<double> a;
        if (after == r.end())
          pending.push_back({"play.missing", ptr, "missing 'after' (a delay such as \"15m\", at least 1s) for 'when'"});
        else if (after->is_number())
          a = after->get<double>();
        else if (after->is_string())
          a = units::parse(units::Quantity::duration, after->get<std::string>());
        if (after != r.end() && !(a && *a >= 1))
          pending.push_back({"play.bad-time", ptr + "/after",
                             "expected a delay of at least 1s such as \"15m\" (the play steps the world in steps "
                             "no longer than the shortest 'after')"});
        else if (a)
          c.after = *a;
      } else if (r.find("after") != r.end()) {
        pending.push_back(
            {"play.bad-time", ptr + "/after", "'after' counts from a 'when' trigger; this response has none"});
      } else if (at == r.end()) {
        pending.push_back({"play.missing", ptr, "missing 'at' (a time such as \"1h10m\") or 'when' (a trigger)"});
      } else if (at->is_number()) {
        c.time = at->get<double>();
        if (c.time < 0)
          pending.push_back({"play.bad-time", ptr + "/at", "expected a time >= 0"});
      } else if (at->is_string()) {
        auto t = units::parse_inject_time(at->get<std::string>());
        if (!t)
          pending.push_back({"play.bad-time", ptr + "/at",
                             units::error_message(units::Quantity::inject_time, "'" + at->get<std::string>() + "'")});
        else
          c.time = *t;
      } else {
        pending.push_back({"play.bad-time", ptr + "/at", "expected a time such as \"1h10m\""});
      }
      c.team = string_field(r, "team", ptr, pending);
      c.action = string_field(r, "action", ptr, pending);
      c.target = string_field(r, "target", ptr, pending);
      c.indicator = string_field(r, "indicator", ptr, pending);
      c.vulnerability = string_field(r, "vulnerability", ptr, pending);
      c.service = string_field(r, "service", ptr, pending);
      c.text = string_field(r, "text", ptr, pending);
      c.kind = string_field(r, "kind", ptr, pending);
      c.mode = string_field(r, "mode", ptr, pending);
      c.to = string_list(r, "to", ptr, pending);
      c.indicators = string_list(r, "indicators", ptr, pending);
      if (pending.size() != before || !trigger_ok)
        continue;
      const std::string err = validate_command(c, scenario);
      if (!err.empty()) {
        pending.push_back({"play.invalid", ptr, err});
        continue;
      }
      result.commands.push_back(std::move(c));
    }
  }
  std::map<std::string, json_source::Location> where;
  for (const auto& p : pending)
    where[p.pointer];
  json_source::locate(doc->text, where);
  std::vector<std::size_t> offsets;
  for (const auto& p : pending) {
    const auto& loc = where[p.pointer];
    offsets.push_back(loc.value != std::string::npos ? loc.value : loc.key != std::string::npos ? loc.key : 0);
  }
  const auto pos = json_source::positions(doc->text, offsets);
  std::vector<Diagnostic> all;
  for (std::size_t i = 0; i < pending.size(); ++i) {
    Diagnostic d;
    d.file = file;
    d.line = pos[i].line;
    d.column = pos[i].column;
    d.code = pending[i].code;
    d.pointer = pending[i].pointer;
    d.message = pending[i].message;
    all.push_back(std::move(d));
  }
  const Diagnostics trigger_diagnostics = ctx.finish();
  all.insert(all.end(), trigger_diagnostics.items().begin(), trigger_diagnostics.items().end());
  // in the order of the file, whichever reader found them
  std::stable_sort(all.begin(), all.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  for (Diagnostic& d : all)
    result.diagnostics.add(std::move(d));
  std::stable_sort(result.commands.begin(), result.commands.end(),
                   [](const Command& a, const Command& b) { return a.time < b.time; });
  return result;
}

PlayResult load_play(const std::string& path, const Scenario& scenario)
{
  PlayResult result;
  auto doc = json_source::read(path, json_source::Limits{}, result.diagnostics);
  if (!doc)
    return result;
  return parse_play(doc->text, path, scenario);
}

} // namespace cyberex
