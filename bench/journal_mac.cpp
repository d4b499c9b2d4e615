/* The cost of the journal's integrity (format 3: a keyed MAC per line, the commit file) against format 2 (no MACs):
 * write and read a journal of 100,000 lines (50,000 commands and their records, as a drill writes them) with
 * JournalWriter and read_journal, each format in turn, and print the times and their ratio. Writing is measured two
 * ways: buffered (cyberex play) and one write per line with an fdatasync every 100 lines (cyberex serve's group
 * commit; format 3 adds one pwrite of the commit file per sync). See bench/README.md, "Journal integrity".
 *
 *   bench_journal_mac [LINES] [DIR]      (default 100000 lines, in a new directory under /tmp) */
#include "cyberex/journal.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace cyberex;

namespace {

double now_s()
{
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

JournalHeader header(int format)
{
  JournalHeader h;
  h.format = format;
  h.scenario = "scenarios/tutorial/tutorial.json";
  h.scenario_hash = "fnv1a64:0000000000000001";
  h.seed = 42;
  h.version = "bench";
  h.origin = "serve";
  return h;
}

/// LINES lines after the header: a command, then a record, in turn (commands ~120 bytes, records ~230 bytes).
/// sync_every > 0: unbuffered, an fdatasync every sync_every lines. Returns the seconds taken, close included.
double write_journal(const std::string& path, int format, std::size_t lines, std::size_t sync_every)
{
  const double t0 = now_s();
  JournalWriter w;
  if (!w.create(path, header(format), sync_every == 0)) {
    std::fprintf(stderr, "%s\n", w.error().c_str());
    std::exit(1);
  }
  std::uint64_t index = 0, seq = 0;
  for (std::size_t i = 0; i < lines; ++i) {
    const double t = 0.05 * static_cast<double>(i);
    bool ok;
    if (i % 2 == 0) {
      ok = w.command(JournalCommand{++index,
                                   t,
                                   {Role::player, "cert-gov"},
                                   "{\"id\":\"s" + std::to_string(index) +
                                       "\",\"type\":\"sitrep\",\"text\":\"phishing wave on the ministry's mail\"}"});
    } else {
      ++seq;
      ok = w.record(Record{seq,
                             t,
                             RecordKind::exercise,
                             RecordType::sitrep,
                             {Audience::Kind::teams, {"cert-energy", "cert-gov"}},
                             "{\"seq\":" + std::to_string(seq) + ",\"time\":" + std::to_string(t) +
                                 ",\"kind\":\"exercise\",\"type\":\"sitrep\",\"subject\":\"team:cert-gov\",\"details\":"
                                 "{\"team\":\"cert-gov\",\"text\":\"phishing wave on the ministry's mail\",\"status\":"
                                 "\"investigating\"}}"});
    }
    if (!ok || (sync_every > 0 && (i + 1) % sync_every == 0 && !w.sync())) {
      std::fprintf(stderr, "%s\n", w.error().c_str());
      std::exit(1);
    }
  }
  w.close();
  return now_s() - t0;
}

double read_back(const std::string& path, std::size_t lines)
{
  const double t0 = now_s();
  std::string error;
  const auto c = read_journal(path, &error);
  const double t = now_s() - t0;
  if (!c || c->commands.size() + c->records.size() != lines) {
    std::fprintf(stderr, "read: %s\n", c ? "wrong count" : error.c_str());
    std::exit(1);
  }
  return t;
}

double file_size(const std::string& path)
{
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<double>(st.st_size) : 0;
}

} // namespace

int main(int argc, char** argv)
{
  const std::size_t lines = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100000;
  std::string dir = argc > 2 ? argv[2] : "";
  if (dir.empty()) {
    char tmpl[] = "/tmp/cyberex-bench-journal-XXXXXX";
    if (!::mkdtemp(tmpl))
      return 1;
    dir = tmpl;
  }
  const std::string p2 = dir + "/f2.journal", p3 = dir + "/f3.journal";
  constexpr int rounds = 3; // the best of 3, each format in turn (the machine is shared)
  double w2 = 1e9, w3 = 1e9, r2 = 1e9, r3 = 1e9, s2 = 1e9, s3 = 1e9;
  for (int i = 0; i < rounds; ++i) {
    w2 = std::min(w2, write_journal(p2, 2, lines, 0));
    w3 = std::min(w3, write_journal(p3, 3, lines, 0));
    r2 = std::min(r2, read_back(p2, lines));
    r3 = std::min(r3, read_back(p3, lines));
  }
  for (int i = 0; i < rounds; ++i) {
    s2 = std::min(s2, write_journal(p2, 2, lines, 100));
    s3 = std::min(s3, write_journal(p3, 3, lines, 100));
  }
  const double b2 = file_size(p2), b3 = file_size(p3);
  std::printf("journal of %zu lines (+ header), best of %d; format 2: no MACs, format 3: a MAC per line\n", lines,
              rounds);
  std::printf("%-52s %12s %12s %8s\n", "", "format 2", "format 3", "3 / 2");
  std::printf("%-52s %9.1f MB %9.1f MB %7.2fx\n", "size", b2 / 1e6, b3 / 1e6, b3 / b2);
  std::printf("%-52s %10.3f s %10.3f s %7.2fx\n", "write, buffered (play)", w2, w3, w3 / w2);
  std::printf("%-52s %10.3f s %10.3f s %7.2fx\n", "write, a write per line, fdatasync per 100 (serve)", s2, s3,
              s3 / s2);
  std::printf("%-52s %10.3f s %10.3f s %7.2fx\n", "read_journal (key file there: every MAC checked)", r2, r3, r3 / r2);
  std::printf("%-52s %9.2f us %9.2f us\n", "MAC cost per line: write (buffered), read", (w3 - w2) / lines * 1e6,
              (r3 - r2) / lines * 1e6);
  for (const std::string& p : {p2, p3}) {
    std::remove(p.c_str());
    std::remove(journal_key_path(p).c_str());
    std::remove(journal_commit_path(p).c_str());
  }
  if (argc <= 2)
    ::rmdir(dir.c_str());
  return 0;
}
