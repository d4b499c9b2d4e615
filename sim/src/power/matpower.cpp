/* MATPOWER case files (MATLAB/Octave text): mpc.baseMVA, mpc.bus, mpc.gen and mpc.branch are read, every other
 * statement is skipped. The grammar is small enough to parse by hand: a statement is `mpc.FIELD = VALUE;`, a matrix
 * is `[ ... ]` with rows ended by `;` or a new line and values separated by blanks or commas, `%` starts a comment
 * and `...` continues a line. Columns are counted in bytes from 1, lines from 1. Every loop advances by at least one
 * byte, so any input ends in a Network or a CaseError. */
#include "cyberex/powerflow.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace cyberex::power {

std::size_t Network::bus_index(int number) const
{
  for (std::size_t i = 0; i < buses.size(); ++i)
    if (buses[i].number == number)
      return i;
  return NONE;
}

CaseError::CaseError(std::string where, const std::string& message)
    : std::runtime_error(where + ": " + message), where_(std::move(where))
{
}

namespace {

struct Cell {
  double value = 0;
  std::string_view text;
  int line = 0, column = 0;
};

struct Row {
  std::vector<Cell> cells;
  int line = 0, column = 0;
};

struct Matrix {
  std::vector<Row> rows;
  int line = 0, column = 0; ///< of the statement `mpc.FIELD`
  bool present = false;
};

/// The columns each matrix needs, as MATPOWER's CASEFORMAT names them.
constexpr const char* BUS_COLUMNS[] = {"bus_i", "type", "Pd", "Qd", "Gs", "Bs", "area", "Vm", "Va"};
constexpr const char* GEN_COLUMNS[] = {"bus", "Pg", "Qg", "Qmax", "Qmin", "Vg", "mBase", "status", "Pmax", "Pmin"};
constexpr const char* BRANCH_COLUMNS[] = {"fbus",  "tbus",  "r",     "x",     "b",     "rateA",
                                          "rateB", "rateC", "ratio", "angle", "status"};

class Parser {
public:
  Parser(std::string_view text, const std::string& file) : text_(text), file_(file) {}

  Network parse();

private:
  std::string_view text_;
  const std::string& file_;
  std::size_t pos_ = 0;
  int line_ = 1, column_ = 1;

  std::optional<double> base_mva_;
  int base_line_ = 0, base_column_ = 0;
  Matrix bus_, gen_, branch_;

  [[noreturn]] void fail(int line, int column, const std::string& message) const
  {
    throw CaseError(file_ + ":" + std::to_string(line) + ":" + std::to_string(column), message);
  }
  [[noreturn]] void fail_here(const std::string& message) const { fail(line_, column_, message); }

  bool eof() const { return pos_ >= text_.size(); }
  char peek(std::size_t ahead = 0) const { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }
  void advance()
  {
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }
  void skip_to_end_of_line() // stops before the '\n'
  {
    while (!eof() && peek() != '\n')
      advance();
  }
  bool at_continuation() const { return peek() == '.' && peek(1) == '.' && peek(2) == '.'; }
  void skip_blanks() // spaces and tabs on this line
  {
    while (!eof() && (peek() == ' ' || peek() == '\t' || peek() == '\r'))
      advance();
  }

  static bool ident_char(char c)
  {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
  std::string_view read_name() // identifier with dots: function, mpc.bus, mpc.bus_name
  {
    const std::size_t begin = pos_;
    while (!eof() && (ident_char(peek()) || (peek() == '.' && !at_continuation())))
      advance();
    return text_.substr(begin, pos_ - begin);
  }

  void skip_string(char quote);
  void skip_statement();
  void statement_end(std::string_view field);
  double read_scalar(std::string_view field);
  Matrix read_matrix(std::string_view field, int line, int column);
  double number(std::string_view field, const Cell& cell) const;

  Network build();
};

// A string literal: 'it''s' (MATLAB) or "text" (Octave); a string never spans lines.
void Parser::skip_string(char quote)
{
  const int line = line_, column = column_;
  advance();
  while (true) {
    if (eof() || peek() == '\n')
      fail(line, column, "unterminated string");
    if (peek() == quote) {
      advance();
      if (peek() != quote)
        return;
    }
    advance();
  }
}

// Skips a statement this reader does not use (another field, `end`, a function call): up to the end of its line or
// a `;` outside brackets, minding strings, comments and continuations. An unclosed bracket is an error.
void Parser::skip_statement()
{
  struct Open {
    char c;
    int line, column;
  };
  std::vector<Open> open;
  char previous = ' ';
  while (!eof()) {
    const char c = peek();
    if (c == '%' || c == '#') {
      skip_to_end_of_line();
      continue;
    }
    if (at_continuation()) {
      skip_to_end_of_line();
      if (!eof())
        advance();
      continue;
    }
    if ((c == '\n' || c == ';') && open.empty()) {
      advance();
      return;
    }
    if (c == '"' || (c == '\'' && !(ident_char(previous) || previous == ']' || previous == ')' || previous == '}' ||
                                    previous == '\'' || previous == '.'))) {
      skip_string(c);
      previous = c;
      continue;
    }
    if (c == '[' || c == '{' || c == '(') {
      open.push_back({c, line_, column_});
    } else if (c == ']' || c == '}' || c == ')') {
      const char expected = c == ']' ? '[' : c == '}' ? '{' : '(';
      if (open.empty() || open.back().c != expected)
        fail_here(std::string("unmatched '") + c + "'");
      open.pop_back();
    }
    previous = c;
    advance();
  }
  if (!open.empty())
    fail(open.back().line, open.back().column, std::string("'") + open.back().c + "' is never closed");
}

// After a value: blanks, an optional `;` or `,`, then a comment or the end of the line.
void Parser::statement_end(std::string_view field)
{
  skip_blanks();
  if (peek() == '\'')
    fail_here(std::string(field) + ": transposed values (') are not supported");
  if (peek() == ';' || peek() == ',')
    advance();
  skip_blanks();
  if (eof() || peek() == '\n' || peek() == '%' || peek() == '#')
    return;
  // another statement on the same line: the top-level loop reads it
}

double Parser::number(std::string_view field, const Cell& cell) const
{
  std::string_view t = cell.text;
  if (!t.empty() && t[0] == '+') // from_chars takes a leading '-' but not a '+'
    t.remove_prefix(1);
  double v = 0;
  const char* first = t.data();
  const char* last = t.data() + t.size();
  bool ok = !t.empty() && t[0] != '+';
  if (ok) {
    const auto [ptr, ec] = std::from_chars(first, last, v, std::chars_format::general);
    ok = ec == std::errc() && ptr == last;
    if (ec == std::errc::result_out_of_range)
      fail(cell.line, cell.column, std::string(field) + ": '" + std::string(cell.text) + "' is out of range");
  }
  if (!ok || std::isnan(v))
    fail(cell.line, cell.column, std::string(field) + ": '" + std::string(cell.text) + "' is not a number");
  return v;
}

double Parser::read_scalar(std::string_view field)
{
  skip_blanks();
  Cell cell;
  cell.line = line_;
  cell.column = column_;
  const std::size_t begin = pos_;
  while (!eof() && std::strchr(" \t\r\n;,%#", peek()) == nullptr)
    advance();
  cell.text = text_.substr(begin, pos_ - begin);
  if (cell.text.empty())
    fail(cell.line, cell.column, std::string(field) + ": expected a number");
  cell.value = number(field, cell);
  statement_end(field);
  return cell.value;
}

Matrix Parser::read_matrix(std::string_view field, int line, int column)
{
  Matrix m;
  m.present = true;
  m.line = line;
  m.column = column;
  skip_blanks();
  if (peek() != '[')
    fail_here(std::string(field) + ": expected a matrix '[ ... ]'");
  const int open_line = line_, open_column = column_;
  advance();
  Row row;
  auto end_row = [&] {
    if (!row.cells.empty())
      m.rows.push_back(std::move(row));
    row = Row();
  };
  while (true) {
    if (eof())
      fail(open_line, open_column, std::string(field) + ": the matrix opened here is never closed with ']'");
    const char c = peek();
    if (c == ' ' || c == '\t' || c == '\r' || c == ',') {
      advance();
    } else if (c == '\n' || c == ';') {
      end_row();
      advance();
    } else if (c == '%' || c == '#') {
      skip_to_end_of_line();
    } else if (at_continuation()) {
      skip_to_end_of_line();
      if (!eof())
        advance();
    } else if (c == ']') {
      end_row();
      advance();
      break;
    } else {
      Cell cell;
      cell.line = line_;
      cell.column = column_;
      const std::size_t begin = pos_;
      while (!eof() && std::strchr(" \t\r\n,;]%#", peek()) == nullptr)
        advance();
      cell.text = text_.substr(begin, pos_ - begin);
      if (row.cells.empty()) {
        row.line = cell.line;
        row.column = cell.column;
      }
      const std::string where = std::string(field) + " row " + std::to_string(m.rows.size() + 1);
      cell.value = number(where, cell);
      row.cells.push_back(cell);
    }
  }
  statement_end(field);
  return m;
}

Network Parser::parse()
{
  while (!eof()) {
    const char c = peek();
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == ',') {
      advance();
      continue;
    }
    if (c == '%' || c == '#') {
      skip_to_end_of_line();
      continue;
    }
    const int line = line_, column = column_;
    if (!ident_char(c)) {
      skip_statement();
      continue;
    }
    const std::string_view name = read_name();
    if (name == "function") {
      skip_to_end_of_line();
      continue;
    }
    const bool known = name == "mpc.baseMVA" || name == "mpc.bus" || name == "mpc.gen" || name == "mpc.branch";
    if (!known) {
      skip_statement();
      continue;
    }
    skip_blanks();
    if (peek() != '=' || peek(1) == '=')
      fail_here("expected '=' after " + std::string(name));
    advance();
    if (name == "mpc.baseMVA") {
      base_line_ = line;
      base_column_ = column;
      skip_blanks();
      const int value_line = line_, value_column = column_;
      const double v = read_scalar(name);
      if (!(v > 0) || !std::isfinite(v))
        fail(value_line, value_column, "mpc.baseMVA must be a positive finite number");
      base_mva_ = v;
    } else if (name == "mpc.bus") {
      bus_ = read_matrix(name, line, column);
    } else if (name == "mpc.gen") {
      gen_ = read_matrix(name, line, column);
    } else {
      branch_ = read_matrix(name, line, column);
    }
  }
  return build();
}

Network Parser::build()
{
  if (!base_mva_)
    fail(1, 1, "no mpc.baseMVA in the case file");
  for (auto [m, name] :
       {std::pair<const Matrix*, const char*>{&bus_, "mpc.bus"}, {&gen_, "mpc.gen"}, {&branch_, "mpc.branch"}})
    if (!m->present)
      fail(1, 1, std::string("no ") + name + " in the case file");
  if (bus_.rows.empty())
    fail(bus_.line, bus_.column, "mpc.bus has no rows");

  auto columns = [this](std::string_view field, const Matrix& m, const char* const* names, std::size_t n) {
    for (std::size_t r = 0; r < m.rows.size(); ++r) {
      const Row& row = m.rows[r];
      if (row.cells.size() >= n)
        continue;
      std::string list;
      for (std::size_t i = 0; i < n; ++i)
        list += (i ? " " : "") + std::string(names[i]);
      fail(row.line, row.column,
           std::string(field) + " row " + std::to_string(r + 1) + " has " + std::to_string(row.cells.size()) +
               " column" + (row.cells.size() == 1 ? "" : "s") + "; expected at least " + std::to_string(n) + " (" +
               list + ")");
    }
  };
  columns("mpc.bus", bus_, BUS_COLUMNS, std::size(BUS_COLUMNS));
  columns("mpc.gen", gen_, GEN_COLUMNS, std::size(GEN_COLUMNS));
  columns("mpc.branch", branch_, BRANCH_COLUMNS, std::size(BRANCH_COLUMNS));

  // A value this reader uses must be finite (Inf is allowed only in the columns it ignores, and as a rating).
  auto finite = [this](std::string_view field, std::size_t r, const Row& row, std::size_t col, const char* name) {
    const Cell& cell = row.cells[col];
    if (!std::isfinite(cell.value))
      fail(cell.line, cell.column,
           std::string(field) + " row " + std::to_string(r + 1) + ": " + name + " must be finite, not " +
               std::string(cell.text));
    return cell.value;
  };
  auto bus_number = [&](std::string_view field, std::size_t r, const Row& row, std::size_t col, const char* name) {
    const double v = finite(field, r, row, col, name);
    if (v != std::floor(v) || v < 1 || v > std::numeric_limits<int>::max())
      fail(row.cells[col].line, row.cells[col].column,
           std::string(field) + " row " + std::to_string(r + 1) + ": " + name + " " + std::string(row.cells[col].text) +
               " is not a positive integer");
    return static_cast<int>(v);
  };

  Network net;
  net.name = "";
  net.base_mva = *base_mva_;
  std::map<int, std::size_t> row_of_bus;
  bool has_reference = false;
  for (std::size_t r = 0; r < bus_.rows.size(); ++r) {
    const Row& row = bus_.rows[r];
    Bus b;
    b.number = bus_number("mpc.bus", r, row, 0, "bus_i");
    const auto [it, fresh] = row_of_bus.emplace(b.number, r);
    if (!fresh)
      fail(row.cells[0].line, row.cells[0].column,
           "mpc.bus row " + std::to_string(r + 1) + ": duplicate bus number " + std::to_string(b.number) +
               " (also in row " + std::to_string(it->second + 1) + ")");
    const double type = finite("mpc.bus", r, row, 1, "type");
    if (type != 1 && type != 2 && type != 3 && type != 4)
      fail(row.cells[1].line, row.cells[1].column,
           "mpc.bus row " + std::to_string(r + 1) + ": bus type " + std::string(row.cells[1].text) +
               " is not 1 (PQ), 2 (PV), 3 (reference) or 4 (isolated)");
    b.type = static_cast<BusType>(static_cast<int>(type));
    has_reference = has_reference || b.type == BusType::reference;
    b.id = "bus-" + std::to_string(b.number);
    const double pd = finite("mpc.bus", r, row, 2, "Pd");
    b.gs_mw = finite("mpc.bus", r, row, 4, "Gs");
    b.va_deg = finite("mpc.bus", r, row, 8, "Va");
    net.buses.push_back(b);
    if (pd != 0) {
      Load l;
      l.id = "load-" + std::to_string(b.number);
      l.bus = r;
      l.mw = pd;
      net.loads.push_back(l);
    }
  }
  if (!has_reference)
    fail(bus_.line, bus_.column, "mpc.bus: no reference bus (no bus of type 3)");

  for (std::size_t r = 0; r < gen_.rows.size(); ++r) {
    const Row& row = gen_.rows[r];
    Generator g;
    const int number = bus_number("mpc.gen", r, row, 0, "bus");
    const auto it = row_of_bus.find(number);
    if (it == row_of_bus.end())
      fail(row.cells[0].line, row.cells[0].column,
           "mpc.gen row " + std::to_string(r + 1) + ": generator at unknown bus " + std::to_string(number));
    g.bus = it->second;
    g.id = "gen-" + std::to_string(r + 1);
    g.row = r + 1;
    g.pg_mw = finite("mpc.gen", r, row, 1, "Pg");
    g.in_service = finite("mpc.gen", r, row, 7, "status") > 0; // MATPOWER: status > 0 is in service
    g.pmax_mw = finite("mpc.gen", r, row, 8, "Pmax");
    g.pmin_mw = finite("mpc.gen", r, row, 9, "Pmin");
    net.generators.push_back(g);
  }

  for (std::size_t r = 0; r < branch_.rows.size(); ++r) {
    const Row& row = branch_.rows[r];
    Branch br;
    br.row = r + 1;
    br.id = "branch-" + std::to_string(r + 1);
    const char* end_name[2] = {"fbus", "tbus"};
    std::size_t ends[2];
    for (int e = 0; e < 2; ++e) {
      const int number = bus_number("mpc.branch", r, row, e, end_name[e]);
      const auto it = row_of_bus.find(number);
      if (it == row_of_bus.end())
        fail(row.cells[e].line, row.cells[e].column,
             "mpc.branch row " + std::to_string(r + 1) + ": " + end_name[e] + " " + std::to_string(number) +
                 " is not a bus of mpc.bus");
      ends[e] = it->second;
    }
    if (ends[0] == ends[1])
      fail(row.cells[1].line, row.cells[1].column,
           "mpc.branch row " + std::to_string(r + 1) + ": connects bus " + std::to_string(net.buses[ends[0]].number) +
               " to itself");
    br.from = ends[0];
    br.to = ends[1];
    br.x_pu = finite("mpc.branch", r, row, 3, "x");
    const double rate = row.cells[5].value;
    if (std::isnan(rate) || rate < 0)
      fail(row.cells[5].line, row.cells[5].column,
           "mpc.branch row " + std::to_string(r + 1) + ": rateA must be 0 (unlimited) or positive, not " +
               std::string(row.cells[5].text));
    br.rating_mw = std::isinf(rate) ? 0 : rate;
    const double tap = finite("mpc.branch", r, row, 8, "ratio");
    br.tap = tap == 0 ? 1 : tap;
    br.shift_deg = finite("mpc.branch", r, row, 9, "angle");
    br.in_service = finite("mpc.branch", r, row, 10, "status") != 0;
    if (br.in_service && br.x_pu == 0)
      fail(row.cells[3].line, row.cells[3].column,
           "mpc.branch row " + std::to_string(r + 1) + ": zero reactance (x = 0) on an in-service branch");
    net.branches.push_back(br);
  }
  return net;
}

} // namespace

Network parse_matpower(std::string_view text, const std::string& file_name)
{
  Parser parser(text, file_name);
  Network net = parser.parse();
  // The case's name: the file name without directory and extension ("case9").
  std::string name = file_name;
  if (const auto slash = name.find_last_of('/'); slash != std::string::npos)
    name = name.substr(slash + 1);
  if (const auto dot = name.rfind('.'); dot != std::string::npos && dot > 0)
    name = name.substr(0, dot);
  net.name = name;
  return net;
}

Network read_matpower(const std::string& path)
{
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw CaseError(path + ":0:0", "cannot read the case file: it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw CaseError(path + ":0:0", std::string("cannot read the case file: ") + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad())
    throw CaseError(path + ":0:0", "cannot read the case file");
  return parse_matpower(ss.str(), path);
}

} // namespace cyberex::power
