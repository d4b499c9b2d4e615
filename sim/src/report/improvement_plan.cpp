/* The HSEEP improvement-plan matrix of the after-action report as CSV (RFC 4180) and as an xlsx workbook
 * (libxlsxwriter), prefilled from the report's improvement plan (areas for improvement observed by the evaluators)
 * and from the objectives rated S, M or U without one (docs/interchange.md, "Improvement plan (HSEEP)"). */
#include "report/aar.hpp"

#include <xlsxwriter.h>

#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

namespace cyberex::report {

namespace {

/// One row of the matrix: one issue.
struct PlanRow {
  std::string capability, issue, action, element, organisation, poc, start, completion, source;
};

/// The HSEEP matrix's columns (the IP template's words), then where the row comes from.
const char* const columns[] = {"Core Capability",
                               "Issue/Area for Improvement",
                               "Corrective Action",
                               "Capability Element",
                               "Primary Responsible Organization",
                               "Organization POC",
                               "Start Date",
                               "Completion Date",
                               "Source"};
constexpr int n_columns = 9;

const char* rating_name(const std::string& r)
{
  return r == "P"   ? "Performed without Challenges"
         : r == "S" ? "Performed with Some Challenges"
         : r == "M" ? "Performed with Major Challenges"
                    : "Unable to be Performed";
}

std::vector<PlanRow> plan_rows(const Json& aar)
{
  const Json& ov = aar["overview"];
  std::map<std::string, std::pair<std::string, std::string>> party; // team -> (name, organisation)
  for (const auto& p : ov["participants"])
    party[str(p, "team")] = {str(p, "name"), str(p, "organisation")};
  auto organisation = [&](const std::string& team) {
    auto it = party.find(team);
    return it == party.end() || it->second.second.empty() ? team : it->second.second;
  };
  auto poc = [&](const std::string& team) {
    auto it = party.find(team);
    return it == party.end() ? std::string() : it->second.first;
  };
  std::vector<PlanRow> rows;
  std::map<std::string, bool> covered; // "objective/team" with an area for improvement
  const Json& afis = aar["observations"]["areas_for_improvement"];
  std::size_t i = 0;
  for (const auto& p : aar["improvement_plan"]) {
    const Json& o = i < afis.size() ? afis[i] : Json::object(); // the plan's items follow its observations
    ++i;
    const std::string team = str(p, "responsible");
    std::string source = "area for improvement observed at " + str(p, "observed");
    if (!str(o, "by").empty())
      source += " by " + str(o, "by");
    if (!str(p, "objective").empty())
      source += ", objective " + str(p, "objective");
    if (!str(p, "critical_task").empty())
      source += ", critical task " + str(p, "critical_task");
    rows.push_back({str(p, "capability"), str(p, "issue"), str(p, "corrective_action"), str(p, "element"),
                    organisation(team), poc(team), str(p, "start"), str(p, "completion"), source});
    covered[str(p, "objective") + "/" + str(o, "team")] = true;
  }
  // objectives a team performed with challenges, or could not perform, that no area for improvement covers
  const std::string day0 = str(ov, "date") + "T00:00:00";
  for (const auto& obj : aar["objectives"])
    for (const auto& tr : obj["team_ratings"]) {
      const std::string team = str(tr, "team"), letter = str(tr, "rating");
      if (letter == "P" || covered.count(str(obj, "id") + "/" + team))
        continue;
      std::string texts;
      for (const auto& r : obj["ratings"])
        if (str(r, "team") == team && !str(r, "text").empty())
          texts += (texts.empty() ? "" : " ") + str(r, "text");
      std::string tasks;
      for (const auto& t : obj["critical_tasks"])
        tasks += (tasks.empty() ? "" : ", ") + str(t, "id");
      PlanRow row;
      row.capability = str(obj, "capability_name");
      row.issue = "Objective " + str(obj, "id") + " (" + str(obj, "title") + ") rated " + letter + ", " +
                  rating_name(letter) + ", for " + (poc(team).empty() ? team : poc(team)) +
                  (texts.empty() ? "." : ": " + texts);
      row.action = tasks.empty() ? "Review the objective's plans and procedures and exercise them again"
                                 : "Review and exercise the critical tasks " + tasks;
      row.element = "Training";
      row.organisation = organisation(team);
      row.poc = poc(team);
      row.start = date_after(day0, 14);
      row.completion = date_after(day0, 90);
      row.source = "rating " + letter + " of objective " + str(obj, "id") + " (" +
                   std::to_string(tr["ratings"].get<int>()) + " rating" + (tr["ratings"] == 1 ? "" : "s") + ")";
      rows.push_back(std::move(row));
    }
  return rows;
}

/// "YYYY-MM-DD" (a trailing '.' allowed: a "Due:" marker ends a sentence) as a date; false when it is not one.
bool parse_date(const std::string& s, lxw_datetime& d)
{
  std::string t = s;
  if (!t.empty() && t.back() == '.')
    t.pop_back();
  int y = 0, m = 0, day = 0, used = 0;
  if (t.size() != 10 || std::sscanf(t.c_str(), "%4d-%2d-%2d%n", &y, &m, &day, &used) != 3 || used != 10)
    return false;
  if (y < 1900 || m < 1 || m > 12 || day < 1 || day > 31)
    return false;
  d = lxw_datetime{y, m, day, 0, 0, 0};
  return true;
}

/// The exercise start "YYYY-MM-DD HH:MM" of the overview as a time_t read as UTC (the workbook's fixed creation time).
std::time_t created_time(const Json& ov)
{
  std::tm tm{};
  int y = 1970, mo = 1, d = 1, hh = 0, mm = 0;
  std::sscanf(str(ov, "date").c_str(), "%4d-%2d-%2d", &y, &mo, &d);
  std::sscanf(str(ov, "start").c_str(), "%2d:%2d", &hh, &mm);
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = hh;
  tm.tm_min = mm;
  return ::timegm(&tm);
}

} // namespace

std::string csv_field(const std::string& s)
{
  if (s.find_first_of(",\"\r\n") == std::string::npos)
    return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"')
      out += '"';
    out += c;
  }
  return out + "\"";
}

std::string render_ip_csv(const Json& aar)
{
  std::string out;
  for (int c = 0; c < n_columns; ++c)
    out += (c ? "," : "") + csv_field(columns[c]);
  out += "\r\n";
  for (const auto& r : plan_rows(aar)) {
    const std::string* f[] = {&r.capability, &r.issue, &r.action,     &r.element, &r.organisation,
                              &r.poc,        &r.start, &r.completion, &r.source};
    for (int c = 0; c < n_columns; ++c)
      out += (c ? "," : "") + csv_field(*f[c]);
    out += "\r\n";
  }
  return out;
}

std::string render_ip_xlsx(const Json& aar)
{
  const Json& ov = aar["overview"];
  // libxlsxwriter writes a file: a private temporary one, read back and removed
  std::string path = (std::filesystem::temp_directory_path() / "cyberex-ip-XXXXXX").string();
  const int fd = ::mkstemp(path.data());
  if (fd < 0)
    throw ReportError{"--format ip-xlsx: cannot create a temporary file in " +
                      std::filesystem::temp_directory_path().string()};
  ::close(fd);
  struct Remove {
    std::string path;
    ~Remove() { std::remove(path.c_str()); }
  } remove_tmp{path};

  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb)
    throw ReportError{"--format ip-xlsx: cannot create the workbook " + path};
  const std::string title = "Improvement Plan: " + str(ov, "title");
  const std::string comments = "HSEEP improvement plan prefilled by cyberex " + str(ov, "cyberex_version") +
                               " from journal " + str(ov, "journal");
  lxw_doc_properties props{};
  props.title = const_cast<char*>(title.c_str());
  props.comments = const_cast<char*>(comments.c_str());
  props.created = created_time(ov); // a fixed creation time: the same journal gives the same bytes
  workbook_set_properties(wb, &props);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Improvement Plan");
  lxw_format* head = workbook_add_format(wb);
  format_set_bold(head);
  format_set_text_wrap(head);
  format_set_align(head, LXW_ALIGN_VERTICAL_TOP);
  format_set_bg_color(head, 0xD9E1F2);
  format_set_border(head, LXW_BORDER_THIN);
  lxw_format* wrap = workbook_add_format(wb);
  format_set_text_wrap(wrap);
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "yyyy-mm-dd");
  format_set_align(date, LXW_ALIGN_VERTICAL_TOP);
  format_set_align(date, LXW_ALIGN_LEFT);
  const double widths[n_columns] = {26, 60, 60, 14, 28, 22, 12, 14, 40};
  for (int c = 0; c < n_columns; ++c) {
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), widths[c], nullptr);
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), columns[c], head);
  }
  worksheet_freeze_panes(ws, 1, 0);
  const std::vector<PlanRow> rows = plan_rows(aar);
  lxw_row_t row = 1;
  for (const auto& r : rows) {
    const std::string* f[] = {&r.capability, &r.issue, &r.action,     &r.element, &r.organisation,
                              &r.poc,        &r.start, &r.completion, &r.source};
    for (int c = 0; c < n_columns; ++c) {
      lxw_datetime d{};
      if ((c == 6 || c == 7) && parse_date(*f[c], d))
        worksheet_write_datetime(ws, row, static_cast<lxw_col_t>(c), &d, date);
      else
        worksheet_write_string(ws, row, static_cast<lxw_col_t>(c), f[c]->c_str(), wrap);
    }
    ++row;
  }
  worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(rows.size()), n_columns - 1);
  const lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR)
    throw ReportError{std::string("--format ip-xlsx: the workbook cannot be written: ") + lxw_strerror(err)};
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in)
    throw ReportError{"--format ip-xlsx: cannot read back the workbook " + path};
  return bytes.str();
}

} // namespace cyberex::report
