#include "engine/io/durable_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <stdexcept>
#include <sys/statvfs.h>
#include <unistd.h>
#include <vector>

namespace ptmc {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, int err) {
  throw std::runtime_error(fmt::format("cannot {} {}: {}", what, path, std::strerror(err)));
}

// Closes the descriptor and, unless released, removes the temporary file it writes.
class TempFile {
 public:
  explicit TempFile(std::string path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) fail("create", path_, errno);
  }
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!kept_) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  void write(const void* data, std::size_t n) {
    const auto* p = static_cast<const char*>(data);
    while (n > 0) {
      const ssize_t w = ::write(fd_, p, n);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) fail("write", path_, errno);
      p += w;
      n -= static_cast<std::size_t>(w);
    }
  }
  // fsync, close, rename over `to`, fsync of the folder.
  void commit(const std::string& to) {
    if (::fsync(fd_) != 0) fail("sync", path_, errno);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail("close", path_, errno);
    if (::rename(path_.c_str(), to.c_str()) != 0) fail("rename into place", to, errno);
    kept_ = true;
    sync_parent_dir(to);
  }

 private:
  std::string path_;
  int fd_ = -1;
  bool kept_ = false;
};

}  // namespace

void copy_file_durably(const std::string& from, const std::string& to) {
  const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) fail("open", from, errno);
  try {
    TempFile out(to + ".tmp");
    std::vector<char> buffer(1 << 20);
    for (;;) {
      const ssize_t r = ::read(in, buffer.data(), buffer.size());
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) fail("read", from, errno);
      if (r == 0) break;
      out.write(buffer.data(), static_cast<std::size_t>(r));
    }
    out.commit(to);
  } catch (...) {
    ::close(in);
    throw;
  }
  ::close(in);
}

void write_file_durably(const std::string& path, std::span<const std::uint8_t> bytes) {
  TempFile out(path + ".tmp");
  out.write(bytes.data(), bytes.size());
  out.commit(path);
}

void sync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("open", path, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) fail("sync", path, err);
}

void sync_parent_dir(const std::string& path) {
  const std::string dir = fs::path(path).parent_path().string();
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // best effort: some file systems cannot open a folder
  ::fsync(fd);
  ::close(fd);
}

std::uint64_t free_bytes(const std::string& path) {
  fs::path p = path;
  std::error_code ec;
  while (!p.empty() && !fs::exists(p, ec)) p = p.parent_path();
  struct statvfs s {};
  if (::statvfs(p.empty() ? "." : p.c_str(), &s) != 0) return UINT64_MAX;  // unknown: do not refuse
  return static_cast<std::uint64_t>(s.f_bavail) * static_cast<std::uint64_t>(s.f_frsize);
}

std::string human_bytes(std::uint64_t bytes) {
  const double b = static_cast<double>(bytes);
  if (b >= 1e9) return fmt::format("{:.1f} GB", b / 1e9);
  if (b >= 1e6) return fmt::format("{:.1f} MB", b / 1e6);
  if (b >= 1e3) return fmt::format("{:.1f} kB", b / 1e3);
  return fmt::format("{} B", bytes);
}

}  // namespace ptmc
