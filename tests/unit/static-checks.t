#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# cppcheck, clang-tidy, sparse and checkpatch (tools/static-checks).
exec "$(dirname "$0")/../../tools/static-checks"
