/* STIX 2.1 bundle of a journaled exercise (placeholder until issue 16's STIX work lands). */
#include "report/aar.hpp"

namespace cyberex::report {

std::string render_stix(const Json&, const Loaded&)
{
  throw ReportError{"--format stix is not available in this build"};
}

} // namespace cyberex::report
