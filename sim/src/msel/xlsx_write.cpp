/* xlsx written with libxlsxwriter. */
#include "msel/sheet.hpp"

#include <xlsxwriter.h>

namespace cyberex::msel {

std::string write_xlsx(const std::string& path, const std::vector<std::vector<Cell>>& rows,
                       const std::vector<double>& widths, const std::string& title, std::time_t created)
{
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb)
    return "cannot create the workbook";
  lxw_doc_properties props{};
  std::string title_copy = title; // libxlsxwriter's struct is not const-correct; it copies the string
  props.title = title_copy.data();
  props.created = created; // also the zip entries' time: two exports of one scenario are the same bytes
  workbook_set_properties(wb, &props);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "MSEL");
  lxw_format* head = workbook_add_format(wb);
  format_set_bold(head);
  format_set_text_wrap(head);
  format_set_align(head, LXW_ALIGN_VERTICAL_TOP);
  format_set_bg_color(head, 0xD9E1F2);
  format_set_bottom(head, LXW_BORDER_THIN);
  lxw_format* body = workbook_add_format(wb);
  format_set_text_wrap(body);
  format_set_align(body, LXW_ALIGN_VERTICAL_TOP);

  std::string error;
  auto check = [&](lxw_error e, std::size_t r, std::size_t c) {
    if (e != LXW_NO_ERROR && error.empty())
      error = "cell " + column_letters(static_cast<int>(c) + 1) + std::to_string(r + 1) + ": " + lxw_strerror(e);
  };
  for (std::size_t c = 0; c < widths.size(); ++c)
    check(worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), widths[c], body), 0, c);
  for (std::size_t r = 0; r < rows.size(); ++r)
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      const Cell& cell = rows[r][c];
      if (cell.text.empty())
        continue;
      lxw_format* f = r == 0 ? head : body;
      const auto row = static_cast<lxw_row_t>(r);
      const auto col = static_cast<lxw_col_t>(c);
      if (cell.number)
        check(worksheet_write_number(ws, row, col, std::stod(cell.text), f), r, c);
      else
        check(worksheet_write_string(ws, row, col, cell.text.c_str(), f), r, c);
    }
  worksheet_freeze_panes(ws, 1, 0);
  if (!rows.empty() && !rows.front().empty())
    check(worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(rows.size() - 1),
                               static_cast<lxw_col_t>(rows.front().size() - 1)),
          0, 0);
  const lxw_error closed = workbook_close(wb);
  if (error.empty() && closed != LXW_NO_ERROR)
    error = std::string("cannot write the workbook: ") + lxw_strerror(closed);
  return error;
}

} // namespace cyberex::msel
