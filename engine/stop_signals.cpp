#include "engine/stop_signals.hpp"

#include <atomic>
#include <csignal>

namespace ptmc {

namespace {
std::atomic<int> signal_received{0};
extern "C" void on_signal(int sig) { signal_received.store(sig); }
}  // namespace

int stop_signal() { return signal_received.load(); }

SignalGuard::SignalGuard() {
  signal_received.store(0);
  old_term_ = std::signal(SIGTERM, on_signal);
  old_int_ = std::signal(SIGINT, on_signal);
}

SignalGuard::~SignalGuard() {
  std::signal(SIGTERM, old_term_);
  std::signal(SIGINT, old_int_);
}

}  // namespace ptmc
