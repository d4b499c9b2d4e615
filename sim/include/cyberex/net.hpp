/* The drill server and its client: an exercise session served over WebSocket (optionally TLS), with access tokens,
 * a durable command journal and crash recovery. The wire protocol is described in docs/running-a-drill.md; the
 * commands themselves in docs/protocol.md. Boost.Beast and OpenSSL stay inside sim/src/net/. */
#pragma once

#include "cyberex/exercise.hpp"
#include "cyberex/journal.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cyberex::net {

// The journal file (format 3) is the core module's: see cyberex/journal.hpp (JournalHeader, read_journal,
// JournalWriter, file_hash). The server writes it with origin "serve".

// ---------------------------------------------------------------------------------------------------------------
// Tokens

/// One credential: who it is for and its secret.
struct TokenEntry {
  Principal who;
  std::string token; ///< 64 hex digits from /dev/urandom
};


/// Read a tokens file written by the server ("LABEL TOKEN" lines, '#' comments); nullopt and *error on failure.
std::optional<std::vector<TokenEntry>> read_tokens(const std::string& path, std::string* error = nullptr);

// ---------------------------------------------------------------------------------------------------------------
// Server

struct ServeOptions {
  std::string scenario; ///< scenario file
  std::string host = "127.0.0.1";
  std::uint16_t port = 0; ///< 0: any free port (the chosen one is logged and written to port_file)
  std::string journal;    ///< journal file: created, or recovered if it exists
  std::string tokens;     ///< default: journal + ".tokens"
  std::string cert, key;  ///< PEM files: both given means TLS (wss://)
  std::optional<double> speed;
  std::optional<std::uint64_t> seed;
  std::string port_file;                  ///< if set, the listening port is written there once accepting
  int io_threads = 2;                     ///< Asio threads for the network
  std::size_t max_send_bytes = 8u << 20;  ///< per-connection send queue; a client that lets it overflow is dropped
  double rate = 50;                       ///< commands per second per token, over all its connections (refill)
  double burst = 100;                     ///< commands: token bucket size
  double byte_rate = 8u << 10;            ///< bytes of command text per second per token (refill)
  double byte_burst = 1u << 20;           ///< bytes of command text: token bucket size
  int max_connections = 512;              ///< connections open at once, logged in or not
  int max_connections_per_principal = 16; ///< connections one token may hold at once
  int max_pending_per_address = 16;       ///< connections from one address that have not logged in yet
  double login_rate = 1;                  ///< failed logins per second one address may make (refill)
  double login_burst = 10;                ///< failed logins: token bucket size
  std::size_t max_backlog = 20000;        ///< a reconnecting client further behind than this gets a snapshot instead
  double mark_interval = 1;               ///< wall seconds between journal marks of a quiet clock (0: no marks)
};

/// Run the drill server until SIGINT or SIGTERM. Returns a process exit status (0 stopped cleanly, 1 usage or I/O
/// error, 2 invalid scenario or a journal that does not match it). Logs to stderr.
int serve(const ServeOptions& options);

// ---------------------------------------------------------------------------------------------------------------
// Client

struct ClientOptions {
  std::string url;                    ///< ws://HOST:PORT/ or wss://HOST:PORT/
  std::string token;                  ///< sent in the hello message
  std::optional<std::uint64_t> since; ///< catch up on records after this seq (none: a snapshot first)
  std::string ca_file;                ///< wss: trust this PEM certificate (e.g. the server's self-signed one)
  bool insecure = false;              ///< wss: do not verify the server certificate
  bool send_hello = true;             ///< false: connect only (tests of the handshake)
};

/// A blocking WebSocket client of the drill server, for the CLI, tests and benchmarks. Not thread-safe: one thread
/// uses one client.
class DrillClient {
public:
  DrillClient();
  ~DrillClient();
  DrillClient(const DrillClient&) = delete;
  DrillClient& operator=(const DrillClient&) = delete;

  /// Connect (and send the hello unless told not to); throws std::runtime_error with what failed.
  void connect(const ClientOptions& options);
  /// Send one text message.
  void send(const std::string& text);
  /// Send one binary message (tests).
  void send_binary(const std::string& bytes);
  /// The next message from the server, waiting at most timeout_ms; nullopt on timeout. Throws when the connection is
  /// closed or fails (the message says why).
  std::optional<std::string> receive(int timeout_ms);
  /// Send a command (its "id" must be unique on this connection) and wait for the reply with that id; every other
  /// message received meanwhile is appended to *others (if given). Throws on timeout or a closed connection.
  std::string request(const std::string& command_json, const std::string& id, int timeout_ms = 10000,
                      std::vector<std::string>* others = nullptr);
  bool is_open() const;
  /// Close politely (WebSocket close frame); never throws.
  void close();
  /// Drop the TCP connection without a close frame (tests of a vanished client); never throws.
  void abort();

private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace cyberex::net
