"""Running the reading of an uploaded file in a child process with a time and a memory cap.

A hostile workbook may make a parser allocate without end, abort (a Rust allocation failure is SIGABRT,
not an exception) or run for minutes. In a child, that ends the child only: the app server, or the
command line, reports it and writes nothing. The child is forked when the calling process has a single
thread (the command line: a fork costs milliseconds), and comes from a fork server otherwise (Streamlit's
server runs threads, which a fork would copy in whatever state they hold their locks).
"""

import functools
import multiprocessing
import resource
import signal
import threading
import traceback
from multiprocessing import forkserver

SECONDS = 20  # CPU seconds the reading may use: a 100,000-row upload reads in about 3 s
# On a busy server the child waits for a core without using its seconds, so the clock gives it much longer: a
# limit on wall time alone refused honest files when dozens uploaded at once on two cores (bench/README.md).
PATIENCE = 6
MEMORY_BYTES = 1024 * 1024 * 1024  # address space the child may add to what it has mapped when it starts

_SERVER = multiprocessing.get_context("forkserver")
_PRELOAD = ["data_model.validation"]
_SERVER.set_forkserver_preload(_PRELOAD)


@functools.cache
def preload(*modules: str) -> None:
    """Have the fork server import `modules` once, and start it now in the background (once per process; call it
    before the first capped()), so that the first upload does not wait the second or so those imports take.

    Each of its children is prepared as multiprocessing prepares a spawned process: it runs the parent's main
    script again, as __mp_main__. The app's script (app.py) only imports when it is not __main__, so with the app
    preloaded here those imports are already done: without it, each upload's child spent about 1.5 s of CPU
    importing Streamlit, pandas and the rest of the app again."""
    _SERVER.set_forkserver_preload([*_PRELOAD, *modules])
    threading.Thread(target=forkserver.ensure_running, name="forkserver-start", daemon=True).start()


class WorkerFailed(Exception):
    """The child ran out of time, or died (out of memory, or aborted by a parser); it returned nothing."""

    def __init__(self, timed_out: bool):
        super().__init__(timed_out)
        self.timed_out = timed_out


def capped(function, *args):
    """function(*args) in a child process within SECONDS of CPU (and PATIENCE times as long by the clock) and
    MEMORY_BYTES; raises WorkerFailed, or what the function raised. The function, its arguments and its result
    must be picklable."""
    context = multiprocessing.get_context("fork") if threading.active_count() == 1 else _SERVER
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(sender, function, args), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(SECONDS * PATIENCE):
            raise WorkerFailed(timed_out=True)
        try:
            ok, value = receiver.recv()
        except EOFError:  # the child died before it answered: out of CPU time (SIGXCPU), of memory, or aborted
            child.join(1)
            raise WorkerFailed(timed_out=child.exitcode == -signal.SIGXCPU) from None
    finally:
        receiver.close()
        child.join(1)
        if child.is_alive():
            child.kill()
            child.join()
    if not ok:
        raise value
    return value


def _run(sender, function, args) -> None:
    with open("/proc/self/statm") as statm:
        mapped = int(statm.read().split()[0]) * resource.getpagesize()
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = mapped + MEMORY_BYTES
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    resource.setrlimit(resource.RLIMIT_CPU, (SECONDS, SECONDS + 1))  # SIGXCPU at SECONDS, SIGKILL a second later
    try:
        answer = (True, function(*args))
    except MemoryError:
        answer = (False, WorkerFailed(timed_out=False))
    # A bug, not the file: the caller raises it, with the child's traceback logged.
    except Exception as exc:  # noqa: BLE001
        traceback.print_exc()
        answer = (False, RuntimeError(f"{type(exc).__name__}: {exc}"))
    sender.send(answer)
    sender.close()
