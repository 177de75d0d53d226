# SPDX-License-Identifier: GPL-2.0-only
# A first look at the firmware under gdb, run by docs/debugging.md:
#   tools/debug/debug-lab fw --batch tools/debug/example-fw.gdb --cmd 'amprelay echo hello'
# debug-lab has already stopped the core at ar_reset_handler; when this
# script ends, gdb detaches and the firmware boots on.
info symbol $pc
info registers pc sp
print/x ar_vectors[1]
ar-lab
