# The after-action report (HTML, Markdown, JSON) and what-if comparison.
list(APPEND CYBEREX_CORE_SOURCES)
