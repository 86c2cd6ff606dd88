// Checkpoint files: a round trip, and the errors a user sees for a file that is corrupt, belongs to
// another parameter file, or was written by a ptmc whose random streams this build cannot continue.
#include <doctest/doctest.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "engine/io/checkpoint.hpp"

using namespace ptmc;

namespace {

std::string scratch_file(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("ptmc_test_checkpoint_" + name)).string();
}

Checkpoint example() {
  Checkpoint c;
  c.task = TaskId{3, 5};
  c.fingerprint = 0x1234;
  c.sweeps = 777;
  for (int k = 0; k < 1000; ++k) c.state.push_back(static_cast<std::uint8_t>(k * 7));
  return c;
}

std::string message_of(const std::string& path, std::uint64_t fingerprint) {
  try {
    read_checkpoint(path, fingerprint);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a checkpoint reads back as written; no file is no checkpoint") {
  const auto path = scratch_file("roundtrip");
  const Checkpoint c = example();
  write_checkpoint(path, c);
  const auto r = read_checkpoint(path, c.fingerprint);
  REQUIRE(r.has_value());
  CHECK(r->task.point == 3);
  CHECK(r->task.sample == 5);
  CHECK(r->sweeps == 777);
  CHECK(r->state == c.state);
  std::remove(path.c_str());
  CHECK_FALSE(read_checkpoint(path, c.fingerprint).has_value());
}

TEST_CASE("corrupt, foreign and old checkpoints are refused with a reason") {
  const auto path = scratch_file("refused");
  const Checkpoint c = example();
  write_checkpoint(path, c);
  CHECK(message_of(path, c.fingerprint + 1).find("different parameter file") != std::string::npos);
  {  // one byte of the state changed
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(-10, std::ios::end);
    f.put('\x55');
  }
  CHECK(message_of(path, c.fingerprint).find("truncated or corrupt") != std::string::npos);
  {  // version 1 (one xoshiro256++ state per stream, before the 8-lane generator)
    write_checkpoint(path, c);
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(7);
    f.put('1');
  }
  CHECK(message_of(path, c.fingerprint).find("older ptmc") != std::string::npos);
  {  // version 2 (SK's couplings in double)
    write_checkpoint(path, c);
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(7);
    f.put('2');
  }
  CHECK(message_of(path, c.fingerprint).find("version 2") != std::string::npos);
  {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f << "not a checkpoint at all, but long enough to fill a header";
  }
  CHECK(message_of(path, c.fingerprint).find("not a ptmc checkpoint") != std::string::npos);
  std::remove(path.c_str());
}
