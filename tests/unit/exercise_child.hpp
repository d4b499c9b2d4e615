/* Helpers for the exercise tests: a session lives in a child process (SimGrid allows one engine per process), which
 * reports what happened as one JSON document through a pipe; the parent makes the assertions. */
#pragma once

#include "child_asserts.hpp"
#include "cyberex/attack_catalog.hpp"
#include "cyberex/exercise.hpp"
#include "cyberex/scenario.hpp"

#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>

namespace cyberex::test {

/// Run `body` in a forked child and return the text it produced (or "CHILD-FAILED: ..." on an exception, a crash or
/// a failed assertion in the child: child_asserts.hpp).
inline std::string in_child(const std::function<std::string()>& body)
{
  int fds[2];
  if (pipe(fds) != 0)
    return "CHILD-FAILED: pipe";
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    const int failed_before = failed_assertions();
    std::string out;
    try {
      out = body();
    } catch (const std::exception& e) {
      out = std::string("CHILD-FAILED: ") + e.what();
    }
    std::size_t done = 0;
    while (done < out.size()) {
      const ssize_t n = write(fds[1], out.data() + done, out.size() - done);
      if (n <= 0)
        break;
      done += static_cast<std::size_t>(n);
    }
    close(fds[1]);
    std::fflush(stdout);
    _exit(failed_assertions() > failed_before ? CHILD_ASSERT_FAILED : 0);
  }
  close(fds[1]);
  std::string out;
  char buf[65536];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    out.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return "CHILD-FAILED: status " + std::to_string(status) + "; output so far: " + out.substr(0, 200);
  return out;
}

/// The tutorial, loaded as the CLI loads it.
inline Scenario load_tutorial()
{
  LoadResult r = load_scenario("scenarios/tutorial/tutorial.json");
  if (!r.ok())
    throw std::runtime_error("tutorial scenario does not load");
  return std::move(*r.scenario);
}

/// Options as the CLI gives them: sensors that detect tactics see the shipped ATT&CK catalog.
inline ExerciseOptions tutorial_options()
{
  ExerciseOptions o;
  const AttackCatalog* catalog = &AttackCatalog::shipped();
  o.simulation.technique_tactics = [catalog](const std::string& id) {
    const Technique* t = catalog->find(id);
    return t ? t->tactics : std::vector<std::string>{};
  };
  return o;
}

inline nlohmann::json audience_json(const Audience& a)
{
  nlohmann::json j;
  j["kind"] = a.kind == Audience::Kind::control ? "control" : a.kind == Audience::Kind::all ? "all" : "teams";
  j["teams"] = a.teams;
  return j;
}

inline Audience audience_from(const nlohmann::json& j)
{
  Audience a;
  const std::string k = j["kind"];
  a.kind = k == "control" ? Audience::Kind::control : k == "all" ? Audience::Kind::all : Audience::Kind::teams;
  a.teams = j["teams"].get<std::vector<std::string>>();
  return a;
}

} // namespace cyberex::test
