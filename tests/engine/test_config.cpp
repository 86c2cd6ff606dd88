// Parameter files: sweeps and ladders expand as documented, and every kind of bad input is a
// ParamError naming file, line and key (never a crash or a different exception, even for garbage).
#include <cmath>
#include <doctest/doctest.h>
#include <string>

#include "engine/params/config.hpp"
#include "engine/params/param_error.hpp"
#include "models/registry.hpp"

using namespace ptmc;

namespace {

Config parse(const std::string& text) { return parse_config_text(text, "test.toml", model_schemas()); }

const std::string valid = R"([model]
name = "sk"
N = [8, 16]
couplings = ["gaussian", "bimodal"]

[tempering]
beta = { min = 0.5, max = 2.0, count = 4, spacing = "geometric" }
replicas = 3
swap_every = 2

[run]
dynamics = "heat_bath"
order = "sequential"
sweeps = 100
thermalization = 10
measure_every = 5
samples = 4
seed = 77

[output]
flush_seconds = 5
)";

// Expects a ParamError whose message starts with test.toml:LINE: and mentions `key`.
void expect_error(const std::string& text, int line, const std::string& key, const std::string& fragment = "") {
  CAPTURE(text);
  try {
    parse(text);
    FAIL("expected a ParamError");
  } catch (const ParamError& e) {
    const std::string what = e.what();
    CAPTURE(what);
    CHECK(what.rfind("test.toml:" + std::to_string(line) + ":", 0) == 0);
    CHECK(what.find(key) != std::string::npos);
    if (!fragment.empty()) CHECK(what.find(fragment) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("a valid file expands into the Cartesian sweep in file order") {
  const Config c = parse(valid);
  CHECK(c.model_name == "sk");
  REQUIRE(c.points.size() == 4);
  CHECK(c.swept_keys == std::vector<std::string>{"N", "couplings"});
  // N is the outer loop (written first), couplings the inner one.
  CHECK(c.point_reader(0).integer("N") == 8);
  CHECK(c.point_reader(0).text("couplings") == "gaussian");
  CHECK(c.point_reader(1).text("couplings") == "bimodal");
  CHECK(c.point_reader(2).integer("N") == 16);
  REQUIRE(c.tempering.beta.size() == 4);
  CHECK(c.tempering.beta[0] == doctest::Approx(0.5));
  CHECK(c.tempering.beta[1] == doctest::Approx(0.5 * std::pow(4.0, 1.0 / 3)));
  CHECK(c.tempering.beta[3] == doctest::Approx(2.0));
  CHECK(c.tempering.replicas == 3);
  CHECK(c.tempering.swap_every == 2);
  CHECK(c.run.dynamics == Dynamics::heat_bath);
  CHECK(c.run.order == SweepOrder::sequential);
  CHECK(c.run.samples == 4);
  CHECK(c.run.seed == 77);
  CHECK(c.output.flush_seconds == 5.0);
}

TEST_CASE("defaults, sorted ladders, inf and step ranges") {
  const Config c = parse("[model]\nname = \"curie_weiss\"\nN = { min = 10, max = 30, step = 10 }\n"
                         "[tempering]\nbeta = [inf, 2, 0.5]\n");
  REQUIRE(c.points.size() == 3);
  CHECK(c.point_reader(2).integer("N") == 30);
  CHECK(c.point_reader(0).text("init") == "random");
  CHECK(c.tempering.beta == std::vector<double>{0.5, 2.0, INFINITY});
  CHECK(c.run.dynamics == Dynamics::metropolis);
  CHECK(c.tempering.replicas == 2);
}

TEST_CASE("every kind of mistake names file, line and key") {
  const std::string head = "[model]\nname = \"curie_weiss\"\n";
  const std::string ladder = "[tempering]\nbeta = [0.5, 1.0]\n";
  expect_error(head + "N = 1\n" + ladder, 3, "[model] N", "out of range");
  expect_error(head + "N = \"many\"\n" + ladder, 3, "[model] N", "expected integer");
  expect_error(head + "N = 8\ncolour = 3\n" + ladder, 4, "[model] colour", "unknown key");
  expect_error(head + ladder, 1, "[model] N", "required");
  expect_error(head + "N = 8\ninit = \"down\"\n" + ladder, 4, "[model] init", "\"random\"");
  expect_error("[model]\nname = \"hopfeld\"\nN = 8\n" + ladder, 2, "[model] name", "unknown model");
  expect_error(head + "N = []\n" + ladder, 3, "[model] N", "empty");
  expect_error(head + "N = 8\n[tempering]\nbeta = { min = 2, max = 1, count = 3 }\n", 5, "[tempering] beta");
  expect_error(head + "N = 8\n[tempering]\nbeta = { min = 0, max = 1, count = 3, spacing = \"geometric\" }\n", 5,
               "[tempering] beta", "min > 0");
  expect_error(head + "N = 8\n[tempering]\nbeta = [1.0, 1.0]\n", 5, "[tempering] beta", "distinct");
  expect_error(head + "N = 8\n[tempering]\nbeta = [-1.0]\n", 5, "[tempering] beta", ">= 0");
  expect_error(head + "N = 8\n" + ladder + "replicas = 0\n", 6, "[tempering] replicas");
  expect_error(head + "N = 8\n" + ladder + "[run]\nsweeps = [10, 20]\n", 7, "[run] sweeps", "cannot be swept");
  expect_error(head + "N = 8\n" + ladder + "[run]\ndynamics = \"glauber\"\n", 7, "[run] dynamics", "heat_bath");
  expect_error(head + "N = 8\n" + ladder + "[runs]\nsweeps = 10\n", 6, "runs", "unknown section");
  expect_error(head + "N = 8\n" + ladder + "[output]\nflush_seconds = 0\n", 7, "[output] flush_seconds");
  expect_error("[model]\nname = \"curie_weiss\nN = 8\n", 2, "", "invalid TOML");
}

TEST_CASE("mutated parameter files give ParamError or parse, never anything else") {
  // A deterministic fuzz: deletions, duplications and character replacements of a valid file.
  Rng rng(StreamKey{2024, 0, 0, 0, StreamPurpose::test_data});
  const std::string alphabet = "[]{}=,.\"'#\n 0123456789-+einfatrusl_";
  int parsed = 0, rejected = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string t = valid;
    const int edits = 1 + static_cast<int>(rng.below(4));
    for (int e = 0; e < edits; ++e) {
      const auto at = rng.below(static_cast<std::uint32_t>(t.size()));
      switch (rng.below(3)) {
        case 0: t.erase(at, 1 + rng.below(6)); break;
        case 1: t.insert(at, t.substr(rng.below(static_cast<std::uint32_t>(t.size())), 1 + rng.below(12))); break;
        default: t[at] = alphabet[rng.below(static_cast<std::uint32_t>(alphabet.size()))]; break;
      }
    }
    try {
      const Config c = parse(t);
      ++parsed;
      REQUIRE(!c.points.empty());
      REQUIRE(!c.tempering.beta.empty());
    } catch (const ParamError& e) {
      ++rejected;
      REQUIRE(std::string(e.what()).rfind("test.toml:", 0) == 0);
    }
  }
  CHECK(parsed > 0);
  CHECK(rejected > 0);
}
