/* Times from the exercise start as people type them, read and clamped the same way by every front end: `cyberex
 * replay --at`, `cyberex whatif --at`, `cyberex-gui-shot --time` and the GUI's time fields (docs/after-action.md,
 * "Times"). */
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cyberex {

/// Seconds from the exercise start: a duration ("5h20m", "90m", "1.5h", "45s", "1d2h"), plain seconds ("3600",
/// "90.5"), a clock reading "h:mm" or "h:mm:ss" ("5:20", "05:20:30") or an inject time ("D+1 H+3 M+45"); spaces
/// around it and next to a unit ("1H 30M") and letter case are ignored. Nothing when the text is none of these
/// (empty, negative, "5x", "5h20", "1 2h", "5m later").
std::optional<double> parse_exercise_time(std::string_view text);

/// The accepted forms, for error messages: `a time from the start such as "5h20m", "90m", "3600" (seconds) or "5:20"`.
std::string exercise_time_forms();

/// A time asked of a journal that reaches `end` seconds: the time shown, clamped to [0, end], and a note when the
/// time asked was past the end ("10h00m00s is past the end of the journal (9h00m00s): showing 9h00m00s"), empty
/// otherwise.
struct TimeInJournal {
  double time = 0;
  std::string note;
};
TimeInJournal time_in_journal(double asked, double end);

/// Seconds written as "5h20m00s" (rounded to the second), as the notes and `cyberex replay` print them.
std::string format_hms(double seconds);

} // namespace cyberex
