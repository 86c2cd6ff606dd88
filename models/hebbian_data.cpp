#include "models/hebbian_data.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <sstream>
#include <variant>

#include "engine/io/h5.hpp"

namespace ptmc {

std::vector<std::int8_t> load_hebbian_archetypes(const std::string& file, const std::string& dataset, int N, int K) {
  const std::string what = "dataset '" + dataset + "' in " + file;
  const std::string expected = "expected K x N = " + std::to_string(K) + " x " + std::to_string(N) +
                               " numbers (integer or float, one pattern per row) with values -1, 0 or +1";
  std::vector<double> values;
  h5::Handle f;
  try {
    f = h5::open_file(file, h5::Mode::read);
  } catch (const std::exception& e) {
    throw HebbianDataError(std::string("cannot read archetypes: ") + e.what());
  }
  try {
    if (!h5::exists(f, dataset)) throw HebbianDataError("no dataset '" + dataset + "' in " + file);
    // Integers, floats and enums (h5py's booleans) convert to double; strings, compounds (complex
    // numbers), sequences and the rest do not, and HDF5 would only say that the read failed.
    const std::string type = h5::type_name(f, dataset);
    if (!type.ends_with("integer") && !type.ends_with("float") && type != "enum")
      throw HebbianDataError(what + " holds " + type + " values, " + expected);
    const auto shape = h5::shape(f, dataset);
    if (shape.size() != 2 || shape[0] != static_cast<std::uint64_t>(K) || shape[1] != static_cast<std::uint64_t>(N)) {
      std::string s;
      for (std::size_t k = 0; k < shape.size(); ++k) s += (k ? " x " : "") + std::to_string(shape[k]);
      throw HebbianDataError(what + " has shape " + (s.empty() ? "scalar" : s) + ", " + expected);
    }
    values = h5::read_doubles(f, dataset);
  } catch (const HebbianDataError&) {
    throw;
  } catch (const std::exception& e) {
    throw HebbianDataError("cannot read archetypes from " + what + " (" + e.what() + "): " + expected);
  }
  std::vector<std::int8_t> xi(values.size());
  for (int mu = 0; mu < K; ++mu)
    for (int i = 0; i < N; ++i) {
      const double v = values[static_cast<std::size_t>(mu) * N + i];
      if (v != -1.0 && v != 0.0 && v != 1.0)
        throw HebbianDataError("dataset '" + dataset + "' in " + file + ": entry [" + std::to_string(mu) + ", " +
                               std::to_string(i) + "] = " + std::to_string(v) +
                               " is not -1, 0 or +1 (binarise the data as ±1; 0 marks a missing entry)");
      xi[static_cast<std::size_t>(i) * K + mu] = static_cast<std::int8_t>(v);
    }
  return xi;
}

std::vector<ParamSpec> hebbian_dataset_specs() {
  return {
      {.key = "examples_file", .type = ParamType::input_file, .fallback = std::string_view{""},
       .help = "labelled training images (IDX, HDF5 or CSV; gzip or not): archetypes = the classes' empirical "
               "archetypes, examples drawn from the images, r measured",
       .sweepable = false},
      {.key = "labels_file", .type = ParamType::input_file, .fallback = std::string_view{""},
       .help = "IDX labels of examples_file (IDX images only)", .sweepable = false},
      {.key = "test_file", .type = ParamType::input_file, .fallback = std::string_view{""},
       .help = "held-out labelled images (same format), for classification", .sweepable = false},
      {.key = "test_labels_file", .type = ParamType::input_file, .fallback = std::string_view{""},
       .help = "IDX labels of test_file", .sweepable = false},
      {.key = "images_dataset", .type = ParamType::text, .fallback = std::string_view{"images"},
       .help = "images dataset name in an HDF5 data set file", .sweepable = false},
      {.key = "labels_dataset", .type = ParamType::text, .fallback = std::string_view{"labels"},
       .help = "labels dataset name in an HDF5 data set file", .sweepable = false},
      {.key = "classes", .type = ParamType::text, .fallback = std::string_view{""},
       .help = "labels of the K classes, comma-separated (default: the K smallest labels)"},
      {.key = "binarise", .type = ParamType::choice, .fallback = std::string_view{"threshold"},
       .help = "pixel -> +1 above threshold (of the file's pixel range) or above the image's median",
       .choices = {"threshold", "median"}},
      {.key = "threshold", .type = ParamType::real, .fallback = 0.5,
       .help = "binarise = threshold: +1 above min + threshold (max - min)", .min = 0, .max = 1},
      {.key = "crop", .type = ParamType::integer, .fallback = std::int64_t{0},
       .help = "pixels cropped off every border of the images", .min = 0, .max = 1 << 20},
      {.key = "pool", .type = ParamType::integer, .fallback = std::int64_t{1},
       .help = "average pool x pool blocks (after crop, before binarising)", .min = 1, .max = 1 << 20},
  };
}

HebbianDataSet parse_hebbian_dataset(const ParamReader& r, int N, int K, HebbianMode mode, int M) {
  HebbianDataSet s;
  s.train = {r.text("examples_file"), r.text("labels_file"), r.text("images_dataset"), r.text("labels_dataset")};
  s.test = {r.text("test_file"), r.text("test_labels_file"), s.train.images_name, s.train.labels_name};
  s.pp.binarise = r.text("binarise") == "median" ? Binarise::median : Binarise::threshold;
  s.pp.threshold = r.real("threshold");
  s.pp.crop = static_cast<int>(r.integer("crop"));
  s.pp.pool = static_cast<int>(r.integer("pool"));
  if (!r.table("init") && r.text("init") == "test" && s.test.images.empty())
    r.fail("init", "init = \"test\" starts from held-out images: give examples_file and test_file");
  if (!s.on()) {
    for (const char* key : {"labels_file", "test_file", "test_labels_file", "classes", "binarise", "threshold", "crop",
                            "pool"})
      if (r.has(key)) r.fail(key, "a data-set option without a data set: give examples_file too");
    return s;
  }
  if (r.has("data_file")) r.fail("data_file", "give the archetypes as data_file or a data set as examples_file, not both");
  if (r.has("r") || r.has("rho"))
    r.fail(r.has("r") ? "r" : "rho", "the example quality of a data set is measured from its images, not given");
  std::shared_ptr<const LabelledImages> d;
  try {
    d = cached_images(s.train);
  } catch (const DataSetError& e) {
    const bool labels = !s.train.labels.empty() && std::string(e.what()).find(s.train.labels) != std::string::npos;
    r.fail(labels ? "labels_file" : "examples_file", e.what());
  }
  if (!s.test.images.empty()) {
    try {
      const auto t = cached_images(s.test);
      if (t->rows != d->rows || t->cols != d->cols)
        r.fail("test_file", "test images " + s.test.images + " are " + std::to_string(t->rows) + " x " +
                                std::to_string(t->cols) + ", expected " + std::to_string(d->rows) + " x " +
                                std::to_string(d->cols) + " as in " + s.train.images);
    } catch (const DataSetError& e) {
      const bool labels = !s.test.labels.empty() && std::string(e.what()).find(s.test.labels) != std::string::npos;
      r.fail(labels ? "test_labels_file" : "test_file", e.what());
    }
  }
  const auto labels = label_values(*d);
  if (r.has("classes")) {
    std::stringstream in(r.text("classes"));
    std::string item;
    while (std::getline(in, item, ',')) {
      std::size_t used = 0;
      int c = 0;
      try {
        c = std::stoi(item, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || item.find_first_not_of(" \t", used) != std::string::npos)
        r.fail("classes", "'" + item + "' is not an integer label; expected labels separated by commas, e.g. \"0, 3, 7\"");
      if (!std::binary_search(labels.begin(), labels.end(), c))
        r.fail("classes", "no image of class " + std::to_string(c) + " in " + s.train.images);
      if (std::find(s.classes.begin(), s.classes.end(), c) != s.classes.end())
        r.fail("classes", "class " + std::to_string(c) + " is given twice");
      s.classes.push_back(c);
    }
    if (static_cast<int>(s.classes.size()) != K)
      r.fail("classes", std::to_string(s.classes.size()) + " classes given for K = " + std::to_string(K) +
                            " archetypes; expected K labels");
  } else {
    if (K > static_cast<int>(labels.size()))
      r.fail("K", "K = " + std::to_string(K) + " classes asked, but " + s.train.images + " has " +
                      std::to_string(labels.size()) + " distinct labels");
    s.classes.assign(labels.begin(), labels.begin() + K);
  }
  if (!s.test.images.empty()) {
    try {
      (void)class_members(*cached_images(s.test), s.classes);
    } catch (const DataSetError& e) {
      r.fail("test_file", e.what());
    }
  }
  int n = 0;
  try {
    n = preprocessed_size(*d, s.pp);
  } catch (const DataSetError& e) {
    r.fail(r.has("pool") ? "pool" : "crop", e.what());
  }
  if (n != N)
    r.fail("N", "N = " + std::to_string(N) + " does not match the data set: " + std::to_string(d->rows) + " x " +
                    std::to_string(d->cols) + " images of " + s.train.images + ", cropped by " +
                    std::to_string(s.pp.crop) + " and pooled by " + std::to_string(s.pp.pool) + ", give N = " +
                    std::to_string(n));
  if (mode != HebbianMode::storage) {
    const auto members = class_members(*d, s.classes);
    for (std::size_t c = 0; c < members.size(); ++c)
      if (static_cast<int>(members[c].size()) < M)
        r.fail("M", "M = " + std::to_string(M) + " examples per class, but class " + std::to_string(s.classes[c]) +
                        " has " + std::to_string(members[c].size()) + " images in " + s.train.images);
  }
  s.r = hebbian_class_statistics(s)->r;
  if (!(s.r > 0))
    r.fail("examples_file", "the measured example quality r = " + std::to_string(s.r) + " of " + s.train.images +
                                " is not positive (images all alike after binarising?)");
  return s;
}

std::shared_ptr<const ClassStatistics> hebbian_class_statistics(const HebbianDataSet& s) {
  static std::mutex mutex;
  static std::vector<std::pair<HebbianDataSet, std::shared_ptr<const ClassStatistics>>> cache;
  const auto images = cached_images(s.train);
  const std::lock_guard lock(mutex);
  for (const auto& [key, value] : cache)
    if (key.train == s.train && key.classes == s.classes && key.pp == s.pp) return value;
  auto st = std::make_shared<const ClassStatistics>(class_statistics(*images, s.classes, s.pp));
  cache.emplace_back(s, st);
  return st;
}

namespace {
// Archetypes and examples from a data set; the stream is read only to draw the examples.
HebbianData draw_from_dataset(const HebbianDataParams& p, Rng& rng) {
  HebbianData D;
  D.N = p.N;
  D.M = p.M;
  D.mode = p.mode;
  const auto& s = p.dataset;
  const auto images = cached_images(s.train);
  const auto st = hebbian_class_statistics(s);
  const std::size_t N = static_cast<std::size_t>(p.N);
  if (preprocessed_size(*images, s.pp) != p.N || static_cast<int>(s.classes.size()) != p.K)
    throw std::logic_error("draw_hebbian_data: N or K do not match the data set (parse_hebbian_dataset checks them)");
  const bool slice = p.held > 0;
  const std::size_t first = slice ? static_cast<std::size_t>(p.first) : 0;
  const std::size_t K = slice ? static_cast<std::size_t>(p.held) : static_cast<std::size_t>(p.K);
  D.K = static_cast<int>(K);
  D.xi.assign(N * K, 0);
  D.xi1.assign(st->xi[0].begin(), st->xi[0].end());
  for (std::size_t i = 0; i < N; ++i)
    for (std::size_t mu = 0; mu < K; ++mu) D.xi[i * K + mu] = st->xi[first + mu][i];
  D.informative.assign(K, static_cast<std::int64_t>(N));
  if (!s.test.images.empty()) {
    const auto test = cached_images(s.test);
    const auto members = class_members(*test, s.classes);
    for (std::size_t mu = 0; mu < K; ++mu)
      for (int k : members[first + mu]) {
        const auto eta = binarise_image(*test, k, s.pp);
        D.tests.insert(D.tests.end(), eta.begin(), eta.end());
        D.test_class.push_back(static_cast<std::int32_t>(mu));
      }
  }
  if (p.mode == HebbianMode::storage) return D;
  const std::size_t M = static_cast<std::size_t>(p.M);
  const bool keep = p.mode == HebbianMode::unsupervised;
  D.sums.assign(N * K, 0);
  if (keep) D.examples.assign(N * K * M, 0);
  const auto chosen = draw_examples(*images, s.classes, p.M, rng);
  for (std::size_t mu = 0; mu < K; ++mu)
    for (std::size_t a = 0; a < M; ++a) {
      const auto eta = binarise_image(*images, chosen[mu][a], s.pp);
      for (std::size_t i = 0; i < N; ++i) {
        D.sums[i * K + mu] = static_cast<std::int16_t>(D.sums[i * K + mu] + eta[i]);
        if (keep) D.examples[(i * K + mu) * M + a] = eta[i];
      }
    }
  return D;
}
}  // namespace

HebbianData draw_hebbian_data(const HebbianDataParams& p, Rng& rng) {
  if (p.dataset.on()) return draw_from_dataset(p, rng);
  HebbianData D;
  D.N = p.N;
  D.K = p.K;
  D.M = p.M;
  D.mode = p.mode;
  const std::size_t N = static_cast<std::size_t>(p.N);
  const bool slice = p.held > 0;
  if (slice && (p.mode != HebbianMode::storage || p.first < 0 || p.first + p.held > p.K))
    throw std::logic_error("draw_hebbian_data: a slice of archetypes needs storage mode and 0 <= first < first + held <= K");
  const std::size_t all = static_cast<std::size_t>(p.K), first = slice ? static_cast<std::size_t>(p.first) : 0;
  const std::size_t K = slice ? static_cast<std::size_t>(p.held) : all;
  D.K = static_cast<int>(K);
  D.xi1.assign(N, 0);
  if (!p.data_file.empty()) {
    const auto full = load_hebbian_archetypes(p.data_file, p.data_dataset, p.N, p.K);
    D.xi.assign(N * K, 0);
    for (std::size_t i = 0; i < N; ++i) {
      D.xi1[i] = full[i * all];
      for (std::size_t mu = 0; mu < K; ++mu) D.xi[i * K + mu] = full[i * all + first + mu];
    }
  } else {
    D.xi.assign(N * K, 0);
    for (std::size_t mu = 0; mu < all; ++mu)
      for (std::size_t i = 0; i < N; ++i) {
        const double u = rng.uniform();
        const int s = rng.spin();
        const auto x = static_cast<std::int8_t>(u < p.dilution ? 0 : s);
        if (mu == 0) D.xi1[i] = x;
        if (mu >= first && mu < first + K) D.xi[i * K + (mu - first)] = x;
      }
  }
  D.informative.assign(K, 0);
  for (std::size_t i = 0; i < N; ++i)
    for (std::size_t mu = 0; mu < K; ++mu) D.informative[mu] += D.xi[i * K + mu] != 0;
  if (p.mode == HebbianMode::storage) return D;

  const std::size_t M = static_cast<std::size_t>(p.M);
  const bool keep = p.mode == HebbianMode::unsupervised;
  D.sums.assign(N * K, 0);
  if (keep) D.examples.assign(N * K * M, 0);
  const double agree = (1 + p.r) / 2;
  for (std::size_t mu = 0; mu < K; ++mu)
    for (std::size_t a = 0; a < M; ++a)
      for (std::size_t i = 0; i < N; ++i) {
        const int chi = rng.uniform() < agree ? 1 : -1;
        const int eta = chi * D.xi[i * K + mu];
        D.sums[i * K + mu] = static_cast<std::int16_t>(D.sums[i * K + mu] + eta);
        if (keep) D.examples[(i * K + mu) * M + a] = static_cast<std::int8_t>(eta);
      }
  return D;
}

HebbianInit parse_hebbian_init(const ParamReader& r, std::string_view key) {
  HebbianInit init;
  if (auto t = r.table(key)) {
    bool seen = false;
    for (const auto& [k, value] : *t) {
      if (k != "quality") r.fail(key, "unknown key '" + k + "' in the table: expected { quality = q0 }");
      double q = NAN;
      if (auto* x = std::get_if<double>(&value)) q = *x;
      else if (auto* i = std::get_if<std::int64_t>(&value)) q = static_cast<double>(*i);
      if (!(q >= 0 && q <= 1)) r.fail(key, "quality must be a number in [0, 1]");
      init = {HebbianInit::Kind::quality, q};
      seen = true;
    }
    if (!seen) r.fail(key, "the table needs a quality: { quality = q0 }");
  } else {
    const std::string kind = r.text(key);
    init.kind = kind == "archetype" ? HebbianInit::Kind::archetype
                : kind == "test"    ? HebbianInit::Kind::test
                                    : HebbianInit::Kind::random;
  }
  return init;
}

std::vector<std::int8_t> hebbian_initial_spins(const HebbianInit& init, const HebbianData& D, Rng& rng,
                                               bool cascade, int* test_class) {
  std::vector<std::int8_t> s(static_cast<std::size_t>(D.N));
  if (init.kind == HebbianInit::Kind::test) {
    if (D.test_class.empty()) throw std::logic_error("hebbian_initial_spins: init = test without test images");
    const auto t = rng.below(static_cast<std::uint32_t>(D.test_class.size()));
    const auto* image = D.tests.data() + static_cast<std::size_t>(t) * s.size();
    s.assign(image, image + s.size());
    if (test_class) *test_class = D.test_class[t];
    return s;
  }
  const std::size_t K = static_cast<std::size_t>(D.K);
  for (std::size_t i = 0; i < s.size(); ++i) {
    int x = init.kind == HebbianInit::Kind::random ? 0 : D.xi1[i];
    for (std::size_t mu = 1; cascade && x == 0 && init.kind != HebbianInit::Kind::random && mu < K; ++mu)
      x = D.xi[i * K + mu];
    if (x == 0) x = rng.spin();
    if (init.kind == HebbianInit::Kind::quality && rng.uniform() >= (1 + init.quality) / 2) x = -x;
    s[i] = static_cast<std::int8_t>(x);
  }
  return s;
}

int hebbian_classify(std::span<const std::int64_t> overlaps) {
  return static_cast<int>(std::max_element(overlaps.begin(), overlaps.end()) - overlaps.begin());
}

}  // namespace ptmc
