/* DrillClient: a blocking WebSocket client of the drill server (plain or TLS), driven by one io_context on the
 * caller's thread. Reads are asynchronous underneath so that receive() can time out and resume later. */
#include "cyberex/net.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <nlohmann/json.hpp>

#include <stdexcept>

namespace cyberex::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

class DrillClient::Impl {
public:
  asio::io_context ioc;
  ssl::context tls{ssl::context::tls_client};
  std::unique_ptr<websocket::stream<beast::tcp_stream>> plain;
  std::unique_ptr<websocket::stream<beast::ssl_stream<beast::tcp_stream>>> secure;
  beast::flat_buffer buffer;
  bool read_pending = false, read_done = false, open = false;
  beast::error_code read_ec;

  template <class F>
  auto with_ws(F&& f)
  {
    if (secure)
      return f(*secure);
    return f(*plain);
  }

  tcp::socket& socket()
  {
    if (secure)
      return beast::get_lowest_layer(*secure).socket();
    return beast::get_lowest_layer(*plain).socket();
  }

  void run_until(bool& done)
  {
    ioc.restart();
    while (!done)
      if (ioc.run_one() == 0)
        break;
  }
};

DrillClient::DrillClient() : impl_(std::make_unique<Impl>()) {}
DrillClient::~DrillClient()
{
  abort();
}

void DrillClient::connect(const ClientOptions& o)
{
  std::string rest;
  bool tls = false;
  if (o.url.rfind("ws://", 0) == 0) {
    rest = o.url.substr(5);
  } else if (o.url.rfind("wss://", 0) == 0) {
    rest = o.url.substr(6);
    tls = true;
  } else {
    throw std::runtime_error("URL '" + o.url + "': expected ws://HOST:PORT/ or wss://HOST:PORT/");
  }
  const auto slash = rest.find('/');
  const std::string hostport = rest.substr(0, slash);
  const std::string target = slash == std::string::npos ? "/" : rest.substr(slash);
  const auto colon = hostport.rfind(':');
  if (colon == std::string::npos || colon + 1 == hostport.size())
    throw std::runtime_error("URL '" + o.url + "': expected a port, e.g. ws://127.0.0.1:8600/");
  const std::string host = hostport.substr(0, colon), port = hostport.substr(colon + 1);

  Impl& d = *impl_;
  beast::error_code ec;
  tcp::resolver resolver(d.ioc);
  auto results = resolver.resolve(host, port, ec);
  if (ec)
    throw std::runtime_error("cannot resolve '" + host + "': " + ec.message());
  if (tls) {
    if (!o.ca_file.empty()) {
      d.tls.load_verify_file(o.ca_file, ec);
      if (ec)
        throw std::runtime_error(o.ca_file + ": cannot load the CA certificate: " + ec.message());
    } else {
      d.tls.set_default_verify_paths();
    }
    d.tls.set_verify_mode(o.insecure ? ssl::verify_none : ssl::verify_peer);
    d.secure = std::make_unique<websocket::stream<beast::ssl_stream<beast::tcp_stream>>>(d.ioc, d.tls);
    if (!o.insecure)
      d.secure->next_layer().set_verify_callback(ssl::host_name_verification(host));
    if (!SSL_set_tlsext_host_name(d.secure->next_layer().native_handle(), const_cast<char*>(host.c_str())))
      throw std::runtime_error("cannot set the TLS server name '" + host + "'");
  } else {
    d.plain = std::make_unique<websocket::stream<beast::tcp_stream>>(d.ioc);
  }
  if (d.secure)
    beast::get_lowest_layer(*d.secure).connect(results, ec);
  else
    beast::get_lowest_layer(*d.plain).connect(results, ec);
  if (ec)
    throw std::runtime_error("cannot connect to " + hostport + ": " + ec.message());
  d.socket().set_option(tcp::no_delay(true), ec);
  if (d.secure) {
    d.secure->next_layer().handshake(ssl::stream_base::client, ec);
    if (ec)
      throw std::runtime_error("TLS handshake with " + hostport + " failed: " + ec.message());
  }
  d.with_ws([&](auto& ws) {
    ws.read_message_max(64u << 20);
    ws.handshake(hostport, target, ec);
  });
  if (ec)
    throw std::runtime_error("WebSocket handshake with " + o.url + " failed: " + ec.message());
  d.open = true;
  if (o.send_hello) {
    nlohmann::ordered_json hello;
    hello["type"] = "hello";
    hello["token"] = o.token;
    if (o.since)
      hello["since"] = *o.since;
    send(hello.dump());
  }
}

void DrillClient::send(const std::string& text)
{
  Impl& d = *impl_;
  if (!d.open)
    throw std::runtime_error("not connected");
  bool done = false;
  beast::error_code ec;
  d.with_ws([&](auto& ws) {
    ws.text(true);
    ws.async_write(asio::buffer(text), [&](beast::error_code e, std::size_t) {
      ec = e;
      done = true;
    });
  });
  d.run_until(done);
  if (ec)
    throw std::runtime_error("send failed: " + ec.message());
}

void DrillClient::send_binary(const std::string& bytes)
{
  Impl& d = *impl_;
  bool done = false;
  beast::error_code ec;
  d.with_ws([&](auto& ws) {
    ws.binary(true);
    ws.async_write(asio::buffer(bytes), [&](beast::error_code e, std::size_t) {
      ec = e;
      done = true;
    });
  });
  d.run_until(done);
  d.with_ws([&](auto& ws) { ws.text(true); });
  if (ec)
    throw std::runtime_error("send failed: " + ec.message());
}

std::optional<std::string> DrillClient::receive(int timeout_ms)
{
  Impl& d = *impl_;
  if (!d.open)
    throw std::runtime_error("not connected");
  if (!d.read_pending) {
    d.read_pending = true;
    d.read_done = false;
    d.with_ws([&](auto& ws) {
      ws.async_read(d.buffer, [&d](beast::error_code e, std::size_t) {
        d.read_ec = e;
        d.read_done = true;
      });
    });
  }
  if (!d.read_done) {
    d.ioc.restart();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (!d.read_done) {
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline || d.ioc.run_one_for(deadline - now) == 0)
        break;
    }
  }
  if (!d.read_done)
    return std::nullopt;
  d.read_pending = false;
  if (d.read_ec) {
    d.open = false;
    if (d.read_ec == websocket::error::closed) {
      std::string reason;
      d.with_ws([&](auto& ws) { reason = std::string(ws.reason().reason.c_str()); });
      throw std::runtime_error("connection closed by the server" + (reason.empty() ? "" : ": " + reason));
    }
    throw std::runtime_error("connection failed: " + d.read_ec.message());
  }
  std::string msg = beast::buffers_to_string(d.buffer.data());
  d.buffer.consume(d.buffer.size());
  return msg;
}

std::string DrillClient::request(const std::string& command_json, const std::string& id, int timeout_ms,
                                 std::vector<std::string>* others)
{
  send(command_json);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      throw std::runtime_error("no reply to command '" + id + "' within " + std::to_string(timeout_ms) + " ms");
    auto m = receive(static_cast<int>(left.count()));
    if (!m)
      continue;
    auto j = nlohmann::json::parse(*m, nullptr, false);
    if (j.is_object() && j.contains("ok") && j.contains("id") && j["id"] == id)
      return *m;
    if (others)
      others->push_back(std::move(*m));
  }
}

bool DrillClient::is_open() const
{
  return impl_->open;
}

void DrillClient::close()
{
  Impl& d = *impl_;
  if (!d.open)
    return;
  d.open = false;
  try {
    d.with_ws([&](auto& ws) { ws.async_close(websocket::close_code::normal, [](beast::error_code) {}); });
    d.ioc.restart();
    d.ioc.run_for(std::chrono::seconds(2));
  } catch (...) {
  }
  abort();
}

void DrillClient::abort()
{
  Impl& d = *impl_;
  d.open = false;
  if (!d.plain && !d.secure)
    return;
  beast::error_code ec;
  d.socket().shutdown(tcp::socket::shutdown_both, ec);
  d.socket().close(ec);
  // let pending handlers see the cancellation so the io_context holds no references into this client
  try {
    d.ioc.restart();
    d.ioc.poll();
  } catch (...) {
  }
}

} // namespace cyberex::net
