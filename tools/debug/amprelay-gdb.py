# SPDX-License-Identifier: GPL-2.0-only
"""gdb commands for an AmpRelay lab (docs/debugging.md). Loaded by the
scripts tools/debug/debug-lab writes into the run directory:

  ar-attach-fw RUN      connect to the remote's gdbstub (RUN/gdb-remote.sock)
  ar-attach-linux RUN   connect to Linux's gdbstub (RUN/gdb-linux.sock)
  ar-restart-remote     make debug-fw: the guest restarts the remote, gdb
                        continues through Linux's hold into the new boot
  ar-load-modules RUN [KO_DIR]
                        our modules' symbols at the addresses the guest
                        published in RUN/module-sections.txt
  ar-lab                what amprelayd's event log says about the remote

The remote core is held and released by Linux through amprelayd. While a
gdbstub is open, the hold leaves QEMU in its "shutdown" state, which gdb
reports as SIGQUIT; a continue then waits for Linux's release instead of
running the core, so breakpoints (e.g. the reset handler) hit again after
a crash recovery. The stop handler below says so when it happens.
"""
import json
import os
import struct
import time

import gdb

_state = {"run": None}


def _run_dir(arg):
    run = (arg or "").strip() or _state["run"] or os.environ.get("AMPRELAY_RUN")
    if not run:
        raise gdb.GdbError("which lab? give its run directory (or set AMPRELAY_RUN)")
    run = os.path.abspath(os.path.expanduser(run))
    if not os.path.isdir(run):
        raise gdb.GdbError("no run directory %s" % run)
    _state["run"] = run
    return run


def _wait_for(path, seconds, what):
    deadline = time.monotonic() + seconds
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            raise gdb.GdbError("%s did not appear within %d s (%s)" % (path, seconds, what))
        time.sleep(0.1)


def _events(run):
    """The lab's event log as a list of dicts; a torn last line is skipped."""
    out = []
    try:
        with open(os.path.join(run, "events.jsonl")) as f:
            for line in f:
                try:
                    out.append(json.loads(line))
                except ValueError:
                    pass
    except OSError:
        pass
    return out


def _remote_halted(run):
    halted = False
    for e in _events(run):
        name = e.get("event")
        if name == "remote_halted":
            halted = True
        elif name in ("remote_resumed", "remote_died", "qemu_launch"):
            halted = False
    return halted


class AttachFw(gdb.Command):
    """ar-attach-fw RUN: connect to the remote's gdbstub in the run directory RUN."""

    def __init__(self):
        super().__init__("ar-attach-fw", gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        run = _run_dir(arg)
        sock = os.path.join(run, "gdb-remote.sock")
        _wait_for(sock, 30, "is the lab running with --gdb-remote?")
        # make debug-fw: the first boot comes before gdb (ar-restart-remote).
        if os.path.exists(os.path.join(run, "gdb-wait")):
            _wait_for(os.path.join(run, "remote-up"), 300, "the guest writes it once the remote runs")
        gdb.execute("target remote %s" % sock)


class AttachLinux(gdb.Command):
    """ar-attach-linux RUN: connect to Linux's gdbstub in the run directory RUN."""

    def __init__(self):
        super().__init__("ar-attach-linux", gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        run = _run_dir(arg)
        sock = os.path.join(run, "gdb-linux.sock")
        _wait_for(sock, 30, "is the lab running with --gdb-linux?")
        gdb.execute("target remote %s" % sock)


class RestartRemote(gdb.Command):
    """ar-restart-remote: let Linux restart the remote, stopping where gdb breaks.

For make debug-fw: the guest (rcS) waits for RUN/gdb-ready and for gdb to
let the core run, then stops and starts remoteproc0. gdb sees Linux's hold
(SIGQUIT), continues, and the new boot runs into the breakpoints."""

    def __init__(self):
        super().__init__("ar-restart-remote", gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        run = _run_dir(None)
        open(os.path.join(run, "gdb-ready"), "w").close()
        print("amprelay: the guest restarts the remote now")
        gdb.execute("continue", from_tty)
        gdb.execute("continue", from_tty)


class PrepareContinue(gdb.Command):
    """ar-prepare-continue: continue without a single-step over the breakpoint at $pc.

Run before each continue by the hook-continue debug-lab defines for the
firmware. With QEMU 7.2's gdbstub on the Cortex-M4, gdb's single-step
over the reset-handler breakpoint sometimes left the firmware no longer
feeding its watchdog seconds later; so the breakpoints at $pc are
disabled for the continue (no step needed) and enabled again at the next
stop, which comes before the next boot (Linux's hold), so they stay."""

    def __init__(self):
        super().__init__("ar-prepare-continue", gdb.COMMAND_RUNNING)
        self.parked = []

    def invoke(self, arg, from_tty):
        try:
            pc = int(gdb.parse_and_eval("$pc")) & ~1
        except gdb.error:
            return
        for bp in gdb.breakpoints():
            if not bp.enabled or bp.type not in (gdb.BP_BREAKPOINT, gdb.BP_HARDWARE_BREAKPOINT):
                continue
            if any(loc.address is not None and (loc.address & ~1) == pc for loc in bp.locations):
                bp.enabled = False
                self.parked.append(bp)

    def restore(self):
        for bp in self.parked:
            if bp.is_valid():
                bp.enabled = True
        self.parked = []


def _elf_sections(path):
    """Section names of an ELF64 little-endian file (our .ko files)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise gdb.GdbError("%s is not a 64-bit little-endian ELF file" % path)
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    strtab_off, = struct.unpack_from("<Q", data, shoff + shstrndx * shentsize + 0x18)
    names = set()
    for i in range(shnum):
        name_off, = struct.unpack_from("<I", data, shoff + i * shentsize)
        start = strtab_off + name_off
        names.add(data[start:data.index(b"\0", start)].decode())
    return names


class LoadModules(gdb.Command):
    """ar-load-modules RUN [KO_DIR]: load our modules' symbols where the guest loaded them.

The guest writes RUN/module-sections.txt at boot ("module section address",
from /sys/module/NAME/sections); KO_DIR defaults to the build's modules."""

    def __init__(self):
        super().__init__("ar-load-modules", gdb.COMMAND_FILES)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        run = _run_dir(args[0] if args else None)
        ko_dir = args[1] if len(args) > 1 else os.environ.get("AMPRELAY_MODULES")
        if not ko_dir:
            raise gdb.GdbError("where are the .ko files? give KO_DIR (or set AMPRELAY_MODULES)")
        table = os.path.join(run, "module-sections.txt")
        _wait_for(table, 120, "the guest writes it once the modules are loaded")
        modules = {}
        with open(table) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3:
                    modules.setdefault(parts[0], {})[parts[1]] = parts[2]
        if not modules:
            raise gdb.GdbError("%s lists no module" % table)
        for name, sections in sorted(modules.items()):
            ko = os.path.join(ko_dir, name + ".ko")
            if not os.path.exists(ko):
                raise gdb.GdbError("no %s for the loaded module %s" % (ko, name))
            if ".text" not in sections:
                raise gdb.GdbError("%s: no .text address for %s" % (table, name))
            in_file = _elf_sections(ko)
            extra = " ".join("-s %s %s" % (s, a) for s, a in sorted(sections.items())
                             if s != ".text" and s in in_file)
            gdb.execute("add-symbol-file %s %s %s" % (ko, sections[".text"], extra),
                        from_tty, True)
            print("amprelay: %s symbols loaded at .text %s" % (name, sections[".text"]))


class LabState(gdb.Command):
    """ar-lab: the remote's state as amprelayd's event log has it."""

    def __init__(self):
        super().__init__("ar-lab", gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        run = _run_dir(arg)
        held = None
        for e in _events(run):
            if e.get("event") == "reset_assert" and e.get("status") == "ok":
                held = True
            elif e.get("event") == "reset_deassert" and e.get("status") == "ok":
                held = False
        print("run dir %s: remote core %s, %s" % (
            run, "held in reset by Linux" if held else
            "released by Linux" if held is False else "never released yet",
            "halted by the debugger" if _remote_halted(run) else "not halted by the debugger"))


def _on_stop(event):
    _prepare_continue.restore()
    # QEMU reports its "shutdown" run state as SIGQUIT: only amprelayd's
    # hold (Linux stopping or recovering the remote) puts it there.
    if isinstance(event, gdb.SignalEvent) and event.stop_signal == "SIGQUIT":
        print("amprelay: Linux holds the remote core in reset (remoteproc stop or "
              "crash recovery).\namprelay: 'continue' waits for the release; "
              "breakpoints stay, the boot ROM and the reset handler run again.")


AttachFw()
AttachLinux()
RestartRemote()
_prepare_continue = PrepareContinue()
LoadModules()
LabState()
gdb.events.stop.connect(_on_stop)
