/* cyberex report: a journal and its scenario to the after-action report in the format asked for. */
#include "report/aar.hpp"

namespace cyberex {

ReportOutput make_report(const std::string& journal, const ReportOptions& options)
{
  report::Loaded in = report::load(journal, options.scenario, options.key);
  if (in.journal.records.empty())
    throw ReportError{journal + ": the journal holds no record after its header: nothing to report"};
  const report::Json aar = report::build_aar(in);
  ReportOutput out;
  out.warnings = in.warnings;
  switch (options.format) {
  case ReportFormat::html:
    out.text = report::render_html(aar, options.layers);
    break;
  case ReportFormat::markdown:
    out.text = report::render_markdown(aar);
    break;
  case ReportFormat::json:
    out.text = aar.dump(2) + "\n";
    break;
  case ReportFormat::navigator:
    out.files = report::render_navigator(aar, in);
    break;
  case ReportFormat::stix:
    out.text = report::render_stix(aar, in, out.warnings);
    break;
  case ReportFormat::ip_csv:
    out.text = report::render_ip_csv(aar);
    break;
  case ReportFormat::ip_xlsx:
    out.text = report::render_ip_xlsx(aar);
    break;
  }
  return out;
}

} // namespace cyberex
