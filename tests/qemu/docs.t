#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The docs cannot drift from the code: every command shown in docs/*.md
# runs, and every relative link resolves. Convention (docs/CONTRIBUTING-docs.md):
#   ```console  "$ CMD" runs on the host, from the repository top
#   ```guest    "# CMD" runs in the lab; all of one doc in one boot, placed
#               at the doc's first guest block, in document order
#   "> MORE"    continues the command above
#   above a block's fence: <!-- docs-check: expect REGEX -->,
#   <!-- docs-check: fails -->, <!-- docs-check: skip REASON -->
# A command that fails (or is unknown) fails its test; a skipped one is a
# SKIP with its reason and is counted. docs/index.md must link every doc.
# A self-test on tests/docs/fixtures/broken.md proves the check can fail.
. "$(dirname "$0")/../lib/lab.sh"
lab_require
exec python3 "$TOP/tests/docs/docs-check" --selftest "$TOP/tests/docs/fixtures/broken.md" "$@"
