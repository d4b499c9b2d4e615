# The exercise journal (docs/journal.md): writer, reader, replay and seek.
list(APPEND CYBEREX_CORE_SOURCES
  src/journal/format.cpp
  src/journal/integrity.cpp
  src/journal/play.cpp
  src/journal/timeline.cpp
)
