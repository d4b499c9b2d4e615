/* Journals edited by the tests, sealed again as the writer would have written them: the lines re-MACed with the key
 * of the journal they came from, its key file beside them and a commit file for the durable point the test chooses.
 * A test of the reader's structure checks (seq, index, times, marks) uses them, so that the checks run on a journal
 * whose chain verifies; a test of the integrity checks does not. Uses the journal area's internal header. */
#pragma once

#include "cli_support.hpp"

#include "journal/integrity.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace journal_test {

namespace ji = cyberex::journal_integrity;

/// The journal's key, read from its key file.
inline ji::Key key_of(const std::string& journal)
{
  const auto key = ji::parse_key(cli_test::slurp(ji::key_path(journal)));
  if (!key)
    throw std::runtime_error(journal + ": no key file");
  return *key;
}

/// A format 3 journal's text with every MAC removed: what two runs with the same inputs write byte for byte (each
/// journal has its own random key, so its MACs differ).
inline std::string without_macs(const std::string& text)
{
  std::string out;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t nl = text.find('\n', pos);
    const bool torn = nl == std::string::npos;
    if (torn)
      nl = text.size();
    const std::string_view line = std::string_view(text).substr(pos, nl - pos);
    const auto split = ji::split_mac(line);
    out += split ? split->body : std::string(line);
    if (!torn)
      out += '\n';
    pos = nl + 1;
  }
  return out;
}

/// `text` (a journal, maybe edited, maybe cut inside its last line) with every complete line that is a JSON object
/// MACed again in order with `key` (lines that are not objects, and a torn last line, are left as they are).
/// *point (if given) gets the commit point after its first `committed` lines.
inline std::string sealed_text(const std::string& text, const ji::Key& key, std::size_t committed = 0,
                               ji::CommitPoint* point = nullptr)
{
  ji::Mac mac(key);
  std::string out, previous;
  ji::CommitPoint p;
  std::size_t line_no = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) {
      out += text.substr(pos); // torn: as it is
      break;
    }
    ++line_no;
    std::string line = text.substr(pos, nl - pos);
    if (const auto split = ji::split_mac(line))
      line = split->body;
    if (line.size() >= 2 && line.front() == '{' && line.back() == '}') {
      previous = line_no == 1 ? mac.header(line) : mac.line(previous, line);
      const nlohmann::ordered_json j = nlohmann::ordered_json::parse(line, nullptr, false);
      if (line_no <= committed && j.is_object() && !j.empty() && j.begin().value().is_number_unsigned()) {
        if (j.begin().key() == "index")
          p.index = j.begin().value().get<std::uint64_t>();
        else if (j.begin().key() == "seq")
          p.seq = j.begin().value().get<std::uint64_t>();
      }
      line = ji::with_mac(line, previous);
    }
    out += line + "\n";
    if (line_no == committed) {
      p.bytes = out.size();
      p.lines = line_no;
      p.mac = previous;
    }
    pos = nl + 1;
  }
  if (point)
    *point = p;
  return out;
}

/// Write `text` sealed (sealed_text) to `path`, the key file beside it, and a commit file saying that its first
/// `committed` lines were made durable (no commit file when nullopt).
inline void seal_journal(const std::string& text, const ji::Key& key, const std::string& path,
                         std::optional<std::size_t> committed)
{
  ji::CommitPoint point;
  cli_test::spit(path, sealed_text(text, key, committed.value_or(0), &point));
  cli_test::spit(ji::key_path(path), ji::key_text(key));
  std::remove(ji::commit_path(path).c_str());
  if (committed) {
    ji::Mac mac(key);
    cli_test::spit(ji::commit_path(path), ji::commit_record(point, mac));
  }
}

/// The same with the key of journal `from`.
inline void seal_journal(const std::string& text, const std::string& from, const std::string& path,
                         std::optional<std::size_t> committed)
{
  seal_journal(text, key_of(from), path, committed);
}

/// The warning of a torn last line dropped after the durable point of a commit file: `line` and the commit's line,
/// last command index and last record seq.
inline std::string torn_warning(const std::string& path, std::size_t line, std::size_t committed_line,
                                std::size_t index, std::size_t seq,
                                const std::string& why = "no newline: the writer stopped while writing it")
{
  return path + ":" + std::to_string(line) + ": dropped a torn last line (" + why +
         "); it began after the last durable point (line " + std::to_string(committed_line) + ", command " +
         std::to_string(index) + ", record " + std::to_string(seq) +
         "): no reply or record that depended on it was sent";
}

} // namespace journal_test
