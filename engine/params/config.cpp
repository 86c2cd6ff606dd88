#include "engine/params/config.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

namespace ptmc {

namespace {

constexpr std::size_t max_points = 100000;
constexpr std::int64_t max_ladder = 4096;

const std::vector<ParamSpec>& tempering_specs() {
  static const std::vector<ParamSpec> specs = {
      {.key = "beta", .type = ParamType::real, .fallback = {}, .help =
           "inverse temperatures: a list (inf = T = 0) or { min, max, count, spacing = \"geometric\"|\"linear\" }",
       .min = 0, .required = true, .sweepable = false},
      {.key = "replicas", .type = ParamType::integer, .fallback = std::int64_t{2},
       .help = "independent PT chains per temperature sharing the disorder (>= 2 gives overlaps q)",
       .min = 1, .max = 1024, .sweepable = false},
      {.key = "swap_every", .type = ParamType::integer, .fallback = std::int64_t{1},
       .help = "sweeps between rounds of neighbour temperature swaps (0 = never swap)", .min = 0,
       .max = 1e12, .sweepable = false},
      {.key = "swaps", .type = ParamType::choice, .fallback = std::string_view{"sequential"},
       .help = "which neighbour pairs a swap round attempts: sequential (every pair, hot to cold) or deo "
               "(deterministic even/odd: even pairs on even rounds, odd pairs on odd rounds; non-reversible)",
       .choices = {"sequential", "deo"}, .sweepable = false},
  };
  return specs;
}

const std::vector<ParamSpec>& run_specs() {
  static const std::vector<ParamSpec> specs = {
      {.key = "dynamics", .type = ParamType::choice, .fallback = std::string_view{"metropolis"},
       .help = "single-spin-flip acceptance rule", .choices = {"metropolis", "heat_bath"}, .sweepable = false},
      {.key = "order", .type = ParamType::choice, .fallback = std::string_view{"random"},
       .help = "site order within a sweep of N attempted flips", .choices = {"random", "sequential"},
       .sweepable = false},
      {.key = "sweeps", .type = ParamType::integer, .fallback = std::int64_t{10000},
       .help = "measurement sweeps after thermalization", .min = 1, .max = 1e12, .sweepable = false},
      {.key = "thermalization", .type = ParamType::integer, .fallback = std::int64_t{1000},
       .help = "sweeps discarded before measuring", .min = 0, .max = 1e12, .sweepable = false},
      {.key = "measure_every", .type = ParamType::integer, .fallback = std::int64_t{1},
       .help = "sweeps between measurements", .min = 1, .max = 1e12, .sweepable = false},
      {.key = "samples", .type = ParamType::integer, .fallback = std::int64_t{1},
       .help = "disorder samples per sweep point", .min = 1, .max = 1e6, .sweepable = false},
      {.key = "seed", .type = ParamType::integer, .fallback = std::int64_t{1},
       .help = "master seed; every random stream derives from it", .min = 0, .sweepable = false},
      {.key = "ranks_per_task", .type = ParamType::integer, .fallback = std::int64_t{0},
       .help = "MPI ranks that run one task together, dividing its walkers or (split) its patterns (0 = automatic)",
       .min = 0, .max = 65536, .sweepable = false},
      {.key = "split", .type = ParamType::choice, .fallback = std::string_view{"walkers"},
       .help = "what a task group's ranks divide: its walkers (replicas x temperatures), or the patterns of "
               "every walker (dense_hebbian storage at high load; exact, one small allreduce per flip)",
       .choices = {"walkers", "patterns"}, .sweepable = false},
      {.key = "min_round_trips", .type = ParamType::integer, .fallback = std::int64_t{1},
       .help = "equilibration check: round trips (hot -> cold -> hot) every replica must make", .min = 0,
       .max = 1e9, .sweepable = false},
      {.key = "auto_extend", .type = ParamType::boolean, .fallback = false,
       .help = "keep sweeping (doubling the measured sweeps) until the equilibration check passes", .sweepable = false},
      {.key = "max_sweeps", .type = ParamType::integer, .fallback = std::int64_t{0},
       .help = "auto_extend budget: most sweeps in all, thermalization included (0 = 16 x the scheduled)",
       .min = 0, .max = 1e13, .sweepable = false},
  };
  return specs;
}

const std::vector<ParamSpec>& output_specs() {
  static const std::vector<ParamSpec> specs = {
      {.key = "file", .type = ParamType::text, .fallback = {}, .help =
           "HDF5 output (default: out/<parameter file stem>.h5; -o overrides)", .sweepable = false},
      {.key = "flush_seconds", .type = ParamType::real, .fallback = 30.0,
       .help = "longest time between writes of the time series to disk", .min = 0, .max = 1e9,
       .min_open = true, .sweepable = false},
      {.key = "checkpoint_seconds", .type = ParamType::real, .fallback = 600.0,
       .help = "time between checkpoints of running tasks (also taken at SIGTERM/SIGINT and --max-time)",
       .min = 0, .max = 1e9, .min_open = true, .sweepable = false},
      {.key = "vector_every", .type = ParamType::integer, .fallback = std::int64_t{0},
       .help = "stride, in measurements, of per-pattern vectors (0 = never)", .min = 0, .max = 1e12,
       .sweepable = false},
      {.key = "histogram_bins", .type = ParamType::integer, .fallback = std::int64_t{0},
       .help = "bins of the P(q) histogram on [-1, 1] (0 = one per overlap value, N + 1)", .min = 0,
       .max = 1e6, .sweepable = false},
      {.key = "series", .type = ParamType::choice, .fallback = std::string_view{"bins"},
       .help = "how the scalar time series are stored: bins (means of 2^k measurements, built while the run "
               "goes, at most max_bins per series and temperature) or all (every measurement)",
       .choices = {"bins", "all"}, .sweepable = false},
      {.key = "max_bins", .type = ParamType::integer, .fallback = std::int64_t{256},
       .help = "series = bins: most bins kept per series and temperature; adjacent pairs merge when one more "
               "would exceed it (even; the summary's binning and equilibration check need 64 or more)",
       .min = 128, .max = 1 << 24, .sweepable = false},
  };
  return specs;
}

// toml++ builds one table per dotted-key segment and per [a.b.c] header part without a depth
// limit, and builds and destroys them recursively, so `a.a.a. ... = 1` with 40 000 parts overflows
// the stack. This scan bounds the nesting of the text before the parser sees it: header parts, key
// parts, inline tables and arrays, added up along each path. It lexes strings, comments and the
// key/value positions of TOML; on text it does not understand it carries on (the parser then reports
// the syntax error, having seen only text the scan has bounded).
constexpr int max_nesting = 64;

void check_nesting(const std::string& text, const std::string& path) {
  struct Frame {
    bool table;  // inline table (keys, then values) or array (values)
    int level;
  };
  std::vector<Frame> stack;  // inline tables and arrays open at this point
  int header_level = 0;      // depth of the last [header] or [[header]]
  bool key_pos = true;       // reading a key (up to '=') rather than a value
  bool line_start = true;    // at the start of a statement: a header may follow
  int key_parts = 1;         // parts of the key read so far
  int value_level = 0;       // depth of the value being read
  int line = 1;
  std::size_t line_begin = 0;
  const std::size_t n = text.size();
  std::size_t i = 0;
  auto fail = [&](std::size_t at, int depth) {
    throw ParamError(SourcePos{path, line, static_cast<int>(at - line_begin) + 1}, "",
                     fmt::format("nesting too deep: {} levels of tables, dotted keys, inline tables and arrays "
                                 "here, expected at most {} (ptmc's own keys nest at most 5 deep)",
                                 depth, max_nesting));
  };
  auto newline = [&](std::size_t at) {
    ++line;
    line_begin = at + 1;
  };
  auto container_level = [&] { return stack.empty() ? header_level : stack.back().level; };
  // Skips a string starting at text[i] (a quote); i ends just past it.
  auto skip_string = [&] {
    const char q = text[i];
    const bool basic = q == '"';
    if (i + 2 < n && text[i + 1] == q && text[i + 2] == q) {  // multi-line
      i += 3;
      while (i < n) {
        if (basic && text[i] == '\\') {
          if (i + 1 < n && text[i + 1] == '\n') newline(i + 1);
          i += 2;
          continue;
        }
        if (text[i] == '\n') newline(i);
        if (text[i] == q && i + 2 < n && text[i + 1] == q && text[i + 2] == q) {
          i += 3;
          for (int extra = 0; extra < 2 && i < n && text[i] == q; ++extra) ++i;  // """a"""" ends in a quote
          return;
        }
        ++i;
      }
      return;
    }
    ++i;
    while (i < n && text[i] != '\n') {
      if (basic && text[i] == '\\') {
        i += 2;
        continue;
      }
      if (text[i++] == q) return;
    }
  };
  while (i < n) {
    const char c = text[i];
    if (c == '#') {
      while (i < n && text[i] != '\n') ++i;
      continue;
    }
    if (c == '\n') {
      newline(i);
      ++i;
      if (stack.empty()) {
        line_start = key_pos = true;
        key_parts = 1;
      }
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    if (line_start && stack.empty() && c == '[') {  // [header] or [[header]]
      const std::size_t at = i;
      int parts = 1;
      ++i;
      const bool array = i < n && text[i] == '[';
      if (array) ++i;
      while (i < n && text[i] != ']' && text[i] != '\n') {
        if (text[i] == '"' || text[i] == '\'') {
          skip_string();
          continue;
        }
        if (text[i] == '.' && ++parts + (array ? 1 : 0) > max_nesting) fail(at, parts + (array ? 1 : 0));
        ++i;
      }
      header_level = parts + (array ? 1 : 0);
      line_start = false;
      key_pos = false;  // the rest of the line is a comment or junk
      continue;
    }
    line_start = false;
    if (c == '"' || c == '\'') {
      skip_string();
      continue;
    }
    if (key_pos) {
      if (c == '.') {
        if (container_level() + ++key_parts > max_nesting) fail(i, container_level() + key_parts);
      } else if (c == '=') {
        value_level = container_level() + key_parts;
        key_pos = false;
      } else if (c == '}' && !stack.empty()) {  // {} or a trailing comma
        stack.pop_back();
        key_pos = false;
      }
      ++i;
      continue;
    }
    // A value.
    if (c == '{' || c == '[') {
      const int level = value_level + 1;
      if (level > max_nesting) fail(i, level);
      stack.push_back({c == '{', level});
      key_pos = c == '{';
      key_parts = 1;
      value_level = level;
    } else if ((c == '}' || c == ']') && !stack.empty()) {
      stack.pop_back();
      value_level = container_level();
    } else if (c == ',' && !stack.empty()) {
      key_pos = stack.back().table;
      key_parts = 1;
      value_level = stack.back().level;
    }
    ++i;
  }
}

SourcePos pos_of(const toml::node& n, const std::string& path) {
  const auto& b = n.source().begin;
  return SourcePos{path, static_cast<int>(b.line), static_cast<int>(b.column)};
}

std::string section_key(std::string_view section, std::string_view key) { return fmt::format("[{}] {}", section, key); }

std::string known_keys(std::span<const ParamSpec> specs) {
  std::string out;
  for (const auto& s : specs) out += fmt::format("{}{}", out.empty() ? "" : ", ", s.key);
  return out;
}

// Converts a TOML scalar (or inline table of scalars) into a ParamValue.
ParamValue to_value(const toml::node& n, const std::string& path, std::string_view section, std::string_view key) {
  ParamValue v;
  v.pos = pos_of(n, path);
  if (auto i = n.value_exact<std::int64_t>()) v.scalar = *i;
  else if (auto d = n.value_exact<double>()) v.scalar = *d;
  else if (auto b = n.value_exact<bool>()) v.scalar = *b;
  else if (auto s = n.value_exact<std::string>()) v.scalar = *s;
  else if (const auto* t = n.as_table()) {
    v.is_table = true;
    for (const auto& [k, sub] : *t) {
      ParamValue inner = to_value(sub, path, section, fmt::format("{}.{}", key, k.str()));
      if (inner.is_table)
        throw ParamError(inner.pos, section_key(section, key), "nested tables are not allowed here");
      v.table.emplace_back(std::string(k.str()), inner.scalar);
    }
  } else {
    throw ParamError(v.pos, section_key(section, key),
                     "expected a number, boolean, string or inline table (dates and nested arrays are not parameters)");
  }
  return v;
}

double number_of(const toml::node& n, const std::string& path, std::string_view section, std::string_view key) {
  if (auto i = n.value_exact<std::int64_t>()) return static_cast<double>(*i);
  if (auto d = n.value_exact<double>()) return *d;
  throw ParamError(pos_of(n, path), section_key(section, key), "expected a number");
}

// A { min, max, count | step, spacing } table expanded into a list of numbers.
std::vector<double> expand_range(const toml::table& t, const std::string& path, std::string_view section,
                                 std::string_view key, bool allow_step) {
  const SourcePos where = pos_of(t, path);
  double lo = NAN, hi = NAN, step = NAN;
  std::int64_t count = -1;
  std::string spacing = "linear";
  for (const auto& [k, n] : t) {
    const std::string name(k.str());
    const std::string full = fmt::format("{}.{}", key, name);
    if (name == "min") lo = number_of(n, path, section, full);
    else if (name == "max") hi = number_of(n, path, section, full);
    else if (name == "count") {
      auto c = n.value_exact<std::int64_t>();
      if (!c || *c < 1 || *c > max_ladder)
        throw ParamError(pos_of(n, path), section_key(section, full), fmt::format("expected an integer in [1, {}]", max_ladder));
      count = *c;
    } else if (name == "step" && allow_step) step = number_of(n, path, section, full);
    else if (name == "spacing") {
      auto s = n.value_exact<std::string>();
      if (!s || (*s != "linear" && *s != "geometric"))
        throw ParamError(pos_of(n, path), section_key(section, full), "expected \"linear\" or \"geometric\"");
      spacing = *s;
    } else {
      throw ParamError(pos_of(n, path), section_key(section, full),
                       fmt::format("unknown key in a range: expected min, max, {}spacing", allow_step ? "count or step, " : "count, "));
    }
  }
  if (std::isnan(lo) || std::isnan(hi))
    throw ParamError(where, section_key(section, key), "a range needs both min and max");
  if (!std::isfinite(lo) || !std::isfinite(hi) || hi < lo)
    throw ParamError(where, section_key(section, key), "a range needs finite min <= max");
  if (!std::isnan(step)) {
    if (count >= 0) throw ParamError(where, section_key(section, key), "give count or step, not both");
    if (!(step > 0)) throw ParamError(where, section_key(section, key), "step must be > 0");
    const double c = std::floor((hi - lo) / step * (1 + 1e-12)) + 1;
    if (c > static_cast<double>(max_ladder))
      throw ParamError(where, section_key(section, key), fmt::format("range has more than {} values", max_ladder));
    count = static_cast<std::int64_t>(c);
    if (spacing == "geometric") throw ParamError(where, section_key(section, key), "step and geometric spacing do not mix");
    std::vector<double> out;
    for (std::int64_t i = 0; i < count; ++i) out.push_back(lo + static_cast<double>(i) * step);
    return out;
  }
  if (count < 0) throw ParamError(where, section_key(section, key), "a range needs count (or step)");
  if (count == 1 && lo != hi)
    throw ParamError(where, section_key(section, key), "count = 1 needs min == max");
  if (spacing == "geometric" && !(lo > 0))
    throw ParamError(where, section_key(section, key), "geometric spacing needs min > 0");
  std::vector<double> out;
  for (std::int64_t i = 0; i < count; ++i) {
    const double f = count == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(count - 1);
    out.push_back(spacing == "geometric" ? lo * std::pow(hi / lo, f) : lo + f * (hi - lo));
  }
  out.back() = hi;
  return out;
}

// Reads a non-sweep section into ParamReader entries, refusing unknown keys and arrays.
ParamReader::Entries section_entries(const toml::table* t, std::span<const ParamSpec> specs, const std::string& path,
                                     std::string_view section, std::initializer_list<std::string_view> skip = {}) {
  ParamReader::Entries out;
  if (!t) return out;
  for (const auto& [k, n] : *t) {
    const std::string key(k.str());
    if (std::find(skip.begin(), skip.end(), key) != skip.end()) continue;
    const bool known = std::any_of(specs.begin(), specs.end(), [&](const ParamSpec& s) { return s.key == key; });
    if (!known)
      throw ParamError(pos_of(n, path), section_key(section, key),
                       fmt::format("unknown key: [{}] accepts {}", section, known_keys(specs)));
    if (n.is_array())
      throw ParamError(pos_of(n, path), section_key(section, key), "cannot be swept (a list is not allowed here)");
    out.emplace_back(key, to_value(n, path, section, key));
  }
  return out;
}

SourcePos section_pos(const toml::table* t, const std::string& path) {
  return t ? pos_of(*t, path) : SourcePos{path, 0, 0};
}

std::vector<double> parse_ladder(const toml::table* tempering, const std::string& path) {
  const toml::node* n = tempering ? tempering->get("beta") : nullptr;
  if (!n)
    throw ParamError(section_pos(tempering, path), "[tempering] beta",
                     "is required: a list of inverse temperatures or { min, max, count, spacing }");
  std::vector<double> beta;
  if (const auto* a = n->as_array()) {
    for (const auto& e : *a) {
      if (!e.is_number())
        throw ParamError(pos_of(e, path), "[tempering] beta", "expected numbers (use inf for zero temperature)");
      beta.push_back(number_of(e, path, "tempering", "beta"));
    }
    if (beta.empty()) throw ParamError(pos_of(*n, path), "[tempering] beta", "the list is empty");
    if (static_cast<std::int64_t>(beta.size()) > max_ladder)
      throw ParamError(pos_of(*n, path), "[tempering] beta", fmt::format("more than {} temperatures", max_ladder));
  } else if (const auto* t = n->as_table()) {
    beta = expand_range(*t, path, "tempering", "beta", false);
  } else if (n->is_number()) {
    beta.push_back(number_of(*n, path, "tempering", "beta"));
  } else {
    throw ParamError(pos_of(*n, path), "[tempering] beta", "expected a list of numbers or { min, max, count, spacing }");
  }
  for (double b : beta)
    if (std::isnan(b) || b < 0)
      throw ParamError(pos_of(*n, path), "[tempering] beta", "every beta must be >= 0 (inf allowed)");
  std::sort(beta.begin(), beta.end());
  if (std::adjacent_find(beta.begin(), beta.end()) != beta.end())
    throw ParamError(pos_of(*n, path), "[tempering] beta", "temperatures must be distinct");
  return beta;
}

}  // namespace

std::span<const ParamSpec> tempering_params() { return tempering_specs(); }
std::span<const ParamSpec> run_params() { return run_specs(); }
std::span<const ParamSpec> output_params() { return output_specs(); }

const std::vector<double>& Config::beta_of(std::size_t point) const {
  if (point < tempering.point_beta.size() && !tempering.point_beta[point].empty()) return tempering.point_beta[point];
  return tempering.beta;
}

ParamReader Config::point_reader(std::size_t point) const {
  return ParamReader(model_params, points.at(point).values, model_pos, "model");
}

Config parse_config_file(const std::string& path, std::span<const ModelSchema> models) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ParamError(SourcePos{path, 0, 0}, "", "cannot open the parameter file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_config_text(ss.str(), path, models);
}

Config parse_config_text(const std::string& text, const std::string& path, std::span<const ModelSchema> models) {
  check_nesting(text, path);
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    throw ParamError(SourcePos{path, static_cast<int>(b.line), static_cast<int>(b.column)}, "",
                     fmt::format("invalid TOML: {}", e.description()));
  }
  Config cfg;
  cfg.path = path;
  cfg.text = text;

  static constexpr std::string_view sections[] = {"model", "tempering", "run", "output"};
  for (const auto& [k, n] : root) {
    const std::string key(k.str());
    if (std::find(std::begin(sections), std::end(sections), key) == std::end(sections))
      throw ParamError(pos_of(n, path), key, "unknown section: expected [model], [tempering], [run] or [output]");
    if (!n.is_table()) throw ParamError(pos_of(n, path), key, fmt::format("expected a section [{}]", key));
  }

  // [model]: name first, then the model's own keys, any of which may be swept.
  const toml::table* model = root["model"].as_table();
  if (!model) throw ParamError(SourcePos{path, 1, 1}, "[model]", "the file needs a [model] section with a name");
  cfg.model_pos = pos_of(*model, path);
  std::string known_models;
  for (const auto& m : models) known_models += fmt::format("{}{}", known_models.empty() ? "" : ", ", m.name);
  const toml::node* name = model->get("name");
  if (!name || !name->is_string())
    throw ParamError(name ? pos_of(*name, path) : cfg.model_pos, "[model] name",
                     fmt::format("expected a model name, one of: {}", known_models));
  cfg.model_name = *name->value<std::string>();
  const ModelSchema* schema = nullptr;
  for (const auto& m : models)
    if (m.name == cfg.model_name) schema = &m;
  if (!schema)
    throw ParamError(pos_of(*name, path), "[model] name",
                     fmt::format("unknown model \"{}\": known models are {}", cfg.model_name, known_models));
  cfg.model_params = schema->params;

  struct Axis {
    std::string key;
    std::vector<ParamValue> values;
    SourcePos pos;
  };
  std::vector<Axis> axes;
  for (const auto& [k, n] : *model) {
    const std::string key(k.str());
    if (key == "name") continue;
    auto spec = std::find_if(schema->params.begin(), schema->params.end(), [&](const ParamSpec& s) { return s.key == key; });
    if (spec == schema->params.end())
      throw ParamError(pos_of(n, path), section_key("model", key),
                       fmt::format("unknown key for model \"{}\": it accepts {}", cfg.model_name, known_keys(schema->params)));
    Axis axis{key, {}, pos_of(n, path)};
    const bool numeric = spec->type == ParamType::integer || spec->type == ParamType::real;
    if (const auto* a = n.as_array()) {
      if (!spec->sweepable) throw ParamError(axis.pos, section_key("model", key), "cannot be swept (give one value)");
      for (const auto& e : *a) axis.values.push_back(to_value(e, path, "model", key));
      if (axis.values.empty()) throw ParamError(axis.pos, section_key("model", key), "the list of values is empty");
    } else if (const auto* t = n.as_table(); t && numeric) {
      if (!spec->sweepable) throw ParamError(axis.pos, section_key("model", key), "cannot be swept (give one value)");
      for (double x : expand_range(*t, path, "model", key, true)) {
        ParamValue v;
        v.pos = axis.pos;
        if (spec->type == ParamType::integer) {
          if (std::abs(x) > 9e15) throw ParamError(axis.pos, section_key("model", key), "range values too large");
          v.scalar = static_cast<std::int64_t>(std::llround(x));
        } else {
          v.scalar = x;
        }
        axis.values.push_back(v);
      }
    } else {
      axis.values.push_back(to_value(n, path, "model", key));
    }
    axes.push_back(std::move(axis));
  }
  // File order (line, column), so the first key written is the outermost loop of the sweep.
  std::sort(axes.begin(), axes.end(), [](const Axis& a, const Axis& b) {
    return std::tie(a.pos.line, a.pos.column) < std::tie(b.pos.line, b.pos.column);
  });
  std::size_t total = 1;
  for (const auto& a : axes) {
    if (a.values.size() > 1) cfg.swept_keys.push_back(a.key);
    total *= a.values.size();
    if (total > max_points)
      throw ParamError(a.pos, section_key("model", a.key), fmt::format("the sweep has more than {} points", max_points));
  }
  for (std::size_t p = 0; p < total; ++p) {
    SweepPoint point{p, {}};
    std::size_t rest = p;
    for (std::size_t j = axes.size(); j-- > 0;) {
      const auto& a = axes[j];
      point.values.emplace_back(a.key, a.values[rest % a.values.size()]);
      rest /= a.values.size();
    }
    std::reverse(point.values.begin(), point.values.end());
    cfg.points.push_back(std::move(point));
  }
  for (std::size_t p = 0; p < cfg.points.size(); ++p) schema->validate(cfg.point_reader(p));

  // [tempering]
  const toml::table* tempering = root["tempering"].as_table();
  cfg.tempering.beta = parse_ladder(tempering, path);
  {
    cfg.tempering.point_beta.assign(cfg.points.size(), {});
    if (const toml::node* ladders = tempering ? tempering->get("ladder") : nullptr) {
      const toml::array* list = ladders->as_array();
      if (!list || !list->is_array_of_tables())
        throw ParamError(pos_of(*ladders, path), "[tempering] ladder",
                         "expected [[tempering.ladder]] tables with point = <index> and beta = [...]");
      for (const auto& node : *list) {
        const toml::table& t = *node.as_table();
        for (const auto& [k, v] : t)
          if (k.str() != "point" && k.str() != "beta")
            throw ParamError(pos_of(v, path), fmt::format("[[tempering.ladder]] {}", k.str()),
                             "unknown key: a ladder table has point and beta");
        const auto point = t["point"].value_exact<std::int64_t>();
        if (!point || *point < 0 || static_cast<std::size_t>(*point) >= cfg.points.size())
          throw ParamError(pos_of(t, path), "[[tempering.ladder]] point",
                           fmt::format("expected a sweep point index in [0, {}]", cfg.points.size() - 1));
        cfg.tempering.point_beta[static_cast<std::size_t>(*point)] = parse_ladder(&t, path);
      }
    }
    ParamReader r(tempering_specs(), section_entries(tempering, tempering_specs(), path, "tempering", {"beta", "ladder"}),
                  section_pos(tempering, path), "tempering");
    cfg.tempering.replicas = static_cast<int>(r.integer("replicas"));
    cfg.tempering.swap_every = r.integer("swap_every");
    cfg.tempering.swaps = r.text("swaps") == "deo" ? SwapScheme::deo : SwapScheme::sequential;
  }
  // [run]
  {
    const toml::table* run = root["run"].as_table();
    ParamReader r(run_specs(), section_entries(run, run_specs(), path, "run"), section_pos(run, path), "run");
    cfg.run.dynamics = r.text("dynamics") == "heat_bath" ? Dynamics::heat_bath : Dynamics::metropolis;
    cfg.run.order = r.text("order") == "sequential" ? SweepOrder::sequential : SweepOrder::random;
    cfg.run.sweeps = r.integer("sweeps");
    cfg.run.thermalization = r.integer("thermalization");
    cfg.run.measure_every = r.integer("measure_every");
    cfg.run.samples = r.integer("samples");
    cfg.run.seed = static_cast<std::uint64_t>(r.integer("seed"));
    cfg.run.min_round_trips = r.integer("min_round_trips");
    cfg.run.ranks_per_task = static_cast<int>(r.integer("ranks_per_task"));
    cfg.run.split = r.text("split") == "patterns" ? GroupSplit::patterns : GroupSplit::walkers;
    cfg.run.auto_extend = r.boolean("auto_extend");
    cfg.run.max_sweeps = r.integer("max_sweeps");
    if (cfg.run.max_sweeps == 0) cfg.run.max_sweeps = 16 * (cfg.run.sweeps + cfg.run.thermalization);
    if (cfg.run.max_sweeps < cfg.run.sweeps + cfg.run.thermalization)
      r.fail("max_sweeps", "is smaller than thermalization + sweeps");
    if (cfg.run.measure_every > cfg.run.sweeps)
      r.fail("measure_every", fmt::format("is larger than sweeps = {}: nothing would be measured", cfg.run.sweeps));
  }
  // [output]
  {
    const toml::table* output = root["output"].as_table();
    ParamReader r(output_specs(), section_entries(output, output_specs(), path, "output"), section_pos(output, path),
                  "output");
    cfg.output.file = r.has("file") ? r.text("file")
                                    : (std::filesystem::path("out") / std::filesystem::path(path).stem()).string() + ".h5";
    if (cfg.output.file.empty()) r.fail("file", "must not be empty");
    cfg.output.flush_seconds = r.real("flush_seconds");
    cfg.output.checkpoint_seconds = r.real("checkpoint_seconds");
    cfg.output.vector_every = r.integer("vector_every");
    cfg.output.histogram_bins = r.integer("histogram_bins");
    cfg.output.series = r.text("series") == "all" ? SeriesStorage::all : SeriesStorage::bins;
    cfg.output.max_bins = r.integer("max_bins");
    if (cfg.output.max_bins % 2 != 0) r.fail("max_bins", fmt::format("value {} is odd: expected an even number", cfg.output.max_bins));
  }
  return cfg;
}

}  // namespace ptmc
