# The after-action report (HTML, Markdown, JSON) and what-if comparison.
list(APPEND CYBEREX_CORE_SOURCES
  src/report/analysis.cpp
  src/report/aar.cpp
  src/report/format.cpp
  src/report/html.cpp
  src/report/improvement_plan.cpp
  src/report/markdown.cpp
  src/report/navigator.cpp
  src/report/report.cpp
  src/report/stix_common.cpp
  src/report/stix_export.cpp
  src/report/stix_import.cpp
  src/report/tornado.cpp
  src/report/whatif.cpp
)
