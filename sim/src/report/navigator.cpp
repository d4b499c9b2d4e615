/* ATT&CK Navigator layers of a journaled exercise (placeholder until issue 16's navigator work lands). */
#include "report/aar.hpp"

namespace cyberex::report {

std::vector<std::pair<std::string, std::string>> render_navigator(const Json&, const Loaded&)
{
  throw ReportError{"--format navigator is not available in this build"};
}

} // namespace cyberex::report
