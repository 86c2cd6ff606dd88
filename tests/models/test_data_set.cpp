// Labelled image data sets (models/data_set.hpp) and the Hebbian data drawn from them
// (models/hebbian_data.hpp): IDX (gzip and raw), HDF5 and CSV files made here, scikit-learn's 8 x 8
// digits, their errors, preprocessing, class/example selection from the disorder stream, empirical
// archetypes and r, and the dense Hebbian model's exact integer P = 2 path on real examples.
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <tuple>

#include "engine/io/h5.hpp"
#include "models/data_set.hpp"
#include "models/dense_hebbian.hpp"
#include "models/hebbian_data.hpp"

using namespace ptmc;

namespace {

const std::string kDigits = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz";

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("ptmc_test_data_set_" + name)).string();
}

void write_bytes(const std::string& path, const std::string& bytes, bool gz) {
  if (gz) {
    gzFile f = gzopen(path.c_str(), "wb");
    REQUIRE(f);
    REQUIRE(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())) == static_cast<int>(bytes.size()));
    gzclose(f);
  } else {
    std::ofstream(path, std::ios::binary) << bytes;
  }
}

std::string idx_header(int type, std::vector<std::uint32_t> dims) {
  std::string s{'\0', '\0', static_cast<char>(type), static_cast<char>(dims.size())};
  for (auto d : dims)
    for (int b = 3; b >= 0; --b) s.push_back(static_cast<char>((d >> (8 * b)) & 0xff));
  return s;
}

// count images of rows x cols bytes: pixel (k, y, x) = 10 k + y cols + x; labels k % 3.
std::string idx_images(int count, int rows, int cols) {
  std::string s = idx_header(0x08, {static_cast<std::uint32_t>(count), static_cast<std::uint32_t>(rows),
                                    static_cast<std::uint32_t>(cols)});
  for (int k = 0; k < count; ++k)
    for (int p = 0; p < rows * cols; ++p) s.push_back(static_cast<char>(10 * k + p));
  return s;
}
std::string idx_labels(int count) {
  std::string s = idx_header(0x08, {static_cast<std::uint32_t>(count)});
  for (int k = 0; k < count; ++k) s.push_back(static_cast<char>(k % 3));
  return s;
}

std::string error_of(const DataSetSource& src) {
  try {
    (void)read_images(src);
  } catch (const DataSetError& e) {
    return e.what();
  }
  return "(no error)";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("data set: IDX files, gzip-compressed or not, and their errors") {
  const std::string im = temp_path("im.idx"), lab = temp_path("lab.idx"), img = temp_path("im.idx.gz"),
                    labg = temp_path("lab.idx.gz");
  write_bytes(im, idx_images(7, 3, 4), false);
  write_bytes(lab, idx_labels(7), false);
  write_bytes(img, idx_images(7, 3, 4), true);
  write_bytes(labg, idx_labels(7), true);
  for (const auto& [i, l] : {std::pair{im, lab}, std::pair{img, labg}, std::pair{img, lab}}) {
    const auto d = read_images({i, l});
    CHECK(d.count == 7);
    CHECK(d.rows == 3);
    CHECK(d.cols == 4);
    CHECK(d.image(5)[7] == 57.0f);
    CHECK(d.labels[5] == 2);
    CHECK(d.min == 0.0f);
    CHECK(d.max == 71.0f);
    CHECK(label_values(d) == std::vector<int>{0, 1, 2});
  }
  // Missing files, wrong magic, truncated data, labels that do not match: each message names the file.
  CHECK(contains(error_of({temp_path("none.idx"), lab}), "cannot open data set file " + temp_path("none.idx")));
  CHECK(contains(error_of({im, temp_path("none.idx")}), "cannot open data set file " + temp_path("none.idx")));
  CHECK(contains(error_of({im, ""}), "IDX images " + im + " need their labels"));
  const std::string bad = temp_path("bad.idx");
  write_bytes(bad, idx_images(7, 3, 4).substr(0, 16 + 20), true);
  CHECK(contains(error_of({bad, lab}), "IDX file " + bad + " holds 20 bytes of data, expected 84"));
  write_bytes(bad, idx_labels(6), false);
  CHECK(contains(error_of({im, bad}), "IDX labels file " + bad + " holds 6 labels for 7 images in " + im));
  write_bytes(bad, idx_images(7, 3, 4), false);
  CHECK(contains(error_of({im, bad}), "IDX labels file " + bad + " holds 3-dimensional integer data, expected one integer label"));
  write_bytes(bad, std::string("\x00\x00\x08\x09 this is not idx", 22), false);
  CHECK(contains(error_of({bad, lab}), "is neither IDX"));
  write_bytes(bad, std::string("\x00\x00\x08\x03", 4), false);
  CHECK(contains(error_of({bad, lab}), "IDX file " + bad + " ends inside its header"));
  for (const auto& f : {im, lab, img, labg, bad}) std::filesystem::remove(f);
}

TEST_CASE("data set: HDF5 and CSV files") {
  const std::string h = temp_path("set.h5");
  {
    auto f = h5::open_file(h, h5::Mode::create);
    std::vector<double> px(5 * 9);
    for (std::size_t k = 0; k < px.size(); ++k) px[k] = 0.5 * static_cast<double>(k);
    h5::write(f, "images", px, {5, 9});  // count x n, n = 3²
    h5::write(f, "labels", std::vector<std::int64_t>{4, 4, 7, 7, 4}, {5});
    h5::write(f, "short", std::vector<std::int64_t>{4, 4}, {2});
    h5::write(f, "x", std::vector<double>(5 * 8, 0.0), {5, 8});
  }
  const auto d = read_images({h, "", "images", "labels"});
  CHECK(d.count == 5);
  CHECK(d.rows == 3);
  CHECK(d.cols == 3);
  CHECK(d.image(2)[4] == 11.0f);
  CHECK(d.labels == std::vector<int>{4, 4, 7, 7, 4});
  CHECK(contains(error_of({h, "", "images", "short"}), "dataset 'short' in " + h + " holds 2 labels for 5 images"));
  CHECK(contains(error_of({h, "", "pixels", "labels"}), "no dataset 'pixels' (the images) in " + h));
  CHECK(contains(error_of({h, "", "x", "labels"}), "images of 8 pixels, not a square"));
  std::filesystem::remove(h);

  const std::string c = temp_path("set.csv");
  write_bytes(c, "0,1,2,3,9\n4,5,6,7,8\n\n", false);
  const auto e = read_images({c, ""});
  CHECK(e.count == 2);
  CHECK(e.rows == 2);
  CHECK(e.image(1)[3] == 7.0f);
  CHECK(e.labels == std::vector<int>{9, 8});
  write_bytes(c, "0,1,2,3,9\n4,5,6,8\n", true);
  CHECK(contains(error_of({c, ""}), "data set file " + c + " line 2 has 4 numbers, expected 5"));
  write_bytes(c, "0,1,2,3,0.5\n", false);
  CHECK(contains(error_of({c, ""}), "label 0 is 0.500000, expected an integer"));
  std::filesystem::remove(c);
}

TEST_CASE("data set: crop, pool, threshold and median binarisation") {
  LabelledImages d;
  d.source = "made";
  d.count = 1;
  d.rows = 4;
  d.cols = 5;
  d.labels = {0};
  for (int p = 0; p < 20; ++p) d.pixels.push_back(static_cast<float>(p));
  d.min = 0;
  d.max = 19;
  // Threshold 0.5: above 9.5.
  auto s = binarise_image(d, 0, {});
  REQUIRE(s.size() == 20);
  for (int p = 0; p < 20; ++p) CHECK(s[p] == (p > 9 ? 1 : -1));
  // Pool 2 (the fifth column dropped): block means 3, 5, 13, 15; threshold 0.4 → above 7.6.
  CHECK(preprocessed_size(d, {.pool = 2}) == 4);
  CHECK(binarise_image(d, 0, {.pool = 2, .threshold = 0.4}) == std::vector<std::int8_t>{-1, -1, 1, 1});
  // Crop 1: the inner 2 x 3 pixels 6 7 8 / 11 12 13; lower median 8.
  CHECK(binarise_image(d, 0, {.crop = 1, .binarise = Binarise::median}) == std::vector<std::int8_t>{-1, -1, -1, 1, 1, 1});
  CHECK_THROWS_AS((void)preprocessed_size(d, {.crop = 2}), DataSetError);
}

TEST_CASE("data set: scikit-learn's 8 x 8 digits, examples from the disorder stream, archetypes and r") {
  REQUIRE_MESSAGE(std::filesystem::exists(kDigits), "install python3-sklearn (scripts/install-deps.sh)");
  const auto d = cached_images({kDigits, ""});
  CHECK(d == cached_images({kDigits, ""}));  // read once
  CHECK(d->count == 1797);
  CHECK(d->rows == 8);
  CHECK(d->cols == 8);
  CHECK(d->max == 16.0f);
  CHECK(label_values(*d) == std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  const std::vector<int> classes{3, 7};
  const auto members = class_members(*d, classes);
  CHECK(members[0].size() == 183);
  CHECK(members[1].size() == 179);
  Rng a(5), b(5), c(6);
  const auto x = draw_examples(*d, classes, 20, a);
  CHECK(x == draw_examples(*d, classes, 20, b));
  CHECK(x != draw_examples(*d, classes, 20, c));
  for (std::size_t k = 0; k < classes.size(); ++k) {
    CHECK(std::set<int>(x[k].begin(), x[k].end()).size() == 20);
    for (int i : x[k]) CHECK(d->labels[i] == classes[k]);
  }
  Rng e(1);
  try {
    (void)draw_examples(*d, classes, 180, e);
    FAIL("180 examples of class 7 were drawn from 179");
  } catch (const DataSetError& err) {
    CHECK(std::string(err.what()) == "data set " + kDigits + " has 179 images of class 7, fewer than the M = 180 examples asked");
  }
  // Archetypes: the sign of the class mean; r = mean agreement with it, in (0, 1) for real data.
  const Preprocess pp{};
  const auto st = class_statistics(*d, classes, pp);
  for (std::size_t k = 0; k < classes.size(); ++k) {
    std::vector<int> sum(64, 0);
    for (int i : members[k]) {
      const auto eta = binarise_image(*d, i, pp);
      for (int j = 0; j < 64; ++j) sum[j] += eta[j];
    }
    for (int j = 0; j < 64; ++j) CHECK(st.xi[k][j] == (sum[j] >= 0 ? 1 : -1));
    CHECK(st.r_class[k] > 0.5);
    CHECK(st.r_class[k] < 1.0);
  }
  CHECK(st.r == doctest::Approx((183 * st.r_class[0] + 179 * st.r_class[1]) / 362).epsilon(1e-12));
}

TEST_CASE("hebbian data from the digits: archetypes, example sums, the stream decides the examples") {
  REQUIRE_MESSAGE(std::filesystem::exists(kDigits), "install python3-sklearn (scripts/install-deps.sh)");
  HebbianDataSet s;
  s.train = {kDigits, ""};
  s.classes = {0, 1, 2};
  s.pp = {.pool = 2};
  const auto images = cached_images(s.train);
  const auto st = hebbian_class_statistics(s);
  const int N = 16, K = 3, M = 7;
  for (auto mode : {HebbianMode::storage, HebbianMode::supervised, HebbianMode::unsupervised}) {
    CAPTURE(static_cast<int>(mode));
    Rng rng(3), copy(3);
    const auto D = draw_hebbian_data(HebbianDataParams{.N = N, .K = K, .mode = mode, .M = M, .dataset = s}, rng);
    for (int i = 0; i < N; ++i)
      for (int mu = 0; mu < K; ++mu) CHECK(D.xi[i * K + mu] == st->xi[mu][i]);
    CHECK(D.informative == std::vector<std::int64_t>(K, N));
    if (mode == HebbianMode::storage) continue;
    const auto chosen = draw_examples(*images, s.classes, M, copy);
    for (int mu = 0; mu < K; ++mu) {
      std::vector<int> sum(N, 0);
      for (int a = 0; a < M; ++a) {
        const auto eta = binarise_image(*images, chosen[mu][a], s.pp);
        for (int i = 0; i < N; ++i) {
          sum[i] += eta[i];
          if (mode == HebbianMode::unsupervised) CHECK(D.examples[(i * K + mu) * M + a] == eta[i]);
        }
      }
      for (int i = 0; i < N; ++i) CHECK(D.sums[i * K + mu] == sum[i]);
    }
  }
}

namespace {
DenseHebbian::Params digits_params(int P, HebbianMode data, int K, int M, HebbianInit::Kind init) {
  DenseHebbian::Params p;
  p.N = 64;
  p.P = P;
  p.K = K;
  p.data = data;
  p.M = M;
  p.init.kind = init;
  p.dataset.train = {kDigits, ""};
  p.dataset.test = {kDigits, ""};  // the same file: only the start and the labels are checked here
  for (int c = 0; c < K; ++c) p.dataset.classes.push_back(c);
  p.dataset.r = hebbian_class_statistics(p.dataset)->r;
  p.r = p.dataset.r;
  return p;
}
}  // namespace

TEST_CASE("dense_hebbian on the digits: the P = 2 packed path stays exact in integers with real examples") {
  REQUIRE_MESSAGE(std::filesystem::exists(kDigits), "install python3-sklearn (scripts/install-deps.sh)");
  // Storage of the 10 empirical archetypes, and unsupervised learning from 30 images per class
  // (300 ±1 channels): ΔE is unit × an exact integer and equals the change of the cached energy.
  for (auto [data, K, M] : {std::tuple{HebbianMode::storage, 10, 1}, std::tuple{HebbianMode::unsupervised, 10, 30}}) {
    CAPTURE(static_cast<int>(data));
    const auto p = digits_params(2, data, K, M, HebbianInit::Kind::archetype);
    Rng dis(4), init(5), moves(6);
    const auto D = DenseHebbian::make_disorder(p, dis);
    REQUIRE(D->packed);
    DenseHebbian m(p, D, init);
    CHECK(m.integer_delta());
    const double tol = 1e-9 * p.N;
    double before = m.energy();
    CHECK(std::abs(before - m.recompute_energy()) < tol);
    for (int k = 0; k < 2000; ++k) {
      const int i = static_cast<int>(moves.below(64));
      const double dE = m.delta_energy(i);
      REQUIRE(dE == m.energy_unit() * static_cast<double>(m.delta_units(i)));
      m.flip(i);
      REQUIRE(std::abs(m.energy() - before - dE) < tol);
      before = m.energy();
    }
    CHECK(std::abs(m.recompute_energy() - m.energy()) < tol);
  }
}

TEST_CASE("dense_hebbian init = test: a walker starts from a held-out image and classifies it") {
  REQUIRE_MESSAGE(std::filesystem::exists(kDigits), "install python3-sklearn (scripts/install-deps.sh)");
  const auto p = digits_params(4, HebbianMode::supervised, 4, 20, HebbianInit::Kind::test);
  const auto names = DenseHebbian::observable_names(p);
  REQUIRE(names.size() == 7);
  CHECK(names[5] == "correct");
  CHECK(names[6] == "m_class");
  Rng dis(8);
  const auto D = DenseHebbian::make_disorder(p, dis);
  const auto images = cached_images(p.dataset.test);
  const auto members = class_members(*images, p.dataset.classes);
  REQUIRE(D->data.test_class.size() == members[0].size() + members[1].size() + members[2].size() + members[3].size());
  const auto st = hebbian_class_statistics(p.dataset);
  int correct = 0;
  for (std::uint64_t w = 0; w < 40; ++w) {
    Rng init(100 + w), copy(100 + w);
    DenseHebbian m(p, D, init);
    // The start is test image t (one draw), of class test_class[t].
    const auto t = copy.below(static_cast<std::uint32_t>(D->data.test_class.size()));
    const int c = D->data.test_class[t];
    int k = 0;
    for (int cc = 0; cc < c; ++cc) k += static_cast<int>(members[cc].size());
    const auto image = binarise_image(*images, members[c][t - k], p.dataset.pp);
    REQUIRE(std::equal(image.begin(), image.end(), m.spins().begin()));
    std::vector<double> out(names.size());
    m.measure(out);
    // Classified by the largest ξ^μ·σ (the empirical archetypes), before any flip.
    std::vector<std::int64_t> o(4, 0);
    for (int mu = 0; mu < 4; ++mu)
      for (int i = 0; i < 64; ++i) o[mu] += st->xi[mu][i] * image[i];
    const auto best = std::max_element(o.begin(), o.end()) - o.begin();
    CHECK(out[5] == (best == c ? 1.0 : 0.0));
    CHECK(out[6] == static_cast<double>(o[c]) / 64);
    correct += best == c;
  }
  CHECK(correct == 30);  // the nearest archetype is right for most digits 0-3 (30 of these 40 starts)
}
