/* The HSEEP improvement-plan matrix as CSV and xlsx (placeholder until issue 16's improvement-plan work lands). */
#include "report/aar.hpp"

namespace cyberex::report {

std::string render_ip_csv(const Json&)
{
  throw ReportError{"--format ip-csv is not available in this build"};
}

std::string render_ip_xlsx(const Json&)
{
  throw ReportError{"--format ip-xlsx is not available in this build"};
}

} // namespace cyberex::report
