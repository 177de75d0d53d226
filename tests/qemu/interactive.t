#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make run without CMD: a shell on the guest console, driven through a pty
# the way a user types; `poweroff` and Ctrl-A x both end the lab cleanly.
. "$(dirname "$0")/../lib/lab.sh"
lab_require

# drive RUN-DIR MODE: MODE "poweroff" or "ctrl-a-x". Prints what it saw.
drive() {
	python3 - "$B/host/amprelayd" "$1" "$2" <<'PY'
import os, pty, re, select, sys, time

daemon, run, mode = sys.argv[1:4]
pid, fd = pty.fork()
if pid == 0:
    os.execv(daemon, [daemon, "run", "--run-dir", run])
seen = b""

def expect(pattern, timeout):
    global seen
    end = time.time() + timeout
    while time.time() < end:
        if pattern in seen:
            return True
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                return pattern in seen
    return pattern in seen

def result(name, good):
    print("%s - %s" % ("ok" if good else "not ok", name))

result("shell prompt with the channel up", expect(b"amprelay:/root# ", 60)
       and re.search(rb"channels: [^\n]*amprelay-echo", seen) is not None)
os.write(fd, b"amprelay echo typed-by-a-user\r")
result("amprelay echo works in the shell", expect(b"\ntyped-by-a-user", 20))
os.write(fd, b"poweroff\r" if mode == "poweroff" else b"\x01x")
deadline = time.time() + 60
status = None
while time.time() < deadline:
    expect(b"\0", 0.2)
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        status = st
        break
if status is None:
    os.kill(pid, 15)
    os.waitpid(pid, 0)
result("%s ends the lab (exit status %s)" % (mode, status),
       status is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0)
PY
}

for mode in poweroff ctrl-a-x; do
	LAB_RUN=$LAB_RUNS/interactive-$mode
	rm -rf "$LAB_RUN"
	while IFS= read -r line; do
		case $line in
		"ok - "*) lab_ok "$mode: ${line#ok - }" ;;
		"not ok - "*) lab_not_ok "$mode: ${line#not ok - }" ;;
		*) echo "# $line" ;;
		esac
	done < <(drive "$LAB_RUN" "$mode")
	lab_check_no_qemu_left "$LAB_RUN" "$mode: "
	lab_check "$mode: the console log has the session" \
		grep -q typed-by-a-user "$LAB_RUN/linux-console.log"
done
lab_done
