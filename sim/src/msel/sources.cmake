# MSEL spreadsheets (docs/interchange.md): CSV and xlsx tables of a scenario's injects, read and written.
list(APPEND CYBEREX_CORE_SOURCES
  src/msel/csv.cpp
  src/msel/msel.cpp
  src/msel/xlsx_read.cpp
  src/msel/xlsx_write.cpp
)
