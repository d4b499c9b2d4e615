/* cyberex serve SCENARIO --listen HOST:PORT --journal FILE: run a live drill over WebSocket. */
#include "commands.hpp"

#include "cyberex/net.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace cyberex::cli {
namespace {

void usage(std::FILE* out)
{
  std::fprintf(
      out, "usage: cyberex serve SCENARIO --listen HOST:PORT --journal FILE [--tokens FILE] [--cert PEM --key PEM]\n"
           "                     [--speed X] [--seed N] [--port-file FILE] [--mark-interval SECONDS]\n\n"
           "Runs the exercise headless and serves it to the White Cell, the teams and the evaluators over\n"
           "WebSocket (wss:// with --cert and --key). See docs/running-a-drill.md.\n\n"
           "options:\n"
           "  --listen HOST:PORT  address to listen on, e.g. 127.0.0.1:8600 or 0.0.0.0:8600 (port 0: any free)\n"
           "  --journal FILE      the journal (docs/journal.md): every accepted command is flushed here before it is\n"
           "                      acknowledged, then the records it caused; if FILE exists the drill is recovered\n"
           "                      from it (same scenario and seed, every record checked)\n"
           "  --tokens FILE       one access token per role and team, mode 0600 (default: JOURNAL.tokens);\n"
           "                      a recovered drill keeps its tokens\n"
           "  --cert PEM          TLS certificate chain (with --key)\n"
           "  --key PEM           TLS private key (with --cert)\n"
           "  --speed X           simulated seconds per wall second while running (default 1; a recovered drill\n"
           "                      keeps its)\n"
           "  --seed N            random seed (default: the scenario's exercise.seed; a recovered drill keeps its)\n"
           "  --port-file FILE    write the listening port there once ready (for scripts using port 0)\n"
           "  --mark-interval S   while the clock runs with nothing to record, mark the simulated time reached in the\n"
           "                      journal at most every S wall seconds (default 1; 0: never): a crash loses at most\n"
           "                      S seconds of play\n"
           "limits (docs/running-a-drill.md, section 8):\n"
           "  --rate N            commands per second per token, over all its connections (default 50; burst:\n"
           "                      twice that)\n"
           "  --text-rate KIB     KiB of command text per second per token (default 8; burst: --text-burst)\n"
           "  --text-burst KIB    KiB of command text a token may send at once (default 1024)\n"
           "  --max-connections N           connections open at once, logged in or not (default 512)\n"
           "  --max-connections-per-token N connections one token may hold at once (default 16)\n"
           "  --max-send-queue B  bytes queued for a client before it is dropped as too slow (default 8388608;\n"
           "                      what a client gets when it joins, e.g. a large snapshot, does not count)\n"
           "  --help              show this help\n\n"
           "Stops on SIGINT or SIGTERM. exit status: 0 stopped, 1 usage or I/O error, 2 invalid scenario or "
           "journal\n");
}

} // namespace

int cmd_serve(const Args& args)
{
  net::ServeOptions o;
  bool have_listen = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* name) -> const std::string* {
      if (i + 1 >= args.size()) {
        std::fprintf(stderr, "cyberex serve: %s needs a value\n", name);
        return nullptr;
      }
      return &args[++i];
    };
    const std::string* v = nullptr;
    if (a == "--help" || a == "-h") {
      usage(stdout);
      return 0;
    } else if (a == "--listen") {
      if (!(v = value("--listen")))
        return 1;
      const auto colon = v->rfind(':');
      const std::string port = colon == std::string::npos ? "" : v->substr(colon + 1);
      char* end = nullptr;
      const unsigned long p = std::strtoul(port.c_str(), &end, 10);
      if (colon == std::string::npos || colon == 0 || port.empty() || *end != '\0' || p > 65535) {
        std::fprintf(stderr, "cyberex serve: --listen expects HOST:PORT such as 127.0.0.1:8600, got '%s'\n",
                     v->c_str());
        return 1;
      }
      o.host = v->substr(0, colon);
      if (o.host.size() > 2 && o.host.front() == '[' && o.host.back() == ']')
        o.host = o.host.substr(1, o.host.size() - 2);
      o.port = static_cast<std::uint16_t>(p);
      have_listen = true;
    } else if (a == "--journal") {
      if (!(v = value("--journal")))
        return 1;
      o.journal = *v;
    } else if (a == "--tokens") {
      if (!(v = value("--tokens")))
        return 1;
      o.tokens = *v;
    } else if (a == "--cert") {
      if (!(v = value("--cert")))
        return 1;
      o.cert = *v;
    } else if (a == "--key") {
      if (!(v = value("--key")))
        return 1;
      o.key = *v;
    } else if (a == "--port-file") {
      if (!(v = value("--port-file")))
        return 1;
      o.port_file = *v;
    } else if (a == "--speed") {
      if (!(v = value("--speed")))
        return 1;
      char* end = nullptr;
      const double s = std::strtod(v->c_str(), &end);
      if (v->empty() || *end != '\0' || !(s > 0) || s > 1e6) {
        std::fprintf(stderr, "cyberex serve: --speed expects a number > 0 and <= 1000000, got '%s'\n", v->c_str());
        return 1;
      }
      o.speed = s;
    } else if (a == "--mark-interval") {
      if (!(v = value("--mark-interval")))
        return 1;
      char* end = nullptr;
      const double s = std::strtod(v->c_str(), &end);
      if (v->empty() || *end != '\0' || !(s >= 0) || s > 86400) {
        std::fprintf(stderr,
                     "cyberex serve: --mark-interval expects seconds >= 0 and <= 86400 (0: no marks), got "
                     "'%s'\n",
                     v->c_str());
        return 1;
      }
      o.mark_interval = s;
    } else if (a == "--seed") {
      if (!(v = value("--seed")))
        return 1;
      char* end = nullptr;
      const unsigned long long s = std::strtoull(v->c_str(), &end, 10);
      if (v->empty() || *end != '\0' || (*v)[0] == '-') {
        std::fprintf(stderr, "cyberex serve: --seed expects a non-negative integer, got '%s'\n", v->c_str());
        return 1;
      }
      o.seed = s;
    } else if (a == "--rate" || a == "--max-send-queue" || a == "--text-rate" || a == "--text-burst" ||
               a == "--max-connections" || a == "--max-connections-per-token") {
      const std::string name = a;
      if (!(v = value(name.c_str())))
        return 1;
      char* end = nullptr;
      const unsigned long long n = std::strtoull(v->c_str(), &end, 10);
      if (v->empty() || *end != '\0' || (*v)[0] == '-' || n == 0 || n > (1ull << 40)) {
        std::fprintf(stderr, "cyberex serve: %s expects a positive integer, got '%s'\n", name.c_str(), v->c_str());
        return 1;
      }
      const bool count = name == "--max-connections" || name == "--max-connections-per-token";
      if ((count && n > 1000000) || ((name == "--text-rate" || name == "--text-burst") && n > (1u << 20))) {
        std::fprintf(stderr, "cyberex serve: %s: %s is beyond any sensible limit\n", name.c_str(), v->c_str());
        return 1;
      }
      if (name == "--rate") {
        o.rate = static_cast<double>(n);
        o.burst = 2.0 * static_cast<double>(n);
      } else if (name == "--text-rate") {
        o.byte_rate = 1024.0 * static_cast<double>(n);
      } else if (name == "--text-burst") {
        o.byte_burst = 1024.0 * static_cast<double>(n);
      } else if (name == "--max-connections") {
        o.max_connections = static_cast<int>(n);
      } else if (name == "--max-connections-per-token") {
        o.max_connections_per_principal = static_cast<int>(n);
      } else {
        o.max_send_bytes = n;
      }
    } else if (a.size() > 1 && a[0] == '-') {
      std::fprintf(stderr, "cyberex serve: unknown option '%s'\n", a.c_str());
      usage(stderr);
      return 1;
    } else if (o.scenario.empty()) {
      o.scenario = a;
    } else {
      std::fprintf(stderr, "cyberex serve: one scenario only (got '%s' and '%s')\n", o.scenario.c_str(), a.c_str());
      return 1;
    }
  }
  if (o.scenario.empty() || !have_listen || o.journal.empty()) {
    std::fprintf(stderr, "cyberex serve: %s\n",
                 o.scenario.empty() ? "no scenario file given"
                                    : (!have_listen ? "--listen HOST:PORT is required" : "--journal FILE is required"));
    usage(stderr);
    return 1;
  }
  return net::serve(o);
}

} // namespace cyberex::cli
