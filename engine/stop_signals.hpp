// SIGTERM and SIGINT (what batch schedulers, mpirun and Ctrl-C send) ask a run to stop at a
// checkpoint. The handler only records the signal number; the engine polls it.
#pragma once

namespace ptmc {

// The signal that asked this process to stop (SIGTERM or SIGINT), 0 if none has arrived.
int stop_signal();

// Installs the recording handler for SIGTERM and SIGINT for its lifetime (clearing any earlier
// signal), and puts the previous handlers back when it ends.
class SignalGuard {
 public:
  SignalGuard();
  ~SignalGuard();
  SignalGuard(const SignalGuard&) = delete;
  SignalGuard& operator=(const SignalGuard&) = delete;

 private:
  void (*old_term_)(int);
  void (*old_int_)(int);
};

}  // namespace ptmc
