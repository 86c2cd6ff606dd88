#include "engine/io/checkpoint.hpp"

#include "engine/io/durable_file.hpp"

#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <stdexcept>

namespace ptmc {

namespace {

// Version 3: SK's couplings are floats, and its walkers' cached fields sums of them; a version-2 SK
// walker holds fields of double couplings. Version 2: the generators' state is 8 lanes and a buffer
// (engine/sweep/rng.hpp); version 1 held one xoshiro256++ state per stream. This build continues
// neither.
constexpr char magic[8] = {'P', 'T', 'M', 'C', 'C', 'K', 'P', '3'};
constexpr char magic_v1[8] = {'P', 'T', 'M', 'C', 'C', 'K', 'P', '1'};
constexpr char magic_v2[8] = {'P', 'T', 'M', 'C', 'C', 'K', 'P', '2'};

struct Header {
  char magic[8];
  std::uint64_t point;
  std::int64_t sample;
  std::uint64_t fingerprint;
  std::int64_t sweeps;
  std::uint64_t size;
  std::uint64_t checksum;
};

}  // namespace

std::uint64_t fnv1a(const void* data, std::size_t size, std::uint64_t h) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t k = 0; k < size; ++k) h = (h ^ p[k]) * 0x100000001b3ULL;
  return h;
}

std::string checkpoint_file(const std::string& dir, const TaskId& id) {
  return fmt::format("{}/p{:04d}-s{:04d}.ckpt", dir, id.point, id.sample);
}

void write_checkpoint(const std::string& path, const Checkpoint& c) {
  Header h{};
  std::memcpy(h.magic, magic, sizeof magic);
  h.point = c.task.point;
  h.sample = c.task.sample;
  h.fingerprint = c.fingerprint;
  h.sweeps = c.sweeps;
  h.size = c.state.size();
  h.checksum = fnv1a(c.state.data(), c.state.size());
  std::vector<std::uint8_t> bytes(sizeof h + c.state.size());
  std::memcpy(bytes.data(), &h, sizeof h);
  if (!c.state.empty()) std::memcpy(bytes.data() + sizeof h, c.state.data(), c.state.size());
  write_file_durably(path, bytes);
}

std::optional<Checkpoint> read_checkpoint(const std::string& path, std::uint64_t fingerprint) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  Header h{};
  in.read(reinterpret_cast<char*>(&h), sizeof h);
  if (in && std::memcmp(h.magic, magic_v1, sizeof magic_v1) == 0)
    throw std::runtime_error(fmt::format("{}: checkpoint of an older ptmc (its random streams were one xoshiro256++ each, "
                                         "now 8 lanes); run without --resume to start over", path));
  if (in && std::memcmp(h.magic, magic_v2, sizeof magic_v2) == 0)
    throw std::runtime_error(fmt::format("{}: checkpoint of an older ptmc (version 2, before SK's couplings were stored as "
                                         "float); run without --resume to start over", path));
  if (!in || std::memcmp(h.magic, magic, sizeof magic) != 0)
    throw std::runtime_error(fmt::format("{}: not a ptmc checkpoint", path));
  if (h.fingerprint != fingerprint)
    throw std::runtime_error(fmt::format("{}: checkpoint of a different parameter file; run without --resume to start over", path));
  std::error_code ec;
  const auto file_size = std::filesystem::file_size(path, ec);
  if (ec || h.size > file_size - sizeof h)  // a corrupt size must not become a huge allocation
    throw std::runtime_error(fmt::format("{}: checkpoint is truncated or corrupt", path));
  Checkpoint c;
  c.task = TaskId{static_cast<std::size_t>(h.point), h.sample};
  c.fingerprint = h.fingerprint;
  c.sweeps = h.sweeps;
  c.state.resize(h.size);
  in.read(reinterpret_cast<char*>(c.state.data()), static_cast<std::streamsize>(h.size));
  if (!in || fnv1a(c.state.data(), c.state.size()) != h.checksum)
    throw std::runtime_error(fmt::format("{}: checkpoint is truncated or corrupt", path));
  return c;
}

}  // namespace ptmc
