// A TaskRecorder that keeps every measurement in memory, for tests that run a Simulation directly
// and compare its averages (with binning error bars) against exact values.
#pragma once
#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/task.hpp"
#include "observables/binning.hpp"

namespace ptmc::testing {

class MemoryRecorder final : public TaskRecorder {
 public:
  void begin(const TaskId&, const SeriesLayout& layout) override {
    layout_ = layout;
    rows_.clear();
    walks_.clear();
  }
  void resume(const TaskId&, const SeriesLayout& layout, std::int64_t measurements, std::int64_t) override {
    layout_ = layout;
    rows_.resize(static_cast<std::size_t>(measurements));
    walks_.resize(static_cast<std::size_t>(measurements));
  }
  void flush() override {}
  void record(std::span<const double> scalars, std::span<const std::int32_t> walk) override {
    rows_.emplace_back(scalars.begin(), scalars.end());
    walks_.emplace_back(walk.begin(), walk.end());
  }
  void record_vectors(std::int64_t, std::span<const double>) override {}
  void progress(std::int64_t, std::int64_t) override {}
  void finish(const TaskFinal& f) override { final_ = f; }

  // Time series of observable `name` at temperature index t.
  std::vector<double> series(const std::string& name, int t) const {
    const auto it = std::find(layout_.names.begin(), layout_.names.end(), name);
    if (it == layout_.names.end()) throw std::out_of_range("no observable " + name);
    const auto k = static_cast<std::size_t>(it - layout_.names.begin());
    std::vector<double> s;
    s.reserve(rows_.size());
    for (const auto& r : rows_) s.push_back(r[k * layout_.temperatures + t]);
    return s;
  }
  BinningResult stats(const std::string& name, int t) const { return binning_analysis(series(name, t)); }
  const std::vector<std::vector<std::int32_t>>& walks() const { return walks_; }
  const TaskFinal& final() const { return final_; }
  const SeriesLayout& layout() const { return layout_; }

 private:
  SeriesLayout layout_;
  std::vector<std::vector<double>> rows_;
  std::vector<std::vector<std::int32_t>> walks_;
  TaskFinal final_;
};

}  // namespace ptmc::testing
