// A small RAII layer over the HDF5 C API: owned ids, and free functions to write and read
// attributes and datasets. Nothing else in ptmc includes hdf5.h.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ptmc::h5 {

using hid = std::int64_t;  // hid_t in HDF5 1.10

// Owns one HDF5 identifier and closes it with the right H5*close.
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid id) : id_(id) {}
  Handle(Handle&& o) noexcept : id_(o.id_) { o.id_ = -1; }
  Handle& operator=(Handle&& o) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle();
  hid id() const { return id_; }
  bool valid() const { return id_ >= 0; }

 private:
  hid id_ = -1;
};

enum class Mode { create, read, read_write };

Handle open_file(const std::string& path, Mode mode);
void flush(const Handle& file);

Handle create_group(const Handle& parent, const std::string& path);  // creates intermediate groups
Handle open_group(const Handle& parent, const std::string& path);
bool exists(const Handle& parent, const std::string& path);
std::vector<std::string> children(const Handle& group);  // names of links, sorted
// The file an external link named `name` in `group` points to; nullopt for any other kind of link.
std::optional<std::string> external_link_file(const Handle& group, const std::string& name);
// A link `path` (intermediate groups created) to object `object` in another file, resolved when read;
// a relative `file` is looked up next to the file holding the link.
void external_link(const Handle& parent, const std::string& path, const std::string& file, const std::string& object);
// True when `path` exists and resolves (an external link to a missing file does not).
bool resolves(const Handle& parent, const std::string& path);

// Attributes on a group or dataset.
void write_attr(const Handle& obj, const std::string& name, const std::string& value);
void write_attr(const Handle& obj, const std::string& name, double value);
void write_attr(const Handle& obj, const std::string& name, std::int64_t value);
void write_attr(const Handle& obj, const std::string& name, std::span<const double> values);
bool has_attr(const Handle& obj, const std::string& name);
std::string read_attr_string(const Handle& obj, const std::string& name);
double read_attr_double(const Handle& obj, const std::string& name);
std::int64_t read_attr_int(const Handle& obj, const std::string& name);
std::vector<std::string> attr_names(const Handle& obj);
// Attribute rendered as text whatever its type (numbers as %.17g), for CSV output.
std::string read_attr_text(const Handle& obj, const std::string& name);

// Fixed datasets, any rank (shape given; data row-major).
void write(const Handle& parent, const std::string& name, std::span<const double> data, std::vector<std::uint64_t> shape);
void write(const Handle& parent, const std::string& name, std::span<const std::int64_t> data, std::vector<std::uint64_t> shape);
void write(const Handle& parent, const std::string& name, const std::string& text);

std::vector<double> read_doubles(const Handle& parent, const std::string& name);
std::vector<std::int64_t> read_ints(const Handle& parent, const std::string& name);
std::vector<std::uint64_t> shape(const Handle& parent, const std::string& name);
// The dataset's element type in words ("32-bit float", "8-bit unsigned integer", "variable-length string").
std::string type_name(const Handle& parent, const std::string& name);
// Reads the data of every dataset under `group` and throws naming the first that cannot be read
// (a compressed chunk caught mid-write copies whole but fails to decompress).
void read_every_dataset(const Handle& group);

// A dataset that grows along its first axis, chunked, for time series written while a run goes on.
class Appendable {
 public:
  enum class Type { f64, i32 };
  Appendable() = default;
  // Rows have shape row_shape; chunks hold chunk_rows rows.
  Appendable(const Handle& parent, const std::string& name, Type type, std::vector<std::uint64_t> row_shape,
             std::uint64_t chunk_rows);
  // Opens an existing appendable dataset and keeps only its first keep_rows rows (resuming a run
  // from a checkpoint discards what was written after it).
  static Appendable open_existing(const Handle& parent, const std::string& name, Type type, std::uint64_t keep_rows);
  void append(std::span<const double> rows);        // whole rows, f64 datasets
  void append(std::span<const std::int32_t> rows);  // whole rows, i32 datasets
  std::uint64_t rows() const { return rows_; }

 private:
  void append_raw(const void* data, std::size_t count);
  Handle dataset_;
  Type type_ = Type::f64;
  std::vector<std::uint64_t> row_shape_;
  std::uint64_t row_size_ = 1, rows_ = 0;
};

// HDF5 errors are turned into std::runtime_error with this prefix; the library's own stack printing
// is switched off.
void silence_library_errors();

}  // namespace ptmc::h5
