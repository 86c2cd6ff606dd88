#include <filesystem>

#include "analysis/theory.hpp"
#include "engine/io/output.hpp"
#include "engine/io/summary.hpp"
#include "engine/model_entry.hpp"

namespace ptmc::theory {

void write_theory_file(const Config& cfg, const ModelEntry& model, const std::string& output) {
  const auto parent = std::filesystem::path(output).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  OutputFile out(output, h5::Mode::create);
  out.write_header(cfg, "theory");
  for (std::size_t p = 0; p < cfg.points.size(); ++p) {
    const ParamReader reader = cfg.point_reader(p);
    out.write_point(cfg, p, model.attributes(reader));
    const Curves c = model.theory(reader, cfg.beta_of(p));
    PointSummary s;
    s.has_errors = false;
    s.names = c.names;
    for (const auto& v : c.values) s.columns.push_back(ColumnStat{v, {}, {}});
    h5::Handle g = h5::open_group(out.handle(), point_group(p));
    write_point_summary(g, s);
  }
  out.mark_end();
}

}  // namespace ptmc::theory
