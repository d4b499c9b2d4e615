/* cyberex serve: one exercise session served over WebSocket (Boost.Beast), optionally with TLS.
 *
 * Threads: the simulation thread creates, drives and destroys the session (commands from a queue, clock_tick every
 * 50 ms); Asio threads do the network; a journal thread makes the journal durable (fdatasync) and only then releases
 * what the simulation thread produced since the last sync (group commit: many commands share one fdatasync, and no
 * reply or record that depends on a command leaves the server before that command is on disk). While the clock runs
 * with nothing to record, the simulation thread writes a mark line (the simulated time reached) at most every
 * --mark-interval wall seconds, so that a crash loses no more than that of the quiet period. */
#include "cyberex/net.hpp"
#include "cyberex/scenario.hpp"
#include "net/log.hpp"
#include "net/tokens.hpp"

#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <thread>

namespace cyberex::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Json = nlohmann::ordered_json;
using Message = std::shared_ptr<const std::string>;

constexpr std::size_t max_command_bytes = 64u << 10;
constexpr std::size_t max_frame_bytes = 1u << 20; ///< above this Beast closes the connection (1009 too big)
constexpr std::size_t max_hello_bytes = 4u << 10; ///< before login: a hello is small, anything larger is closed
constexpr std::uint32_t max_request_header_bytes = 8u << 10; ///< the HTTP upgrade request's header
constexpr auto hello_timeout = std::chrono::seconds(10);
constexpr auto tick_period = std::chrono::milliseconds(50);

/// The request target with the values of secrets (token=...) replaced, for the log.
std::string redact_target(const std::string& target)
{
  std::string out = target.substr(0, 200);
  for (std::size_t p = out.find("token="); p != std::string::npos; p = out.find("token=", p + 1)) {
    const std::size_t end = out.find('&', p);
    out.replace(p + 6, (end == std::string::npos ? out.size() : end) - (p + 6), "<redacted>");
  }
  return out;
}

std::string error_json(const std::string& id, const std::string& code, const std::string& message)
{
  Json j;
  j["id"] = id;
  j["ok"] = false;
  j["error"] = {{"code", code}, {"message", message}};
  return j.dump();
}

/// The "id" of a command if it is a JSON object with a string id (for error replies made by the transport).
std::string command_id(const std::string& text)
{
  Json j = Json::parse(text, nullptr, false);
  if (j.is_object() && j.contains("id") && j["id"].is_string())
    return j["id"].get<std::string>();
  return {};
}

class Server;

/// One client connection, whatever its stream (plain or TLS). deliver() and drop() may be called from any thread.
class Connection : public std::enable_shared_from_this<Connection> {
public:
  virtual ~Connection() = default;
  /// Queue a message. `priming`: part of what a client gets when it joins (welcome, snapshot or backlog): it is sent
  /// whatever its size, and only what is queued after it counts against the send-queue limit.
  virtual void deliver(Message m, bool priming) = 0;
  virtual void drop(const std::string& why) = 0;

  std::uint64_t id = 0;
  std::string peer;    ///< address:port
  std::string address; ///< address only (per-address limits)
  Principal who;       ///< valid once authenticated
  std::string label() const { return "conn " + std::to_string(id) + " " + peer; }
};

/// Limits shared by every connection of one principal (one token): a team that opens 40 connections gets the rate of
/// one, not of 40. Guarded by Server::limits_mutex_.
struct PrincipalLimits {
  double commands = 0; ///< token bucket: commands
  double bytes = 0;    ///< token bucket: bytes of command text (what a command can add to the journal and the state)
  std::chrono::steady_clock::time_point refilled{};
  int connections = 0;
  std::uint64_t refused = 0; ///< commands refused since the last log line about it
  std::chrono::steady_clock::time_point logged{};
};

/// Failed logins from one address: a token bucket of attempts, so that guessing tokens is slow.
struct AddressLimits {
  double attempts = 0;
  std::chrono::steady_clock::time_point refilled{};
  int pending = 0;           ///< connections not yet authenticated
  std::uint64_t refused = 0; ///< refused while locked out (logged in summary)
  bool logged_lockout = false;
};

/// Work for the simulation thread.
struct Work {
  enum class Kind { join, command, leave } kind = Kind::command;
  std::shared_ptr<Connection> conn;
  std::optional<std::uint64_t> since;
  std::string text;
};

/// What the simulation thread sends, held until the journal is durable up to `offset`.
struct Outbound {
  std::shared_ptr<Connection> conn;
  Message message;
  bool priming = false; ///< see Connection::deliver
};
struct Batch {
  std::uint64_t offset = 0;
  std::vector<Outbound> items;
};

class Server {
public:
  explicit Server(const ServeOptions& o) : opt_(o), ioc_(std::max(1, o.io_threads)), tls_(ssl::context::tls_server) {}

  int run();

  // called by connections (I/O threads)
  std::optional<Principal> authenticate(const std::string& token) const { return tokens_.find(token); }
  /// A new connection from `address`: false if it must be refused (too many connections, in all or unauthenticated
  /// from that address); *why says which.
  bool admit(const std::string& address, std::string* why);
  /// A login from `address`: false while the address is locked out after too many failed logins.
  bool login_allowed(const std::string& address, double* retry_after);
  void login_failed(const std::string& address);
  /// The connection authenticated as `who`: false if that principal has too many connections open.
  bool attach(const std::string& address, const Principal& who, std::string* why);
  /// The connection closed (authenticated or not).
  void detach(const std::string& address, const std::optional<Principal>& who);
  /// Charge one command of `bytes` to `who`'s buckets; "" if accepted, else the error message (rate-limited).
  std::string charge(const Principal& who, std::size_t bytes, std::optional<std::string>* log_summary,
                     std::chrono::milliseconds* wait);
  int open_count();
  void post_work(Work w)
  {
    {
      std::lock_guard lock(work_mutex_);
      work_.push_back(std::move(w));
    }
    work_cv_.notify_one();
  }
  std::uint64_t next_connection_id() { return ++connections_; }
  const ServeOptions& options() const { return opt_; }

private:
  bool open_journal(const Scenario& sc, std::uint64_t& seed);
  void accept_loop();
  template <class Ws>
  void start_connection(tcp::socket socket, bool tls);
  void simulation_thread(const Scenario* scenario, ExerciseOptions eo, std::promise<std::string>* ready);
  void journal_thread();
  void submit(Batch b);
  void deliver_now(Batch& b);
  void append_journal(const JournalCommand& r);
  void write_record(const Record& rec);
  void write_mark(const ExerciseSession& session);
  bool open_for_append();
  bool recover(ExerciseSession& session, std::string& error);
  void on_outgoing(const Record& rec);
  void join(Work& w, ExerciseSession& session);

  ServeOptions opt_;
  asio::io_context ioc_;
  ssl::context tls_;
  bool use_tls_ = false;
  std::unique_ptr<tcp::acceptor> acceptor_;
  std::unique_ptr<asio::steady_timer> accept_pause_; ///< backing off when accept fails (out of file descriptors)
  std::chrono::milliseconds accept_backoff_{0};
  TokenTable tokens_;
  std::atomic<std::uint64_t> connections_{0};

  // limits (I/O threads)
  std::mutex limits_mutex_;
  int open_ = 0; ///< connections open, authenticated or not
  std::map<std::string, PrincipalLimits> principals_;
  std::map<std::string, AddressLimits> addresses_;

  // journal: commands are durable (fdatasync) before anything that depends on them leaves the server; records are
  // written in order after them but need no sync of their own (a recovery re-emits them identically)
  JournalWriter writer_;
  std::optional<JournalContents> recovered_;
  bool checking_ = false;                      ///< recovery: records already on disk are compared, not written
  std::optional<std::uint64_t> resume_offset_; ///< recovery: where appending starts (the writer opens it lazily)
  std::string recovery_mismatch_;              ///< the first record that differs from the disk
  std::mutex gate_mutex_;
  std::condition_variable gate_cv_;
  std::uint64_t written_ = 0, durable_ = 0;
  std::deque<Batch> gate_;
  bool journal_failed_ = false;

  // work queue
  std::mutex work_mutex_;
  std::condition_variable work_cv_;
  std::deque<Work> work_;
  std::atomic<bool> stopping_{false};

  // simulation thread only
  std::map<std::uint64_t, std::shared_ptr<Connection>> subscribers_;
  std::deque<Record> log_;
  std::size_t max_log_ = 200000;
  std::size_t max_log_bytes_ = 256u << 20; ///< the catch-up log also stays under this many bytes
  std::size_t log_bytes_ = 0;
  std::vector<Outbound> pending_out_;
  double covered_ = 0; ///< simulated time a replay of the journal's lines reaches (commands, records, marks)
};

// ---------------------------------------------------------------------------------------------------------------
// Connections

using PlainWs = websocket::stream<beast::tcp_stream>;
using TlsWs = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;

template <class Ws>
class WsConnection : public Connection {
public:
  WsConnection(Server& server, Ws ws, bool tls)
      : server_(server), ws_(std::move(ws)), tls_(tls), timer_(ws_.get_executor()), buffer_(max_request_header_bytes)
  {
  }

  void start()
  {
    beast::get_lowest_layer(ws_).expires_after(hello_timeout);
    if constexpr (std::is_same_v<Ws, TlsWs>) {
      ws_.next_layer().async_handshake(ssl::stream_base::server,
                                       [self = self()](beast::error_code ec) { self->on_tls(ec); });
      return;
    }
    read_request();
  }

  void deliver(Message m, bool priming) override
  {
    asio::post(ws_.get_executor(),
               [self = self(), m = std::move(m), priming]() mutable { self->enqueue(std::move(m), priming); });
  }
  void drop(const std::string& why) override
  {
    asio::post(ws_.get_executor(), [self = self(), why] { self->close_now(why); });
  }

private:
  std::shared_ptr<WsConnection> self() { return std::static_pointer_cast<WsConnection>(shared_from_this()); }

  void on_tls(beast::error_code ec)
  {
    if (ec)
      return close_now("TLS handshake failed: " + ec.message());
    read_request();
  }

  void read_request()
  {
    // the upgrade request has no body, and its header is small: nothing larger is read before a login
    parser_.emplace();
    parser_->header_limit(max_request_header_bytes);
    parser_->body_limit(0);
    http::async_read(ws_.next_layer(), buffer_, *parser_,
                     [self = self()](beast::error_code ec, std::size_t) { self->on_request(ec); });
  }

  void on_request(beast::error_code ec)
  {
    if (ec)
      return close_now("no WebSocket upgrade request: " + ec.message());
    request_ = parser_->release();
    parser_.reset();
    if (!websocket::is_upgrade(request_)) {
      log_line("%s: not a WebSocket upgrade (%s %s); answered 426", label().c_str(),
               std::string(request_.method_string()).substr(0, 16).c_str(),
               redact_target(std::string(request_.target())).c_str());
      auto res =
          std::make_shared<http::response<http::string_body>>(http::status::upgrade_required, request_.version());
      res->set(http::field::server, "cyberex-drill");
      res->set(http::field::upgrade, "websocket");
      res->set(http::field::content_type, "text/plain");
      res->body() = "cyberex drill server: connect with a WebSocket client (cyberex client URL --token T)\n";
      res->prepare_payload();
      http::async_write(ws_.next_layer(), *res,
                        [self = self(), res](beast::error_code, std::size_t) { self->close_now(""); });
      return;
    }
    // token and since may come in the URL (?token=...&since=N) or the header "Authorization: Bearer TOKEN"
    std::string token;
    std::optional<std::uint64_t> since;
    const std::string target(request_.target());
    if (auto q = target.find('?'); q != std::string::npos) {
      std::string query = target.substr(q + 1);
      std::size_t pos = 0;
      while (pos <= query.size()) {
        std::size_t amp = query.find('&', pos);
        if (amp == std::string::npos)
          amp = query.size();
        const std::string kv = query.substr(pos, amp - pos);
        const auto eq = kv.find('=');
        const std::string k = kv.substr(0, eq), v = eq == std::string::npos ? "" : kv.substr(eq + 1);
        if (k == "token")
          token = v;
        else if (k == "since" && !v.empty() && v.find_first_not_of("0123456789") == std::string::npos && v.size() < 20)
          since = std::stoull(v);
        pos = amp + 1;
      }
    }
    if (auto auth = request_.find(http::field::authorization); auth != request_.end()) {
      const std::string value(auth->value());
      if (value.rfind("Bearer ", 0) == 0)
        token = value.substr(7);
    }
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "cyberex-drill"); }));
    ws_.read_message_max(max_hello_bytes);
    arm_hello_timer(); // the WebSocket handshake and the hello together, within hello_timeout
    ws_.async_accept(request_, [self = self(), token, since](beast::error_code accept_ec) {
      if (accept_ec)
        return self->close_now("WebSocket handshake failed: " + accept_ec.message());
      if (!token.empty())
        self->on_hello(token, since, "");
      if (!self->closed_)
        self->read();
    });
  }

  void arm_hello_timer()
  {
    timer_.expires_after(hello_timeout);
    timer_.async_wait([self = self()](beast::error_code ec) {
      if (!ec && !self->authed_)
        self->close_now("no hello within " + std::to_string(hello_timeout.count()) + " s");
    });
  }

  void on_hello(const std::string& token, std::optional<std::uint64_t> since, const std::string& command)
  {
    timer_.cancel();
    closing_ = true; // unless accepted below: the error reply is the last message
    double retry = 0;
    if (!server_.login_allowed(address, &retry)) {
      enqueue(std::make_shared<const std::string>(error_json(command, "unauthorized",
                                                             "too many failed logins from this address: try again in " +
                                                                 std::to_string(static_cast<int>(std::ceil(retry))) +
                                                                 " s")),
              false);
      return;
    }
    auto principal = server_.authenticate(token);
    if (!principal) {
      server_.login_failed(address);
      enqueue(std::make_shared<const std::string>(error_json(
                  command, "unauthorized", "unknown token: ask the White Cell for the token of your team or role")),
              false);
      return;
    }
    std::string why;
    if (!server_.attach(address, *principal, &why)) {
      log_line("%s %s: connection refused: %s", label().c_str(), principal_label(*principal).c_str(), why.c_str());
      enqueue(std::make_shared<const std::string>(error_json(command, "too-many-connections", why)), false);
      return;
    }
    closing_ = false;
    who = *principal;
    authed_ = true;
    ws_.read_message_max(max_frame_bytes);
    log_line("%s: authenticated as %s", label().c_str(), principal_label(who).c_str());
    server_.post_work(Work{Work::Kind::join, shared_from_this(), since, {}});
  }

  void read()
  {
    ws_.async_read(in_, [self = self()](beast::error_code ec, std::size_t n) { self->on_read(ec, n); });
  }

  void on_read(beast::error_code ec, std::size_t n)
  {
    if (ec) {
      if (ec == websocket::error::closed)
        return close_now("closed by the client");
      if (ec == websocket::error::message_too_big && !authed_)
        return close_now("a message of more than " + std::to_string(max_hello_bytes) + " bytes before the login");
      return close_now("read failed: " + ec.message());
    }
    const bool binary = ws_.got_binary();
    std::string text = beast::buffers_to_string(in_.data());
    in_.consume(in_.size());
    std::chrono::milliseconds pause{0};
    if (!closing_)
      pause = handle_message(std::move(text), binary, n);
    if (closed_ || closing_)
      return;
    if (pause.count() == 0)
      return read();
    // over its limits: this connection is not read for a while, so that a flood costs the server (and the other
    // teams) nothing: the client's own socket fills up and its sends block
    timer_.expires_after(pause);
    timer_.async_wait([self = self()](beast::error_code wait_ec) {
      if (!wait_ec && !self->closed_)
        self->read();
    });
  }

  void reject(const std::string& command, const std::string& code, const std::string& message)
  {
    log_line("%s%s%s: %s: %s", label().c_str(), authed_ ? " " : "", authed_ ? principal_label(who).c_str() : "",
             code.c_str(), message.c_str());
    enqueue(std::make_shared<const std::string>(error_json(command, code, message)), false);
  }

  /// Handle one message; returns how long to wait before reading the next one (0: at once).
  std::chrono::milliseconds handle_message(std::string text, bool binary, std::size_t n)
  {
    const std::chrono::milliseconds now{0};
    if (!authed_) {
      // before the login only a hello is read; anything else ends the connection
      closing_ = true;
      if (binary) {
        reject("", "unauthorized", "the first message must be {\"type\":\"hello\",\"token\":\"...\"} (text)");
        return now;
      }
      Json j = Json::parse(text, nullptr, false);
      const std::string cid = j.is_object() && j.contains("id") && j["id"].is_string() && j["id"].size() <= 128
                                  ? j["id"].get<std::string>()
                                  : "";
      if (!j.is_object() || !j.contains("type") || j["type"] != "hello" || !j.contains("token") ||
          !j["token"].is_string()) {
        reject(cid, "unauthorized", "the first message must be {\"type\":\"hello\",\"token\":\"...\"}");
        return now;
      }
      std::optional<std::uint64_t> since;
      if (j.contains("since")) {
        if (!j["since"].is_number_unsigned()) {
          reject(cid, "bad-command", "(/since) expected the seq of the last record you have (an integer >= 0)");
          return now;
        }
        since = j["since"].get<std::uint64_t>();
      }
      on_hello(j["token"].get<std::string>(), since, cid);
      return now;
    }
    if (binary) {
      reject("", "bad-message", "binary frames are not accepted: send each command as one JSON text message");
      return now;
    }
    if (n > max_command_bytes) {
      reject(command_id(text), "too-large",
             "a command is at most " + std::to_string(max_command_bytes) + " bytes; got " + std::to_string(n));
      return now;
    }
    std::optional<std::string> summary;
    std::chrono::milliseconds wait{0};
    const std::string limited = server_.charge(who, text.size(), &summary, &wait);
    if (!limited.empty()) {
      if (summary)
        log_line("%s %s: rate-limited: %s%s", label().c_str(), principal_label(who).c_str(), limited.c_str(),
                 summary->c_str());
      enqueue(std::make_shared<const std::string>(error_json(command_id(text), "rate-limited", limited)), false);
      // each refusal in a row doubles the pause before this connection is read again (up to 250 ms)
      backoff_ = std::min(std::chrono::milliseconds(250), std::max(wait, backoff_ * 2));
      return backoff_;
    }
    backoff_ = now;
    server_.post_work(Work{Work::Kind::command, shared_from_this(), {}, std::move(text)});
    return now;
  }

  void enqueue(Message m, bool priming)
  {
    if (closed_)
      return;
    // the limit is on what piles up behind a client that does not read, not on one large message: what a client gets
    // when it joins (a snapshot can be large) is sent whatever its size, and so is one message into an empty queue
    const std::size_t backlog = queued_bytes_ - priming_bytes_;
    if (!priming && backlog > 0 && backlog + m->size() > server_.options().max_send_bytes) {
      close_now("send queue overflow (" + std::to_string(queued_bytes_) +
                " bytes unsent): the client does not read fast enough; it may reconnect with since");
      return;
    }
    queued_bytes_ += m->size();
    if (priming)
      priming_bytes_ += m->size();
    out_.push_back({std::move(m), priming});
    if (!writing_)
      write();
  }

  void write()
  {
    if (closed_)
      return;
    if (out_.empty()) {
      writing_ = false;
      if (closing_) {
        ws_.async_close(websocket::close_code::policy_error,
                        [self = self()](beast::error_code) { self->close_now(""); });
      }
      return;
    }
    writing_ = true;
    ws_.text(true);
    // the handler holds the message: close_now() may clear the queue while the write still reads from it
    Message m = out_.front().first;
    const auto buffer = asio::buffer(*m);
    ws_.async_write(buffer, [self = self(), m = std::move(m)](beast::error_code ec, std::size_t) {
      // close_now() may have run while this write was in flight (a queue overflow, a drop): the queue is gone then
      if (self->closed_)
        return;
      if (ec)
        return self->close_now("write failed: " + ec.message());
      const auto& [sent, priming] = self->out_.front();
      self->queued_bytes_ -= sent->size();
      if (priming)
        self->priming_bytes_ -= sent->size();
      self->out_.pop_front();
      self->write();
    });
  }

  void close_now(const std::string& why)
  {
    if (closed_)
      return;
    closed_ = true;
    if (!why.empty())
      log_line("%s%s%s: disconnected: %s", label().c_str(), authed_ ? " " : "",
               authed_ ? principal_label(who).c_str() : "", why.c_str());
    timer_.cancel();
    out_.clear();
    queued_bytes_ = priming_bytes_ = 0;
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(ws_).close();
    server_.detach(address, authed_ ? std::optional<Principal>(who) : std::nullopt);
    if (authed_)
      server_.post_work(Work{Work::Kind::leave, shared_from_this(), {}, {}});
  }

  Server& server_;
  Ws ws_;
  bool tls_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_, in_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::request<http::string_body> request_;
  std::deque<std::pair<Message, bool>> out_; ///< message, priming
  std::size_t queued_bytes_ = 0, priming_bytes_ = 0;
  bool writing_ = false, closing_ = false, closed_ = false, authed_ = false;
  std::chrono::milliseconds backoff_{0}; ///< pause before the next read after a rate-limited command
};

template <class Ws>
void Server::start_connection(tcp::socket socket, bool tls)
{
  std::shared_ptr<WsConnection<Ws>> c;
  beast::error_code ec;
  const auto ep = socket.remote_endpoint(ec);
  const std::string address = ec ? std::string("?") : ep.address().to_string();
  const std::string peer = ec ? std::string("?") : address + ":" + std::to_string(ep.port());
  std::string why;
  if (!admit(address, &why)) {
    // refused before any byte is read: no TLS handshake, no buffers
    socket.shutdown(tcp::socket::shutdown_both, ec);
    socket.close(ec);
    return;
  }
  if constexpr (std::is_same_v<Ws, TlsWs>)
    c = std::make_shared<WsConnection<Ws>>(*this, Ws(beast::tcp_stream(std::move(socket)), tls_), tls);
  else
    c = std::make_shared<WsConnection<Ws>>(*this, Ws(beast::tcp_stream(std::move(socket))), tls);
  c->id = next_connection_id();
  c->peer = peer;
  c->address = address;
  c->start();
}

void Server::accept_loop()
{
  acceptor_->async_accept(asio::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
    if (stopping_)
      return;
    if (ec) {
      // out of file descriptors (or another resource): retrying at once would spin; back off, log once per episode
      if (accept_backoff_.count() == 0)
        log_line("accept failed: %s; pausing new connections (%d open)", ec.message().c_str(), open_count());
      accept_backoff_ =
          std::min(std::chrono::milliseconds(1000), std::max(std::chrono::milliseconds(50), accept_backoff_ * 2));
      accept_pause_->expires_after(accept_backoff_);
      accept_pause_->async_wait([this](beast::error_code wait_ec) {
        if (!wait_ec && !stopping_)
          accept_loop();
      });
      return;
    }
    if (accept_backoff_.count() != 0) {
      log_line("accepting connections again");
      accept_backoff_ = std::chrono::milliseconds(0);
    }
    socket.set_option(tcp::no_delay(true), ec);
    if (use_tls_)
      start_connection<TlsWs>(std::move(socket), true);
    else
      start_connection<PlainWs>(std::move(socket), false);
    accept_loop();
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Limits

int Server::open_count()
{
  std::lock_guard lock(limits_mutex_);
  return open_;
}

bool Server::admit(const std::string& address, std::string* why)
{
  std::lock_guard lock(limits_mutex_);
  AddressLimits& a = addresses_[address];
  if (open_ >= opt_.max_connections) {
    *why = "the server has " + std::to_string(open_) + " connections open, its limit (--max-connections)";
  } else if (a.pending >= opt_.max_pending_per_address) {
    *why = "this address has " + std::to_string(a.pending) + " connections that have not logged in yet";
  } else {
    ++open_;
    ++a.pending;
    return true;
  }
  if (a.refused++ % 1000 == 0)
    log_line("connection from %s refused: %s (%llu refused so far)", address.c_str(), why->c_str(),
             static_cast<unsigned long long>(a.refused));
  return false;
}

bool Server::login_allowed(const std::string& address, double* retry_after)
{
  std::lock_guard lock(limits_mutex_);
  AddressLimits& a = addresses_[address];
  const auto now = std::chrono::steady_clock::now();
  if (a.refilled == std::chrono::steady_clock::time_point{}) {
    a.attempts = opt_.login_burst;
  } else {
    a.attempts = std::min(opt_.login_burst,
                          a.attempts + std::chrono::duration<double>(now - a.refilled).count() * opt_.login_rate);
  }
  a.refilled = now;
  if (a.attempts >= 1) {
    a.logged_lockout = false;
    return true;
  }
  *retry_after = (1 - a.attempts) / opt_.login_rate;
  if (!a.logged_lockout)
    log_line("%s: too many failed logins: refusing logins from this address for %.0f s", address.c_str(),
             std::ceil(*retry_after));
  a.logged_lockout = true;
  return false;
}

void Server::login_failed(const std::string& address)
{
  std::lock_guard lock(limits_mutex_);
  AddressLimits& a = addresses_[address];
  a.attempts -= 1;
  // the first failures are logged one by one, then only when the address is locked out
  if (a.attempts >= opt_.login_burst - 3)
    log_line("%s: unknown token: connection refused", address.c_str());
}

bool Server::attach(const std::string& address, const Principal& who, std::string* why)
{
  std::lock_guard lock(limits_mutex_);
  PrincipalLimits& p = principals_[principal_label(who)];
  if (p.connections >= opt_.max_connections_per_principal) {
    *why = principal_label(who) + " has " + std::to_string(p.connections) +
           " connections open, the most one token may (--max-connections-per-token); close one first";
    return false;
  }
  ++p.connections;
  auto a = addresses_.find(address);
  if (a != addresses_.end() && a->second.pending > 0)
    --a->second.pending;
  return true;
}

void Server::detach(const std::string& address, const std::optional<Principal>& who)
{
  std::lock_guard lock(limits_mutex_);
  --open_;
  if (who) {
    auto p = principals_.find(principal_label(*who));
    if (p != principals_.end() && p->second.connections > 0)
      --p->second.connections;
  } else {
    auto a = addresses_.find(address);
    if (a != addresses_.end() && a->second.pending > 0)
      --a->second.pending;
  }
}

std::string Server::charge(const Principal& who, std::size_t bytes, std::optional<std::string>* log_summary,
                           std::chrono::milliseconds* wait)
{
  std::lock_guard lock(limits_mutex_);
  PrincipalLimits& p = principals_[principal_label(who)];
  const auto now = std::chrono::steady_clock::now();
  const double byte_burst = opt_.byte_burst, byte_rate = opt_.byte_rate;
  if (p.refilled == std::chrono::steady_clock::time_point{}) {
    p.commands = opt_.burst;
    p.bytes = byte_burst;
  } else {
    const double dt = std::chrono::duration<double>(now - p.refilled).count();
    p.commands = std::min(opt_.burst, p.commands + dt * opt_.rate);
    p.bytes = std::min(byte_burst, p.bytes + dt * byte_rate);
  }
  p.refilled = now;
  std::string error;
  if (p.commands < 1)
    error = "too many commands: at most " + std::to_string(static_cast<int>(opt_.rate)) + " per second (burst " +
            std::to_string(static_cast<int>(opt_.burst)) + ") for " + principal_label(who) +
            ", over all its connections";
  else if (p.bytes < static_cast<double>(bytes))
    error = "too much text: at most " + std::to_string(static_cast<long long>(byte_rate / 1024)) +
            " KiB per second (burst " + std::to_string(static_cast<long long>(byte_burst / 1024)) + " KiB) for " +
            principal_label(who) + ", over all its connections; this command has " + std::to_string(bytes) +
            " bytes, wait " + std::to_string(static_cast<int>(std::ceil((bytes - p.bytes) / byte_rate))) + " s";
  if (!error.empty()) {
    // how long until this command would pass
    const double need =
        p.commands < 1 ? (1 - p.commands) / opt_.rate : (static_cast<double>(bytes) - p.bytes) / byte_rate;
    *wait = std::chrono::milliseconds(static_cast<long long>(std::ceil(std::min(1.0, need) * 1000)));
    // one log line per principal at most every 10 s, with the count of refusals since the last one
    ++p.refused;
    if (p.logged == std::chrono::steady_clock::time_point{} || now - p.logged >= std::chrono::seconds(10)) {
      *log_summary = p.refused > 1 ? " (" + std::to_string(p.refused) + " commands refused since the last such line)"
                                   : std::string();
      p.logged = now;
      p.refused = 0;
    }
    return error;
  }
  p.commands -= 1;
  p.bytes -= static_cast<double>(bytes);
  return {};
}

// ---------------------------------------------------------------------------------------------------------------
// Journal and group commit

bool Server::open_journal(const Scenario& sc, std::uint64_t& seed)
{
  const auto hash = file_hash(opt_.scenario);
  if (!hash) {
    log_line("error: cannot read the scenario file %s", opt_.scenario.c_str());
    return false;
  }
  struct stat st {};
  if (::stat(opt_.journal.c_str(), &st) == 0 && st.st_size > 0) {
    std::string error;
    auto contents = read_journal(opt_.journal, &error);
    if (!contents) {
      log_line("error: %s", error.c_str());
      return false;
    }
    for (const auto& w : contents->warnings)
      log_line("warning: %s", w.c_str());
    // the chain of MACs is continued with the key the journal was started with: without it, nothing is appended
    if (contents->integrity == JournalIntegrity::no_key) {
      log_line("error: %s: cannot continue the journal without its key file %s: put the key file back beside it, "
               "or move the journal aside to start a new drill",
               opt_.journal.c_str(), journal_key_path(opt_.journal).c_str());
      return false;
    }
    const JournalHeader& h = contents->header;
    // recovery replays the journal's commands: on other files (a main file or an include edited since) the drill
    // would go on in another exercise than the one its journal holds
    const ScenarioCheck check = check_scenario(h, sc);
    if (!check.unchecked.empty())
      log_line("warning: %s: %s", opt_.journal.c_str(), check.unchecked.c_str());
    if (!check.ok()) {
      for (const auto& c : check.changes)
        log_line("error: %s", c.c_str());
      log_line("error: %s: the journal was written for scenario %s on other files (above): use the same scenario "
               "files, or a new journal",
               opt_.journal.c_str(), h.scenario.c_str());
      return false;
    }
    if (opt_.seed && *opt_.seed != h.seed) {
      log_line("error: %s: the journal was written with seed %llu; --seed %llu differs", opt_.journal.c_str(),
               static_cast<unsigned long long>(h.seed), static_cast<unsigned long long>(*opt_.seed));
      return false;
    }
    seed = h.seed;
    opt_.speed = h.speed;
    // the file is cut (a torn last line, the end line) and appended to only once the replay matched what it holds:
    // a journal that is refused is left as it was
    resume_offset_ = contents->end_offset;
    written_ = durable_ = contents->end_offset;
    log_line("recovering from %s: %zu commands to replay, %zu records to check", opt_.journal.c_str(),
             contents->commands.size(), contents->records.size());
    recovered_ = std::move(contents);
    return true;
  }
  seed = opt_.seed ? *opt_.seed : sc.exercise.seed;
  JournalHeader h;
  h.scenario = opt_.scenario;
  h.scenario_hash = *hash;
  h.files = scenario_fingerprint(sc);
  h.seed = seed;
  h.version = CYBEREX_VERSION;
  h.origin = "serve";
  h.speed = opt_.speed.value_or(1.0);
  if (!writer_.create(opt_.journal, h) || !writer_.sync()) {
    log_line("error: %s", writer_.error().c_str());
    return false;
  }
  written_ = durable_ = writer_.written();
  sync_parent_directory(opt_.journal);
  log_line("new journal %s (seed %llu)", opt_.journal.c_str(), static_cast<unsigned long long>(seed));
  return true;
}

bool Server::open_for_append()
{
  if (!resume_offset_)
    return true;
  // the end line (if any) is cut: commands accepted after the end (ratings, observations) follow the records, and
  // the end line is written again when the server stops
  const bool ok = writer_.reopen(opt_.journal, *resume_offset_) && writer_.sync();
  resume_offset_.reset();
  return ok;
}

void Server::append_journal(const JournalCommand& r)
{
  if (!open_for_append() || !writer_.command(r)) {
    // the command is applied but cannot be made durable: stop rather than acknowledge what a restart would lose
    log_line("fatal: %s; stopping the server", writer_.error().c_str());
    std::_Exit(1);
  }
  {
    std::lock_guard lock(gate_mutex_);
    written_ = writer_.written();
  }
  gate_cv_.notify_one();
}

void Server::write_record(const Record& rec)
{
  if (checking_ && rec.seq <= recovered_->records.size()) {
    const Record& disk = recovered_->records[rec.seq - 1];
    if (recovery_mismatch_.empty() && journal_record_line(disk) != journal_record_line(rec)) {
      std::string on_disk = journal_record_line(disk), replayed = journal_record_line(rec);
      on_disk.pop_back();
      replayed.pop_back();
      recovery_mismatch_ =
          opt_.journal + ":" + std::to_string(recovered_->record_lines[rec.seq - 1]) + ": record " +
          std::to_string(rec.seq) + " differs from what the replay produces: the journal was not " +
          "written by this cyberex for this scenario and seed.\n  on disk:  " + on_disk.substr(0, 600) +
          "\n  replayed: " + replayed.substr(0, 600);
    }
    return;
  }
  if (checking_ && recovery_mismatch_.empty())
    recovery_mismatch_ = mark_difference(opt_.journal, *recovered_, rec.seq); // never appended after such a mark
  if (!recovery_mismatch_.empty())
    return;
  if (!open_for_append() || !writer_.record(rec)) {
    log_line("fatal: %s; stopping the server", writer_.error().c_str());
    std::_Exit(1);
  }
}

void Server::write_mark(const ExerciseSession& session)
{
  // like a record: one write(2) in order with the lines before it, made durable with the next command's fdatasync
  JournalMark m;
  m.time = session.now();
  m.seq = session.last_seq();
  m.index = session.journal_index();
  if (!open_for_append() || !writer_.mark(m)) {
    log_line("fatal: %s; stopping the server", writer_.error().c_str());
    std::_Exit(1);
  }
  covered_ = m.time;
}

bool Server::recover(ExerciseSession& session, std::string& error)
{
  const JournalContents& c = *recovered_;
  const std::size_t n = session.replay(c.commands, &error);
  if (!error.empty())
    return false;
  // the simulated time reached after the last command (with the clock running): up to the last record's
  replay_tail(session, c);
  if (recovery_mismatch_.empty() && session.last_seq() < c.records.size())
    recovery_mismatch_ = opt_.journal + ":" + std::to_string(c.record_lines[session.last_seq()]) +
                         ": the replay stops at record " + std::to_string(session.last_seq()) + " but the journal " +
                         "holds " + std::to_string(c.records.size()) + ": it was not written by this cyberex for " +
                         "this scenario and seed";
  if (!recovery_mismatch_.empty()) {
    error = recovery_mismatch_ + "\n  refusing to continue: move the journal aside to start a new drill";
    return false;
  }
  if (!open_for_append()) {
    error = writer_.error();
    return false;
  }
  log_line("replayed %zu commands and %zu records (identical to the journal): exercise %s at %.3f s, journal index "
           "%llu, seq %llu",
           n, c.records.size(), to_string(session.state()), session.now(),
           static_cast<unsigned long long>(session.journal_index()),
           static_cast<unsigned long long>(session.last_seq()));
  if (!c.end && c.mark && c.mark->time == session.now() && c.mark->seq == c.records.size())
    log_line("resumed at the mark of line %zu: simulated time %s s, past the last record", c.mark_line,
             Json(c.mark->time).dump().c_str());
  return true;
}

void Server::deliver_now(Batch& b)
{
  for (auto& o : b.items)
    o.conn->deliver(std::move(o.message), o.priming);
}

void Server::submit(Batch b)
{
  if (b.items.empty())
    return;
  std::lock_guard lock(gate_mutex_);
  if (gate_.empty() && written_ <= durable_) {
    deliver_now(b);
    return;
  }
  b.offset = written_;
  gate_.push_back(std::move(b));
}

void Server::journal_thread()
{
  std::unique_lock lock(gate_mutex_);
  for (;;) {
    gate_cv_.wait(lock, [&] { return written_ > durable_ || stopping_; });
    if (written_ <= durable_ && stopping_)
      break;
    const std::uint64_t target = written_;
    lock.unlock();
    const bool ok = writer_.sync();
    lock.lock();
    if (!ok) {
      log_line("fatal: %s; stopping the server", writer_.error().c_str());
      std::_Exit(1);
    }
    durable_ = target;
    while (!gate_.empty() && gate_.front().offset <= durable_) {
      deliver_now(gate_.front());
      gate_.pop_front();
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Simulation thread

void Server::on_outgoing(const Record& rec)
{
  write_record(rec);
  covered_ = std::max(covered_, rec.time);
  log_.push_back(rec);
  log_bytes_ += rec.json.size();
  while (log_.size() > max_log_ || (log_bytes_ > max_log_bytes_ && log_.size() > 1)) {
    log_bytes_ -= log_.front().json.size();
    log_.pop_front();
  }
  if (subscribers_.empty())
    return;
  auto msg = std::make_shared<const std::string>(rec.json);
  for (const auto& [id, conn] : subscribers_)
    if (visible_to(conn->who, rec))
      pending_out_.push_back({conn, msg, false});
}

void Server::join(Work& w, ExerciseSession& session)
{
  const std::uint64_t last = session.last_seq();
  Json welcome;
  welcome["type"] = "welcome";
  welcome["role"] = to_string(w.conn->who.role);
  if (w.conn->who.role == Role::player)
    welcome["team"] = w.conn->who.team;
  welcome["seq"] = last;
  welcome["journal_index"] = session.journal_index();
  welcome["server"] = std::string("cyberex ") + CYBEREX_VERSION;
  Batch b;
  b.items.push_back({w.conn, std::make_shared<const std::string>(welcome.dump()), true});
  bool backlog = false;
  if (w.since && *w.since <= last && (*w.since >= last || (!log_.empty() && log_.front().seq <= *w.since + 1))) {
    std::vector<const Record*> missed;
    for (auto it = log_.rbegin(); it != log_.rend() && it->seq > *w.since; ++it)
      if (visible_to(w.conn->who, *it))
        missed.push_back(&*it);
    if (missed.size() <= opt_.max_backlog) {
      backlog = true;
      for (auto it = missed.rbegin(); it != missed.rend(); ++it)
        b.items.push_back({w.conn, std::make_shared<const std::string>((*it)->json), true});
    }
  }
  if (!backlog) {
    std::string snap = "{\"type\":\"snapshot\",\"snapshot\":" + session.snapshot_for(w.conn->who) + "}";
    b.items.push_back({w.conn, std::make_shared<const std::string>(std::move(snap)), true});
  }
  subscribers_[w.conn->id] = w.conn;
  submit(std::move(b));
}

void Server::simulation_thread(const Scenario* scenario, ExerciseOptions eo, std::promise<std::string>* ready)
{
  std::unique_ptr<ExerciseSession> session;
  checking_ = recovered_.has_value();
  try {
    session = std::make_unique<ExerciseSession>(
        *scenario, eo, [this](const Record& r) { on_outgoing(r); },
        [this](const JournalCommand& r) { append_journal(r); });
    if (recovered_) {
      std::string error;
      const bool ok = recover(*session, error);
      checking_ = false;
      recovered_.reset();
      if (!ok) {
        ready->set_value(error);
        return;
      }
    }
    pending_out_.clear();
    covered_ = session->now();
  } catch (const std::exception& e) {
    ready->set_value(std::string("cannot start the exercise: ") + e.what());
    return;
  }
  ready->set_value("");

  const auto t0 = std::chrono::steady_clock::now();
  auto next_tick = t0;
  auto last_tick = t0; // when the last clock tick ran: now() is the simulated time reached then
  auto last_mark = t0;
  const auto mark_every = std::chrono::duration<double>(opt_.mark_interval);
  ClockState last_state = session->state();
  std::deque<Work> batch;
  while (!stopping_) {
    {
      std::unique_lock lock(work_mutex_);
      work_cv_.wait_until(lock, next_tick, [&] { return !work_.empty() || stopping_; });
      batch.swap(work_);
    }
    for (Work& w : batch) {
      if (w.kind == Work::Kind::join) {
        join(w, *session);
      } else if (w.kind == Work::Kind::leave) {
        subscribers_.erase(w.conn->id);
      } else {
        const std::uint64_t journaled = session->journal_index();
        Reply r = session->handle(w.conn->who, w.text);
        if (!r.ok)
          log_line("%s %s: command rejected: %s", w.conn->label().c_str(), principal_label(w.conn->who).c_str(),
                   r.json.size() > 400 ? (r.json.substr(0, 400) + "...").c_str() : r.json.c_str());
        pending_out_.push_back({w.conn, std::make_shared<const std::string>(std::move(r.json)), false});
        submit(Batch{0, std::move(pending_out_)});
        pending_out_.clear();
        // a replay re-applies a journaled command at its time and reaches where handling it left the clock (a step);
        // a query or a rejected command is not in the journal and does not count
        if (session->journal_index() != journaled)
          covered_ = std::max(covered_, session->now());
      }
    }
    batch.clear();
    const auto now = std::chrono::steady_clock::now();
    if (now >= next_tick) {
      session->clock_tick(std::chrono::duration<double>(now - t0).count());
      last_tick = now;
      next_tick += tick_period;
      if (next_tick < now)
        next_tick = now + tick_period;
    }
    submit(Batch{0, std::move(pending_out_)});
    pending_out_.clear();
    const bool stopped = session->state() != last_state && last_state == ClockState::running;
    if (session->state() != last_state) {
      last_state = session->state();
      log_line("exercise %s at %.3f s (simulated)", to_string(last_state), session->now());
    }
    // a quiet period: simulated time that no line of the journal reaches yet (a replay reaches a record's time) is
    // marked when the clock stops, else at most every mark_interval, measured between the ticks that reached the
    // marked times (so two marks of a running clock are at least speed × interval simulated seconds apart)
    if (opt_.mark_interval > 0 && session->now() > covered_ && (stopped || last_tick - last_mark >= mark_every)) {
      write_mark(*session);
      last_mark = last_tick;
    }
  }
  // stopped while the clock ran: the time reached is marked, so a restart resumes there
  if (session->state() != ClockState::ended && opt_.mark_interval > 0 && session->now() > covered_)
    write_mark(*session);
  if (session->state() == ClockState::ended) {
    JournalEnd e;
    e.time = session->now();
    e.seq = session->last_seq();
    e.index = session->journal_index();
    e.state = to_string(session->state());
    if (!writer_.end(e))
      log_line("error: %s", writer_.error().c_str());
  }
  session.reset();
}

int Server::run()
{
  LoadResult loaded = load_scenario(opt_.scenario);
  for (const Diagnostic& d : loaded.diagnostics.items())
    std::fprintf(stderr, "%s\n", d.format().c_str());
  if (!loaded.ok())
    return 2;
  const Scenario& scenario = *loaded.scenario;

  if (opt_.cert.empty() != opt_.key.empty()) {
    log_line("error: TLS needs both --cert and --key");
    return 1;
  }
  if (!opt_.cert.empty()) {
    beast::error_code ec;
    tls_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    tls_.use_certificate_chain_file(opt_.cert, ec);
    if (ec) {
      log_line("error: %s: cannot load the certificate: %s", opt_.cert.c_str(), ec.message().c_str());
      return 1;
    }
    tls_.use_private_key_file(opt_.key, ssl::context::pem, ec);
    if (ec) {
      log_line("error: %s: cannot load the private key: %s", opt_.key.c_str(), ec.message().c_str());
      return 1;
    }
    // TLS 1.2 with forward secrecy and AEAD only (no CBC suites such as AES128-SHA); TLS 1.3 keeps its defaults
    if (SSL_CTX_set_cipher_list(tls_.native_handle(), "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!eNULL") != 1) {
      log_line("error: the TLS library accepts none of the required cipher suites (ECDHE with AES-GCM or ChaCha20)");
      return 1;
    }
    use_tls_ = true;
  }
  // as many connections as the system lets this process have: the server refuses past --max-connections itself
  if (rlimit lim{}; ::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }

  std::uint64_t seed = 0;
  if (!open_journal(scenario, seed))
    return 2;

  const std::string tokens_path = opt_.tokens.empty() ? opt_.journal + ".tokens" : opt_.tokens;
  {
    std::string error;
    if (!tokens_.load_or_create(tokens_path, ExerciseSession::principals(scenario), recovered_.has_value(), &error)) {
      log_line("error: %s", error.c_str());
      return 1;
    }
  }

  std::string warning;
  ExerciseOptions eo = cli_exercise_options(&warning);
  if (!warning.empty())
    log_line("warning: %s", warning.c_str());
  eo.simulation.seed = seed;
  if (opt_.speed)
    eo.speed = *opt_.speed;

  beast::error_code ec;
  const auto address = asio::ip::make_address(opt_.host, ec);
  if (ec) {
    log_line("error: --listen: '%s' is not an IP address", opt_.host.c_str());
    return 1;
  }
  acceptor_ = std::make_unique<tcp::acceptor>(ioc_);
  const tcp::endpoint ep(address, opt_.port);
  acceptor_->open(ep.protocol(), ec);
  if (!ec)
    acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec)
    acceptor_->bind(ep, ec);
  if (!ec)
    acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    log_line("error: cannot listen on %s:%u: %s", opt_.host.c_str(), static_cast<unsigned>(opt_.port),
             ec.message().c_str());
    return 1;
  }
  const unsigned port = acceptor_->local_endpoint().port();
  accept_pause_ = std::make_unique<asio::steady_timer>(ioc_);

  std::promise<std::string> ready;
  auto ready_future = ready.get_future();
  std::thread sim([&] { simulation_thread(&scenario, eo, &ready); });
  const std::string startup_error = ready_future.get();
  if (!startup_error.empty()) {
    log_line("error: %s", startup_error.c_str());
    sim.join();
    return 2;
  }
  std::thread syncer([this] { journal_thread(); });

  asio::signal_set signals(ioc_, SIGINT, SIGTERM);
  signals.async_wait([this](beast::error_code, int sig) {
    log_line("signal %d: stopping", sig);
    stopping_ = true;
    beast::error_code ignored;
    acceptor_->close(ignored);
    accept_pause_->cancel();
    work_cv_.notify_all();
    ioc_.stop();
  });
  accept_loop();
  log_line("serving %s on %s://%s:%u/ (tokens in %s, journal %s)", opt_.scenario.c_str(), use_tls_ ? "wss" : "ws",
           opt_.host.c_str(), port, tokens_path.c_str(), opt_.journal.c_str());
  if (!opt_.port_file.empty()) {
    const std::string tmp = opt_.port_file + ".tmp";
    {
      std::ofstream pf(tmp);
      pf << port << "\n";
    }
    std::rename(tmp.c_str(), opt_.port_file.c_str());
  }

  std::vector<std::thread> io;
  for (int i = 1; i < std::max(1, opt_.io_threads); ++i)
    io.emplace_back([this] { ioc_.run(); });
  ioc_.run();
  for (auto& t : io)
    t.join();
  stopping_ = true;
  work_cv_.notify_all();
  sim.join();
  {
    std::lock_guard lock(gate_mutex_);
  }
  gate_cv_.notify_all();
  syncer.join();
  writer_.sync();
  writer_.close();
  log_line("stopped");
  return 0;
}

} // namespace

int serve(const ServeOptions& options)
{
  Server server(options);
  return server.run();
}

} // namespace cyberex::net
