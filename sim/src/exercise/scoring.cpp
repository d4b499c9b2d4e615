/* Scoring: the state's scores (ExerciseState, one definition: docs/protocol.md "Scoring") published as records, the
 * live leaderboard for the White Cell and the standings for everyone else. */
#include "exercise/impl.hpp"

namespace cyberex {

void ExerciseSession::Impl::leaderboard(const char* reason, bool always)
{
  Json board = Json::parse(fold_.leaderboard_json(now_(), false));
  std::string key = board["teams"].dump();
  if (!always && key == last_board_)
    return;
  last_board_ = std::move(key);
  board["reason"] = reason;
  // the full leaderboard moves with ground truth: the White Cell's; everyone else gets the standings, published at
  // fixed times only (every leaderboard interval and at the end)
  emit(RecordKind::exercise, RecordType::leaderboard, "exercise:" + sc_.exercise.id, std::move(board), control());
  const std::string r(reason);
  if (always && (r == "hour" || r == "end")) {
    const bool final = r == "end";
    Json standings = Json::parse(fold_.leaderboard_json(now_(), !final));
    standings["final"] = final;
    standings["reason"] = reason;
    emit(RecordKind::exercise, RecordType::standings, "exercise:" + sc_.exercise.id, std::move(standings), all());
  }
}

} // namespace cyberex
