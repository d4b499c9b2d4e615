/* xlsx read with libzip (the package) and expat (its XML parts): only what an MSEL table needs — the workbook's
 * sheet list, its relationships, the shared strings and one worksheet's cell values. Formulas are read as their
 * cached values; styles are not read (a time typed as a clock is a number: the MSEL reader interprets it). */
#include "msel/sheet.hpp"

#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <functional>
#include <map>
#include <memory>

namespace cyberex::msel {
namespace {

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};

/// An XML part parsed by expat with element callbacks; a DOCTYPE (and so any entity definition) is refused.
class XmlPart {
public:
  using Attrs = const XML_Char**;
  std::function<void(const std::string& name, Attrs attrs)> on_start;
  std::function<void(const std::string& name)> on_end;
  std::function<void(const char* s, int len)> on_text;

  /// "" or the error, "line:col: message".
  std::string parse(std::string_view bytes)
  {
    std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> p(XML_ParserCreate("UTF-8"), XML_ParserFree);
    parser_ = p.get();
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(
        parser_,
        [](void* self, const XML_Char* name, const XML_Char** attrs) {
          auto* x = static_cast<XmlPart*>(self);
          if (x->on_start && x->stopped_.empty())
            x->on_start(local(name), attrs);
        },
        [](void* self, const XML_Char* name) {
          auto* x = static_cast<XmlPart*>(self);
          if (x->on_end && x->stopped_.empty())
            x->on_end(local(name));
        });
    XML_SetCharacterDataHandler(parser_, [](void* self, const XML_Char* s, int len) {
      auto* x = static_cast<XmlPart*>(self);
      if (x->on_text && x->stopped_.empty())
        x->on_text(s, len);
    });
    XML_SetStartDoctypeDeclHandler(parser_, [](void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
      static_cast<XmlPart*>(self)->stop("a DOCTYPE is not allowed in a workbook part");
    });
    const auto status = XML_Parse(parser_, bytes.data(), static_cast<int>(bytes.size()), XML_TRUE);
    if (!stopped_.empty())
      return stopped_where_ + stopped_;
    const std::string where = position();
    if (status != XML_STATUS_OK)
      return where + XML_ErrorString(XML_GetErrorCode(parser_));
    return "";
  }

  /// Stop parsing with `why` as the error (at the current position).
  void stop(std::string why)
  {
    if (stopped_.empty()) {
      stopped_where_ = position(); // inside a handler: where the element (or declaration) that stops it begins
      stopped_ = std::move(why);
      XML_StopParser(parser_, XML_FALSE);
    }
  }

  static const char* attr(Attrs attrs, const char* name)
  {
    for (int i = 0; attrs[i]; i += 2)
      if (std::strcmp(attrs[i], name) == 0)
        return attrs[i + 1];
    return nullptr;
  }
  /// An attribute by its local name, whatever its prefix ("r:id", "x:id").
  static const char* attr_local(Attrs attrs, const char* local_name)
  {
    for (int i = 0; attrs[i]; i += 2) {
      const char* colon = std::strchr(attrs[i], ':');
      if (colon && std::strcmp(colon + 1, local_name) == 0)
        return attrs[i + 1];
    }
    return nullptr;
  }

private:
  static std::string local(const XML_Char* name)
  {
    const char* colon = std::strchr(name, ':');
    return colon ? colon + 1 : name;
  }
  std::string position() const
  {
    return std::to_string(XML_GetCurrentLineNumber(parser_)) + ":" +
           std::to_string(XML_GetCurrentColumnNumber(parser_) + 1) + ": ";
  }
  XML_Parser parser_ = nullptr;
  std::string stopped_;
  std::string stopped_where_;
};

class XlsxReader {
public:
  XlsxReader(std::string_view bytes, const Limits& limits, SheetReport& report)
      : bytes_(bytes), limits_(limits), report_(report)
  {
  }

  Sheet read()
  {
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t* src = zip_source_buffer_create(bytes_.data(), bytes_.size(), 0, &ze);
    if (!src) {
      fail(std::string("cannot read the zip: ") + zip_error_strerror(&ze));
      zip_error_fini(&ze);
      return {};
    }
    zip_ = std::unique_ptr<zip_t, ZipCloser>(zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze));
    if (!zip_) {
      zip_source_free(src);
      fail(std::string("not an xlsx workbook: it is not a zip archive (") + zip_error_strerror(&ze) + ")");
      zip_error_fini(&ze);
      return {};
    }
    zip_error_fini(&ze);
    const std::string sheet_part = find_sheet();
    if (sheet_part.empty())
      return {};
    read_shared_strings();
    if (report_.has_errors())
      return {};
    return read_sheet(sheet_part);
  }

private:
  void fail(std::string message) { report_.error(0, 0, "msel.xlsx", std::move(message)); }

  /// The part's bytes; nullopt when it is missing (`required`: reported) or cannot be read (reported).
  std::optional<std::string> part(const std::string& name, bool required)
  {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(zip_.get(), name.c_str(), 0, &st) != 0) {
      if (required)
        fail("the workbook has no part " + name + ": not an xlsx workbook, or a damaged one");
      return std::nullopt;
    }
    const std::string limit = std::to_string(limits_.max_part_bytes);
    if ((st.valid & ZIP_STAT_SIZE) && st.size > limits_.max_part_bytes) {
      fail("part " + name + " unpacks to " + std::to_string(st.size) + " bytes, more than the limit of " + limit +
           " (a zip bomb?)");
      return std::nullopt;
    }
    zip_file_t* f = zip_fopen(zip_.get(), name.c_str(), 0);
    if (!f) {
      fail("cannot open part " + name + ": " + zip_strerror(zip_.get()));
      return std::nullopt;
    }
    std::string out;
    char buf[65536];
    for (;;) {
      const zip_int64_t n = zip_fread(f, buf, sizeof buf);
      if (n < 0) {
        fail("cannot unpack part " + name + ": " + zip_file_strerror(f));
        zip_fclose(f);
        return std::nullopt;
      }
      if (n == 0)
        break;
      if (out.size() + static_cast<std::uint64_t>(n) > limits_.max_part_bytes) {
        fail("part " + name + " unpacks to more than the limit of " + limit + " bytes (a zip bomb?)");
        zip_fclose(f);
        return std::nullopt;
      }
      out.append(buf, static_cast<std::size_t>(n));
    }
    zip_fclose(f);
    return out;
  }

  bool parse(const std::string& name, std::string_view bytes, XmlPart& x)
  {
    const std::string err = x.parse(bytes);
    if (err.empty())
      return true;
    report_.error(0, 0, "msel.xml", name + ":" + err);
    return false;
  }

  /// The worksheet part to read: "MSEL" if the workbook has one (any case), else its first sheet.
  std::string find_sheet()
  {
    const auto workbook = part("xl/workbook.xml", true);
    if (!workbook)
      return "";
    struct SheetEntry {
      std::string name, rid;
    };
    std::vector<SheetEntry> sheets;
    XmlPart wx;
    wx.on_start = [&](const std::string& n, XmlPart::Attrs a) {
      if (n != "sheet")
        return;
      const char* name = XmlPart::attr(a, "name");
      const char* rid = XmlPart::attr_local(a, "id");
      sheets.push_back({name ? name : "", rid ? rid : ""});
    };
    if (!parse("xl/workbook.xml", *workbook, wx))
      return "";
    if (sheets.empty()) {
      fail("xl/workbook.xml lists no sheet");
      return "";
    }
    const SheetEntry* chosen = &sheets.front();
    for (const auto& s : sheets) {
      std::string lower = s.name;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      if (lower == "msel") {
        chosen = &s;
        break;
      }
    }
    std::map<std::string, std::string> targets;
    if (const auto rels = part("xl/_rels/workbook.xml.rels", true)) {
      XmlPart rx;
      rx.on_start = [&](const std::string& n, XmlPart::Attrs a) {
        const char* id = XmlPart::attr(a, "Id");
        const char* target = XmlPart::attr(a, "Target");
        if (n == "Relationship" && id && target)
          targets[id] = target;
      };
      if (!parse("xl/_rels/workbook.xml.rels", *rels, rx))
        return "";
    } else {
      return "";
    }
    const auto t = targets.find(chosen->rid);
    if (t == targets.end()) {
      fail("sheet '" + chosen->name + "' of xl/workbook.xml has no relationship '" + chosen->rid +
           "' in xl/_rels/workbook.xml.rels");
      return "";
    }
    std::string path = t->second;
    path = path.starts_with('/') ? path.substr(1) : "xl/" + path;
    if (zip_name_locate(zip_.get(), path.c_str(), 0) < 0) {
      fail("sheet '" + chosen->name + "' (" + path + ") is missing from the workbook");
      return "";
    }
    return path;
  }

  void read_shared_strings()
  {
    const auto bytes = part("xl/sharedStrings.xml", false);
    if (!bytes)
      return;
    XmlPart x;
    int depth_rph = 0;
    bool in_t = false;
    bool in_si = false;
    bool too_long = false;
    x.on_start = [&](const std::string& n, XmlPart::Attrs) {
      if (n == "si") {
        if (strings_.size() >= limits_.max_shared_strings)
          x.stop("more than " + std::to_string(limits_.max_shared_strings) + " shared strings");
        strings_.emplace_back();
        in_si = true;
      } else if (n == "rPh") {
        ++depth_rph; // phonetic hints of East Asian text: not part of the value
      } else if (n == "t" && in_si && depth_rph == 0) {
        in_t = true;
      }
    };
    x.on_end = [&](const std::string& n) {
      if (n == "si")
        in_si = false;
      else if (n == "rPh")
        --depth_rph;
      else if (n == "t")
        in_t = false;
    };
    x.on_text = [&](const char* s, int len) {
      if (!in_t)
        return;
      auto& cur = strings_.back();
      if (cur.size() + static_cast<std::size_t>(len) > limits_.max_cell_chars * 4) {
        too_long = true; // reported where a cell uses it
        cur.assign(limits_.max_cell_chars * 4 + 1, 'x');
        return;
      }
      cur.append(s, static_cast<std::size_t>(len));
    };
    parse("xl/sharedStrings.xml", *bytes, x);
    (void)too_long;
  }

  static bool parse_ref(const char* ref, int& col, int& row)
  {
    col = 0;
    row = 0;
    const char* p = ref;
    while (*p >= 'A' && *p <= 'Z') {
      col = col * 26 + (*p - 'A' + 1);
      if (col > 100000)
        return false;
      ++p;
    }
    while (*p >= '0' && *p <= '9') {
      row = row * 10 + (*p - '0');
      if (row > 100000000)
        return false;
      ++p;
    }
    return *p == 0 && col > 0 && row > 0;
  }

  Sheet read_sheet(const std::string& name)
  {
    Sheet sheet;
    const auto bytes = part(name, true);
    if (!bytes)
      return sheet;
    XmlPart x;
    int row = 0, col = 0;
    std::string type;
    std::string value;
    bool in_value = false; // <v>, or <t> of an inline string
    bool in_is = false;
    bool has_value = false;
    x.on_start = [&](const std::string& n, XmlPart::Attrs a) {
      if (n == "row") {
        const char* r = XmlPart::attr(a, "r");
        row = r ? std::atoi(r) : row + 1;
        col = 0;
        if (row <= 0)
          x.stop(std::string("row number '") + (r ? r : "") + "' is not a positive number");
        else if (static_cast<std::size_t>(row) > limits_.max_rows)
          x.stop("the sheet has more than " + std::to_string(limits_.max_rows) + " rows (row " + std::to_string(row) +
                 ")");
      } else if (n == "c") {
        const char* r = XmlPart::attr(a, "r");
        int rr = row;
        if (r) {
          if (!parse_ref(r, col, rr)) {
            x.stop(std::string("cell reference '") + r + "' is not a column and row such as B7");
            return;
          }
        } else {
          ++col;
        }
        if (rr != row && row != 0) {
          x.stop(std::string("cell ") + r + " is not in its row " + std::to_string(row));
          return;
        }
        row = rr;
        if (static_cast<std::size_t>(row) > limits_.max_rows) {
          x.stop("the sheet has more than " + std::to_string(limits_.max_rows) + " rows (row " + std::to_string(row) +
                 ")");
          return;
        }
        if (static_cast<std::size_t>(col) > limits_.max_columns) {
          x.stop("cell " + std::string(r ? r : "") + " is past the last column " + column_letters(limits_.max_columns));
          return;
        }
        const char* t = XmlPart::attr(a, "t");
        type = t ? t : "n";
        value.clear();
        has_value = false;
      } else if (n == "v") {
        in_value = true;
        has_value = true;
      } else if (n == "is") {
        in_is = true;
        has_value = true;
      } else if (n == "t" && in_is) {
        in_value = true;
      }
    };
    x.on_text = [&](const char* s, int len) {
      if (in_value && value.size() <= limits_.max_cell_chars * 4)
        value.append(s, static_cast<std::size_t>(std::min<std::size_t>(len, limits_.max_cell_chars * 4 + 1)));
    };
    x.on_end = [&](const std::string& n) {
      if (n == "v" || n == "t") {
        in_value = false;
      } else if (n == "is") {
        in_is = false;
      } else if (n == "c") {
        if (has_value)
          store(sheet, row, col, type, std::move(value));
        value.clear();
      }
    };
    parse(name, *bytes, x);
    for (auto& r : sheet.rows)
      while (!r.empty() && r.back().text.empty())
        r.pop_back();
    return sheet;
  }

  void store(Sheet& sheet, int row, int col, const std::string& type, std::string value)
  {
    Cell cell;
    if (type == "s") {
      char* end = nullptr;
      const unsigned long k = std::strtoul(value.c_str(), &end, 10);
      if (value.empty() || *end || k >= strings_.size()) {
        report_.error(row, col, "msel.xlsx",
                      "shared string index '" + value + "' is out of range: the workbook has " +
                          std::to_string(strings_.size()) + " shared strings");
        return;
      }
      cell.text = strings_[k];
    } else if (type == "b") {
      cell.text = value == "1" ? "true" : "false";
    } else if (type == "n") {
      cell.text = std::move(value);
      cell.number = true;
    } else { // inlineStr, str (a formula's text), e (an error value such as #N/A), d (an ISO date)
      cell.text = std::move(value);
    }
    const auto len = utf8_length(cell.text);
    if (len && *len > limits_.max_cell_chars) {
      report_.error(row, col, "msel.huge-cell",
                    "the cell holds more than " + std::to_string(limits_.max_cell_chars) + " characters, the limit");
      return;
    }
    if (sheet.rows.size() < static_cast<std::size_t>(row))
      sheet.rows.resize(static_cast<std::size_t>(row));
    auto& r = sheet.rows[static_cast<std::size_t>(row) - 1];
    if (r.size() < static_cast<std::size_t>(col))
      r.resize(static_cast<std::size_t>(col));
    r[static_cast<std::size_t>(col) - 1] = std::move(cell);
  }

  std::string_view bytes_;
  const Limits& limits_;
  SheetReport& report_;
  std::unique_ptr<zip_t, ZipCloser> zip_;
  std::vector<std::string> strings_;
};

} // namespace

Sheet read_xlsx(std::string_view bytes, const Limits& limits, SheetReport& report)
{
  return XlsxReader(bytes, limits, report).read();
}

} // namespace cyberex::msel
