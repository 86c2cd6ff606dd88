#include "models/data_set.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <map>
#include <mutex>
#include <set>

#include "engine/io/h5.hpp"

namespace ptmc {

namespace {

// The whole file, gunzipped when it is gzip (zlib reads other files as they are).
std::string slurp(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw DataSetError("cannot open data set file " + path + ": " + std::strerror(errno));
  std::string out;
  char buf[1 << 16];
  for (;;) {
    const int n = gzread(f, buf, sizeof buf);
    if (n < 0) {
      int code = 0;
      const std::string msg = gzerror(f, &code);
      gzclose(f);
      throw DataSetError("cannot read data set file " + path + ": " + msg);
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  gzclose(f);
  return out;
}

bool is_hdf5(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw DataSetError("cannot open data set file " + path + ": " + std::strerror(errno));
  char sig[8] = {};
  const std::size_t n = std::fread(sig, 1, 8, f);
  std::fclose(f);
  return n == 8 && std::memcmp(sig, "\x89HDF\r\n\x1a\n", 8) == 0;
}

struct Idx {
  int type = 0;
  std::vector<std::uint32_t> dims;
  std::vector<float> values;  // exact for the integer types up to 2^24 and for f32
};

bool looks_idx(const std::string& s) {
  if (s.size() < 4 || s[0] != 0 || s[1] != 0) return false;
  const int t = static_cast<unsigned char>(s[2]), d = static_cast<unsigned char>(s[3]);
  return (t == 0x08 || t == 0x09 || t == 0x0B || t == 0x0C || t == 0x0D || t == 0x0E) && d >= 1 && d <= 4;
}

Idx parse_idx(const std::string& s, const std::string& path) {
  if (!looks_idx(s))
    throw DataSetError("data set file " + path +
                       " is not an IDX file: expected the magic number 0x0000TTDD (TT = 08, 09, 0B, 0C, 0D or 0E, "
                       "DD = 1..4 dimensions), gzip-compressed or not");
  Idx x;
  x.type = static_cast<unsigned char>(s[2]);
  const int nd = static_cast<unsigned char>(s[3]);
  const auto u32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (int b = 0; b < 4; ++b) v = (v << 8) | static_cast<unsigned char>(s[at + b]);
    return v;
  };
  if (s.size() < 4 + 4 * static_cast<std::size_t>(nd))
    throw DataSetError("IDX file " + path + " ends inside its header (" + std::to_string(nd) + " dimensions)");
  std::uint64_t count = 1;
  for (int k = 0; k < nd; ++k) {
    x.dims.push_back(u32(4 + 4 * static_cast<std::size_t>(k)));
    count *= x.dims.back();
  }
  const std::size_t width = x.type == 0x08 || x.type == 0x09 ? 1 : x.type == 0x0B ? 2 : x.type == 0x0E ? 8 : 4;
  const std::size_t head = 4 + 4 * static_cast<std::size_t>(nd);
  if (s.size() - head != count * width)
    throw DataSetError("IDX file " + path + " holds " + std::to_string(s.size() - head) + " bytes of data, expected " +
                       std::to_string(count * width) + " for its header's dimensions");
  x.values.resize(count);
  const auto* p = reinterpret_cast<const unsigned char*>(s.data() + head);
  for (std::size_t k = 0; k < count; ++k, p += width) {
    std::uint64_t v = 0;
    for (std::size_t b = 0; b < width; ++b) v = (v << 8) | p[b];
    switch (x.type) {
      case 0x08: x.values[k] = static_cast<float>(v); break;
      case 0x09: x.values[k] = static_cast<std::int8_t>(v); break;
      case 0x0B: x.values[k] = static_cast<std::int16_t>(v); break;
      case 0x0C: x.values[k] = static_cast<float>(static_cast<std::int32_t>(v)); break;
      case 0x0D: {
        const auto w = static_cast<std::uint32_t>(v);
        float f;
        std::memcpy(&f, &w, 4);
        x.values[k] = f;
        break;
      }
      default: {
        double f;
        std::memcpy(&f, &v, 8);
        x.values[k] = static_cast<float>(f);
      }
    }
  }
  return x;
}

// Image side lengths from the dimensions after the count: rows x cols, or n = side².
void image_shape(const std::vector<std::uint64_t>& dims, const std::string& what, int& rows, int& cols) {
  const std::string expected = "expected count x rows x cols, or count x n with n a square";
  if (dims.size() == 3) {
    rows = static_cast<int>(dims[1]);
    cols = static_cast<int>(dims[2]);
  } else if (dims.size() == 2) {
    const auto side = static_cast<int>(std::lround(std::sqrt(static_cast<double>(dims[1]))));
    if (static_cast<std::uint64_t>(side) * side != dims[1])
      throw DataSetError(what + " has images of " + std::to_string(dims[1]) + " pixels, not a square: " + expected);
    rows = cols = side;
  } else {
    throw DataSetError(what + " has " + std::to_string(dims.size()) + " dimensions: " + expected);
  }
  if (rows < 1 || cols < 1 || dims[0] < 1) throw DataSetError(what + " holds no pixels: " + expected);
}

std::vector<int> integer_labels(const std::vector<double>& v, const std::string& what) {
  std::vector<int> out(v.size());
  for (std::size_t k = 0; k < v.size(); ++k) {
    if (v[k] != std::floor(v[k]) || std::abs(v[k]) > 1e9)
      throw DataSetError(what + ": label " + std::to_string(k) + " is " + std::to_string(v[k]) + ", expected an integer");
    out[k] = static_cast<int>(v[k]);
  }
  return out;
}

void check_labels(const LabelledImages& d, std::size_t labels, const std::string& what) {
  if (labels != static_cast<std::size_t>(d.count))
    throw DataSetError(what + " holds " + std::to_string(labels) + " labels for " + std::to_string(d.count) +
                       " images in " + d.source + ": expected one label per image");
}

LabelledImages read_idx(const DataSetSource& src, const std::string& content) {
  LabelledImages d;
  d.source = src.images;
  Idx im = parse_idx(content, src.images);  // the gunzipped bytes, then floats (4 bytes a pixel)
  std::vector<std::uint64_t> dims(im.dims.begin(), im.dims.end());
  image_shape(dims, "IDX file " + src.images, d.rows, d.cols);
  d.count = static_cast<int>(dims[0]);
  d.pixels = std::move(im.values);
  if (src.labels.empty())
    throw DataSetError("IDX images " + src.images + " need their labels: give the IDX labels file too");
  Idx lab = parse_idx(slurp(src.labels), src.labels);
  if (lab.dims.size() != 1 || lab.type == 0x0D || lab.type == 0x0E)
    throw DataSetError("IDX labels file " + src.labels + " holds " + std::to_string(lab.dims.size()) +
                       "-dimensional " + (lab.type == 0x0D || lab.type == 0x0E ? "float" : "integer") +
                       " data, expected one integer label per image (magic 0x00000801)");
  check_labels(d, lab.values.size(), "IDX labels file " + src.labels);
  d.labels = integer_labels({lab.values.begin(), lab.values.end()}, "IDX labels file " + src.labels);
  return d;
}

LabelledImages read_h5(const DataSetSource& src) {
  LabelledImages d;
  d.source = src.images;
  h5::Handle f;
  try {
    f = h5::open_file(src.images, h5::Mode::read);
  } catch (const std::exception& e) {
    throw DataSetError("cannot read data set file " + src.images + ": " + e.what());
  }
  const auto numeric = [&](const std::string& name, const std::string& role) {
    if (!h5::exists(f, name))
      throw DataSetError("no dataset '" + name + "' (the " + role + ") in " + src.images);
    const std::string type = h5::type_name(f, name);
    if (!type.ends_with("integer") && !type.ends_with("float") && type != "enum")
      throw DataSetError("dataset '" + name + "' in " + src.images + " holds " + type + " values, expected numbers (the " +
                         role + ")");
  };
  try {
    numeric(src.images_name, "images");
    numeric(src.labels_name, "labels");
    const auto dims = h5::shape(f, src.images_name);
    image_shape(dims, "dataset '" + src.images_name + "' in " + src.images, d.rows, d.cols);
    d.count = static_cast<int>(dims[0]);
    const auto v = h5::read_doubles(f, src.images_name);
    d.pixels.assign(v.begin(), v.end());
    const auto ldims = h5::shape(f, src.labels_name);
    const std::string what = "dataset '" + src.labels_name + "' in " + src.images;
    if (ldims.size() != 1) throw DataSetError(what + " has " + std::to_string(ldims.size()) + " dimensions, expected 1 (one label per image)");
    check_labels(d, ldims[0], what);
    d.labels = integer_labels(h5::read_doubles(f, src.labels_name), what);
  } catch (const DataSetError&) {
    throw;
  } catch (const std::exception& e) {
    throw DataSetError("cannot read the data set in " + src.images + ": " + e.what());
  }
  return d;
}

LabelledImages read_csv(const DataSetSource& src, const std::string& s) {
  LabelledImages d;
  d.source = src.images;
  std::vector<double> row;
  std::size_t width = 0, line = 0;
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    const char* eol = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (!eol) eol = end;
    ++line;
    row.clear();
    const char* q = p;
    while (q < eol && (*q == ' ' || *q == '\r' || *q == '\t')) ++q;
    if (q == eol) {  // blank line
      p = eol + 1;
      continue;
    }
    for (;;) {
      char* stop = nullptr;
      const double v = std::strtod(q, &stop);
      if (stop == q)
        throw DataSetError("data set file " + src.images + " line " + std::to_string(line) +
                           ": not a number; expected an IDX or HDF5 file, or CSV lines of pixels then the label");
      row.push_back(v);
      q = stop;
      while (q < eol && (*q == ' ' || *q == '\r' || *q == '\t')) ++q;
      if (q >= eol) break;
      if (*q != ',')
        throw DataSetError("data set file " + src.images + " line " + std::to_string(line) +
                           ": expected a comma between numbers (CSV of pixels then the label)");
      ++q;
    }
    if (width == 0) width = row.size();
    if (row.size() != width || width < 2)
      throw DataSetError("data set file " + src.images + " line " + std::to_string(line) + " has " +
                         std::to_string(row.size()) + " numbers, expected " + std::to_string(std::max<std::size_t>(width, 2)) +
                         " (the pixels, then the label)");
    d.pixels.insert(d.pixels.end(), row.begin(), row.end() - 1);
    d.labels.push_back(integer_labels({row.back()}, "data set file " + src.images + " line " + std::to_string(line))[0]);
    p = eol + 1;
  }
  if (d.labels.empty()) throw DataSetError("data set file " + src.images + " holds no images");
  d.count = static_cast<int>(d.labels.size());
  image_shape({d.labels.size(), width - 1}, "data set file " + src.images, d.rows, d.cols);
  return d;
}

}  // namespace

LabelledImages read_images(const DataSetSource& src) {
  LabelledImages d;
  if (is_hdf5(src.images)) {
    d = read_h5(src);
  } else {
    const std::string s = slurp(src.images);
    if (looks_idx(s)) d = read_idx(src, s);
    else if (!s.empty() && s[0] != 0) d = read_csv(src, s);
    else
      throw DataSetError("data set file " + src.images +
                         " is neither IDX (magic 0x0000TTDD), HDF5 nor CSV (pixels then the label on each line)");
  }
  for (std::size_t k = 0; k < d.pixels.size(); ++k)
    if (!std::isfinite(d.pixels[k]))
      throw DataSetError("data set file " + src.images + ": pixel " + std::to_string(k % (static_cast<std::size_t>(d.rows) * d.cols)) +
                         " of image " + std::to_string(k / (static_cast<std::size_t>(d.rows) * d.cols)) + " is not a finite number");
  const auto [lo, hi] = std::minmax_element(d.pixels.begin(), d.pixels.end());
  d.min = *lo;
  d.max = *hi;
  return d;
}

std::shared_ptr<const LabelledImages> cached_images(const DataSetSource& src) {
  static std::mutex mutex;
  static std::vector<std::pair<DataSetSource, std::shared_ptr<const LabelledImages>>> cache;
  const std::lock_guard lock(mutex);
  for (const auto& [key, value] : cache)
    if (key == src) return value;
  auto d = std::make_shared<const LabelledImages>(read_images(src));
  cache.emplace_back(src, d);
  return d;
}

int preprocessed_rows(const LabelledImages& d, const Preprocess& pp) {
  const int rows = (d.rows - 2 * pp.crop) / std::max(pp.pool, 1);
  if (rows < 1 || d.cols - 2 * pp.crop < pp.pool)
    throw DataSetError("data set " + d.source + ": " + std::to_string(d.rows) + " x " + std::to_string(d.cols) +
                       " images cropped by " + std::to_string(pp.crop) + " and pooled by " + std::to_string(pp.pool) +
                       " leave no pixels");
  return rows;
}

int preprocessed_cols(const LabelledImages& d, const Preprocess& pp) {
  (void)preprocessed_rows(d, pp);
  return (d.cols - 2 * pp.crop) / std::max(pp.pool, 1);
}

std::vector<std::int8_t> binarise_image(const LabelledImages& d, int k, const Preprocess& pp) {
  const int R = preprocessed_rows(d, pp), C = preprocessed_cols(d, pp), b = pp.pool;
  const auto img = d.image(k);
  std::vector<double> v(static_cast<std::size_t>(R) * C, 0.0);
  for (int y = 0; y < R; ++y)
    for (int x = 0; x < C; ++x) {
      double s = 0;
      for (int dy = 0; dy < b; ++dy)
        for (int dx = 0; dx < b; ++dx)
          s += img[static_cast<std::size_t>(pp.crop + y * b + dy) * d.cols + pp.crop + x * b + dx];
      v[static_cast<std::size_t>(y) * C + x] = s / (b * b);
    }
  double cut = d.min + pp.threshold * (static_cast<double>(d.max) - d.min);
  if (pp.binarise == Binarise::median) {
    std::vector<double> w = v;
    const auto mid = w.begin() + static_cast<std::ptrdiff_t>((w.size() - 1) / 2);
    std::nth_element(w.begin(), mid, w.end());
    cut = *mid;  // the lower median: at most half the pixels lie above it
  }
  std::vector<std::int8_t> s(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) s[i] = v[i] > cut ? 1 : -1;
  return s;
}

std::vector<int> label_values(const LabelledImages& d) {
  const std::set<int> s(d.labels.begin(), d.labels.end());
  return {s.begin(), s.end()};
}

std::vector<std::vector<int>> class_members(const LabelledImages& d, std::span<const int> classes) {
  std::map<int, std::size_t> slot;
  for (std::size_t c = 0; c < classes.size(); ++c) slot.emplace(classes[c], c);
  std::vector<std::vector<int>> out(classes.size());
  for (int k = 0; k < d.count; ++k)
    if (auto it = slot.find(d.labels[k]); it != slot.end()) out[it->second].push_back(k);
  for (std::size_t c = 0; c < classes.size(); ++c)
    if (out[c].empty())
      throw DataSetError("data set " + d.source + " has no image of class " + std::to_string(classes[c]));
  return out;
}

std::vector<std::vector<int>> draw_examples(const LabelledImages& d, std::span<const int> classes, int M, Rng& rng) {
  auto members = class_members(d, classes);
  for (std::size_t c = 0; c < classes.size(); ++c) {
    auto& m = members[c];
    if (static_cast<int>(m.size()) < M)
      throw DataSetError("data set " + d.source + " has " + std::to_string(m.size()) + " images of class " +
                         std::to_string(classes[c]) + ", fewer than the M = " + std::to_string(M) + " examples asked");
    for (int a = 0; a < M; ++a) {
      const auto j = a + static_cast<int>(rng.below(static_cast<std::uint32_t>(m.size() - a)));
      std::swap(m[a], m[j]);
    }
    m.resize(static_cast<std::size_t>(M));
  }
  return members;
}

ClassStatistics class_statistics(const LabelledImages& d, std::span<const int> classes, const Preprocess& pp) {
  const auto members = class_members(d, classes);
  const std::size_t N = static_cast<std::size_t>(preprocessed_size(d, pp));
  ClassStatistics st;
  double total = 0;
  std::size_t images = 0;
  for (const auto& m : members) {
    std::vector<std::int64_t> sum(N, 0);
    std::vector<std::vector<std::int8_t>> eta;
    eta.reserve(m.size());
    for (int k : m) {
      eta.push_back(binarise_image(d, k, pp));
      for (std::size_t i = 0; i < N; ++i) sum[i] += eta.back()[i];
    }
    auto& xi = st.xi.emplace_back(N);
    for (std::size_t i = 0; i < N; ++i) xi[i] = sum[i] >= 0 ? 1 : -1;
    double rc = 0;
    for (const auto& e : eta) {
      std::int64_t o = 0;
      for (std::size_t i = 0; i < N; ++i) o += e[i] * xi[i];
      rc += static_cast<double>(o) / static_cast<double>(N);
    }
    total += rc;
    images += m.size();
    st.r_class.push_back(rc / static_cast<double>(m.size()));
  }
  st.r = total / static_cast<double>(images);
  return st;
}

double data_set_bytes(const DataSetSource& src) {
  if (src.images.empty()) return 0;
  const auto images = cached_images(src);
  return static_cast<double>(images->pixels.size() * sizeof(float) + images->labels.size() * sizeof(int));
}

}  // namespace ptmc
