/* The exercise journal, format 4 (docs/journal.md): one JSON Lines file with a header that fingerprints every file
 * of the scenario, every accepted command, every record the session emitted (with its audience) and an end line, each
 * line with a keyed MAC chained over the line before it; beside it a key file (JOURNAL.key) and a commit file
 * (JOURNAL.commit) that says how much of it was made durable. Written by `cyberex play` and `cyberex serve`, read by
 * `cyberex replay`, the report, the what-if and the GUI's after-action player. Format 3 journals (the main scenario
 * file fingerprinted only) and format 2 journals (no MACs either) still read, with a warning.
 *
 * This header pulls in neither nlohmann/json nor SimGrid: a Timeline folds a journal into the state at any time
 * without a simulation, and hands the state out as JSON text. */
#pragma once

#include "cyberex/exercise.hpp"
#include "cyberex/exercise_state.hpp"
#include "cyberex/scenario.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cyberex {

/// The journal format this cyberex writes. It reads this one, format 3 (the header fingerprints the main scenario
/// file only) and format 2 (no MACs either).
inline constexpr int journal_format = 4;

/// Line 1 of a journal.
struct JournalHeader {
  int format = journal_format; ///< 4: `files`, MACs; 3: MACs; 2: neither (JournalWriter writes each)
  std::string scenario;        ///< scenario path as given to the program that started the journal
  std::string scenario_hash;   ///< "fnv1a64:" + 16 hex digits of the scenario file's bytes
  /// Format 4: every file the scenario was read from (scenario_fingerprint()), the main file first; the paths are
  /// relative to the main file's directory. Empty in formats 2 and 3; when empty, to_json() writes the main file
  /// (`scenario`, `scenario_hash`) alone.
  std::vector<ScenarioFile> files;
  std::uint64_t seed = 0;
  std::string version; ///< cyberex version that started the journal
  std::string origin;  ///< "play" or "serve"
  double speed = 1;    ///< the session's initial speed (clock records carry it)

  std::string to_json() const; ///< one JSON object, no newline, without the MAC the writer adds (formats 3, 4)
  /// Parse a header line (its "mac" key, if any, is ignored); nullopt and *error (what was expected) when it is not
  /// one this cyberex reads.
  static std::optional<JournalHeader> from_json(const std::string& line, std::string* error = nullptr);
};

/// The last line of a journal whose exercise stopped normally: {"end":{"time":T,"seq":N,"index":K,"state":"ended"}}.
struct JournalEnd {
  double time = 0;
  std::uint64_t seq = 0;   ///< last record's seq
  std::uint64_t index = 0; ///< last command's index
  std::string state;       ///< clock state when the journal was closed ("ended", or "running" after play --until)

  std::string to_json() const;
};

/// Simulated time the drill server reached with no line since (a quiet period):
/// {"mark":{"time":T,"seq":N,"index":K}}. `time` is exact (round-trip form); seq and index are the last record's and
/// command's, as in the end line. Recovery resumes at the last mark's time when it is later than the last record.
struct JournalMark {
  double time = 0;
  std::uint64_t seq = 0;   ///< last record's seq
  std::uint64_t index = 0; ///< last command's index

  std::string to_json() const;
};

/// The files `scenario` was read from as a journal header lists them (JournalHeader::files): Scenario::sources with
/// their paths relative to the main file's directory (the main file: its name; a path outside that directory tree
/// keeps its form, e.g. "../topologies/Abilene.graphml").
std::vector<ScenarioFile> scenario_fingerprint(const Scenario& scenario);

/// The files a journal was played on against those of the scenario a reader loaded (check_scenario()).
struct ScenarioCheck {
  /// One message per file that differs, naming it as the reader opened it: "PATH: changed since the journal was
  /// played: its hash is H, the journal's is J", "PATH: read by the scenario now, not when the journal was played",
  /// "PATH: the journal was played with this file; the scenario no longer reads it". Readers that re-run the exercise
  /// (replay --verify, whatif, serve's recovery) refuse; those that only fold its records (report, replay --at, the
  /// GUI's after-action player) warn.
  std::vector<std::string> changes;
  /// Formats 2 and 3 fingerprint the main file only: which other files could not be checked (empty if none).
  std::string unchecked;
  bool ok() const { return changes.empty(); }
};

/// Compare the header's fingerprint (format 4: every file; formats 2 and 3: the main file's hash) with the files
/// `scenario` was read from. The one check every reader of a journal makes.
ScenarioCheck check_scenario(const JournalHeader& header, const Scenario& scenario);

/// "control", "all" or ["team-a","team-b"] (the journal's form of an Audience).
std::string audience_to_json(const Audience& audience);
/// One record line without its MAC: the record's JSON with "audience" as its last key, and a newline.
std::string journal_record_line(const Record& record);
/// One command line without its MAC: JournalCommand::to_json() and a newline.
std::string journal_command_line(const JournalCommand& command);

/// What the integrity checks of a format 3 or 4 journal could establish.
enum class JournalIntegrity {
  verified, ///< every line's MAC verified with the key file
  no_key,   ///< read without its key file: nothing verified (a warning says so)
  none,     ///< format 2: the lines carry no MACs (a warning says so)
};

/// How far the writer had made the journal durable, as its commit file says (formats 3, 4).
struct JournalCommit {
  std::uint64_t bytes = 0; ///< length of the durable prefix
  std::uint64_t lines = 0; ///< its lines, the header included (0: nothing durable yet)
  std::uint64_t index = 0; ///< the last command's index in it
  std::uint64_t seq = 0;   ///< the last record's seq in it
};

/// Everything a journal file holds, read back.
struct JournalContents {
  JournalHeader header;
  std::vector<JournalCommand> commands;
  std::vector<Record> records;                     ///< json without "audience" (as the session emitted it)
  std::vector<std::size_t> records_before_command; ///< per command: how many records came before it in the file
  std::vector<std::size_t> command_lines;          ///< per command: its line number (1-based)
  std::vector<std::size_t> record_lines;           ///< per record: its line number
  std::optional<JournalEnd> end;
  std::optional<JournalMark> mark;   ///< the last mark line, if any (marks carry no record or command)
  std::size_t mark_line = 0;         ///< its line number
  std::size_t marks = 0;             ///< how many mark lines the file holds
  std::uint64_t valid_bytes = 0;     ///< length of the well-formed prefix (a torn last line is not counted)
  std::uint64_t end_offset = 0;      ///< byte offset of the end line (valid_bytes when there is none)
  std::vector<std::string> warnings; ///< e.g. "FILE:LINE: dropped a torn last line (...)"
  JournalIntegrity integrity = JournalIntegrity::none;
  std::optional<JournalCommit> commit; ///< what the commit file says (formats 3, 4, when it was found)
};

/// Where read_journal() finds what checks a format 3 or 4 journal.
struct JournalReadOptions {
  std::string key; ///< the key file; empty: JOURNAL.key beside the journal
};

/// JOURNAL.key and JOURNAL.commit: the key file and the commit file of a journal.
std::string journal_key_path(const std::string& journal);
std::string journal_commit_path(const std::string& journal);

/// Simulated time the journal reaches: the latest of the end line's time and the last record's, command's and mark's
/// (a record's time, rounded to 3 decimals, may be up to 0.0005 s after the end line's exact time).
double journal_time_reached(const JournalContents& journal);

/// Read a journal. A last line without its newline, or that is not JSON, is dropped with a warning naming it; any
/// other bad line, a bad header or a seq/index/time out of order is an error: nullopt and *error = "FILE:LINE: what
/// was expected". Format 3: with the key file, every line's MAC is checked and the first line that breaks the chain
/// is an error that says what it looks like (edited, inserted, removed, reordered, forged); with the commit file, a
/// journal shorter than what was made durable is an error that says which lines, commands and records are lost.
/// Without either file, a warning says what cannot be checked.
std::optional<JournalContents> read_journal(const std::string& path, std::string* error = nullptr,
                                            const JournalReadOptions& options = {});

/// Appends journal lines to a file with write(2). Not thread-safe, except sync() which may run on another thread.
/// The journal, its key file and its commit file are created with mode 0600.
class JournalWriter {
public:
  JournalWriter();
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  /// Create `path` (a file already there is replaced) and write the header. Format 3 (header.format): a new random
  /// key in PATH.key and a commit file PATH.commit; format 2: neither (and none left from an earlier journal).
  /// `buffered`: lines are collected and written in large chunks (call flush()); otherwise every line is one write.
  /// False and error() on failure.
  bool create(const std::string& path, const JournalHeader& header, bool buffered = false);
  /// Format 3: the next create() uses the key in `key_file` (a key file of cyberex's: 64 hex digits) instead of a
  /// new random one, and copies it to PATH.key. With the same key, the same lines give byte-identical journals.
  void use_key_from(std::string key_file) { key_from_ = std::move(key_file); }
  /// Open an existing journal for appending after its first `keep_bytes` bytes, a line boundary (what follows is
  /// cut off). A format 3 journal goes on with its key file's key, chained after the last line kept; the commit file
  /// is set to the kept prefix before the file is cut.
  bool reopen(const std::string& path, std::uint64_t keep_bytes, bool buffered = false);

  bool command(const JournalCommand& command);
  bool record(const Record& record);
  bool end(const JournalEnd& end);
  bool mark(const JournalMark& mark);
  /// Write buffered lines out.
  bool flush();
  /// fdatasync: everything written so far is on disk; then (format 3) the commit file records it, with one pwrite
  /// that is not synced itself (a power cut may leave it behind the journal, never ahead of it).
  bool sync();
  /// Flush, and (format 3) make the journal and the commit file durable, then close them.
  void close();

  /// Bytes handed to write(2) so far (the file's size when unbuffered).
  std::uint64_t written() const { return written_; }
  /// What failed last ("FILE: cannot ...: reason").
  const std::string& error() const { return error_; }

private:
  enum class Line { header, command, record, other };
  bool put(std::string line, Line kind, std::uint64_t number = 0);
  bool write_all(const char* data, std::size_t size);
  bool fail(const std::string& what);

  struct Integrity; ///< format 3: the key, the chain, the commit file
  std::string key_from_;
  int fd_ = -1;
  bool buffered_ = false;
  std::string path_, buffer_, error_;
  std::uint64_t written_ = 0;
  std::unique_ptr<Integrity> integrity_;
};

// ---------------------------------------------------------------------------------------------------------------
// Headless play: a whole exercise at full speed with scripted commands, journaled (cyberex play, what-ifs)

/// One scripted command: who sends what, at which simulated time.
struct ScriptedCommand {
  double at = 0; ///< simulated seconds since the start; earlier than now means now
  Principal who;
  std::string command; ///< one protocol command (JSON object text)
  std::string where;   ///< "FILE:LINE" (script) or "FILE: response N" (play file), for messages
  /// A conditional response: issued `after` seconds (>= 1) after the trigger fires, once; `at` is then unused
  std::optional<Trigger> when;
  double after = 0;
};

/// Read a --script file: JSON Lines {"at":"1h10m","as":"controller"|"evaluator"|"observer"|"player:TEAM",
/// "command":{...}}; blank lines are skipped. nullopt and *error "FILE:LINE: what was expected" on a bad line.
std::optional<std::vector<ScriptedCommand>> read_script(const std::string& path, std::string* error = nullptr);

/// The protocol commands equivalent to --play responses (engine Commands from load_play), with ids "play-1"...:
/// share and communicate become a "message" to the player teams among `to`, or a "sitrep" (a report to the White
/// Cell) when `to` names none (e.g. an observer team); report becomes "sitrep"; every other action an "action".
std::vector<ScriptedCommand> responses_to_commands(const std::vector<Command>& responses, const Scenario& scenario,
                                                   const std::string& file);

/// Exercise options as the CLI and the server give them: sensors that detect tactics see the shipped ATT&CK catalog.
/// When the catalog cannot be read, *warning (if given) says why and sensors match technique ids only.
ExerciseOptions cli_exercise_options(std::string* warning = nullptr);

struct PlayOptions {
  std::string scenario_path;            ///< written to the header and hashed
  std::string journal;                  ///< journal file to write (empty: none)
  std::string key;                      ///< key file to sign it with (empty: a new random key in JOURNAL.key)
  std::optional<double> until;          ///< stop there (default: the exercise duration)
  ExerciseOptions exercise;             ///< seed, catalog, speed
  std::function<void(double)> progress; ///< called with the simulated time every simulated hour (may be empty)
  /// Also called with every record the session emits, as it is journaled (cyberex check gathers its facts there;
  /// may be empty)
  std::function<void(const Record&)> on_record;
};

struct PlayOutcome {
  bool ok = false; ///< false: the journal could not be written (error says why)
  std::string error;
  std::vector<std::string> rejected; ///< "WHERE: rejected: {reply}" for every scripted command the session refused
  /// "WHERE: not triggered" for every conditional response whose trigger never fired, "WHERE: triggered at T, due at
  /// D, after the end" for one due after the end of the play: never silently dropped
  std::vector<std::string> not_issued;
  double time = 0;
  ClockState state = ClockState::ready;
  std::uint64_t commands = 0, records = 0;
  Kpis final_kpis;         ///< the engine's KPIs at the end
  std::string kpis;        ///< kpis_to_json(final_kpis)
  std::string leaderboard; ///< the leaderboard query's result at the end
  /// snapshot_for() every principal at the end (controller, evaluator, observer, then each player team), keyed by
  /// principal_label(): what a client connecting then would see; a Timeline of the journal shows the same
  std::vector<std::pair<std::string, std::string>> snapshots;
};

/// The conditional responses of a play (ScriptedCommand::when), watched in a session and each issued once at its
/// trigger's time + after, exactly as a timed command at that time (docs/events.md, "Play files"). play_exercise and
/// the what-if drive the session through it.
class ConditionalPlay {
public:
  /// Watches the trigger of every conditional command of `commands` (the others are ignored) in `session`, from now.
  /// `advance` moves the session's clock (default: session.advance_to).
  ConditionalPlay(ExerciseSession& session, const std::vector<ScriptedCommand>& commands,
                  std::function<void(double)> advance = {});
  /// Advance to t, issuing on the way every response due before t (with `inclusive`, also at t) at its due time; a
  /// refused one is added to `rejected` as play_exercise reports it.
  void run_to(double t, bool inclusive, std::vector<std::string>& rejected);
  /// Mark every response that fired and is due before t as decided without issuing it (a what-if branch: the
  /// original decided those before the branch time).
  void skip_due_before(double t);
  /// "WHERE: not triggered" or "WHERE: triggered at T, due at D, after the end (E)" for each response not issued.
  std::vector<std::string> not_issued(double end) const;

private:
  struct Waiting {
    ScriptedCommand command;
    int watch = -1;
    double fired = NEVER, due = NEVER;
    std::size_t order = 0; ///< firing order (fire time, then file order): the order of equal due times
    bool issued = false;
  };
  void collect();
  ExerciseSession& session_;
  std::function<void(double)> advance_;
  std::vector<Waiting> waiting_;
  std::size_t fired_ = 0;
};

/// Play a whole exercise headless: the controller starts it at time 0, every scripted command (sorted by time,
/// stable) is applied at its time, then the clock runs to the end; everything is journaled (format 4, origin play,
/// with an end line) when `options.journal` is set. A command at or after the exercise's end reaches the ended
/// session, which refuses it (in `rejected`, as every refused command); one after `until` (earlier than the end) is
/// not reached. The one path of --play responses: cyberex run, batch and play. Creates the process's one Simulation.
PlayOutcome play_exercise(const Scenario& scenario, const PlayOptions& options, std::vector<ScriptedCommand> script);

// ---------------------------------------------------------------------------------------------------------------
// Replay

/// What verify_journal() found.
struct VerifyOutcome {
  std::uint64_t compared = 0; ///< records found identical, byte for byte
  std::uint64_t replayed = 0; ///< commands re-applied
  std::string difference;     ///< the first difference ("FILE:LINE: ..."); empty when the replay matches
  bool ok() const { return difference.empty(); }
};

/// After replaying a journal's commands into `session`: process what followed the last command (simulated time that
/// passed with the clock running), calendar time by calendar time, until the session has emitted as many records as
/// the journal holds, then advance to the last mark's time if it is later; with an end line, run to its time. Used by
/// verify_journal() and the drill server's recovery.
void replay_tail(ExerciseSession& session, const JournalContents& journal);

/// A journal whose last line is a mark says that no record followed its seq by its time: when a replay up to it has
/// emitted records up to `last_seq` beyond that, "PATH:LINE: the replay produces record N by the mark's time T s; the
/// mark says the last record then was M"; otherwise empty.
std::string mark_difference(const std::string& path, const JournalContents& journal, std::uint64_t last_seq);

/// Re-run a journaled exercise (creates the process's one Simulation) with its seed, initial speed and commands at
/// their times, up to the end line (or the last record or mark), and compare every record the session emits with the
/// journal's, byte for byte; a mark's seq must be the last record the replay emitted by its time. `path` names the
/// journal in messages. The scenario must be the header's (the caller
/// checks the hash).
VerifyOutcome verify_journal(const std::string& path, const JournalContents& journal, const Scenario& scenario,
                             ExerciseOptions options);

/// How a Timeline opens a journal.
struct TimelineOptions {
  std::string scenario;             ///< the scenario file (default: the header's path, relative to the working dir)
  std::size_t snapshot_every = 250; ///< keep a copy of the state every this many records
  JournalReadOptions read;          ///< the key file
};

/// A journal folded into the state of the exercise at any time: the journal's records through ExerciseState, the one
/// fold (cyberex/exercise_state.hpp). Opening reads the file and the scenario it was played on and folds every record
/// once, keeping a copy of the state every `snapshot_every` records; state_at(t) starts from the last copy at or
/// before t and folds the few records after it.
class Timeline {
public:
  Timeline();
  ~Timeline();
  Timeline(const Timeline&) = delete;
  Timeline& operator=(const Timeline&) = delete;

  /// Read and index a journal (read_journal() with `options.read`) and load its scenario; false and *error ("FILE:LINE:
  /// ...") when either cannot be read. Warnings (a torn last line, a key file not found, a scenario whose hash is not
  /// the journal's) are in warnings().
  bool open(const std::string& path, std::string* error = nullptr, const TimelineOptions& options = {});

  const JournalHeader& header() const;
  const JournalContents& contents() const;
  const Scenario& scenario() const;
  const std::vector<JournalCommand>& commands() const;
  /// Every record in order (json without "audience", audience separately).
  const std::vector<Record>& records() const;
  const std::optional<JournalEnd>& end() const;
  const std::vector<std::string>& warnings() const;
  /// The time the journal reaches: the latest of the end line's time and the last record's, command's and mark's
  /// (journal_time_reached()).
  double duration() const;

  /// The state with every record of time <= t folded (t is clamped to [0, duration()]).
  ExerciseState fold_to(double t) const;
  /// ExerciseState::to_json at t (clamped to [0, duration()]) as the controller sees it, with "index" (the commands
  /// applied by t); see docs/protocol.md, "Snapshots".
  std::string state_at(double t) const;
  /// The same, as `who` may see it.
  std::string state_at(double t, const Principal& who) const;

  class Impl;

private:
  std::unique_ptr<Impl> impl_;
};

} // namespace cyberex
