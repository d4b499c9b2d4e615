/* The tornado chart of `cyberex sensitivity --json`: one horizontal bar per variant (a response or a team's responses
 * delayed or dropped), its length the mean change of the ranking KPI, with the 95 % confidence interval as a whisker.
 * `cyberex sensitivity --svg` writes it and `cyberex report --sensitivity` puts it in the after-action report, so the
 * two are the same drawing. */
#include "cyberex/sensitivity_chart.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>
#include <vector>

namespace cyberex {

namespace {

using Json = nlohmann::json;

/// A variant as the chart needs it, checked.
struct Bar {
  std::string change, label;
  std::optional<double> mean, low, high;
  std::size_t n = 0;
};

struct Sensitivity {
  std::string rank_by, scenario;
  std::optional<double> delay;
  std::size_t runs = 0;
  std::vector<Bar> bars;
};

Sensitivity read(const std::string& text, const std::string& name)
{
  const Json j = Json::parse(text, nullptr, false);
  auto fail = [&](const std::string& ptr, const std::string& what) {
    throw ReportError{name + ": (" + ptr + ") expected " + what + " (the output of cyberex sensitivity --json)"};
  };
  if (j.is_discarded())
    throw ReportError{name + ": not JSON: expected the output of cyberex sensitivity --json"};
  if (!j.is_object())
    fail("", "an object");
  Sensitivity s;
  if (!j.contains("rank_by") || !j["rank_by"].is_string())
    fail("/rank_by", "the ranking KPI's name, a string");
  s.rank_by = j["rank_by"].get<std::string>();
  if (!j.contains("runs") || !j["runs"].is_number_unsigned())
    fail("/runs", "the number of runs per variant, an integer");
  s.runs = j["runs"].get<std::size_t>();
  s.scenario = j.value("scenario", "");
  if (j.contains("delay_s") && j["delay_s"].is_number())
    s.delay = j["delay_s"].get<double>();
  if (!j.contains("variants") || !j["variants"].is_array())
    fail("/variants", "an array of variants");
  for (std::size_t i = 0; i < j["variants"].size(); ++i) {
    const Json& v = j["variants"][i];
    const std::string p = "/variants/" + std::to_string(i);
    if (!v.is_object())
      fail(p, "an object");
    Bar b;
    if (!v.contains("change") || !v["change"].is_string() || (v["change"] != "drop" && v["change"] != "delay"))
      fail(p + "/change", "\"drop\" or \"delay\"");
    b.change = v["change"].get<std::string>();
    if (!v.contains("label") || !v["label"].is_string())
      fail(p + "/label", "the response's label, a string");
    b.label = v["label"].get<std::string>();
    if (!v.contains("effect") || !v["effect"].is_object())
      fail(p + "/effect", "an object {\"mean\", \"ci_low\", \"ci_high\", \"n\"}");
    const Json& e = v["effect"];
    for (const char* key : {"mean", "ci_low", "ci_high"})
      if (!e.contains(key) || !(e[key].is_number() || e[key].is_null()))
        fail(p + "/effect/" + key, "a number or null");
    if (e["mean"].is_number())
      b.mean = e["mean"].get<double>();
    if (e["ci_low"].is_number())
      b.low = e["ci_low"].get<double>();
    if (e["ci_high"].is_number())
      b.high = e["ci_high"].get<double>();
    b.n = e.value("n", std::size_t{0});
    s.bars.push_back(std::move(b));
  }
  return s;
}

std::string esc(const std::string& s)
{
  std::string o;
  for (char c : s)
    switch (c) {
    case '&':
      o += "&amp;";
      break;
    case '<':
      o += "&lt;";
      break;
    case '>':
      o += "&gt;";
      break;
    case '"':
      o += "&quot;";
      break;
    default:
      o += c;
    }
  return o;
}

std::string num(double v, int decimals)
{
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  return s == "-0" || s == "-0.0" || s == "-0.000" ? s.substr(1) : s;
}

std::string hm(double seconds)
{
  const long t = std::lround(seconds);
  char buf[32];
  if (t % 3600 == 0)
    std::snprintf(buf, sizeof buf, "%ldh", t / 3600);
  else if (t < 3600)
    std::snprintf(buf, sizeof buf, "%ldm", t / 60);
  else
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, (t / 60) % 60);
  return buf;
}

/// A round step for about `ticks` intervals over `span`: 1, 2 or 5 times a power of ten.
double nice_step(double span, int ticks)
{
  if (!(span > 0))
    return 1;
  const double raw = span / ticks;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * p)
      return m * p;
  return 10 * p;
}

std::string render(const Sensitivity& s, std::size_t top)
{
  std::vector<Bar> bars = s.bars;
  const std::size_t all = bars.size();
  if (top > 0 && bars.size() > top)
    bars.resize(top);
  double lo = 0, hi = 0;
  for (const auto& b : bars) {
    for (const auto& v : {b.mean, b.low, b.high})
      if (v) {
        lo = std::min(lo, *v);
        hi = std::max(hi, *v);
      }
  }
  if (lo == 0 && hi == 0)
    hi = 1;
  const double step = nice_step(hi - lo, 5);
  lo = std::floor(lo / step) * step;
  hi = std::ceil(hi / step) * step;
  const int decimals = step >= 1 ? 0 : step >= 0.1 ? 1 : step >= 0.01 ? 2 : 3;

  const double width = 1000, label_w = 430, left = label_w + 10, right = width - 70, row = 22, top_y = 58;
  const double height = top_y + row * static_cast<double>(bars.size()) + 60;
  auto x_of = [&](double v) { return left + (v - lo) / (hi - lo) * (right - left); };
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << num(width, 0) << "\" height=\"" << num(height, 0)
    << "\" viewBox=\"0 0 " << num(width, 0) << " " << num(height, 0)
    << "\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\" role=\"img\">\n";
  const std::string what = s.delay ? "dropped or delayed " + hm(*s.delay) : "dropped";
  o << "<title>Change of " << esc(s.rank_by) << " when a response is " << esc(what) << "</title>\n";
  o << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  o << "<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">Which responses mattered: change of "
    << esc(s.rank_by) << "</text>\n";
  o << "<text x=\"10\" y=\"38\" fill=\"#555555\">each response " << esc(what) << " (and each team's together); bar: "
    << "mean change over " << s.runs << " paired seeds, whisker: 95 % confidence interval"
    << (all > bars.size() ? "; the " + std::to_string(bars.size()) + " largest of " + std::to_string(all) : "")
    << "</text>\n";
  // grid and axis
  const double axis_y = top_y + row * static_cast<double>(bars.size()) + 6;
  for (double t = lo; t <= hi + step / 2; t += step) {
    const double x = x_of(t);
    const bool zero = std::abs(t) < step / 2;
    o << "<line x1=\"" << num(x, 1) << "\" y1=\"" << num(top_y - 4, 1) << "\" x2=\"" << num(x, 1) << "\" y2=\""
      << num(axis_y, 1) << "\" stroke=\"" << (zero ? "#333333" : "#dddddd") << "\" stroke-width=\""
      << (zero ? "1.5" : "1") << "\"/>\n";
    o << "<text x=\"" << num(x, 1) << "\" y=\"" << num(axis_y + 16, 1) << "\" text-anchor=\"middle\">"
      << (t > step / 2 ? "+" : "") << num(zero ? 0 : t, decimals) << "</text>\n";
  }
  o << "<text x=\"" << num((left + right) / 2, 1) << "\" y=\"" << num(axis_y + 36, 1)
    << "\" text-anchor=\"middle\" fill=\"#555555\">change of " << esc(s.rank_by)
    << " (variant - baseline, same seeds)</text>\n";
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const double y = top_y + row * static_cast<double>(i);
    const std::string label = (b.change == "drop" ? "drop  " : "delay  ") + b.label;
    o << "<text x=\"" << num(label_w, 1) << "\" y=\"" << num(y + 14, 1) << "\" text-anchor=\"end\">"
      << esc(label.size() > 68 ? label.substr(0, 66) + "..." : label) << "</text>\n";
    if (!b.mean) {
      o << "<text x=\"" << num(x_of(0) + 4, 1) << "\" y=\"" << num(y + 14, 1)
        << "\" fill=\"#888888\">no pair of runs</text>\n";
      continue;
    }
    const double x0 = x_of(0), x1 = x_of(*b.mean);
    const char* fill = b.change == "drop" ? "#c0504d" : "#e8a33d";
    o << "<rect x=\"" << num(std::min(x0, x1), 1) << "\" y=\"" << num(y + 3, 1) << "\" width=\""
      << num(std::max(std::abs(x1 - x0), 0.5), 1) << "\" height=\"" << num(row - 6, 1) << "\" fill=\"" << fill
      << "\"><title>" << esc(label) << ": " << num(*b.mean, 3);
    if (b.low && b.high)
      o << " [" << num(*b.low, 3) << ", " << num(*b.high, 3) << "]";
    o << ", n = " << b.n << "</title></rect>\n";
    if (b.low && b.high) {
      const double a = x_of(*b.low), c = x_of(*b.high), m = y + row / 2;
      o << "<path d=\"M" << num(a, 1) << " " << num(m, 1) << "H" << num(c, 1) << "M" << num(a, 1) << " "
        << num(m - 5, 1) << "V" << num(m + 5, 1) << "M" << num(c, 1) << " " << num(m - 5, 1) << "V" << num(m + 5, 1)
        << "\" stroke=\"#222222\" stroke-width=\"1.2\" fill=\"none\"/>\n";
    }
    // the value beyond the bar's end and its whisker: to the right of a growth, to the left of a fall
    const bool fall = *b.mean < 0;
    const double tx =
        fall ? std::min({x1, x0, b.low ? x_of(*b.low) : x1}) - 4 : std::max({x1, x0, b.high ? x_of(*b.high) : x1}) + 4;
    o << "<text x=\"" << num(tx, 1) << "\" y=\"" << num(y + 14, 1) << "\"" << (fall ? " text-anchor=\"end\"" : "")
      << " fill=\"#333333\">" << (*b.mean > 0 ? "+" : "") << num(*b.mean, decimals + 1) << "</text>\n";
  }
  // legend
  const double ly = height - 14;
  o << "<rect x=\"10\" y=\"" << num(ly - 10, 1) << "\" width=\"12\" height=\"12\" fill=\"#c0504d\"/><text x=\"28\" y=\""
    << num(ly, 1) << "\">dropped</text>\n";
  if (s.delay)
    o << "<rect x=\"100\" y=\"" << num(ly - 10, 1) << "\" width=\"12\" height=\"12\" fill=\"#e8a33d\"/><text x=\"118\" "
      << "y=\"" << num(ly, 1) << "\">delayed " << esc(hm(*s.delay)) << "</text>\n";
  o << "</svg>\n";
  return o.str();
}

} // namespace

std::string sensitivity_tornado_svg(const std::string& sensitivity_json, const std::string& name, std::size_t top)
{
  return render(read(sensitivity_json, name), top);
}

std::string sensitivity_section_html(const std::string& sensitivity_json, const std::string& name)
{
  const Sensitivity s = read(sensitivity_json, name);
  const std::size_t top = 20;
  std::ostringstream o;
  o << "<section id=\"sensitivity\"><h2>9. Which responses mattered</h2>\n<p>Each scripted response of the play was "
       "played again "
    << (s.delay ? "dropped, and delayed by " + hm(*s.delay) + "," : "dropped") << " over the same " << s.runs
    << " seeds as the responses as scripted (the baseline), and so were each team's "
       "responses together. A bar is the mean change of <b>"
    << esc(s.rank_by)
    << "</b> (variant minus baseline, seed by seed); its whisker is the 95 % confidence interval. A bar to the right "
       "means the outcome grows without that response (or with it late): the response held it down. A whisker that "
       "crosses 0 is a change the runs cannot tell from chance. Made by <code>cyberex sensitivity"
    << (s.scenario.empty() ? "" : " " + esc(s.scenario)) << " --json</code> (docs/calibration.md).</p>\n"
    << render(s, top) << "</section>\n";
  return o.str();
}

std::string with_sensitivity_section(const std::string& report_html, const std::string& section)
{
  std::size_t at = report_html.find("<section id=\"appendix-injects\">");
  if (at == std::string::npos)
    at = report_html.find("<footer>");
  if (at == std::string::npos)
    return report_html + section;
  return report_html.substr(0, at) + section + report_html.substr(at);
}

} // namespace cyberex
