/* Target "journal": the journal reader (read_journal, what recovery, `replay`, `report`, the what-if and the
 * after-action player start from), the Timeline that folds a journal into states, and the line parsers
 * (JournalHeader::from_json, JournalCommand::from_json). The input is a journal file's bytes.
 *
 * Oracles: what the reader accepts is consistent (commands numbered 1..N, records 1..M, one line number each), every
 * accepted header and command line survives to_json/from_json unchanged, and a Timeline reads what read_journal
 * reads and folds it into JSON objects for every principal. */
#include "support.hpp"
#include "targets.hpp"

#include "cyberex/journal.hpp"

#include <cmath>
#include <memory>

namespace cyberex::fuzz {
namespace {

ScratchFile* scratch = nullptr; // one per process, created by journal_initialize()

void check_command_round_trip(const JournalCommand& r)
{
  std::string error;
  auto again = JournalCommand::from_json(r.to_json(), &error);
  check(again.has_value(), "JournalCommand::from_json rejects what to_json wrote (" + error + "): " + r.to_json());
  check(again->index == r.index && again->time == r.time && again->who.role == r.who.role &&
            again->who.team == r.who.team && again->command == r.command,
        "JournalCommand to_json/from_json changed the record: " + r.to_json() + " became " + again->to_json());
}

void check_header_round_trip(const JournalHeader& h)
{
  std::string error;
  auto again = JournalHeader::from_json(h.to_json(), &error);
  check(again.has_value(), "JournalHeader::from_json rejects what to_json wrote (" + error + "): " + h.to_json());
  check(again->to_json() == h.to_json(), "JournalHeader to_json/from_json changed the header: " + h.to_json());
}

void check_lines(const std::string& text)
{
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos)
      nl = text.size();
    const std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    std::string error;
    if (auto r = JournalCommand::from_json(line, &error))
      check_command_round_trip(*r);
    else
      check(!error.empty(), "JournalCommand::from_json failed without saying why");
    error.clear();
    if (auto h = JournalHeader::from_json(line, &error))
      check_header_round_trip(*h);
    else
      check(!error.empty(), "JournalHeader::from_json failed without saying why");
  }
}

} // namespace

void journal_initialize()
{
  static ScratchFile file(".jsonl");
  scratch = &file;
}

int journal_run(const std::uint8_t* data, std::size_t size)
{
  if (!scratch)
    journal_initialize();
  const std::string& path = scratch->write(data, size);
  check_lines(std::string(reinterpret_cast<const char*>(data), size));

  std::string error;
  auto j = read_journal(path, &error);
  Timeline timeline;
  std::string timeline_error;
  // The Timeline folds through ExerciseState, which needs the journal's scenario: a fuzzed header names any path, so
  // every input is folded on the tutorial (a scenario whose hash differs is a warning, and the fold must cope with
  // ids it does not know). A small snapshot interval, so that state_at() folds from a snapshot as well as the start.
  TimelineOptions options;
  options.scenario = tutorial_path();
  options.snapshot_every = 3;
  const bool opened = timeline.open(path, &timeline_error, options);
  check(opened == j.has_value(), "Timeline::open and read_journal disagree: read_journal says \"" + error +
                                     "\", Timeline says \"" + timeline_error + "\"");
  if (!j) {
    check(error.rfind(path, 0) == 0, "read_journal's error does not start with the file name: " + error);
    return 0;
  }
  check_header_round_trip(j->header);
  check(j->records_before_command.size() == j->commands.size() && j->command_lines.size() == j->commands.size() &&
            j->record_lines.size() == j->records.size(),
        "read_journal: one line number per command and record");
  for (std::size_t i = 0; i < j->commands.size(); ++i) {
    check(j->commands[i].index == i + 1, "read_journal: commands must be numbered 1..N");
    check(j->records_before_command[i] <= j->records.size(), "read_journal: records_before_command past the end");
    check_command_round_trip(j->commands[i]);
  }
  for (std::size_t i = 0; i < j->records.size(); ++i) {
    check(j->records[i].seq == i + 1, "read_journal: records must be numbered 1..M");
    check(is_json_object(j->records[i].json),
          "read_journal: a record that is not one JSON object: " + j->records[i].json);
  }
  check(j->valid_bytes <= size && j->end_offset <= j->valid_bytes, "read_journal: offsets past the file");
  const double reached = journal_time_reached(*j);
  check(std::isfinite(reached) && reached >= 0, "journal_time_reached: not a time");

  const double end = timeline.duration();
  check(std::isfinite(end) && end >= 0, "Timeline::duration: not a time");
  const Principal who[] = {{Role::controller, ""},
                           {Role::evaluator, ""},
                           {Role::observer, ""},
                           {Role::player, "cert-gov"},
                           {Role::player, "nobody"}};
  for (double t : {0.0, end / 2, end}) {
    check(is_json_object(timeline.state_at(t)), "Timeline::state_at: not one JSON object");
    for (const Principal& p : who)
      check(is_json_object(timeline.state_at(t, p)),
            std::string("Timeline::state_at for a ") + to_string(p.role) + ": not one JSON object");
  }
  return 0;
}

} // namespace cyberex::fuzz
