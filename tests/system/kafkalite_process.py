"""Starts and stops `kafkalite serve` for the system tests."""

import atexit
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time


def scratch_dir(prefix):
    """A new directory under the system's temp dir, removed when the test's process ends."""
    path = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


class Kafkalite:
    """A kafkalite serve process; `ports` maps listener name to bound port."""

    def __init__(self, binary, data_dir=None, overrides=(), env=None):
        self.binary = binary
        self.data_dir = data_dir or scratch_dir("kafkalite-system-")
        self.overrides = list(overrides)
        self.env = env
        self.process = None
        self.ports = {}
        self.console_url = None
        self.log = []
        self._reader = None

    def start(self, timeout=30):
        args = [self.binary, "serve", "--override", f"log.dirs={self.data_dir}"]
        if not any(o.startswith("console.listeners=") for o in self.overrides):
            # No console unless the test asks for one: tests run side by
            # side, and the console's default port is one for all.
            args += ["--override", "console.listeners="]
        for o in self.overrides:
            args += ["--override", o]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, env=self.env)
        deadline = time.monotonic() + timeout
        for line in self.process.stdout:
            self.log.append(line)
            sys.stderr.write("kafkalite| " + line)
            m = re.search(r"Listening on (\w+)://\S+ \(port (\d+)\)", line)
            if m:
                self.ports[m.group(1)] = int(m.group(2))
            m = re.search(r"Console on (http://\S+) for", line)
            if m:
                self.console_url = m.group(1)
            if "Kafka Server started" in line:
                # Keep reading its log, so a chatty broker never blocks on a full pipe.
                self._reader = threading.Thread(target=self._read_rest, daemon=True)
                self._reader.start()
                return self
            if time.monotonic() > deadline:
                break
        raise RuntimeError("kafkalite did not start:\n" + "".join(self.log))

    def _read_rest(self):
        for line in self.process.stdout:
            self.log.append(line)
            sys.stderr.write("kafkalite| " + line)

    def wait(self, timeout):
        """Waits for the process to end by itself; returns its exit code."""
        code = self.process.wait(timeout=timeout)
        if self._reader:
            self._reader.join(timeout)
        return code

    def bootstrap(self, listener=None):
        port = self.ports[listener] if listener else next(iter(self.ports.values()))
        return f"127.0.0.1:{port}"

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.wait(30)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.wait(30)
