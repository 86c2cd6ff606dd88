#include "engine/checkpoint.hpp"

#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace ptmc {

namespace {

// Version 2: the generators' state is 8 lanes and a buffer (engine/rng.hpp); version 1 held one
// xoshiro256++ state per stream, which this build cannot continue.
constexpr char magic[8] = {'P', 'T', 'M', 'C', 'C', 'K', 'P', '2'};
constexpr char magic_v1[8] = {'P', 'T', 'M', 'C', 'C', 'K', 'P', '1'};

struct Header {
  char magic[8];
  std::uint64_t point;
  std::int64_t sample;
  std::uint64_t fingerprint;
  std::int64_t sweeps;
  std::uint64_t size;
  std::uint64_t checksum;
};

void write_all(int fd, const void* data, std::size_t n, const std::string& path) {
  const auto* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) throw std::runtime_error(fmt::format("cannot write checkpoint {}: {}", path, std::strerror(errno)));
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

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
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw std::runtime_error(fmt::format("cannot create checkpoint {}: {}", tmp, std::strerror(errno)));
  write_all(fd, &h, sizeof h, tmp);
  write_all(fd, c.state.data(), c.state.size(), tmp);
  if (::fsync(fd) != 0 || ::close(fd) != 0)
    throw std::runtime_error(fmt::format("cannot sync checkpoint {}: {}", tmp, std::strerror(errno)));
  std::filesystem::rename(tmp, path);
  const std::string dir = std::filesystem::path(path).parent_path().string();
  const int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);  // the rename itself is durable
    ::close(dfd);
  }
}

std::optional<Checkpoint> read_checkpoint(const std::string& path, std::uint64_t fingerprint) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  Header h{};
  in.read(reinterpret_cast<char*>(&h), sizeof h);
  if (in && std::memcmp(h.magic, magic_v1, sizeof magic_v1) == 0)
    throw std::runtime_error(fmt::format("{}: checkpoint of an older ptmc (its random streams were one xoshiro256++ each, "
                                         "now 8 lanes); run without --resume to start over", path));
  if (!in || std::memcmp(h.magic, magic, sizeof magic) != 0)
    throw std::runtime_error(fmt::format("{}: not a ptmc checkpoint", path));
  if (h.fingerprint != fingerprint)
    throw std::runtime_error(fmt::format("{}: checkpoint of a different parameter file; run without --resume to start over", path));
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
