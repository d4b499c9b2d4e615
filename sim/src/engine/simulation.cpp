/* The Simulation object: owns the SimGrid engine, the calendar and the scheduler actor. */
#include "engine/impl.hpp"

#include <xbt/log.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>

// Built with AddressSanitizer (GCC defines __SANITIZE_ADDRESS__, Clang answers __has_feature)?
#if defined(__SANITIZE_ADDRESS__)
#define CYBEREX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CYBEREX_ASAN 1
#endif
#endif

namespace cyberex {

// ---------------------------------------------------------------------------------------------------------------
// JSON text helpers

std::string json_quote(const std::string& s)
{
  std::string out = "\"";
  for (unsigned char ch : s) {
    switch (ch) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (ch < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", ch);
        out += buf;
      } else {
        out += static_cast<char>(ch);
      }
    }
  }
  return out + "\"";
}

std::string format_fixed(double value, int precision)
{
  if (value == NEVER)
    return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", precision, value);
  std::string s = buf;
  if (s == "-0" || s.rfind("-0.", 0) == 0) { // no negative zero in output
    bool all_zero = s.find_first_not_of("-0.") == std::string::npos;
    if (all_zero)
      s.erase(0, 1);
  }
  return s;
}

void Details::key(const char* k)
{
  if (text_.size() > 1)
    text_ += ',';
  text_ += json_quote(k);
  text_ += ':';
}
Details& Details::str(const char* k, const std::string& value)
{
  key(k);
  text_ += json_quote(value);
  return *this;
}
Details& Details::num(const char* k, double value, int precision)
{
  key(k);
  text_ += format_fixed(value, precision);
  return *this;
}
Details& Details::integer(const char* k, long long value)
{
  key(k);
  text_ += std::to_string(value);
  return *this;
}
Details& Details::boolean(const char* k, bool value)
{
  key(k);
  text_ += value ? "true" : "false";
  return *this;
}
Details& Details::strings(const char* k, const std::vector<std::string>& values)
{
  key(k);
  text_ += '[';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i)
      text_ += ',';
    text_ += json_quote(values[i]);
  }
  text_ += ']';
  return *this;
}

std::string Event::to_json() const
{
  std::string s = "{\"time\":" + format_fixed(time, 3) + ",\"seq\":" + std::to_string(seq) +
                  ",\"type\":" + json_quote(to_string(type)) + ",\"subject\":" + json_quote(subject) + ",\"details\":" + details +
                  "}";
  return s;
}

// ---------------------------------------------------------------------------------------------------------------
// Calendar: two binary min-heaps on (time, seq)

namespace {
inline bool later(const CalendarEntry& x, const CalendarEntry& y)
{
  return x.time > y.time || (x.time == y.time && x.seq > y.seq);
}
} // namespace

void Calendar::push(double time, Simulation::Handler fn, std::uint64_t a, std::uint64_t b, bool background)
{
  auto& heap = background ? back_ : fore_;
  heap.push_back(CalendarEntry{time, next_seq_++, fn, a, b});
  std::push_heap(heap.begin(), heap.end(), later);
}

bool Calendar::top_is_background() const
{
  return !back_.empty() && (fore_.empty() || later(fore_.front(), back_.front()));
}

CalendarEntry Calendar::pop()
{
  auto& heap = top_is_background() ? back_ : fore_;
  std::pop_heap(heap.begin(), heap.end(), later);
  CalendarEntry e = heap.back();
  heap.pop_back();
  return e;
}

// ---------------------------------------------------------------------------------------------------------------
// Simulation

namespace {
bool simulation_created = false;
} // namespace

Simulation::Impl::Impl(Simulation& owner, const Scenario& scenario, SimulationOptions options, EventSink sink)
    : owner_(owner), sc_(scenario), opt_(std::move(options)), sink_(std::move(sink))
{
  if (simulation_created) {
    std::fprintf(stderr, "cyberex: only one Simulation may ever exist in a process (SimGrid cannot restart its engine);"
                         " run each further simulation in a child process (fork) or another cyberex run\n");
    std::abort();
  }
  simulation_created = true;
  seed_ = opt_.seed.value_or(sc_.exercise.seed);

  auto t0 = std::chrono::steady_clock::now();
  static int argc = 1;
  static char arg0[] = "cyberex";
  static char* argv[] = {arg0, nullptr};
  engine_ = std::make_unique<sg4::Engine>(&argc, argv);
  xbt_log_control_set("root.thresh:critical");
  // Pure flow-level max-min sharing: a transfer takes the route's latency plus its size over its fair share, which
  // keeps the numbers hand-checkable (docs/engine.md). Cross traffic off: isolating one direction must not leak.
  sg4::Engine::set_config("network/model:CM02");
  sg4::Engine::set_config("network/crosstraffic:0");
  sg4::Engine::set_config("network/TCP-gamma:0");
  // Full (not lazy) updates of the sharing: in 3.32 the lazy mode lets flows that start together finish sooner than
  // their bandwidth allows (8 probes of 2.2 kB over one 250 kB/s link each: 23 ms instead of the 31.6 ms floor).
  // Full gives the exact times, and costs no more here (bench/README.md).
  sg4::Engine::set_config("network/optim:Full");
#ifdef CYBEREX_ASAN
  // SimGrid's actor stacks are heap blocks ending in a PROT_NONE guard page, and LeakSanitizer scans heap blocks
  // whole: at exit it would fault on the guard page. ASan finds stack overflows itself (docs/robustness.md).
  sg4::Engine::set_config("contexts/guard-size:0");
#endif
  build_platform();
  build_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  mutex_ = sg4::Mutex::create();
  cv_ = sg4::ConditionVariable::create();
  sg4::Actor::create("scheduler", control_, [this]() { scheduler_main(); });
  init_world();
}

Simulation::Impl::~Impl()
{
  // The engine holds actors blocked forever (the scheduler, probers); SimGrid cannot be torn down cleanly with them and
  // cannot be restarted anyway, so the engine is left to the process exit on purpose.
  (void)engine_.release();
  (void)cv_.detach();
  (void)mutex_.detach();
  for (auto& x : exfils_)
    (void)x.comm.detach();
  for (auto& p : probes_)
    (void)p.go.detach();
  for (auto& b : botnets_)
    for (auto& c : b.comms)
      (void)c.detach();
}

double Simulation::Impl::now() const
{
  return std::max(sg4::Engine::get_clock(), logical_);
}

void Simulation::Impl::sync_clock()
{
  // Only the scheduler runs ahead of SimGrid's clock (when nothing else is active); bring SimGrid up to it before
  // starting any SimGrid activity.
  if (in_scheduler_ && sg4::Engine::get_clock() < logical_)
    sg4::this_actor::sleep_until(logical_);
}

void Simulation::Impl::schedule(double t, Handler fn, std::uint64_t a, std::uint64_t b, bool background)
{
  cal_.push(t, fn, a, b, background);
  if (!in_scheduler_ && waiting_until_ >= 0 && t < waiting_until_)
    cv_->notify_all();
}

void Simulation::Impl::scheduler_main()
{
  std::unique_lock<sg4::Mutex> lock(*mutex_);
  while (true) {
    in_scheduler_ = true;
    while (!cal_.empty()) {
      const double t = cal_.top().time;
      const double clock = sg4::Engine::get_clock();
      if (t > clock) {
        // Fast path: with no SimGrid activity besides us, run ahead on the logical clock instead of sleeping.
        if (busy_ == 0 && t <= limit_)
          logical_ = std::max(logical_, t);
        else
          break;
      } else {
        logical_ = std::max(logical_, clock);
      }
      CalendarEntry e = cal_.pop();
      e.fn(owner_, e.a, e.b);
      ++processed_;
    }
    in_scheduler_ = false;
    double next = cal_.empty() ? std::max(limit_, now()) + 3600 : cal_.top().time;
    waiting_until_ = next;
    cv_->wait_until(lock, next);
    waiting_until_ = -1;
  }
}

void Simulation::Impl::advance_to(double t)
{
  if (!(t < NEVER)) {
    std::fprintf(stderr, "cyberex: Simulation::advance_to needs a finite time\n");
    std::abort();
  }
  if (t < now())
    return;
  limit_ = t;
  engine_->run_until(t);
  logical_ = std::max(logical_, t);
}

void Simulation::Impl::emit(RecordType type, const std::string& subject, std::string details)
{
  Event ev;
  ev.time = now();
  ev.seq = ++event_seq_;
  ev.type = type;
  ev.subject = subject;
  ev.details = std::move(details);
  state_.apply_event(ev.time, ev.type, ev.subject, ev.details);
  if (sink_)
    sink_(ev);
}

Simulation::Simulation(const Scenario& scenario, SimulationOptions options, EventSink sink)
    : impl_(std::make_unique<Impl>(*this, scenario, std::move(options), std::move(sink)))
{
}
Simulation::~Simulation() = default;

double Simulation::now() const
{
  return impl_->now();
}
void Simulation::advance_to(double t)
{
  impl_->advance_to(t);
}
bool Simulation::step()
{
  const double t = next_event_time();
  if (!(t < NEVER))
    return false;
  impl_->advance_to(std::max(t, now()));
  return true;
}
double Simulation::next_event_time() const
{
  return impl_->cal_.next_foreground();
}
CommandResult Simulation::apply(const Command& command)
{
  return impl_->apply(command);
}
void Simulation::schedule(double t, Handler handler, std::uint64_t a, std::uint64_t b)
{
  impl_->schedule(std::max(t, impl_->now()), handler, a, b);
}
std::uint64_t Simulation::events_processed() const
{
  return impl_->processed_;
}
std::size_t Simulation::calendar_size() const
{
  return impl_->cal_.size();
}
int Simulation::probes_measured(Index s) const
{
  return impl_->services_.at(static_cast<std::size_t>(s)).probes;
}

Kpis Simulation::kpis() const
{
  return impl_->kpis();
}
NodeView Simulation::node(Index n) const
{
  return impl_->node_view(n);
}
const Scenario& Simulation::scenario() const
{
  return impl_->sc_;
}
double Simulation::platform_build_seconds() const
{
  return impl_->build_seconds_;
}

} // namespace cyberex
