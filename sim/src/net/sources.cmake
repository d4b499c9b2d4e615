# drill server and client: WebSocket (Boost.Beast, header-only), TLS (OpenSSL), journal file, tokens
find_package(OpenSSL REQUIRED)
find_package(Threads REQUIRED)
list(APPEND CYBEREX_NET_SOURCES
  src/net/journal_file.cpp
  src/net/tokens.cpp
  src/net/server.cpp
  src/net/client.cpp
)
