#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The soak of make soak, 50 cycles: checked echo traffic under faults of
# every type in a seeded random order (the seed is printed; SOAK_SEED=n
# repeats a run). Its criteria are in docs/soak.md.
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-$top/build}
LAB_RUNS=${LAB_RUNS:-$B/runs/test-$(date +%Y%m%d-%H%M%S)-$$}
exec "$top/tools/soak/run-soak" --cycles "${SOAK_CYCLES:-50}" \
	${SOAK_SEED:+--seed "$SOAK_SEED"} --run-dir "$LAB_RUNS/soak"
