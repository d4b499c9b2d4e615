# exercise session: clock, dynamic MSEL, team play, scoring, protocol
list(APPEND CYBEREX_CORE_SOURCES
  src/exercise/protocol.cpp
  src/exercise/session.cpp
  src/exercise/msel.cpp
  src/exercise/team.cpp
  src/exercise/scoring.cpp
)
