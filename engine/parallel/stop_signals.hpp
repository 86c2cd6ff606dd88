// SIGTERM and SIGINT (what batch schedulers, srun and Ctrl-C send) and SIGUSR1 (what mpirun forwards
// to the ranks without killing them) ask a run to stop at a checkpoint. The handler only records
// the signal number; the engine polls it. While a task is being set up (its disorder and walkers
// built, which may take minutes for a large model and cannot stop half-way), a signal ends the process
// at once instead: nothing of that task exists yet, so nothing is lost (see SetupPhase).
#pragma once
#include <memory>
#include <string>

namespace ptmc {

// Installs the recording handler for SIGTERM, SIGINT and SIGUSR1. Called first thing in main, so
// that a signal that arrives while MPI starts or the parameter file is read is not lost.
void install_stop_handlers();

// Puts the default actions back (commands other than run stop at once), and if a signal arrived
// meanwhile, acts on it now.
void restore_default_signals();

// Ends a task's setup (as a signal does, see SetupPhase, with the message "--max-time") once `seconds`
// have passed from now: a large model's setup must not outlast --max-time. Outside a setup the
// deadline does nothing; the engine checks the clock between sweeps itself.
void arm_setup_deadline(double seconds);

// The signal that asked this process to stop, 0 if none has arrived.
int stop_signal();
// True when that signal came from the parent process (mpirun's daemon, which kills the ranks about
// a second after its own SIGTERM and then exits 1 whatever they return).
bool stop_signal_from_parent();
// This rank's signal or, while a SharedStop lives, one that reached another rank.
int job_stop_signal();
// Collective: why the job stopped, e.g. "SIGTERM on rank 1 of 2" or "SIGTERM from mpirun"; empty
// when no rank received a signal.
std::string job_stop_reason();
// "SIGTERM", "SIGINT", "SIGUSR1" or "signal N".
std::string signal_name(int sig);

// Installs the handlers for its lifetime (keeping any signal already recorded) and puts the
// previous ones back when it ends.
class SignalGuard {
 public:
  SignalGuard();
  ~SignalGuard();
  SignalGuard(const SignalGuard&) = delete;
  SignalGuard& operator=(const SignalGuard&) = delete;

 private:
  struct Saved;
  Saved* saved_;
};

class StopBoard;
// While one lives (created and destroyed by every rank together), a rank that received a signal
// posts it on a StopBoard and every rank reads the board (at most every 0.2 s): job_stop_signal().
class SharedStop {
 public:
  SharedStop();
  ~SharedStop();
  SharedStop(const SharedStop&) = delete;
  SharedStop& operator=(const SharedStop&) = delete;
};

// While one lives, a stop signal (or one already recorded when it starts) prints `message` to stderr
// and ends the process with exit code 75 at once: the setup of a task has written nothing, the
// task resumes from its last checkpoint (or its start) with --resume, and the other tasks are kept.
class SetupPhase {
 public:
  explicit SetupPhase(std::string message);
  ~SetupPhase();
  SetupPhase(const SetupPhase&) = delete;
  SetupPhase& operator=(const SetupPhase&) = delete;

 private:
  std::string message_;
};

}  // namespace ptmc
