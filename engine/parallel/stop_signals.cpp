#include "engine/parallel/stop_signals.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sys/time.h>
#include <unistd.h>

#include "engine/parallel/mpi_context.hpp"

namespace ptmc {

namespace {

std::atomic<int> signal_received{0};
std::atomic<bool> from_parent{false};
// The setup message (owned by the SetupPhase alive), or null outside setup.
std::atomic<const std::string*> setup_message{nullptr};

constexpr int kResumable = 75;  // exit_checkpointed of engine/runner.hpp

void say(const char* text, std::size_t n) {
  ssize_t ignored = ::write(STDERR_FILENO, text, n);
  (void)ignored;
}

// "\n[ptmc] SIGTERM" + message, and exit: only async-signal-safe calls (write, _exit).
[[noreturn]] void stop_in_setup(const std::string* message) {
  const int sig = signal_received.load();
  const char* name = sig == SIGTERM ? "SIGTERM" : sig == SIGINT ? "SIGINT" : sig == SIGUSR1 ? "SIGUSR1" : "a signal";
  say("\n[ptmc] ", 8);
  say(name, std::strlen(name));
  say(message->data(), message->size());
  ::_exit(kResumable);
}

// Open MPI's launcher: mpirun starts the ranks of its own node, orted those of the others.
bool parent_is_mpirun() {
  std::string name;
  std::ifstream("/proc/" + std::to_string(::getppid()) + "/comm") >> name;
  return name == "mpirun" || name == "mpiexec" || name == "orterun" || name == "orted" || name == "prterun" ||
         name == "prted";
}

StopBoard* board = nullptr;  // the SharedStop's, while one lives (main thread only)

// The --max-time deadline (arm_setup_deadline): it ends a setup as a signal would, and does nothing
// elsewhere (between sweeps the engine checks the clock itself).
extern "C" void on_deadline(int) {
  if (const std::string* m = setup_message.load()) {
    say("\n[ptmc] --max-time", 18);
    say(m->data(), m->size());
    ::_exit(kResumable);
  }
}

extern "C" void on_signal(int sig, siginfo_t* info, void*) {
  int expected = 0;
  if (signal_received.compare_exchange_strong(expected, sig))
    from_parent.store(info != nullptr && info->si_pid != 0 && info->si_pid == ::getppid());
  if (const std::string* m = setup_message.load()) stop_in_setup(m);
}

constexpr int kSignals[] = {SIGTERM, SIGINT, SIGUSR1};

}  // namespace

struct SignalGuard::Saved {
  struct sigaction old[std::size(kSignals)];
};

void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  for (int sig : kSignals) sigaction(sig, &sa, nullptr);
}

void restore_default_signals() {
  for (int sig : kSignals) std::signal(sig, SIG_DFL);
  if (const int sig = signal_received.load()) std::raise(sig);
}

void arm_setup_deadline(double seconds) {
  if (!(seconds > 0)) return;
  struct sigaction sa {};
  sa.sa_handler = on_deadline;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGALRM, &sa, nullptr);
  itimerval timer{};
  timer.it_value.tv_sec = static_cast<time_t>(seconds);
  timer.it_value.tv_usec = static_cast<suseconds_t>((seconds - static_cast<double>(timer.it_value.tv_sec)) * 1e6);
  setitimer(ITIMER_REAL, &timer, nullptr);
}

int stop_signal() { return signal_received.load(); }
bool stop_signal_from_parent() { return from_parent.load(); }

std::string signal_name(int sig) {
  switch (sig) {
    case SIGTERM: return "SIGTERM";
    case SIGINT: return "SIGINT";
    case SIGUSR1: return "SIGUSR1";
    default: return "signal " + std::to_string(sig);
  }
}

SignalGuard::SignalGuard() : saved_(new Saved) {
  for (std::size_t k = 0; k < std::size(kSignals); ++k) sigaction(kSignals[k], nullptr, &saved_->old[k]);
  install_stop_handlers();
}

SignalGuard::~SignalGuard() {
  for (std::size_t k = 0; k < std::size(kSignals); ++k) sigaction(kSignals[k], &saved_->old[k], nullptr);
  delete saved_;
}

SharedStop::SharedStop() { board = new StopBoard; }

SharedStop::~SharedStop() {
  delete board;
  board = nullptr;
}

int job_stop_signal() {
  using Clock = std::chrono::steady_clock;
  static bool posted = false;
  static Clock::time_point next_read{};
  static int seen = 0;
  const int own = stop_signal();
  if (!board) return own;
  if (own != 0 && !posted) {
    board->raise(own);
    posted = true;
  }
  if (own != 0) return own;
  if (seen == 0 && Clock::now() >= next_read) {
    seen = board->read();
    next_read = Clock::now() + std::chrono::milliseconds(200);
  }
  return seen;
}

std::string job_stop_reason() {
  const int own = stop_signal();
  const int sig = mpi_max(own), count = mpi_sum(own != 0 ? 1 : 0), size = mpi_size();
  const int first = mpi_min(own != 0 ? mpi_rank() : size);
  const bool parent = mpi_max(own != 0 && stop_signal_from_parent() && parent_is_mpirun() ? 1 : 0) != 0;
  if (sig == 0) return "";
  std::string why = signal_name(sig);
  if (parent) why += " from mpirun";
  if (size > 1)
    why += count == 1 ? " on rank " + std::to_string(first) + " of " + std::to_string(size)
                      : " on " + std::to_string(count) + " of " + std::to_string(size) + " ranks";
  if (parent && sig != SIGUSR1)
    why += "; mpirun exits 1 after a SIGTERM or SIGINT of its own whatever the ranks return: send it SIGUSR1 "
           "instead for exit code 75";
  return why;
}

SetupPhase::SetupPhase(std::string message) : message_(std::move(message)) {
  setup_message.store(&message_);
  if (stop_signal() != 0) stop_in_setup(&message_);  // arrived before the phase began
}

SetupPhase::~SetupPhase() { setup_message.store(nullptr); }

}  // namespace ptmc
