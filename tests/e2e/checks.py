"""Shared by the e2e scripts: run the binary, count checks, exit with the result."""
import subprocess


class Checks:
    def __init__(self, binary, cwd):
        self.binary, self.cwd = binary, cwd
        self.passed = self.failed = 0

    def run(self, args, stdin=None):
        return subprocess.run([self.binary] + args, input=stdin, capture_output=True, cwd=self.cwd,
                              timeout=120)

    def check(self, name, condition, detail=""):
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {name} {detail}")

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed")
        return 1 if self.failed else 0
