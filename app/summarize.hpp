// `ptmc summarize OUT.h5`: one CSV row per sweep point and temperature.
#pragma once
#include <ostream>
#include <string>

namespace ptmc {
void print_summary_csv(const std::string& path, std::ostream& out);
}
