"""Finding and running the trygg program.

No QGIS import here beyond duck typing: `feedback` is anything with
setProgress, setProgressText, pushInfo, reportError and isCanceled
(QgsProcessingFeedback), so this module is tested without QGIS too.
"""

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import threading
import time

# Processing setting holding the path of the trygg program (empty = PATH).
SETTING_EXECUTABLE = "TRYGG_EXECUTABLE"
# Environment variable consulted after the setting and before PATH.
ENV_EXECUTABLE = "TRYGG_EXECUTABLE"


class TryggError(Exception):
    """trygg failed; the message is trygg's own error text."""

    def __init__(self, message, returncode=None):
        super().__init__(message)
        self.returncode = returncode


class TryggCanceled(Exception):
    """The user canceled; the process was killed."""


def find_trygg(setting_value=None):
    """The trygg program: the Processing setting, else $TRYGG_EXECUTABLE, else PATH. None if nowhere."""
    for candidate in (setting_value, os.environ.get(ENV_EXECUTABLE)):
        if candidate:
            candidate = os.path.expanduser(candidate)
            if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                return candidate
            found = shutil.which(candidate)
            if found:
                return found
    return shutil.which("trygg")


def methods_json(executable, timeout=60):
    """`trygg methods --json` as a dict."""
    out = subprocess.run([executable, "methods", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         timeout=timeout, check=False)
    if out.returncode != 0:
        raise TryggError(out.stderr.decode("utf-8", "replace").strip() or "trygg methods --json failed",
                         out.returncode)
    return json.loads(out.stdout.decode("utf-8"))


def has_command(executable, name, timeout=30):
    """True when `trygg --help` lists the subcommand `name` (e.g. report, which older trygg versions lack).

    (`trygg report --help` is no test: an unknown subcommand followed by --help prints the main help and exits 0.)
    """
    try:
        out = subprocess.run([executable, "--help"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    in_list = False
    for line in out.stdout.decode("utf-8", "replace").splitlines():
        if line.strip().lower().startswith("subcommands"):
            in_list = True
            continue
        if in_list and line.startswith("  ") and line.split()[:1] == [name]:
            return True
    return False


def has_option(executable, command, option, timeout=30):
    """True when `trygg <command...> --help` mentions `option` (e.g. run --no-report)."""
    try:
        out = subprocess.run([executable] + list(command) + ["--help"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return out.returncode == 0 and re.search(r"(^|[\s,])" + re.escape(option) + r"\b", out.stdout.decode("utf-8", "replace")) is not None


def parse_progress(line):
    """The object of a `--progress=json` line, or None for any other line."""
    line = line.strip()
    if not line.startswith("{"):
        return None
    try:
        obj = json.loads(line)
    except ValueError:
        return None
    if isinstance(obj, dict) and "progress" in obj:
        return obj
    return None


class ProgressMapper:
    """Maps trygg's per-stage progress onto one 0..100 bar.

    `stages` is how many stages the command is expected to have (trygg hotspots:
    3); with None, or once trygg goes past it, the bar shows the current stage.
    """

    def __init__(self, stages=None):
        self.stages = stages
        self.first_step = None

    def percent(self, event):
        fraction = min(max(float(event.get("progress", 0.0)), 0.0), 1.0)
        step = int(event.get("step", 1))
        if self.first_step is None:
            self.first_step = step
        index = step - self.first_step
        if not self.stages or index >= self.stages:
            return 100.0 * fraction
        return 100.0 * (index + fraction) / self.stages


def _kill_tree(proc, grace=2.0):
    """Ends trygg and anything it started (its own process group): TERM, then KILL."""
    if proc.poll() is not None:
        return
    try:
        pgid = os.getpgid(proc.pid)
    except ProcessLookupError:
        return
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _reader(stream, name, q):
    for raw in iter(stream.readline, b""):
        q.put((name, raw.decode("utf-8", "replace").rstrip("\r\n")))
    stream.close()
    q.put((name, None))


def run_trygg(executable, args, feedback=None, stages=None, cwd=None, on_start=None, poll=0.1):
    """Runs `trygg --progress=json <args>`, relaying progress and messages to `feedback`.

    stdout lines go to the log as they are; stderr lines are progress (JSON) or
    messages, which go to the log verbatim (errors via reportError). Returns
    (returncode, stdout lines, stderr message lines). Raises TryggCanceled after
    killing the process when feedback.isCanceled() becomes true, TryggError when
    trygg exits with a non-zero code (the message is trygg's error text).
    """
    cmd = [executable, "--progress=json"] + [str(a) for a in args]
    if feedback is not None:
        line = " ".join(_quote(c) for c in cmd)
        if hasattr(feedback, "pushCommandInfo"):
            feedback.pushCommandInfo(line)
        else:
            feedback.pushInfo(line)
    env = dict(os.environ)
    env.setdefault("LC_NUMERIC", "C")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            cwd=cwd, env=env, start_new_session=True)
    if on_start is not None:
        on_start(proc)
    q = queue.Queue()
    threads = [threading.Thread(target=_reader, args=(proc.stdout, "out", q), daemon=True),
               threading.Thread(target=_reader, args=(proc.stderr, "err", q), daemon=True)]
    for t in threads:
        t.start()
    mapper = ProgressMapper(stages)
    out_lines, err_lines = [], []
    open_streams = 2
    try:
        while open_streams:
            if feedback is not None and feedback.isCanceled():
                _kill_tree(proc)
                raise TryggCanceled("canceled: the trygg process was stopped")
            try:
                name, line = q.get(timeout=poll)
            except queue.Empty:
                continue
            if line is None:
                open_streams -= 1
                continue
            if name == "err":
                event = parse_progress(line)
                if event is not None:
                    if feedback is not None:
                        if event.get("stage"):
                            feedback.setProgressText(str(event["stage"]))
                        feedback.setProgress(mapper.percent(event))
                    continue
                if not line.strip():
                    continue
                err_lines.append(line)
                if feedback is not None:
                    if line.startswith("trygg:") and "error" in line:
                        feedback.reportError(line, False)
                    else:
                        feedback.pushInfo(line)
            else:
                out_lines.append(line)
                if feedback is not None:
                    feedback.pushInfo(line)
        while True:
            try:
                rc = proc.wait(timeout=poll)
                break
            except subprocess.TimeoutExpired:
                if feedback is not None and feedback.isCanceled():
                    _kill_tree(proc)
                    raise TryggCanceled("canceled: the trygg process was stopped")
    except BaseException:
        _kill_tree(proc)
        raise
    for t in threads:
        t.join(timeout=1)
    if rc != 0:
        errors = [l for l in err_lines if l.startswith("trygg:")] or err_lines or ["(no message)"]
        raise TryggError("trygg exited with code {}: {}".format(rc, "\n".join(errors)), rc)
    return rc, out_lines, err_lines


def _quote(s):
    s = str(s)
    if s and all(c.isalnum() or c in "-_./=:,+@%" for c in s):
        return s
    return "'" + s.replace("'", "'\"'\"'") + "'"


def snapshot(folder):
    """Names in `folder` (empty set if it does not exist)."""
    try:
        return set(os.listdir(folder))
    except OSError:
        return set()


def remove_new_entries(folder, before, created_folder):
    """Removes what a canceled or failed run left in `folder`: everything if the run created it, else the new names."""
    if created_folder:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for name in snapshot(folder) - before:
        path = os.path.join(folder, name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.remove(path)
            except OSError:
                pass


def remove_temp_files(folder, pid):
    """Removes trygg's temporary files of process `pid` (".<name>.tmp-<pid>...", data/atomic_file.cpp)."""
    marker = ".tmp-{}".format(pid)
    for name in snapshot(folder):
        if name.startswith(".") and marker in name:
            try:
                os.remove(os.path.join(folder, name))
            except OSError:
                pass


def wait_gone(pid, timeout=5.0):
    """True when no process `pid` exists any more (within timeout)."""
    end = time.time() + timeout
    while time.time() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False
