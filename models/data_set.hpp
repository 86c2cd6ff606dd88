// Labelled image data sets (Fashion-MNIST's IDX files, an HDF5 file of images and labels, or a CSV
// file such as scikit-learn's 8 x 8 digits) and what the Hebbian models take from them: the classes
// chosen, M examples per class drawn from the disorder stream, pixels cropped, pooled and binarised
// to ±1, and each class's empirical archetype (the sign of the mean of all its binarised images).
//
// Formats (gzip-compressed or not, recognised from the content, not the name):
//   IDX   images: magic 0x0000TTDD (T the element type: u8, i8, i16, i32, f32, f64; D = 3 dims
//         count x rows x cols, or 2 dims count x n with n a square), big-endian; labels: a 1-dim
//         integer IDX file named separately.
//   HDF5  datasets `images` (count x rows x cols, or count x n with n a square) and `labels` (count
//         integers), names configurable.
//   CSV   one image per line, its pixels then its label, n pixels a square (digits.csv.gz).
// Errors are DataSetError and name the file, what was found and what was expected.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/sweep/rng.hpp"

namespace ptmc {

struct DataSetError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Where the images are. labels is the IDX labels file (IDX images only); images_name and labels_name
// are the dataset names in an HDF5 file.
struct DataSetSource {
  std::string images, labels;
  std::string images_name = "images", labels_name = "labels";
  bool operator==(const DataSetSource&) const = default;
};

struct LabelledImages {
  std::string source;  // the file(s), for messages
  int count = 0, rows = 0, cols = 0;
  std::vector<float> pixels;  // [k * rows * cols + y * cols + x]
  std::vector<int> labels;    // [k]
  float min = 0, max = 0;     // pixel range over the whole file
  std::span<const float> image(int k) const {
    const std::size_t n = static_cast<std::size_t>(rows) * cols;
    return {pixels.data() + static_cast<std::size_t>(k) * n, n};
  }
};

// Reads one data set (format from the content); throws DataSetError.
LabelledImages read_images(const DataSetSource& src);
// The same, read once per process and shared (runs draw many disorder samples from one file).
std::shared_ptr<const LabelledImages> cached_images(const DataSetSource& src);
// The bytes a data set holds once read (pixels as float, labels); 0 when src names none. For the
// memory estimates: one copy per process, which every task on the rank shares.
double data_set_bytes(const DataSetSource& src);

enum class Binarise { threshold, median };
// Crop `crop` pixels off every border, average pool x pool blocks (rows and columns that do not
// fill a block are dropped), then σ = +1 where the value is above the threshold (min + threshold
// (max - min) of the file's range) or above the image's own median, else -1.
struct Preprocess {
  int crop = 0, pool = 1;
  Binarise binarise = Binarise::threshold;
  double threshold = 0.5;
  bool operator==(const Preprocess&) const = default;
};
// Side lengths after crop and pool; throws DataSetError when nothing is left.
int preprocessed_rows(const LabelledImages& d, const Preprocess& pp);
int preprocessed_cols(const LabelledImages& d, const Preprocess& pp);
inline int preprocessed_size(const LabelledImages& d, const Preprocess& pp) {
  return preprocessed_rows(d, pp) * preprocessed_cols(d, pp);
}
// Image k as N = preprocessed_size spins ±1.
std::vector<std::int8_t> binarise_image(const LabelledImages& d, int k, const Preprocess& pp);

// The distinct labels, ascending.
std::vector<int> label_values(const LabelledImages& d);
// Indices of the images of each class, in file order.
std::vector<std::vector<int>> class_members(const LabelledImages& d, std::span<const int> classes);
// M distinct images of each class, drawn from rng (a partial Fisher-Yates shuffle per class, classes
// in order, M draws rng.below each); throws DataSetError when a class has fewer than M images.
std::vector<std::vector<int>> draw_examples(const LabelledImages& d, std::span<const int> classes, int M, Rng& rng);

// Empirical archetypes and the data set's example quality, over all images of the classes:
// xi[c][i] = sign(mean of binarised images of class c at site i) (+1 on a tie), and
// r = mean over those images of ξ^c·η/N (η an image of class c), so that ρ = (1 - r²)/(M r²) as for
// random examples of quality r.
struct ClassStatistics {
  std::vector<std::vector<std::int8_t>> xi;  // [class][site]
  std::vector<double> r_class;               // [class] mean ξ^c·η/N over the class's images
  double r = 0;                              // over all the classes' images
};
ClassStatistics class_statistics(const LabelledImages& d, std::span<const int> classes, const Preprocess& pp);

}  // namespace ptmc
