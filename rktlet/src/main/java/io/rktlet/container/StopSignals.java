package io.rktlet.container;

import io.rktlet.cri.v1.Signal;
import java.util.Map;

/** Linux x86_64 signal numbers of the CRI's stop signals. */
final class StopSignals {
  private static final int SIGRTMIN = 34;
  private static final int SIGRTMAX = 64;

  private static final Map<Signal, Integer> NUMBERS = Map.ofEntries(
      Map.entry(Signal.SIGHUP, 1), Map.entry(Signal.SIGINT, 2), Map.entry(Signal.SIGQUIT, 3),
      Map.entry(Signal.SIGILL, 4), Map.entry(Signal.SIGTRAP, 5), Map.entry(Signal.SIGABRT, 6),
      Map.entry(Signal.SIGIOT, 6), Map.entry(Signal.SIGBUS, 7), Map.entry(Signal.SIGFPE, 8),
      Map.entry(Signal.SIGKILL, 9), Map.entry(Signal.SIGUSR1, 10),
      Map.entry(Signal.SIGSEGV, 11), Map.entry(Signal.SIGUSR2, 12),
      Map.entry(Signal.SIGPIPE, 13), Map.entry(Signal.SIGALRM, 14),
      Map.entry(Signal.SIGTERM, 15), Map.entry(Signal.SIGSTKFLT, 16),
      Map.entry(Signal.SIGCHLD, 17), Map.entry(Signal.SIGCLD, 17),
      Map.entry(Signal.SIGCONT, 18), Map.entry(Signal.SIGSTOP, 19),
      Map.entry(Signal.SIGTSTP, 20), Map.entry(Signal.SIGTTIN, 21),
      Map.entry(Signal.SIGTTOU, 22), Map.entry(Signal.SIGURG, 23),
      Map.entry(Signal.SIGXCPU, 24), Map.entry(Signal.SIGXFSZ, 25),
      Map.entry(Signal.SIGVTALRM, 26), Map.entry(Signal.SIGPROF, 27),
      Map.entry(Signal.SIGWINCH, 28), Map.entry(Signal.SIGIO, 29),
      Map.entry(Signal.SIGPOLL, 29), Map.entry(Signal.SIGPWR, 30),
      Map.entry(Signal.SIGSYS, 31));

  private StopSignals() {}

  /** Returns the signal's number; the runtime's default is SIGTERM, as in containerd. */
  static int number(Signal signal) {
    if (signal == Signal.RUNTIME_DEFAULT || signal == Signal.UNRECOGNIZED) {
      return 15;
    }
    Integer number = NUMBERS.get(signal);
    if (number != null) {
      return number;
    }
    // SIGRTMIN, SIGRTMINPLUS1..15, SIGRTMAXMINUS14..1, SIGRTMAX follow each other in the enum.
    int offset = signal.getNumber() - Signal.SIGRTMIN.getNumber();
    return offset <= 15 ? SIGRTMIN + offset : SIGRTMAX - (Signal.SIGRTMAX.getNumber()
        - signal.getNumber());
  }
}
