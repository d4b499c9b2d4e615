/* cyberex client URL --token T: send commands to a drill server and print replies and records as JSON lines. */
#include "commands.hpp"
#include "options.hpp"

#include "cyberex/net.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

namespace cyberex::cli {
namespace {

volatile std::sig_atomic_t interrupted = 0;

void usage(std::FILE* out)
{
  std::fprintf(out,
               "usage: cyberex client URL --token T [--send JSON]... [--script FILE.jsonl] [--follow] [--since N]\n"
               "                      [--snapshot] [--ca PEM | --insecure] [--timeout MS]\n\n"
               "Connects to a drill server (ws://HOST:PORT/ or wss://HOST:PORT/), sends the commands in order, each\n"
               "after the reply to the previous one, and prints what the server sends as JSON lines on stdout:\n"
               "the welcome, replies {\"id\",\"ok\",...} and records {\"seq\",\"time\",\"kind\",...}.\n\n"
               "options:\n"
               "  --token T        your access token (from the White Cell); or the environment variable CYBEREX_TOKEN\n"
               "  --send JSON      a command, e.g. '{\"type\":\"clock\"}' (an \"id\" is added if missing); repeatable\n"
               "  --script FILE    commands, one JSON object per line ('#' lines and blank lines skipped)\n"
               "  --follow         after the commands, keep printing records until the server closes or Ctrl-C\n"
               "  --since N        catch up on the records after seq N instead of receiving a snapshot\n"
               "  --snapshot       print the snapshot the server sends first (hidden by default)\n"
               "  --ca PEM         wss: trust this certificate (e.g. the drill's self-signed one)\n"
               "  --insecure       wss: do not verify the server's certificate\n"
               "  --timeout MS     how long to wait for each reply (default 10000)\n"
               "  --help           show this help\n\n"
               "exit status: 0 every command accepted, 1 usage or connection error, 3 some command rejected\n");
}

bool print_message(const std::string& m, bool show_snapshot)
{
  if (!show_snapshot && m.rfind("{\"type\":\"snapshot\"", 0) == 0)
    return false;
  std::fwrite(m.data(), 1, m.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
  return true;
}

} // namespace

int cmd_client(const Args& args)
{
  net::ClientOptions o;
  std::vector<std::string> commands;
  bool follow = false, show_snapshot = false;
  int timeout_ms = 10000;
  if (const char* t = std::getenv("CYBEREX_TOKEN"))
    o.token = t;
  Options opt("client", args);
  while (opt.next()) {
    std::string v;
    std::uint64_t n = 0;
    if (opt.is("--help", "-h")) {
      usage(stdout);
      return 0;
    } else if (opt.is("--token")) {
      if (!opt.value(o.token))
        return 1;
    } else if (opt.is("--send")) {
      if (!opt.value(v))
        return 1;
      commands.push_back(v);
    } else if (opt.is("--script")) {
      if (!opt.value(v))
        return 1;
      std::ifstream in(v);
      if (!in)
        return opt.fail("cannot read '" + v + "'");
      std::string line;
      while (std::getline(in, line)) {
        const auto first = line.find_first_not_of(" \t\r");
        if (first == std::string::npos || line[first] == '#')
          continue;
        commands.push_back(line);
      }
    } else if (opt.is("--follow")) {
      follow = true;
    } else if (opt.is("--snapshot")) {
      show_snapshot = true;
    } else if (opt.is("--insecure")) {
      o.insecure = true;
    } else if (opt.is("--ca")) {
      if (!opt.value(o.ca_file))
        return 1;
    } else if (opt.is("--since")) {
      if (!opt.uint_value(n))
        return 1;
      o.since = n;
    } else if (opt.is("--timeout")) {
      if (!opt.uint_value(n))
        return 1;
      timeout_ms = static_cast<int>(std::min<std::uint64_t>(n, 3600000));
    } else if (opt.is_option()) {
      return opt.unknown(usage);
    } else if (!opt.positional(o.url, "URL")) {
      return 1;
    }
  }
  if (o.url.empty() || o.token.empty()) {
    std::fprintf(stderr, "cyberex client: %s\n", o.url.empty() ? "no URL given" : "no --token given");
    usage(stderr);
    return 1;
  }

  net::DrillClient client;
  bool rejected = false;
  try {
    client.connect(o);
    // the welcome (or an error if the token is refused) comes first
    auto first = client.receive(timeout_ms);
    if (!first) {
      std::fprintf(stderr, "cyberex client: no welcome from %s within %d ms\n", o.url.c_str(), timeout_ms);
      return 1;
    }
    print_message(*first, show_snapshot);
    if (first->find("\"ok\":false") != std::string::npos)
      return 1;
    // the server applies a command id once per principal (a resend is not applied twice): ids this client adds are
    // unique to this run, "c" + 8 random hex digits + "-" + the command's number
    char prefix[16];
    std::snprintf(prefix, sizeof prefix, "c%08x-", static_cast<unsigned>(std::random_device{}()));
    int n = 0;
    for (const std::string& text : commands) {
      ++n;
      auto cmd = nlohmann::ordered_json::parse(text, nullptr, false);
      std::string id = prefix + std::to_string(n);
      std::string wire = text;
      if (cmd.is_object()) {
        if (cmd.contains("id") && cmd["id"].is_string())
          id = cmd["id"].get<std::string>();
        else
          cmd["id"] = id;
        wire = cmd.dump();
      } else {
        id.clear(); // not an object: the server answers with an empty id
      }
      std::vector<std::string> others;
      const std::string reply = client.request(wire, id, timeout_ms, &others);
      for (const auto& m : others)
        print_message(m, show_snapshot);
      print_message(reply, true);
      if (reply.find("\"ok\":false") != std::string::npos)
        rejected = true;
    }
    if (follow) {
      std::signal(SIGINT, [](int) { interrupted = 1; });
      while (!interrupted) {
        if (auto m = client.receive(200))
          print_message(*m, show_snapshot);
      }
    } else {
      // what is already on its way (records caused by the last command) is printed too
      while (auto m = client.receive(100))
        print_message(*m, show_snapshot);
    }
    client.close();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cyberex client: %s\n", e.what());
    return 1;
  }
  return rejected ? 3 : 0;
}

} // namespace cyberex::cli
