/* The tornado chart of `cyberex sensitivity --json` (which scripted response mattered most), as SVG and as the
 * after-action report's section "Which responses mattered": one drawing for `cyberex sensitivity --svg` and `cyberex
 * report
 * --sensitivity`. */
#pragma once

#include "cyberex/report.hpp"

#include <cstddef>
#include <string>

namespace cyberex {

/// The tornado chart (SVG) of a `cyberex sensitivity --json` output: a bar per variant, in its ranking order, of the
/// ranking KPI's mean change with its 95 % confidence interval; `top` > 0: only the first `top` variants. `name` (the
/// file) prefixes the messages. Throws ReportError "NAME: (/json/pointer) expected ..." when the JSON is not that.
std::string sensitivity_tornado_svg(const std::string& sensitivity_json, const std::string& name, std::size_t top = 0);

/// The HTML section "9. Which responses mattered" of the after-action report: a short explanation and the chart of
/// the 20 largest effects. Throws ReportError as sensitivity_tornado_svg.
std::string sensitivity_section_html(const std::string& sensitivity_json, const std::string& name);

/// `report_html` (make_report's HTML) with `section` placed after the numbered sections, before Appendix A.
std::string with_sensitivity_section(const std::string& report_html, const std::string& section);

} // namespace cyberex
