#!/usr/bin/env python3
"""Lifeline supervisor: runs one command in its own process group and ends that group when its owner goes away.

Usage:
    supervisor.py --grace SECONDS [--status FILE] [--lifeline stdin|none] [--watch-pid PID[:STARTTIME]]...
                  [--leftover-wait SECONDS] [--leftover-grace SECONDS] -- COMMAND [ARG...]

The command inherits stdout and stderr (the caller points them at its log files) and gets /dev/null as stdin. It
leads a new process group, so every worker it starts is reached by one kill(-pgid). The group is stopped
(SIGTERM to the group, up to --grace seconds, then SIGKILL) when:
  - the lifeline closes: with `--lifeline stdin` (default) the caller holds the write end of our stdin and never
    writes; when the caller ends for any reason, SIGKILL included, the kernel closes it and we read EOF;
  - a watched process is gone (`--watch-pid`, polled every 0.5 s; STARTTIME is /proc/PID/stat field 22, guarding
    against pid reuse);
  - we receive SIGTERM, SIGINT or SIGHUP (a harness timeout, `scancel`, Ctrl-C), or our parent dies
    (PR_SET_PDEATHSIG, a complement: it does not reach grandchildren, the group kill does).
Processes of the group left after the leader exits (multiprocessing helpers exit a moment later) get --leftover-wait
seconds to exit on their own; what is still alive then (zombies excepted) is named in the status file (pid, command
line, age) and gets --leftover-grace seconds after SIGTERM, then SIGKILL.

--status FILE is rewritten atomically (JSON) on every change: our pid and start time, the command's pid, process
group and start time, when it was spawned and exited, and why and how it was stopped. It is the run's record for
whoever looks at it later (the next harness run ends whatever a dead harness left behind).

Exit status: the command's own exit code, 128+N when it was killed by signal N, 127 when it could not be started,
125 on a usage error. Standard library only; Python 3.6+.
"""
import argparse
import ctypes
import json
import os
import select
import signal
import subprocess
import sys
import time

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.5


def now_ms():
    return int(time.time() * 1000)


def proc_start_time(pid):
    """Start time of a process in clock ticks since boot (/proc/PID/stat field 22), or None when it is gone."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as fh:
            stat = fh.read().decode("ascii", "replace")
    except OSError:
        return None
    # comm may contain spaces and parentheses: the fields that follow start after the last ')'.
    fields = stat[stat.rfind(")") + 2:].split(" ")
    try:
        return int(fields[19])
    except (IndexError, ValueError):
        return None


def set_parent_death_signal(sig):
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux or no prctl: the lifeline pipe still works


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def living_members(pgid):
    """The group's members that are not zombies (a container's init may never reap those), from /proc."""
    try:
        pids = [d for d in os.listdir("/proc") if d.isdigit()]
    except OSError:
        return [{"pid": pgid, "command": "(unknown: /proc is not available)", "ageSeconds": None}] if group_alive(pgid) else []
    try:
        with open("/proc/uptime") as fh:
            uptime = float(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        uptime = None
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    found = []
    for pid in pids:
        try:
            with open("/proc/%s/stat" % pid, "rb") as fh:
                stat = fh.read().decode("ascii", "replace")
            fields = stat[stat.rfind(")") + 2:].split(" ")
            if int(fields[2]) != pgid or fields[0] == "Z":
                continue
            with open("/proc/%s/cmdline" % pid, "rb") as fh:
                cmdline = " ".join(fh.read().decode("utf-8", "replace").replace("\0", " ").split())
            age = None if uptime is None else max(0.0, uptime - int(fields[19]) / ticks)
            found.append({"pid": int(pid), "command": cmdline[:300] or "(no command line)", "ageSeconds": age})
        except (OSError, ValueError, IndexError):
            continue  # ended while being read
    return sorted(found, key=lambda p: p["pid"])


def signal_group(pgid, sig):
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


class Supervisor:
    def __init__(self, args):
        self.args = args
        self.child = None
        self.exited_at = None  # when poll() first saw the command gone
        self.wakeup = None  # read end of the self-pipe that SIGCHLD (and every other handled signal) writes to
        self.stop_requested = None  # why the group must be stopped, set from signal handlers or the watch loop
        self.owner_pid = os.getppid()  # the harness; a different parent later means it has died
        self.status = {
            "schema": "virnucpro-supervisor/1",
            "supervisor": {"pid": os.getpid(), "startTime": proc_start_time(os.getpid()), "startedAtMs": now_ms()},
            "command": args.command,
            "graceSeconds": args.grace,
            "lifeline": args.lifeline,
            "watchPids": [w["pid"] for w in args.watch],
            "pipeline": None,
            "exit": None,
            "stop": None,
            "leftovers": None,
            "error": None,
        }

    def write_status(self):
        if not self.args.status:
            return
        tmp = "%s.tmp-%d" % (self.args.status, os.getpid())
        try:
            with open(tmp, "w") as fh:
                json.dump(self.status, fh, indent=2)
                fh.write("\n")
            os.replace(tmp, self.args.status)
        except OSError:
            pass  # a full disk must not stop us from stopping the pipeline

    def on_signal(self, signum, _frame):
        if self.stop_requested is None:
            # The parent-death signal and the lifeline's EOF race when the owner dies: both mean the owner ended.
            owner_gone = self.args.lifeline == "stdin" and os.getppid() != self.owner_pid
            self.stop_requested = "lifeline closed (owner ended)" if owner_gone else "received " + signal.Signals(signum).name

    def spawn(self):
        def in_child():
            os.setpgid(0, 0)
            # If we die without stopping it, the leader at least gets SIGTERM (workers are reached by the group kill).
            set_parent_death_signal(signal.SIGTERM)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGHUP, signal.SIG_DFL)

        spawned = now_ms()
        try:
            self.child = subprocess.Popen(self.args.command, stdin=subprocess.DEVNULL, preexec_fn=in_child, close_fds=True)
        except OSError as e:
            self.status["error"] = "could not start %s: %s" % (self.args.command[0], e.strerror or e)
            self.write_status()
            return False
        pid = self.child.pid
        self.status["pipeline"] = {"pid": pid, "pgid": pid, "startTime": proc_start_time(pid), "spawnedAtMs": spawned}
        self.write_status()
        return True

    def lifeline_closed(self, timeout):
        """Waits up to timeout seconds on the lifeline, returning early on any signal (SIGCHLD: the command exited,
        so its exit time is taken at once, not up to a poll period late); True once the lifeline is closed."""
        watched = [self.wakeup] + ([0] if self.args.lifeline == "stdin" else [])
        try:
            ready, _, _ = select.select(watched, [], [], timeout)
        except (OSError, ValueError):
            return self.args.lifeline == "stdin"
        except InterruptedError:
            return False
        if self.wakeup in ready:
            try:
                while os.read(self.wakeup, 512):
                    pass
            except (BlockingIOError, OSError):
                pass
        if 0 not in ready:
            return False
        try:
            data = os.read(0, 4096)
        except BlockingIOError:
            return False
        except OSError:
            return True
        return data == b""  # the owner never writes; bytes are ignored, EOF means it is gone

    def poll_exit(self):
        """True while the command runs; notes the moment its exit is first seen."""
        if self.child.poll() is None:
            return True
        if self.exited_at is None:
            self.exited_at = now_ms()
        return False

    def watched_gone(self):
        for w in self.args.watch:
            start = proc_start_time(w["pid"])
            if start is None or (w["startTime"] is not None and start != w["startTime"]):
                return "watched process %d is gone" % w["pid"]
        return None

    def run(self):
        self.wakeup, wakeup_w = os.pipe()
        os.set_blocking(self.wakeup, False)
        os.set_blocking(wakeup_w, False)
        signal.set_wakeup_fd(wakeup_w)
        signal.signal(signal.SIGCHLD, lambda _s, _f: None)  # a handler, so SIGCHLD reaches the wakeup pipe
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self.on_signal)
        set_parent_death_signal(signal.SIGTERM)
        if self.args.lifeline == "stdin" and os.getppid() == 1:
            self.stop_requested = "owner already gone at start"
        if not self.spawn():
            return 127
        lifeline_open = True
        while self.poll_exit() and self.stop_requested is None:
            if self.lifeline_closed(POLL_SECONDS) and lifeline_open:
                lifeline_open = False
                self.args.lifeline = "none"  # EOF stays readable: stop watching it
                self.stop_requested = "lifeline closed (owner ended)"
            if self.stop_requested is None:
                self.stop_requested = self.watched_gone()
        if self.child.returncode is None:
            self.stop_group(self.stop_requested)
        self.record_exit()
        self.stop_leftovers()
        self.write_status()
        code = self.child.returncode
        return 128 - code if code < 0 else code

    def stop_group(self, reason):
        pgid = self.child.pid
        self.status["stop"] = {"reason": reason, "atMs": now_ms(), "killed": False}
        self.write_status()
        signal_group(pgid, signal.SIGTERM)
        deadline = time.time() + self.args.grace
        while time.time() < deadline:
            if not self.poll_exit() and not group_alive(pgid):
                return
            time.sleep(0.1)
        if self.poll_exit() or group_alive(pgid):
            signal_group(pgid, signal.SIGKILL)
            self.status["stop"]["killed"] = True
            self.status["stop"]["killedAtMs"] = now_ms()

    def record_exit(self):
        code = self.child.wait()
        at = self.exited_at if self.exited_at is not None else now_ms()
        exited = {"code": code if code >= 0 else None, "signal": signal.Signals(-code).name if code < 0 else None, "atMs": at}
        self.status["exit"] = exited

    def stop_leftovers(self):
        """Workers that outlive their leader would hold GPUs into the next run; helpers that exit on their own within
        --leftover-wait are not left over."""
        pgid = self.child.pid
        deadline = time.time() + self.args.leftover_wait
        members = living_members(pgid)
        while members and time.time() < deadline:
            time.sleep(0.1)
            members = living_members(pgid)
        if not members:
            return
        left = {"atMs": now_ms(), "killed": False, "waitedSeconds": self.args.leftover_wait, "processes": members}
        self.status["leftovers"] = left
        self.write_status()
        signal_group(pgid, signal.SIGTERM)
        deadline = time.time() + self.args.leftover_grace
        while time.time() < deadline and living_members(pgid):
            time.sleep(0.1)
        if living_members(pgid):
            signal_group(pgid, signal.SIGKILL)
            left["killed"] = True
            deadline = time.time() + 5
            while time.time() < deadline and living_members(pgid):
                time.sleep(0.05)
        left["goneAtMs"] = now_ms()


def parse_watch(text):
    pid, _, start = text.partition(":")
    try:
        return {"pid": int(pid), "startTime": int(start) if start else None}
    except ValueError:
        raise argparse.ArgumentTypeError("expected PID or PID:STARTTIME, got %r" % text)


def main(argv):
    p = argparse.ArgumentParser(prog="supervisor.py", description="Run COMMAND in its own process group; end the group when the owner goes away.")
    p.add_argument("--grace", type=float, required=True, help="seconds between SIGTERM and SIGKILL of the group")
    p.add_argument("--leftover-wait", type=float, default=0.0, help="seconds processes of the group may outlive the leader before they count as left over")
    p.add_argument("--leftover-grace", type=float, default=5.0, help="seconds between SIGTERM and SIGKILL for processes left over")
    p.add_argument("--status", default=None, help="JSON status file, rewritten atomically")
    p.add_argument("--lifeline", choices=["stdin", "none"], default="stdin", help="stdin: EOF on stdin stops the group")
    p.add_argument("--watch-pid", dest="watch", action="append", default=[], type=parse_watch, metavar="PID[:STARTTIME]")
    p.add_argument("command", nargs=argparse.REMAINDER)
    args = p.parse_args(argv)
    if args.command and args.command[0] == "--":
        args.command = args.command[1:]
    if not args.command:
        p.print_usage(sys.stderr)
        sys.stderr.write("supervisor.py: no command given after --\n")
        return 125
    return Supervisor(args).run()


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except SystemExit as e:
        if e.code == 2:  # argparse's usage error
            sys.exit(125)
        raise
