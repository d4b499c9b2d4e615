/* cyberex-gui: the exercise consoles and the after-action player. */
#include "main_window.hpp"

#include "console/drill_connection.hpp"
#include "plan/plan_window.hpp"

#include <QApplication>
#include <QCommandLineParser>
#include <QProcessEnvironment>

#include <cstdio>

namespace {

/// Parse "KEY=VALUE" arguments of OPTION into OUT; false (and a message on stderr) on a malformed one.
bool pairs(const QCommandLineParser& parser, const QString& option, QMap<QString, QString>& out)
{
  for (const QString& v : parser.values(option)) {
    const auto eq = v.indexOf('=');
    if (eq <= 0 || eq == v.size() - 1) {
      std::fprintf(stderr, "cyberex-gui: --%s expects NAME=FILE, got '%s'\n", qPrintable(option), qPrintable(v));
      return false;
    }
    out.insert(v.left(eq), v.mid(eq + 1));
  }
  return true;
}

} // namespace

int main(int argc, char** argv)
{
  QApplication app(argc, argv);
  QApplication::setApplicationName("cyberex");
  QApplication::setOrganizationName("cyberex");
  QApplication::setApplicationVersion("0.1.0");

  QCommandLineParser parser;
  parser.setApplicationDescription(
      "The cyberex exercise consoles. Without options, a launcher asks what to do.\n"
      "  cyberex-gui --scenario FILE            start a local drill and open the controller console\n"
      "  cyberex-gui --scenario FILE --journal J   ... keeping its journal in J (an existing J: recover that drill)\n"
      "  cyberex-gui --connect URL --token T    join a drill (the token decides the console: control or team)\n"
      "  cyberex-gui --connect wss://HOST:PORT/ --token T --ca server.pem   ... over TLS, trusting a self-signed "
      "certificate\n"
      "  cyberex-gui --journal FILE             open the after-action player\n"
      "  cyberex-gui --scenario FILE --plan     planning mode: show the scenario without running it, reload on save");
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addOptions({
      {"scenario", "Start a local drill (cyberex serve on 127.0.0.1) of FILE.", "FILE"},
      {"speed", "Simulated seconds per wall second of a local drill (default 1).", "X"},
      {"connect", "Connect to a drill server, e.g. ws://drill.example.org:8600/.", "URL"},
      {"token", "Access token for --connect (default: $CYBEREX_TOKEN).", "T"},
      {"tls", "Connect with TLS (wss://) even when URL says ws:// or has no scheme."},
      {"ca",
       "PEM certificates to trust for wss:// besides the system's: a self-signed server certificate or a private CA.",
       "FILE"},
      {"cert", "A local drill (--scenario) serves wss:// with this PEM certificate chain (with --key).", "PEM"},
      {"key", "The private key of --cert.", "PEM"},
      {"catalog", "Scenario file of a remote drill: fills the forms' choices and the map.", "FILE"},
      {"journal",
       "Open a journal in the after-action player; with --scenario, the local drill's journal (default "
       "~/cyberex-drills/SCENARIO-yyyy-MMdd-HHmm.journal; an existing one: the drill is recovered from it).",
       "FILE"},
      {"script", "Commands (JSON lines) the controller sends once connected, in order.", "FILE"},
      {"screenshot",
       "After the script: save the controller console with tab TAB (map, msel, events, teams, evaluation) shown "
       "as FILE, then quit; launcher=FILE: the launcher before the drill starts; close=FILE: the question asked "
       "on closing the console (then answered Cancel). Repeatable.",
       "TAB=FILE"},
      {"plan",
       "With --scenario: planning mode. Show the scenario without running it (map, dependencies, MSEL, analysis, "
       "the validator's diagnostics) and reload it whenever one of its files is saved."},
      {"team-screenshot", "After the script: open TEAM's console and save it as FILE, then quit. Repeatable.",
       "TEAM=FILE"},
  });
  parser.process(app);

  LaunchOptions o;
  o.scenario = parser.value("scenario");
  o.url = parser.value("connect");
  o.token = parser.value("token");
  if (o.token.isEmpty())
    o.token = QProcessEnvironment::systemEnvironment().value("CYBEREX_TOKEN");
  o.catalog = parser.value("catalog");
  o.tls = parser.isSet("tls");
  o.ca = parser.value("ca");
  o.cert = parser.value("cert");
  o.key = parser.value("key");
  o.journal = parser.value("journal");
  o.script = parser.value("script");
  if (parser.isSet("speed")) {
    bool ok = false;
    o.speed = parser.value("speed").toDouble(&ok);
    if (!ok || !(o.speed > 0) || o.speed > 1e6) {
      std::fprintf(stderr, "cyberex-gui: --speed expects a number > 0 and <= 1000000, got '%s'\n",
                   qPrintable(parser.value("speed")));
      return 1;
    }
  }
  if (!pairs(parser, "screenshot", o.screenshots) || !pairs(parser, "team-screenshot", o.teamScreenshots))
    return 1;
  if (parser.isSet("plan")) {
    if (o.scenario.isEmpty()) {
      std::fprintf(stderr, "cyberex-gui: --plan needs --scenario FILE (the scenario to open in planning mode)\n");
      return 1;
    }
    for (const char* other : {"connect", "token", "tls", "ca", "cert", "key", "catalog", "journal", "script", "speed",
                              "screenshot", "team-screenshot"})
      if (parser.isSet(other)) {
        std::fprintf(stderr, "cyberex-gui: --plan goes with --scenario only, not with --%s\n", other);
        return 1;
      }
    // a broken scenario still opens: its diagnostics are what the planner needs to see
    cyberex::gui::PlanWindow plan(o.scenario);
    plan.show();
    return QApplication::exec();
  }
  // --journal with --scenario is where the local drill keeps its record, not a journal to review
  const int modes = !o.scenario.isEmpty() + !o.url.isEmpty() + (!o.journal.isEmpty() && o.scenario.isEmpty());
  if (modes > 1 || (!o.url.isEmpty() && !o.journal.isEmpty())) {
    std::fprintf(stderr, "cyberex-gui: give one of --scenario (with --journal or not), --connect and --journal\n");
    return 1;
  }
  if (!o.url.isEmpty() && o.token.isEmpty()) {
    std::fprintf(stderr, "cyberex-gui: --connect needs --token T (or the environment variable CYBEREX_TOKEN)\n");
    return 1;
  }
  if (!o.url.isEmpty()) {
    QString error;
    if (!cyberex::gui::parseServerUrl(o.url, o.tls, &error).isValid()) {
      std::fprintf(stderr, "cyberex-gui: --connect: %s\n", qPrintable(error));
      return 1;
    }
  }
  if (o.tls && o.url.isEmpty()) {
    std::fprintf(stderr,
                 "cyberex-gui: --tls goes with --connect (a local drill serves wss:// with --cert and --key)\n");
    return 1;
  }
  if (o.cert.isEmpty() != o.key.isEmpty() || (!o.cert.isEmpty() && o.scenario.isEmpty())) {
    std::fprintf(stderr, "cyberex-gui: --cert and --key go together, with --scenario\n");
    return 1;
  }
  if (!o.ca.isEmpty() && o.url.isEmpty() && o.cert.isEmpty()) {
    std::fprintf(stderr, "cyberex-gui: --ca goes with --connect (or with --cert and --key)\n");
    return 1;
  }
  if ((!o.screenshots.isEmpty() || !o.teamScreenshots.isEmpty()) && o.scenario.isEmpty()) {
    std::fprintf(stderr, "cyberex-gui: --screenshot and --team-screenshot need --scenario\n");
    return 1;
  }

  MainWindow window;
  window.launch(o);
  return QApplication::exec();
}
