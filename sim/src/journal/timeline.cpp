/* Timeline: a journal and its scenario, folded through ExerciseState at any time, with snapshots (docs/journal.md,
 * "Replay and seek"). No simulation runs: the fold reads records and the scenario only. */
#include "cyberex/journal.hpp"
#include "cyberex/scenario.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace cyberex {

class Timeline::Impl {
public:
  JournalContents contents;
  std::unique_ptr<Scenario> scenario;
  std::vector<std::string> warnings;
  std::vector<std::size_t> snapshot_at; ///< records folded into each snapshot
  std::vector<ExerciseState> snapshots;

  double clamp(double t) const { return std::clamp(t, 0.0, journal_time_reached(contents)); }

  ExerciseState fold_to(double t) const
  {
    const auto& recs = contents.records;
    // records are in time order: the first record after t
    const auto n = static_cast<std::size_t>(
        std::upper_bound(recs.begin(), recs.end(), t, [](double x, const Record& r) { return x < r.time; }) -
        recs.begin());
    const auto k =
        static_cast<std::size_t>(std::upper_bound(snapshot_at.begin(), snapshot_at.end(), n) - snapshot_at.begin());
    ExerciseState s = k == 0 ? ExerciseState(*scenario) : snapshots[k - 1];
    for (std::size_t i = k == 0 ? 0 : snapshot_at[k - 1]; i < n; ++i)
      s.apply(recs[i]);
    return s;
  }

  std::string render(double t, const Principal& who) const
  {
    t = clamp(t);
    std::string j = fold_to(t).to_json(t, who);
    const auto& cmds = contents.commands;
    const auto index =
        std::upper_bound(cmds.begin(), cmds.end(), t, [](double x, const JournalCommand& c) { return x < c.time; }) -
        cmds.begin();
    // one more member, "index", last (to_json writes one object without "index"; no need to parse it again)
    j.pop_back();
    j += ",\"index\":" + std::to_string(index) + "}";
    return j;
  }
};

Timeline::Timeline() : impl_(std::make_unique<Impl>()) {}
Timeline::~Timeline() = default;

bool Timeline::open(const std::string& path, std::string* error, const TimelineOptions& options)
{
  auto fail = [&](const std::string& message) {
    if (error)
      *error = message;
    return false;
  };
  std::string read_error;
  auto c = read_journal(path, &read_error, options.read);
  if (!c)
    return fail(read_error);
  auto impl = std::make_unique<Impl>();
  impl->contents = std::move(*c);
  impl->warnings = impl->contents.warnings;
  const std::string scenario_path = options.scenario.empty() ? impl->contents.header.scenario : options.scenario;
  if (!file_hash(scenario_path))
    return fail(scenario_path + ": cannot read the scenario of " + path +
                (options.scenario.empty() ? " (the path in its header; give the file with --scenario FILE)" : ""));
  LoadResult loaded = load_scenario(scenario_path);
  if (!loaded.ok()) {
    for (const auto& d : loaded.diagnostics.items())
      if (d.severity == Diagnostic::Severity::error)
        return fail("the scenario of " + path + " does not load: " + d.format());
    return fail("the scenario of " + path + " does not load");
  }
  // the state is the journal's records folded; names, the MSEL and the world's layout come from the files as they
  // are now: each file that differs from the one played is named
  const ScenarioCheck check = check_scenario(impl->contents.header, *loaded.scenario);
  impl->warnings.insert(impl->warnings.end(), check.changes.begin(), check.changes.end());
  if (!check.unchecked.empty())
    impl->warnings.push_back(path + ": " + check.unchecked);
  impl->scenario = std::make_unique<Scenario>(std::move(*loaded.scenario));
  const std::size_t every = options.snapshot_every == 0 ? 250 : options.snapshot_every;
  ExerciseState s(*impl->scenario);
  const auto& recs = impl->contents.records;
  for (std::size_t i = 0; i < recs.size(); ++i) {
    s.apply(recs[i]);
    if ((i + 1) % every == 0) {
      impl->snapshot_at.push_back(i + 1);
      impl->snapshots.push_back(s);
    }
  }
  impl_ = std::move(impl);
  return true;
}

const JournalHeader& Timeline::header() const
{
  return impl_->contents.header;
}
const JournalContents& Timeline::contents() const
{
  return impl_->contents;
}
const Scenario& Timeline::scenario() const
{
  return *impl_->scenario;
}
const std::vector<JournalCommand>& Timeline::commands() const
{
  return impl_->contents.commands;
}
const std::vector<Record>& Timeline::records() const
{
  return impl_->contents.records;
}
const std::optional<JournalEnd>& Timeline::end() const
{
  return impl_->contents.end;
}
const std::vector<std::string>& Timeline::warnings() const
{
  return impl_->warnings;
}
double Timeline::duration() const
{
  return journal_time_reached(impl_->contents);
}
ExerciseState Timeline::fold_to(double t) const
{
  return impl_->fold_to(impl_->clamp(t));
}
std::string Timeline::state_at(double t) const
{
  return impl_->render(t, Principal{Role::controller, ""});
}
std::string Timeline::state_at(double t, const Principal& who) const
{
  return impl_->render(t, who);
}

} // namespace cyberex
