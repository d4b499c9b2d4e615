# The after-action report (HTML, Markdown, JSON) and what-if comparison.
list(APPEND CYBEREX_CORE_SOURCES
  src/report/analysis.cpp
  src/report/aar.cpp
  src/report/format.cpp
  src/report/html.cpp
  src/report/markdown.cpp
  src/report/report.cpp
  src/report/whatif.cpp
)
