/* The after-action report as one self-contained HTML page: inline CSS, inline SVG charts drawn here, no script, no
 * network. Laid out after the HSEEP After-Action Report / Improvement Plan template. */
#include "report/aar.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

namespace cyberex::report {

namespace {

std::string esc(const std::string& s)
{
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string s_of(const Json& j)
{
  if (j.is_string())
    return j.get<std::string>();
  if (j.is_null())
    return "";
  return j.dump();
}

std::string num_text(const Json& j, int decimals)
{
  return j.is_number() ? fixed(j.get<double>(), decimals) : std::string("–");
}

std::string px(double v)
{
  return fixed(v, 1);
}

const char* team_colours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                              "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};

std::string badge(const std::string& r, const std::string& title = "")
{
  if (r.empty())
    return "<span class=\"rt rt-none\">–</span>";
  return "<span class=\"rt rt-" + r + "\"" + (title.empty() ? "" : " title=\"" + esc(title) + "\"") + ">" + esc(r) +
         "</span>";
}

/// A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten, at least `v`.
double nice_max(double v)
{
  if (v <= 0)
    return 1;
  const double p = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 1.2, 1.6, 2.0, 2.4, 3.2, 4.0, 6.0, 8.0, 10.0})
    if (m * p >= v * 1.0000001)
      return m * p;
  return 10 * p;
}

struct Axis {
  double x0, x1, end;
  double x(double t) const { return x0 + (end > 0 ? std::clamp(t / end, 0.0, 1.0) : 0) * (x1 - x0); }
};

/// Hour ticks and situation-clock labels along the bottom of a chart.
void time_axis(std::ostringstream& o, const Axis& a, double y_top, double y_bottom, const SituationClock& clock)
{
  const double step = a.end > 6 * 3600 ? 3600 : a.end > 2 * 3600 ? 1800 : a.end > 1800 ? 600 : 60;
  for (double t = 0; t <= a.end + 1e-6; t += step) {
    o << "<line x1=\"" << px(a.x(t)) << "\" y1=\"" << px(y_top) << "\" x2=\"" << px(a.x(t)) << "\" y2=\""
      << px(y_bottom) << "\" class=\"grid\"/>";
    o << "<text x=\"" << px(a.x(t)) << "\" y=\"" << px(y_bottom + 13) << "\" class=\"tick\" text-anchor=\"middle\">"
      << clock.text(t) << "</text>";
  }
}

struct Line {
  std::string name, colour;
  const Json* points;
};

/// A step chart of one or more series over the exercise.
std::string step_chart(const std::string& title, const std::string& unit, const std::vector<Line>& lines, double end,
                       const SituationClock& clock, double width, double height, double fixed_max = 0,
                       bool legend = false)
{
  const double left = 46, right = legend ? 150 : 24, top = 24, bottom = 22;
  Axis a{left, width - right, end};
  double vmax = 0;
  for (const auto& l : lines)
    for (const auto& p : *l.points)
      vmax = std::max(vmax, p[1].get<double>());
  vmax = fixed_max > 0 ? fixed_max : nice_max(vmax);
  const double y0 = height - bottom, y1 = top;
  auto y = [&](double v) { return y0 - (v / vmax) * (y0 - y1); };
  std::ostringstream o;
  o << "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << px(width) << "\" height=\"" << px(height)
    << "\" viewBox=\"0 0 " << px(width) << " " << px(height) << "\" role=\"img\" aria-label=\"" << esc(title) << "\">";
  o << "<text x=\"" << px(left) << "\" y=\"14\" class=\"ctitle\">" << esc(title) << "</text>";
  o << "<text x=\"" << px(width - right) << "\" y=\"14\" class=\"tick\" text-anchor=\"end\">" << esc(unit) << "</text>";
  time_axis(o, a, y1, y0, clock);
  for (int i = 0; i <= 4; ++i) {
    const double v = vmax * i / 4;
    o << "<line x1=\"" << px(left) << "\" y1=\"" << px(y(v)) << "\" x2=\"" << px(width - right) << "\" y2=\""
      << px(y(v)) << "\" class=\"grid\"/>";
    o << "<text x=\"" << px(left - 4) << "\" y=\"" << px(y(v) + 3) << "\" class=\"tick\" text-anchor=\"end\">"
      << fixed(v, v == std::round(v) ? 0 : 1) << "</text>";
  }
  o << "<line x1=\"" << px(left) << "\" y1=\"" << px(y0) << "\" x2=\"" << px(width - right) << "\" y2=\"" << px(y0)
    << "\" class=\"axis\"/>";
  int li = 0;
  for (const auto& l : lines) {
    std::ostringstream d;
    bool first = true;
    double last_v = 0;
    for (const auto& p : *l.points) {
      const double t = p[0].get<double>(), v = p[1].get<double>();
      if (first)
        d << "M" << px(a.x(t)) << " " << px(y(v));
      else
        d << " H" << px(a.x(t)) << " V" << px(y(v));
      first = false;
      last_v = v;
    }
    if (!first)
      d << " H" << px(a.x(end));
    o << "<path d=\"" << d.str() << "\" fill=\"none\" stroke=\"" << l.colour << "\" stroke-width=\"1.8\"><title>"
      << esc(l.name) << ": " << fixed(last_v, 2) << " at the end</title></path>";
    if (legend) {
      const double ly = top + 4 + li * 15;
      o << "<rect x=\"" << px(width - right + 10) << "\" y=\"" << px(ly) << "\" width=\"10\" height=\"10\" fill=\""
        << l.colour << "\"/><text x=\"" << px(width - right + 24) << "\" y=\"" << px(ly + 9) << "\" class=\"tick\">"
        << esc(l.name) << " " << fixed(last_v, 1) << "</text>";
    }
    ++li;
  }
  o << "</svg>";
  return o.str();
}

/// Injects delivered to each team against the team's responses (commands) and the expectations it missed.
std::string timeline_svg(const Json& aar)
{
  const Json& ov = aar["overview"];
  const SituationClock clock = SituationClock::from_overview(ov);
  const double end = ov["played"].get<double>() > 0 ? ov["played"].get<double>() : 1;
  std::vector<std::string> teams;
  for (const auto& t : aar["teams"])
    teams.push_back(t["team"]);
  const double width = 1060, left = 112, right = 28, top = 34, row = 36, bottom = 24;
  const double height = top + row * static_cast<double>(teams.size()) + bottom + 30;
  Axis a{left, width - right, end};
  auto row_y = [&](const std::string& team) {
    const auto it = std::find(teams.begin(), teams.end(), team);
    return it == teams.end() ? -1.0 : top + row * static_cast<double>(it - teams.begin()) + row / 2;
  };
  std::ostringstream o;
  o << "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << px(width) << "\" height=\"" << px(height)
    << "\" viewBox=\"0 0 " << px(width) << " " << px(height)
    << "\" role=\"img\" aria-label=\"Timeline of injects and team responses\">";
  // moves as bands
  const Json& moves = ov["moves"];
  for (std::size_t i = 0; i < moves.size(); ++i) {
    const double from = moves[i]["offset"].get<double>();
    const double to = i + 1 < moves.size() ? moves[i + 1]["offset"].get<double>() : end;
    if (from >= end)
      continue;
    o << "<rect x=\"" << px(a.x(from)) << "\" y=\"" << px(top - 16) << "\" width=\"" << px(a.x(to) - a.x(from))
      << "\" height=\"" << px(row * static_cast<double>(teams.size()) + 16) << "\" class=\"band" << (i % 2) << "\"/>";
    o << "<text x=\"" << px(a.x(from) + 4) << "\" y=\"" << px(top - 5) << "\" class=\"move\">"
      << esc(s_of(moves[i]["title"])) << "</text>";
  }
  for (std::size_t i = 0; i < teams.size(); ++i) {
    const double y = top + row * static_cast<double>(i);
    o << "<line x1=\"" << px(left) << "\" y1=\"" << px(y + row) << "\" x2=\"" << px(width - right) << "\" y2=\""
      << px(y + row) << "\" class=\"grid\"/>";
    o << "<text x=\"" << px(left - 6) << "\" y=\"" << px(y + row / 2 + 4) << "\" class=\"tlabel\" text-anchor=\"end\">"
      << esc(teams[i]) << "</text>";
  }
  time_axis(o, a, top, top + row * static_cast<double>(teams.size()), clock);
  const std::map<std::string, std::string> inject_colour{
      {"inject", "#1f5fa8"}, {"information", "#8a8f98"}, {"contingency", "#e07b00"}, {"facilitation", "#7b3fa0"}};
  for (const auto& inj : aar["injects"]) {
    const double x = a.x(inj["time"].get<double>());
    auto it = inject_colour.find(s_of(inj["type"]));
    const std::string colour = it == inject_colour.end() ? "#1f5fa8" : it->second;
    for (const auto& t : inj["to"]) {
      const double y = row_y(t) - 8;
      if (y < 0)
        continue;
      o << "<path d=\"M" << px(x - 4.5) << " " << px(y - 5) << " H" << px(x + 4.5) << " L" << px(x) << " " << px(y + 3)
        << " Z\" fill=\"" << colour << "\"><title>" << esc(s_of(inj["clock"])) << " " << esc(s_of(inj["inject"]))
        << ": " << esc(s_of(inj["title"])) << "</title></path>";
    }
  }
  const std::map<std::string, std::string> response_colour{
      {"action", "#2e8b3a"}, {"message", "#8e44ad"}, {"sitrep", "#138d9c"}, {"assess", "#b8860b"}};
  for (const auto& r : aar["responses"]) {
    const double y = row_y(r["team"]) + 8;
    if (y < 0)
      continue;
    o << "<circle cx=\"" << px(a.x(r["time"].get<double>())) << "\" cy=\"" << px(y) << "\" r=\"3.6\" fill=\""
      << response_colour.at(s_of(r["type"])) << "\"><title>" << esc(s_of(r["clock"])) << " " << esc(s_of(r["team"]))
      << ": " << esc(s_of(r["what"])) << "</title></circle>";
  }
  for (const auto& inj : aar["injects"])
    for (const auto& e : inj["expectations"]) {
      if (e["status"] != "missed")
        continue;
      const double y = row_y(e["team"]);
      if (y < 0)
        continue;
      const double x = a.x(e["decided"].is_number() ? e["decided"].get<double>() : 0);
      o << "<path d=\"M" << px(x - 3) << " " << px(y - 3) << " L" << px(x + 3) << " " << px(y + 3) << " M" << px(x + 3)
        << " " << px(y - 3) << " L" << px(x - 3) << " " << px(y + 3)
        << "\" stroke=\"#c0392b\" stroke-width=\"1.6\"><title>missed: " << esc(s_of(e["expectation"])) << " ("
        << esc(s_of(e["description"])) << ")</title></path>";
    }
  // legend
  double lx = left;
  const double ly = height - 12;
  auto legend = [&](const std::string& shape, const std::string& label) {
    o << shape << "<text x=\"" << px(lx + 9) << "\" y=\"" << px(ly + 4) << "\" class=\"tick\">" << esc(label)
      << "</text>";
    lx += 14 + 6.2 * static_cast<double>(label.size()) + 14;
  };
  for (const auto& [type, colour] : inject_colour)
    legend("<path d=\"M" + px(lx - 4.5) + " " + px(ly - 4) + " H" + px(lx + 4.5) + " L" + px(lx) + " " + px(ly + 4) +
               " Z\" fill=\"" + colour + "\"/>",
           type + " inject");
  for (const auto& [type, colour] : response_colour)
    legend("<circle cx=\"" + px(lx) + "\" cy=\"" + px(ly) + "\" r=\"3.6\" fill=\"" + colour + "\"/>",
           type == "assess" ? "assessment" : type);
  legend("<path d=\"M" + px(lx - 3) + " " + px(ly - 3) + " L" + px(lx + 3) + " " + px(ly + 3) + " M" + px(lx + 3) +
             " " + px(ly - 3) + " L" + px(lx - 3) + " " + px(ly + 3) + "\" stroke=\"#c0392b\" stroke-width=\"1.6\"/>",
         "expectation missed");
  o << "</svg>";
  return o.str();
}

const char* css = R"(
*{box-sizing:border-box}
body{font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;font-size:13px;color:#1d2733;margin:0;background:#eef1f5}
main{max-width:1120px;margin:0 auto;background:#fff;padding:0 28px 28px}
header.cover{background:#14304f;color:#fff;margin:0 -28px 18px;padding:22px 28px 18px}
header.cover .kind{font-size:12px;letter-spacing:.12em;text-transform:uppercase;color:#b9c9dc}
header.cover h1{margin:6px 0 4px;font-size:26px}
header.cover .sub{color:#dbe5f0}
.handling{font-size:11px;color:#b9c9dc;margin-top:8px}
h2{font-size:18px;color:#14304f;border-bottom:2px solid #14304f;padding-bottom:3px;margin:26px 0 10px}
h3{font-size:14px;color:#14304f;margin:16px 0 6px}
table{border-collapse:collapse;width:100%;margin:6px 0 10px}
th,td{border:1px solid #cfd7e1;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#e4ebf3;font-weight:bold}
td.n,th.n{text-align:right;white-space:nowrap}
td.c,th.c{text-align:center}
dl.ov{display:grid;grid-template-columns:190px 1fr;margin:0;border:1px solid #cfd7e1}
dl.ov dt{background:#e4ebf3;font-weight:bold;padding:4px 8px;border-bottom:1px solid #cfd7e1}
dl.ov dd{margin:0;padding:4px 8px;border-bottom:1px solid #cfd7e1}
.rt{display:inline-block;min-width:20px;padding:1px 5px;border-radius:3px;font-weight:bold;text-align:center;color:#fff}
.rt-P{background:#1e8449}.rt-S{background:#2e86c1}.rt-M{background:#d68910}.rt-U{background:#c0392b}
.rt-none{background:#e5e8ec;color:#7b8794}
.kpis{display:grid;grid-template-columns:1fr 1fr;gap:6px 18px}
.cards{display:grid;grid-template-columns:repeat(6,1fr);gap:8px;margin:8px 0 12px}
.card{border:1px solid #cfd7e1;border-radius:4px;padding:6px 8px;background:#f7f9fb}
.card .v{font-size:19px;font-weight:bold;color:#14304f}
.card .l{font-size:11px;color:#52606d}
svg.chart{display:block;margin:4px 0}
svg .grid{stroke:#e3e8ee;stroke-width:1}
svg .axis{stroke:#52606d;stroke-width:1}
svg .tick{font-size:10px;fill:#52606d}
svg .ctitle{font-size:12px;font-weight:bold;fill:#14304f}
svg .tlabel{font-size:11px;fill:#1d2733}
svg .move{font-size:10px;fill:#14304f;font-weight:bold}
svg .band0{fill:#f3f6fa}svg .band1{fill:#e8eef5}
ul.obs{margin:4px 0 10px;padding-left:18px}
ul.obs li{margin:3px 0}
.meta{color:#52606d;font-size:11px}
.matrix{table-layout:fixed}
.matrix td{padding:3px;border:1px solid #dfe5ec}
.tech{border-radius:3px;padding:3px 4px;margin:0 0 3px;font-size:11px;line-height:1.25}
.tech b{display:block;font-size:10px}
.st-contained{background:#d4efdf;border-left:4px solid #1e8449}
.st-late{background:#fdebd0;border-left:4px solid #d68910}
.st-detected{background:#d6eaf8;border-left:4px solid #2e86c1}
.st-missed{background:#fadbd8;border-left:4px solid #c0392b}
.st-notused{background:#f2f3f4;border-left:4px solid #aab7b8;color:#7b8794}
.legend span{display:inline-block;margin-right:12px}
.warn{background:#fef5e7;border:1px solid #f0b27a;padding:6px 8px;margin:8px 0}
footer{margin-top:24px;color:#52606d;font-size:11px;border-top:1px solid #cfd7e1;padding-top:8px}
@media print{body{background:#fff}main{max-width:none}}
)";

} // namespace

std::string render_html(const Json& aar, const std::string& layers)
{
  const Json& ov = aar["overview"];
  const SituationClock clock = SituationClock::from_overview(ov);
  const double end = ov["played"].get<double>();
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>After-Action Report: "
    << esc(s_of(ov["title"])) << "</title>\n<style>" << css << "</style>\n</head>\n<body>\n<main>\n";
  o << "<header class=\"cover\"><div class=\"kind\">After-Action Report / Improvement Plan</div><h1>"
    << esc(s_of(ov["title"])) << "</h1><div class=\"sub\">" << esc(s_of(ov["date"])) << ", " << esc(s_of(ov["start"]))
    << " " << esc(s_of(ov["timezone"])) << " · " << duration_text(end) << " played · seed " << s_of(ov["seed"])
    << "</div><div class=\"handling\">Generated by cyberex " << esc(s_of(ov["cyberex_version"])) << " from journal "
    << esc(s_of(ov["journal"])) << ". Exercise material: every organisation and person is fictional.</div></header>\n";

  for (const auto& w : aar["warnings"])
    o << "<div class=\"warn\">Warning: " << esc(s_of(w)) << "</div>\n";

  // 1. Overview
  o << "<section id=\"overview\"><h2>1. Exercise overview</h2>\n<dl class=\"ov\">";
  auto row = [&](const std::string& k, const std::string& v_html) {
    o << "<dt>" << esc(k) << "</dt><dd>" << v_html << "</dd>";
  };
  row("Exercise name", esc(s_of(ov["title"])) + " <span class=\"meta\">(" + esc(s_of(ov["exercise"])) + ")</span>");
  row("Date and duration", esc(s_of(ov["date"])) + ", " + esc(s_of(ov["start"])) + " " + esc(s_of(ov["timezone"])) +
                               "; scheduled " + duration_text(ov["scheduled_duration"].get<double>()) + ", played " +
                               duration_text(end) + " (" + esc(s_of(ov["ended"])) + ")");
  row("Scenario", esc(s_of(ov["description"])));
  std::string caps;
  for (const auto& obj : aar["objectives"]) {
    const std::string c = s_of(obj["capability_name"]);
    if (caps.find(esc(c)) == std::string::npos)
      caps += (caps.empty() ? "" : "; ") + esc(c);
  }
  row("Core capabilities", caps);
  const Json& scope = ov["scope"];
  std::string sectors;
  for (const auto& s : scope["sectors"])
    sectors += (sectors.empty() ? "" : ", ") + s_of(s);
  row("Scope", s_of(scope["player_teams"]) + " player teams from " + s_of(scope["organisations"]) + " organisations (" +
                   esc(sectors) + "); " + s_of(scope["nodes"]) + " nodes, " + s_of(scope["services"]) + " services, " +
                   s_of(scope["campaigns"]) + " adversary campaigns; " + s_of(scope["objectives"]) + " objectives, " +
                   s_of(scope["critical_tasks"]) + " critical tasks");
  row("MSEL", s_of(scope["injects_delivered"]) + " of " + s_of(scope["injects_planned"]) + " injects delivered; " +
                  s_of(scope["expectations_activated"]) + " of " + s_of(scope["expectations_planned"]) +
                  " expectations activated; " + s_of(scope["team_responses"]) + " team responses");
  row("Scenario file",
      "<code>" + esc(s_of(ov["scenario"])) + "</code> " + esc(s_of(ov["scenario_hash"])) +
          (ov["scenario_hash_matches"].get<bool>() ? "" : " <b>(changed since: " + esc(changes(ov)) + ")</b>"));
  row("Run", "seed " + s_of(ov["seed"]) + ", origin " + esc(s_of(ov["origin"])) + ", journal <code>" +
                 esc(s_of(ov["journal"])) + "</code> (" + s_of(ov["commands"]) + " commands, " + s_of(ov["records"]) +
                 " records" + (ov["complete"].get<bool>() ? "" : ", <b>no end line</b>") + ")");
  o << "</dl>\n<h3>Moves</h3><table><tr><th>Move</th><th>At</th><th>Situation time</th><th>Title</th><th>Situation</th>"
       "</tr>";
  for (const auto& m : ov["moves"])
    o << "<tr><td>" << esc(s_of(m["id"])) << "</td><td>H+" << duration_text(m["offset"].get<double>()) << "</td><td>"
      << esc(s_of(m["situation"])) << "</td><td>" << esc(s_of(m["title"])) << "</td><td>" << esc(s_of(m["description"]))
      << "</td></tr>";
  o << "</table>\n<h3>Participants</h3><table><tr><th>Team</th><th>Name</th><th>Role</th><th>Organisation</th>"
       "<th>Country</th><th>Sector</th></tr>";
  for (const auto& p : ov["participants"])
    o << "<tr><td>" << esc(s_of(p["team"])) << "</td><td>" << esc(s_of(p["name"])) << "</td><td>"
      << esc(s_of(p["role"])) << "</td><td>" << esc(s_of(p["organisation"])) << "</td><td>" << esc(s_of(p["country"]))
      << "</td><td>" << esc(s_of(p["sector"])) << "</td></tr>";
  o << "</table></section>\n";

  // 2. Objectives and ratings
  std::vector<std::string> teams;
  for (const auto& t : aar["teams"])
    teams.push_back(t["team"]);
  o << "<section id=\"objectives\"><h2>2. Objectives, core capabilities and ratings</h2>\n"
       "<p class=\"meta\">HSEEP ratings: "
    << badge("P") << " performed without challenges, " << badge("S") << " performed with some challenges, "
    << badge("M") << " performed with major challenges, " << badge("U")
    << " unable to be performed. An objective's rating per team is the nearest letter to the mean of its latest "
       "critical-task ratings (P 100, S 70, M 40, U 0).</p>\n";
  o << "<table><tr><th>Objective</th><th>Core capability</th><th class=\"c\">Weight</th><th class=\"c\">Expectations "
       "met / missed</th>";
  for (const auto& t : teams)
    o << "<th class=\"c\">" << esc(t) << "</th>";
  o << "</tr>";
  for (const auto& obj : aar["objectives"]) {
    o << "<tr><td><b>" << esc(s_of(obj["title"])) << "</b><br><span class=\"meta\">" << esc(s_of(obj["id"]))
      << "</span></td><td>" << esc(s_of(obj["capability_name"])) << "</td><td class=\"c\">"
      << fixed(obj["weight"].get<double>(), 0) << "</td><td class=\"c\">" << s_of(obj["expectations"]["met"]) << " / "
      << s_of(obj["expectations"]["missed"]) << not_applicable_text(obj["expectations"]["not_applicable"]) << "</td>";
    for (const auto& t : teams) {
      std::string cell = "<span class=\"meta\">n/a</span>";
      if (std::find(obj["teams"].begin(), obj["teams"].end(), Json(t)) != obj["teams"].end()) {
        cell = badge("");
        for (const auto& tr : obj["team_ratings"])
          if (tr["team"] == t)
            cell = badge(s_of(tr["rating"]),
                         "mean " + fixed(tr["value"].get<double>(), 1) + " over " + s_of(tr["ratings"]) + " rating(s)");
      }
      o << "<td class=\"c\">" << cell << "</td>";
    }
    o << "</tr>";
  }
  o << "</table>\n<h3>Critical tasks</h3><table><tr><th>Objective</th><th>Critical task</th>";
  for (const auto& t : teams)
    o << "<th class=\"c\">" << esc(t) << "</th>";
  o << "</tr>";
  for (const auto& obj : aar["objectives"])
    for (const auto& ct : obj["critical_tasks"]) {
      o << "<tr><td class=\"meta\">" << esc(s_of(obj["id"])) << "</td><td>" << esc(s_of(ct["description"]))
        << " <span class=\"meta\">(" << esc(s_of(ct["id"])) << ")</span></td>";
      for (const auto& t : teams) {
        std::string cell = std::find(obj["teams"].begin(), obj["teams"].end(), Json(t)) == obj["teams"].end()
                               ? "<span class=\"meta\">n/a</span>"
                               : badge("");
        for (const auto& r : obj["ratings"])
          if (r["team"] == t && r["critical_task"] == ct["id"])
            cell = badge(s_of(r["rating"]), s_of(r["text"]));
        o << "<td class=\"c\">" << cell << "</td>";
      }
      o << "</tr>";
    }
  o << "</table>\n";
  // the evaluators' notes: what a letter alone does not say (the latest rating of each team and critical task)
  bool notes = false;
  for (const auto& obj : aar["objectives"])
    for (const auto& r : obj["ratings"]) {
      if (s_of(r["text"]).empty())
        continue;
      if (!notes)
        o << "<h3>Evaluators' notes</h3><table><tr><th>Team</th><th>Objective / critical task</th><th "
             "class=\"c\">Rating</th><th>Note</th><th>By, when</th></tr>";
      notes = true;
      o << "<tr><td>" << esc(s_of(r["team"])) << "</td><td>" << esc(s_of(obj["id"])) << " / "
        << esc(s_of(r["critical_task"])) << "</td><td class=\"c\">" << badge(s_of(r["rating"])) << "</td><td>"
        << esc(s_of(r["text"])) << "</td><td class=\"meta\">" << esc(s_of(r["by"])) << ", " << esc(s_of(r["clock"]))
        << "</td></tr>";
    }
  if (notes)
    o << "</table>\n";
  o << "</section>\n";

  // 3. Timeline
  o << "<section id=\"timeline\"><h2>3. Timeline: injects and team responses</h2>\n";
  o << timeline_svg(aar);
  o << "<p class=\"meta\">Each row is a player team. Triangles: injects delivered to the team; dots: the team's "
       "responses (actions, messages, situation reports, assessments); crosses: expectations missed at their deadline. "
       "Hover a mark for details; every inject is listed in appendix A.</p>";
  o << "<table><tr><th>Move</th><th class=\"n\">Injects delivered</th><th class=\"n\">Team responses</th><th "
       "class=\"n\">Expectations met</th><th class=\"n\">Expectations missed</th></tr>";
  for (std::size_t i = 0; i < ov["moves"].size(); ++i) {
    const Json& m = ov["moves"][i];
    const double from = m["offset"].get<double>();
    const double to = i + 1 < ov["moves"].size() ? ov["moves"][i + 1]["offset"].get<double>() : end + 1;
    int injects = 0, responses = 0, met = 0, missed = 0;
    for (const auto& inj : aar["injects"]) {
      const double t = inj["time"].get<double>();
      injects += t >= from && t < to;
      for (const auto& e : inj["expectations"])
        if (e["decided"].is_number() && e["decided"].get<double>() >= from && e["decided"].get<double>() < to) {
          met += e["status"] == "met";
          missed += e["status"] == "missed";
        }
    }
    for (const auto& r : aar["responses"])
      responses += r["time"].get<double>() >= from && r["time"].get<double>() < to;
    o << "<tr><td>" << esc(s_of(m["start"])) << " " << esc(s_of(m["title"])) << "</td><td class=\"n\">" << injects
      << "</td><td class=\"n\">" << responses << "</td><td class=\"n\">" << met << "</td><td class=\"n\">" << missed
      << "</td></tr>";
  }
  o << "</table>\n<h3 id=\"public-communication\">Public communication</h3>\n";
  if (aar["public_communication"].empty()) {
    o << "<p class=\"meta\">No team made a press statement or public advisory.</p>";
  } else {
    o << "<table><tr><th>Time</th><th>Team</th><th>Kind</th><th>Text</th></tr>";
    for (const auto& p : aar["public_communication"])
      o << "<tr><td>" << esc(s_of(p["clock"])) << "</td><td>" << esc(s_of(p["team_name"])) << "</td><td>"
        << (s_of(p["kind"]) == "press_statement" ? "press statement" : "public advisory") << "</td><td>"
        << esc(s_of(p["text"])) << "</td></tr>";
    o << "</table>";
  }
  o << "</section>\n";

  // 4. KPIs
  const Json& k = aar["kpis"];
  const Json& s = aar["series"];
  o << "<section id=\"kpis\"><h2>4. Key performance indicators over time</h2>\n<div class=\"cards\">";
  auto card = [&](const std::string& v, const std::string& l) {
    o << "<div class=\"card\"><div class=\"v\">" << v << "</div><div class=\"l\">" << esc(l) << "</div></div>";
  };
  card(fixed(k["data_exfiltrated_mb"].get<double>(), 0) + " MB", k.value("data_exfiltrated_label", "data exfiltrated"));
  card(s_of(k["nodes_compromised_max"]),
       "nodes compromised at most (" + s_of(k["nodes_compromised_end"]) + " at the end)");
  card(fixed(k["mwh_lost"].get<double>(), 0) + " MWh",
       "energy not served (peak " + fixed(k["mw_lost_max"].get<double>(), 0) + " MW)");
  card(fixed(k["availability_pct"].get<double>(), 2) + " %", "mean service availability");
  card(s_of(k["alerts_true"]) + " / " + s_of(k["alerts_false"]), "true / false alerts");
  card(s_of(k["expectations_met"]) + " / " + s_of(k["expectations_missed"]) +
           not_applicable_text(k["expectations_not_applicable"]),
       "expectations met / missed");
  o << "</div><div class=\"kpis\">";
  o << step_chart("Service availability", "% of services up", {{"availability", "#2e86c1", &s["availability_pct"]}},
                  end, clock, 530, 190, 100);
  o << step_chart("Compromised nodes", "nodes with an adversary foothold",
                  {{"compromised", "#c0392b", &s["nodes_compromised"]}}, end, clock, 530, 190);
  std::string exfiltrated = k.value("data_exfiltrated_label", "data exfiltrated"); // as the scenario names it
  exfiltrated[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(exfiltrated[0])));
  o << step_chart(exfiltrated, "MB (cumulative)", {{"exfiltrated", "#7b3fa0", &s["data_exfiltrated_mb"]}}, end, clock,
                  530, 190);
  o << step_chart("Power lost", "MW of load not served", {{"MW lost", "#e07b00", &s["mw_lost"]}}, end, clock, 530, 190);
  o << "</div>";
  std::vector<Line> score_lines;
  std::size_t ci = 0;
  for (const auto& t : teams) {
    if (s["scores"].contains(t))
      score_lines.push_back({t, team_colours[ci % 10], &s["scores"][t]});
    ++ci;
  }
  o << step_chart("Scores per team (leaderboard total)", "0-100", score_lines, end, clock, 1060, 260, 100, true);
  if (k.contains("services") && !k["services"].empty()) {
    // the services below 100 %: the per-service figures run and play print (all of them in the JSON report)
    std::string rows;
    for (const auto& v : k["services"])
      if (v["availability_pct"].get<double>() < 100)
        rows += "<tr><td>" + esc(s_of(v["service"])) + "</td><td class=\"n\">" +
                fixed(v["availability_pct"].get<double>(), 2) + " %</td><td>" + esc(s_of(v["measured"])) +
                "</td><td class=\"n\">" + fixed(v["degraded_s"].get<double>(), 0) + " s</td><td class=\"n\">" +
                fixed(v["unavailable_s"].get<double>(), 0) + " s</td></tr>";
    o << "<h3>Services below 100 % availability</h3>";
    if (rows.empty())
      o << "<p>Every service was available for the whole exercise.</p>";
    else
      o << "<table><tr><th>Service</th><th class=\"n\">Availability</th><th>Measured by</th><th "
           "class=\"n\">Degraded</th><th class=\"n\">Unavailable</th></tr>"
        << rows << "</table>";
  }
  if (!aar["grid_cascade"].empty()) {
    o << "<h3 id=\"grid-cascade\">The grid's cascade</h3>\n<table><tr><th>Time</th><th>Event</th><th>What</th></tr>";
    for (const auto& c : aar["grid_cascade"])
      o << "<tr><td>" << esc(s_of(c["clock"])) << "</td><td>" << esc(s_of(c["type"])) << "</td><td>"
        << esc(s_of(c["what"])) << "</td></tr>";
    o << "</table>\n";
  }
  o << "</section>\n";

  // 5. Teams
  o << "<section id=\"teams\"><h2>5. Team results and leaderboard</h2>\n<h3>Final leaderboard</h3><table><tr><th "
       "class=\"c\">Rank</th><th>Team</th><th class=\"n\">Total</th><th class=\"n\">Expectations</th><th "
       "class=\"n\">Ratings</th><th class=\"n\">Metrics</th></tr>";
  for (const auto& e : aar["leaderboard"])
    o << "<tr><td class=\"c\">" << s_of(e["rank"]) << "</td><td>" << esc(s_of(e["team"])) << " <span class=\"meta\">"
      << esc(s_of(e["name"])) << "</span></td><td class=\"n\"><b>" << num_text(e["total"], 2)
      << "</b></td><td class=\"n\">" << num_text(e["expectations"], 2) << "</td><td class=\"n\">"
      << num_text(e["ratings"], 2) << "</td><td class=\"n\">" << num_text(e["metrics"], 2) << "</td></tr>";
  o << "</table><p class=\"meta\">Total = weighted mean of the components present (docs/protocol.md, "
       "\"Scoring\").</p>\n<h3>Per team</h3><table><tr><th>Team</th><th class=\"n\">Injects</th><th "
       "class=\"n\">Actions</th><th class=\"n\">Messages (indicators)</th><th class=\"n\">Sitreps</th><th "
       "class=\"n\">Expectations met / missed</th><th class=\"n\">Nodes compromised</th><th class=\"n\">Time to "
       "detect</th><th class=\"n\">Exfiltrated</th><th class=\"c\">Ratings P/S/M/U</th></tr>";
  for (const auto& t : aar["teams"]) {
    const Json& rc = t["ratings_count"];
    o << "<tr><td>" << esc(s_of(t["team"])) << "</td><td class=\"n\">" << s_of(t["injects_received"])
      << "</td><td class=\"n\">" << s_of(t["actions"]) << "</td><td class=\"n\">" << s_of(t["messages"]) << " ("
      << s_of(t["indicators_shared"]) << ")</td><td class=\"n\">" << s_of(t["sitreps"]) << "</td><td class=\"n\">"
      << s_of(t["expectations_met"]) << " / " << s_of(t["expectations_missed"])
      << not_applicable_text(t["expectations_not_applicable"]) << "</td><td class=\"n\">"
      << s_of(t["nodes_compromised"]) << "</td><td class=\"n\">"
      << (t["time_to_detect"].is_number() ? duration_text(t["time_to_detect"].get<double>()) : "–")
      << "</td><td class=\"n\">" << fixed(t["data_exfiltrated_mb"].get<double>(), 0) << " MB</td><td class=\"c\">"
      << s_of(rc["P"]) << " / " << s_of(rc["S"]) << " / " << s_of(rc["M"]) << " / " << s_of(rc["U"]) << "</td></tr>";
  }
  o << "</table>\n<h3>Severity assessments against the White Cell's</h3><table><tr><th>Incident</th><th "
       "class=\"n\">Official</th>";
  for (const auto& t : teams)
    o << "<th class=\"n\">" << esc(t) << "</th>";
  o << "</tr>";
  for (const auto& a : aar["assessments"]) {
    o << "<tr><td>" << esc(s_of(a["incident"])) << "</td><td class=\"n\"><b>" << num_text(a["official"], 2)
      << "</b></td>";
    for (const auto& t : teams) {
      std::string cell = "–";
      for (const auto& x : a["teams"])
        if (x["team"] == t)
          cell = fixed(x["score"].get<double>(), 2) +
                 (x["difference"].is_number()
                      ? " <span class=\"meta\">(" + std::string(x["difference"].get<double>() >= 0 ? "+" : "") +
                            fixed(x["difference"].get<double>(), 2) + ")</span>"
                      : "");
      o << "<td class=\"n\">" << cell << "</td>";
    }
    o << "</tr>";
  }
  o << "</table>";
  bool any_missed = false;
  for (const auto& t : aar["teams"])
    any_missed = any_missed || !t["missed"].empty();
  if (any_missed) {
    o << "<h3>Expectations missed</h3><table><tr><th>Team</th><th>Expectations missed (deadline)</th></tr>";
    for (const auto& t : aar["teams"]) {
      if (t["missed"].empty())
        continue;
      std::string list;
      for (const auto& m : t["missed"])
        list += (list.empty() ? "" : "<br>") + esc(s_of(m["description"])) + " <span class=\"meta\">(" +
                esc(s_of(m["expectation"])) + ", " + clock.text(m["deadline"].get<double>()) + ")</span>";
      o << "<tr><td>" << esc(s_of(t["team"])) << "</td><td>" << list << "</td></tr>";
    }
    o << "</table>";
  }
  bool any_not_applicable = false;
  for (const auto& t : aar["teams"])
    any_not_applicable = any_not_applicable || !t["not_applicable"].empty();
  if (any_not_applicable) {
    o << "<h3>Expectations not applicable</h3><p class=\"meta\">Neither met nor missed, and left out of the scores: "
         "their premise never held (what they answer did not happen) or their inject was skipped.</p><table><tr>"
         "<th>Team</th><th>Expectations not applicable (why)</th></tr>";
    for (const auto& t : aar["teams"]) {
      if (t["not_applicable"].empty())
        continue;
      std::string list;
      for (const auto& m : t["not_applicable"])
        list += (list.empty() ? "" : "<br>") + esc(s_of(m["description"])) + " <span class=\"meta\">(" +
                esc(s_of(m["expectation"])) + ", " + (m["by"] == "skipped" ? "inject skipped" : "premise never held") +
                ")</span>";
      o << "<tr><td>" << esc(s_of(t["team"])) << "</td><td>" << list << "</td></tr>";
    }
    o << "</table>";
  }
  o << "</section>\n";

  // 6. Observations
  auto observations = [&](const Json& list) {
    std::map<std::string, std::vector<const Json*>> by_cap;
    std::vector<std::string> order;
    for (const auto& x : list) {
      const std::string c = s_of(x["capability_name"]).empty() ? "General" : s_of(x["capability_name"]);
      if (!by_cap.count(c))
        order.push_back(c);
      by_cap[c].push_back(&x);
    }
    if (list.empty())
      o << "<p class=\"meta\">None recorded.</p>";
    for (const auto& c : order) {
      o << "<p><b>" << esc(c) << "</b></p><ul class=\"obs\">";
      for (const Json* x : by_cap[c])
        o << "<li>" << esc(s_of((*x)["text"])) << " <span class=\"meta\">(" << esc(s_of((*x)["clock"])) << ", "
          << esc(s_of((*x)["team"]).empty() ? std::string("all teams") : s_of((*x)["team"]))
          << (s_of((*x)["critical_task"]).empty() ? "" : ", " + esc(s_of((*x)["critical_task"]))) << ")</span></li>";
      o << "</ul>";
    }
  };
  o << "<section id=\"observations\"><h2>6. Evaluator observations</h2>\n<h3>Strengths</h3>";
  observations(aar["observations"]["strengths"]);
  o << "<h3>Areas for improvement</h3>";
  observations(aar["observations"]["areas_for_improvement"]);
  if (!aar["observations"]["notes"].empty()) {
    o << "<h3>Other notes</h3>";
    observations(aar["observations"]["notes"]);
  }
  o << "</section>\n";

  // 7. Improvement plan
  o << "<section id=\"improvement-plan\"><h2>7. Improvement plan</h2>\n<table><tr><th class=\"c\">#</th><th>Core "
       "capability</th><th>Issue / area for improvement</th><th>Corrective action</th><th>Capability "
       "element</th><th>Responsible</th><th>Start</th><th>Completion</th></tr>";
  for (const auto& p : aar["improvement_plan"])
    o << "<tr><td class=\"c\">" << s_of(p["item"]) << "</td><td>" << esc(s_of(p["capability"])) << "</td><td>"
      << esc(s_of(p["issue"])) << "</td><td>" << esc(s_of(p["corrective_action"])) << "</td><td>"
      << esc(s_of(p["element"])) << "</td><td>" << esc(s_of(p["responsible"])) << "</td><td class=\"n\">"
      << esc(s_of(p["start"])) << "</td><td class=\"n\">" << esc(s_of(p["completion"])) << "</td></tr>";
  if (aar["improvement_plan"].empty())
    o << "<tr><td colspan=\"8\" class=\"meta\">No area for improvement was recorded.</td></tr>";
  o << "</table></section>\n";

  // 8. ATT&CK
  const Json& at = aar["attack"];
  const Json& sum = at["summary"];
  o << "<section id=\"attack\"><h2>8. ATT&amp;CK coverage of the adversary's techniques</h2>\n<p>"
    << s_of(sum["techniques"]) << " techniques planned: " << s_of(sum["used"]) << " used, " << s_of(sum["detected"])
    << " detected, " << s_of(sum["contained"]) << " contained before impact, " << s_of(sum["impact_before_containment"])
    << " impact before containment, " << s_of(sum["missed"]) << " missed, " << s_of(sum["not_used"])
    << " not used.</p><p class=\"legend meta\"><span class=\"tech st-contained\">contained before impact: every "
       "campaign that used it was contained before its impact</span><span class=\"tech st-late\">impact before "
       "containment: every campaign that used it was contained, one only after its impact</span><span class=\"tech "
       "st-detected\">detected: a true alert, a campaign that used it not contained</span><span class=\"tech "
       "st-missed\">missed: used, never detected, not contained</span><span class=\"tech st-notused\">planned, not "
       "used</span></p>";
  o << "<table class=\"matrix\"><tr>";
  for (const auto& tac : at["tactics"])
    o << "<th>" << esc(s_of(tac["name"])) << "</th>";
  o << "</tr><tr>";
  for (const auto& tac : at["tactics"]) {
    o << "<td>";
    for (const auto& c : tac["techniques"]) {
      const std::string st = s_of(c["status"]);
      const std::string cls = st == "not used"                    ? "notused"
                              : st == "contained before impact"   ? "contained"
                              : st == "impact before containment" ? "late"
                                                                  : st;
      o << "<div class=\"tech st-" << cls << "\" title=\"" << esc(s_of(c["status"])) << "; campaigns: ";
      std::string camps;
      for (const auto& x : c["campaigns"])
        camps += (camps.empty() ? "" : ", ") + s_of(x);
      o << esc(camps) << "\"><b>" << esc(s_of(c["technique"])) << "</b>" << esc(s_of(c["name"])) << "<br>"
        << "<span class=\"meta\">" << s_of(c["successes"]) << "/" << s_of(c["attempts"]) << " succeeded, "
        << s_of(c["true_alerts"]) << " alerts; campaigns: " << s_of(c["campaigns_contained_before_impact"])
        << " contained before impact, " << s_of(c["campaigns_impact_before_containment"])
        << " impact before containment, " << s_of(c["campaigns_not_contained"]) << " not contained</span></div>";
    }
    o << "</td>";
  }
  o << "</tr></table>";
  if (!layers.empty()) {
    // the files `cyberex report --format navigator -o LAYERS` writes beside this page (docs/interchange.md)
    std::string dir = layers;
    while (dir.size() > 1 && dir.back() == '/')
      dir.pop_back();
    o << "<p class=\"meta\">ATT&amp;CK Navigator layers (open them in the Navigator: Open Existing Layer, Upload from "
         "local):";
    for (const auto& f : navigator_file_names(aar))
      o << " <a href=\"" << esc(dir + "/" + f) << "\">" << esc(f) << "</a>";
    o << "</p>";
  }
  o << "</section>\n";

  o << "<section id=\"appendix-injects\"><h2>Appendix A. Injects delivered and first "
       "responses</h2><table><tr><th>Time</th><th>Inject</th><th>Type</th><th>Released by</th><th>To</th>"
       "<th>Expectations</th><th>First response</th></tr>";
  for (const auto& inj : aar["injects"]) {
    std::string to, exps, first;
    for (const auto& t : inj["to"])
      to += (to.empty() ? "" : ", ") + s_of(t);
    if (!inj["expectations"].empty())
      exps =
          s_of(inj["expectations_met"]) + " met, " + s_of(inj["expectations_missed"]) + " missed" +
          (inj["expectations_pending"] != 0 ? ", " + s_of(inj["expectations_pending"]) + " pending" : "") +
          (inj["expectations_not_applicable"] != 0 ? ", " + s_of(inj["expectations_not_applicable"]) + " not applicable"
                                                   : "");
    for (const auto& f : inj["first_responses"])
      if (f["after"].is_number())
        first += (first.empty() ? "" : "<br>") + esc(s_of(f["team"])) + " +" + duration_text(f["after"].get<double>()) +
                 ": " + esc(s_of(f["what"]));
    o << "<tr><td>" << esc(s_of(inj["clock"])) << "</td><td><b>" << esc(s_of(inj["title"]))
      << "</b><br><span class=\"meta\">" << esc(s_of(inj["inject"])) << " · " << esc(s_of(inj["channel"])) << " · "
      << esc(s_of(inj["from"])) << "</span></td><td>" << esc(s_of(inj["type"])) << "</td><td>"
      << esc(s_of(inj["reason"])) << "</td><td>" << esc(to) << "</td><td>" << exps << "</td><td>" << first
      << "</td></tr>";
  }
  o << "</table>";
  if (!aar["skipped_injects"].empty()) {
    o << "<h3>Injects skipped</h3><p class=\"meta\">Timed injects not delivered: their <code>skip_if</code> held when "
         "they were due.</p><table><tr><th>Due</th><th>Inject</th></tr>";
    for (const auto& inj : aar["skipped_injects"])
      o << "<tr><td>" << esc(s_of(inj["clock"])) << "</td><td><b>" << esc(s_of(inj["title"]))
        << "</b><br><span class=\"meta\">" << esc(s_of(inj["inject"])) << "</span></td></tr>";
    o << "</table>";
  }
  o << "</section>\n";

  o << "<footer>Sections follow the HSEEP After-Action Report / Improvement Plan template. KPIs are computed from the "
       "journal's records (ground truth); see docs/after-action.md. The same data: <code>cyberex report "
    << esc(s_of(ov["journal"])) << " --format json</code>.</footer>\n</main>\n</body>\n</html>\n";
  return o.str();
}

} // namespace cyberex::report
