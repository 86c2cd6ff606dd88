// `ptmc status OUT.h5`: where a run stands, whether it is running, finished or was stopped: tasks
// done, running and pending, sweeps done of those planned, the rate, the time left, and which
// points fail the equilibration check so far.
#pragma once
#include <ostream>
#include <string>

namespace ptmc {
void print_status(const std::string& path, std::ostream& out);
}
