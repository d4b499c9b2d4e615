/* load_scenario(): reads the main file and its includes (depth first, each file's own sections before those of the
 * files it includes), then resolves and checks the whole scenario. Every problem of every file is reported. */
#include "loader.hpp"
#include "cyberex/scenario.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

namespace cyberex {
namespace {

/// FNV-1a 64, fed in pieces.
class Fnv1a64 {
public:
  void add(const char* data, std::size_t size)
  {
    for (std::size_t i = 0; i < size; ++i) {
      h_ ^= static_cast<unsigned char>(data[i]);
      h_ *= 0x100000001b3ull;
    }
  }
  std::string text() const
  {
    char out[32];
    std::snprintf(out, sizeof out, "fnv1a64:%016" PRIx64, h_);
    return out;
  }

private:
  std::uint64_t h_ = 0xcbf29ce484222325ull;
};

using scenario_impl::Context;
using scenario_impl::json;
namespace fs = std::filesystem;

std::string identity_of(const std::string& path)
{
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::path(path), ec);
  return ec ? fs::path(path).lexically_normal().string() : p.string();
}

class FileLoader {
public:
  FileLoader(Context& ctx, Scenario& s, scenario_impl::Extras& x) : ctx_(ctx), s_(s), x_(x) {}

  /// Loads `path` and what it includes; `parent`/`parent_ptr` locate the include that asked for it (-1 for main).
  /// `text`: the file's bytes when they are already in memory (the file itself is then not read). Returns false when
  /// the main file is unusable.
  bool load(const std::string& path, int parent, const std::string& parent_ptr, std::string* text = nullptr)
  {
    const std::string id = identity_of(path);
    for (std::size_t i = 0; i < stack_.size(); ++i)
      if (stack_[i].first == id) {
        std::string chain;
        for (std::size_t k = i; k < stack_.size(); ++k)
          chain += stack_[k].second + " -> ";
        ctx_.error(parent, parent_ptr, "scenario.include-cycle", "include cycle: " + chain + path);
        return false;
      }
    if (!seen_.insert(id).second) {
      ctx_.error(parent, parent_ptr, "scenario.include", scenario_impl::quote(path) + " is already included");
      return false;
    }
    Diagnostics read_diags;
    const json_source::Limits limits{ctx_.options.max_file_bytes, ctx_.options.max_depth};
    auto doc = text ? json_source::parse(path, std::move(*text), limits, read_diags)
                    : json_source::read(path, limits, read_diags);
    if (!doc) {
      // A file that is not valid JSON defines nothing: the references to what it seems to define are not reported
      // as dangling, only its syntax error is (docs/scenario-format.md, "Includes").
      const auto& items = read_diags.items();
      const bool unparsed = !items.empty() && std::all_of(items.begin(), items.end(), [](const Diagnostic& d) {
        return d.code.rfind("json.", 0) == 0; // read, but not valid JSON (syntax, duplicate key, encoding, depth)
      });
      if (parent >= 0 && unparsed) {
        std::ifstream in(path, std::ios::binary);
        std::string bytes;
        char buf[65536];
        while (in.read(buf, sizeof buf) || in.gcount() > 0)
          bytes.append(buf, static_cast<std::size_t>(in.gcount()));
        ctx_.recover_ids(bytes);
      }
      for (const Diagnostic& d : read_diags.items()) {
        // An include that cannot be opened is reported where it is included, so the planner sees which line.
        if (parent >= 0 && d.code == "file.unreadable")
          ctx_.error(parent, parent_ptr, "scenario.include",
                     "cannot include " + scenario_impl::quote(path) + ": " + d.message);
        else
          ctx_.add_located(d);
      }
      return false;
    }
    s_.sources.push_back({path, content_hash(doc->text)});
    const int file = static_cast<int>(ctx_.files.size());
    scenario_impl::SourceFile sf;
    sf.dir = fs::path(path).parent_path().string();
    sf.doc = std::move(*doc);
    ctx_.files.push_back(std::move(sf));
    ctx_.file_by_path[path] = file;
    const json& root = ctx_.files.back().doc.root;
    if (root.is_object())
      check_version(file, root, parent < 0);
    stack_.emplace_back(id, path);
    scenario_impl::read_sections(ctx_, file, parent < 0, s_, x_);
    if (root.is_object() && root.contains("include")) {
      const json& inc = root["include"];
      if (!inc.is_array()) {
        ctx_.error(file, "/include", "scenario.type",
                   "expected an array of file paths; got " + scenario_impl::describe(inc));
      } else {
        for (std::size_t i = 0; i < inc.size(); ++i) {
          const std::string ptr = "/include/" + std::to_string(i);
          std::string rel;
          if (!scenario_impl::read_string(ctx_, file, inc[i], ptr, rel))
            continue;
          const std::string dir = ctx_.files[static_cast<std::size_t>(file)].dir;
          const std::string child = (fs::path(dir) / rel).lexically_normal().string();
          load(child, file, ptr);
        }
      }
    }
    stack_.pop_back();
    return true;
  }

private:
  void check_version(int file, const json& root, bool main_file)
  {
    auto it = root.find("cyberex");
    if (it == root.end()) {
      if (main_file)
        ctx_.error(file, "", "scenario.missing-field",
                   "missing field 'cyberex': the format version, \"cyberex\": " +
                       std::to_string(SCENARIO_FORMAT_VERSION));
      return;
    }
    if (!it->is_number_integer()) {
      ctx_.error(file, "/cyberex", "scenario.type",
                 "expected the format version " + std::to_string(SCENARIO_FORMAT_VERSION) + "; got " +
                     scenario_impl::describe(*it));
      return;
    }
    if (it->get<std::int64_t>() != SCENARIO_FORMAT_VERSION)
      ctx_.error(file, "/cyberex", "scenario.version",
                 "unsupported format version " + it->dump() + "; this cyberex reads version " +
                     std::to_string(SCENARIO_FORMAT_VERSION));
  }

  Context& ctx_;
  Scenario& s_;
  scenario_impl::Extras& x_;
  std::vector<std::pair<std::string, std::string>> stack_; ///< (identity, path as shown)
  std::set<std::string> seen_;
};

} // namespace

namespace {

LoadResult load_main(const std::string& path, std::string* text, const LoadOptions& options)
{
  Context ctx(options);
  Scenario s;
  s.file = path;
  scenario_impl::Extras extras;
  FileLoader loader(ctx, s, extras);
  if (loader.load(path, -1, "", text) && !ctx.files.empty() && ctx.files.front().doc.root.is_object())
    scenario_impl::resolve(ctx, s, extras);
  LoadResult result;
  const bool failed = ctx.has_errors();
  result.diagnostics = ctx.finish();
  if (!failed)
    result.scenario = std::move(s);
  return result;
}

} // namespace

std::string content_hash(std::string_view bytes)
{
  Fnv1a64 h;
  h.add(bytes.data(), bytes.size());
  return h.text();
}

std::optional<std::string> file_hash(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return std::nullopt;
  Fnv1a64 h;
  char buf[65536];
  while (in) {
    in.read(buf, sizeof buf);
    h.add(buf, static_cast<std::size_t>(in.gcount()));
  }
  return h.text();
}

LoadResult load_scenario(const std::string& path, const LoadOptions& options)
{
  return load_main(path, nullptr, options);
}

LoadResult load_scenario_text(const std::string& path, std::string text, const LoadOptions& options)
{
  return load_main(path, &text, options);
}

} // namespace cyberex
