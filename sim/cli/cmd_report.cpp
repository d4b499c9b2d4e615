/* cyberex report JOURNAL: the after-action report (HSEEP AAR/IP) of a journaled exercise as one self-contained HTML
 * file, Markdown or JSON. */
#include "commands.hpp"
#include "options.hpp"

#include "cyberex/report.hpp"
#include "cyberex/sensitivity_chart.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cyberex::cli {
namespace {

void usage(std::FILE* out)
{
  std::fprintf(
      out, "usage: cyberex report JOURNAL [-o FILE|DIR] [--format F] [--scenario FILE] [--key FILE] [--layers DIR]\n"
           "                      [--sensitivity FILE]\n\n"
           "Writes the after-action report and improvement plan of a journaled exercise (cyberex play, cyberex\n"
           "serve): exercise overview, objectives and HSEEP ratings, injects against team responses, KPI charts,\n"
           "team results and the leaderboard, evaluator observations, the improvement plan and the ATT&CK\n"
           "coverage of the adversary's techniques. The same journal gives the same bytes.\n\n"
           "options:\n"
           "  -o, --output FILE  write the report there (default: standard output; navigator: a directory)\n"
           "  --format F         html (default: one self-contained page, inline CSS and SVG, no script),\n"
           "                     md (Markdown tables), json (the report's data), navigator (ATT&CK Navigator\n"
           "                     4.5 layers, one per team and ATT&CK domain, into the directory -o names),\n"
           "                     stix (one STIX 2.1 bundle), ip-csv or ip-xlsx (the HSEEP improvement plan)\n"
           "  --scenario FILE    the scenario (default: the path in the journal's header)\n"
           "  --key FILE         the journal's key file, which checks its integrity (default: JOURNAL.key)\n"
           "  --layers DIR       html: link the ATT&CK section to the Navigator layers in DIR (relative to the\n"
           "                     page), written by --format navigator -o DIR beside it\n"
           "  --sensitivity FILE html: add the section \"Which responses mattered\": the tornado chart of\n"
           "                     'cyberex sensitivity SCENARIO --play F --json > FILE' (docs/calibration.md)\n"
           "  --help             show this help\n\n"
           "navigator: exercise-DOMAIN.json (ground truth) and team-TEAM-DOMAIN.json (detected: an alert that\n"
           "team received) per ATT&CK domain used; score 0 planned not used, 1 missed, 2 detected, 3 impact before\n"
           "containment, 4 contained before impact. ip-csv: RFC 4180, UTF-8, CRLF line ends; ip-xlsx needs -o.\n"
           "Example: cyberex report ca.jsonl -o aar.html --layers layers; cyberex report ca.jsonl --format\n"
           "navigator -o layers (docs/interchange.md)\n\n"
           "exit status: 0 written, 1 usage error, 2 the journal or the scenario cannot be read, 3 the output\n"
           "cannot be written\n");
}

} // namespace

int cmd_report(const Args& args)
{
  Options opt("report", args);
  std::string journal, output, format = "html";
  ReportOptions ro;
  std::string sensitivity; // a `cyberex sensitivity --json` output: its tornado chart as a section of the HTML
  while (opt.next()) {
    if (opt.is("--help", "-h")) {
      usage(stdout);
      return 0;
    } else if (opt.is("--output", "-o")) {
      if (!opt.value(output))
        return 1;
    } else if (opt.is("--format")) {
      if (!opt.value(format))
        return 1;
    } else if (opt.is("--scenario")) {
      if (!opt.value(ro.scenario))
        return 1;
    } else if (opt.is("--key")) {
      if (!opt.value(ro.key))
        return 1;
    } else if (opt.is("--layers")) {
      if (!opt.value(ro.layers))
        return 1;
    } else if (opt.is("--sensitivity")) {
      if (!opt.value(sensitivity))
        return 1;
    } else if (opt.is_option()) {
      return opt.unknown(usage);
    } else if (!opt.positional(journal, "journal")) {
      return 1;
    }
  }
  if (journal.empty()) {
    usage(stderr);
    return opt.fail("a journal file is required");
  }
  if (format == "html")
    ro.format = ReportFormat::html;
  else if (format == "md" || format == "markdown")
    ro.format = ReportFormat::markdown;
  else if (format == "json")
    ro.format = ReportFormat::json;
  else if (format == "navigator")
    ro.format = ReportFormat::navigator;
  else if (format == "stix")
    ro.format = ReportFormat::stix;
  else if (format == "ip-csv")
    ro.format = ReportFormat::ip_csv;
  else if (format == "ip-xlsx")
    ro.format = ReportFormat::ip_xlsx;
  else
    return opt.fail("--format expects html, md, json, navigator, stix, ip-csv or ip-xlsx, got '" + format + "'");
  if (!ro.layers.empty() && ro.format != ReportFormat::html)
    return opt.fail("--layers links the HTML report to its Navigator layers: it needs --format html");
  if (!sensitivity.empty() && ro.format != ReportFormat::html)
    return opt.fail("--sensitivity puts the tornado chart in the HTML report: it needs --format html");
  if (ro.format == ReportFormat::navigator && (output.empty() || output == "-"))
    return opt.fail("--format navigator writes several files: -o DIR names the directory");
  if (ro.format == ReportFormat::ip_xlsx && (output.empty() || output == "-"))
    return opt.fail("--format ip-xlsx writes a workbook: -o FILE.xlsx names it");

  ReportOutput out;
  try {
    out = make_report(journal, ro);
    if (!sensitivity.empty()) {
      std::ifstream file(sensitivity, std::ios::binary);
      if (!file.is_open())
        throw ReportError{sensitivity + ": cannot read the sensitivity results (cyberex sensitivity --json)"};
      std::stringstream text;
      text << file.rdbuf();
      out.text = with_sensitivity_section(out.text, sensitivity_section_html(text.str(), sensitivity));
    }
  } catch (const ReportError& e) {
    std::fprintf(stderr, "cyberex report: %s\n", e.message.c_str());
    return 2;
  }
  for (const auto& w : out.warnings)
    std::fprintf(stderr, "cyberex report: warning: %s\n", w.c_str());
  if (ro.format == ReportFormat::navigator) {
    std::error_code ec;
    std::filesystem::create_directories(output, ec);
    if (ec) {
      std::fprintf(stderr, "cyberex report: %s: cannot create the directory: %s\n", output.c_str(),
                   ec.message().c_str());
      return 3;
    }
    for (const auto& [name, contents] : out.files) {
      const std::string path = (std::filesystem::path(output) / name).string();
      std::ofstream f(path, std::ios::binary | std::ios::trunc);
      if (f)
        f.write(contents.data(), static_cast<std::streamsize>(contents.size()));
      f.close();
      if (!f) {
        std::fprintf(stderr, "cyberex report: %s: cannot write the layer\n", path.c_str());
        return 3;
      }
      std::printf("%s\n", path.c_str());
    }
    return 0;
  }
  return write_output("report", output, out.text, "report");
}

} // namespace cyberex::cli
