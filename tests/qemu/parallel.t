#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Two labs at once share no socket, file or port, and both work. While
# both guests run their command, the processes of each lab (amprelayd and
# its two QEMUs) are inspected: the files they hold open or mapped, the
# sockets they listen on, whom their connected sockets lead to, and any
# inet port.
. "$(dirname "$0")/../lib/lab.sh"
lab_require
a=$LAB_RUNS/parallel-a b=$LAB_RUNS/parallel-b
rm -rf "$a" "$b"
# The sleep keeps both labs up for the inspection; the ping is the traffic.
guest() { echo "sleep 6; amprelay ping -q -c 300 -s 0-496 && amprelay echo $1"; }
"$B/host/amprelayd" run --run-dir "$a" --cmd "$(guest lab-a)" >"$a.out" 2>&1 &
pa=$!
"$B/host/amprelayd" run --run-dir "$b" --cmd "$(guest lab-b)" >"$b.out" 2>&1 &
pb=$!
trap 'kill -9 $pa $pb 2>/dev/null' EXIT

began() { grep -q '"event":"guest_cmd_begin"' "$1/events.jsonl" 2>/dev/null; }
for ((i = 0; i < 900; i++)); do
	began "$a" && began "$b" && break
	{ kill -0 $pa && kill -0 $pb; } 2>/dev/null || break
	sleep 0.1
done

# inspect: one TAP line per property, from /proc and ss, while both run.
inspect() {
	python3 - "$LAB_RUNS" "$B" "$a" $pa "$b" $pb <<'EOF'
import json, os, re, subprocess, sys

runs, build = sys.argv[1], sys.argv[2]
labs = {}
for name, pid in ((sys.argv[3], sys.argv[4]), (sys.argv[5], sys.argv[6])):
    events = [json.loads(l) for l in open(os.path.join(name, "events.jsonl"))]
    qemus = [e["pid"] for e in events if e.get("event") == "qemu_launch"]
    stopped = any(e.get("event") in ("guest_cmd_end", "stop") for e in events)
    labs[os.path.basename(name)] = {"dir": name, "daemon": int(pid),
                                    "pids": [int(pid)] + qemus,
                                    "stopped": stopped}

n = 0
def check(ok, desc, detail=""):
    global n
    n += 1
    print(("ok" if ok else "not ok"), "-", desc)
    for line in detail.splitlines():
        print("#", line)

def alive(pid):
    try:
        return "\nState:\tZ" not in open(f"/proc/{pid}/status").read()
    except OSError:
        return False

running = all(not l["stopped"] and len(l["pids"]) == 3 and all(map(alive, l["pids"]))
              for l in labs.values())
check(running, "both labs run at once (amprelayd and two QEMUs each)",
      "\n".join(f"{k}: pids {l['pids']}, stopped {l['stopped']}" for k, l in labs.items()))
if not running:
    sys.exit(0)

def files(pid):
    """Paths a process holds open or mapped, outside the system."""
    out = set()
    fd_dir = f"/proc/{pid}/fd"
    for fd in os.listdir(fd_dir):
        try:
            out.add(os.readlink(os.path.join(fd_dir, fd)))
        except OSError:
            pass
    for line in open(f"/proc/{pid}/maps"):
        f = line.split(None, 5)
        if len(f) == 6:
            out.add(f[5].strip())
    return {re.sub(r" \(deleted\)$", "", p) for p in out
            if p.startswith("/") and not re.match(r"/(usr|lib|dev|proc|memfd:)", p)}

for l in labs.values():
    l["files"] = set().union(*(files(p) for p in l["pids"]))
la, lb = labs.values()
# Inputs every lab reads (kernel, firmware, the program itself) and the
# user's --share folder are common by design; nothing of a run may be.
common = la["files"] & lb["files"]
check(not any(p.startswith(runs) for p in common),
      "no file of a run is open in both labs",
      "common (build inputs, the share): " + " ".join(sorted(common)))
for k, l in labs.items():
    strays = [p for p in l["files"] if p.startswith(runs + "/") and
              not p.startswith(l["dir"] + "/") and p != l["dir"] and
              p != l["dir"] + ".out"]
    check(not strays and l["dir"] + "/window.bin" in l["files"],
          f"{k}: its run files (window.bin included) are its own",
          " ".join(strays))

# ss -xapn: Netid State RecvQ SendQ Local Inode Peer PeerInode users:(...)
owner, peer, path = {}, {}, {}
for line in subprocess.run(["ss", "-xapn"], capture_output=True, text=True).stdout.splitlines()[1:]:
    f = line.split()
    if len(f) < 9:
        continue
    for pid in re.findall(r"pid=(\d+)", " ".join(f[8:])):
        owner.setdefault(f[5], set()).add(int(pid))
    peer[f[5]] = f[7]
    path[f[5]] = (f[1], f[4])
for k, l in labs.items():
    mine = set(l["pids"])
    listening = [p for ino, (state, p) in path.items()
                 if state == "LISTEN" and l["daemon"] in owner.get(ino, ())]
    check(len(listening) == 3 and all(p.startswith(l["dir"] + "/") for p in listening),
          f"{k}: amprelayd listens on three sockets in its own run dir",
          " ".join(listening))
    crossing, to_daemon = [], 0
    for ino, pids in owner.items():
        if not pids & mine or peer.get(ino) in (None, "0", "*"):
            continue
        peers = owner.get(peer[ino], set())
        if peers - mine:
            crossing.append(f"{ino} {sorted(pids)} -> {sorted(peers)}")
        if pids & set(l["pids"][1:]) and l["daemon"] in peers:
            to_daemon += 1
    check(not crossing and to_daemon >= 3,
          f"{k}: its QEMUs' sockets lead to its own amprelayd only ({to_daemon} links)",
          "\n".join(crossing))

ports = {}
ss = subprocess.run(["ss", "-tuapn"], capture_output=True, text=True).stdout
for line in ss.splitlines()[1:]:
    f = line.split()
    pids = {int(p) for p in re.findall(r"pid=(\d+)", line)}
    for k, l in labs.items():
        if pids & set(l["pids"]):
            ports.setdefault(k, set()).add(f[4].rsplit(":", 1)[-1])
shared = set.intersection(*[ports.get(k, set()) for k in labs])
check(not shared, "no inet port used by both labs",
      "ports: " + "; ".join(f"{k} {sorted(v)}" for k, v in ports.items()) if ports else "no inet sockets at all")
EOF
}
while IFS= read -r line; do
	case $line in
	"ok - "*) lab_ok "${line#ok - }" ;;
	"not ok - "*) lab_not_ok "${line#not ok - }" ;;
	*) echo "$line" ;;
	esac
done < <(inspect 2>&1)

wait $pa; ra=$?
wait $pb; rb=$?
trap - EXIT
lab_check "lab a ran its echoes (rc $ra)" grep -qx lab-a "$a.out"
lab_check "lab b ran its echoes (rc $rb)" grep -qx lab-b "$b.out"
lab_check "both exited 0" test $ra -eq 0 -a $rb -eq 0
for r in "$a" "$b"; do
	lab_check "${r##*/}: no socket or window left" \
		bash -c "! ls '$r'/*.sock '$r'/window.bin 2>/dev/null | grep -q ."
	lab_check_no_qemu_left "$r" "${r##*/}: "
done
# Every path in the generated command lines that belongs to a run is in
# that lab's own run dir.
for r in "$a" "$b"; do
	lab_check "${r##*/}: the command lines name only its own run files" bash -c "
		grep -ho '$LAB_RUNS/[^ ,]*' '$r'/qemu-*.cmdline | grep -vE '^$r(/|\$)'; [ \$? -eq 1 ] &&
		grep -q 'mem-path=$r/window.bin' '$r/qemu-linux.cmdline'"
done
rm -f "$a.out" "$b.out"
lab_done
