#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make report: pages for a real lab run (one fault and its recovery, plus a
# console line with markup in it), the suite directory tests/run-tests made
# for it, and a short bench run, rendered by headless Chromium; the checks
# read what the browser shows, not the HTML text.
. "$(dirname "$0")/../lib/lab.sh"
lab_require
command -v chromium >/dev/null ||
	{ echo "1..0 # SKIP chromium not installed (tools/setup.sh installs it)"; exit 0; }
REPORT=$TOP/tools/report/make-report
tmp=$(mktemp -d "${TMPDIR:-/tmp}/report-t.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# chrome URL: the DOM after load, with no way out to the network.
chrome() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$tmp/profile" "$@"
}

# page_check PAGE.html DESC PYTHON-EXPR...: each expression, evaluated on the
# rendered page, is one test. In scope: text (what the page shows), title,
# rows(css_class) (the text of each <tr> with that class), imgs (src of
# each <img>), tags (every element name), body (attributes of <body>).
page_check() {
	local page=$1 dom=$tmp/dom.html
	shift
	chrome --dump-dom "file://$page" >"$dom" 2>/dev/null
	python3 - "$dom" "$@" >"$tmp/checks" <<'EOF'
import html.parser, sys
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.title, self.rows, self.imgs, self.tags = [], "", [], [], []
        self.body, self.stack, self.row = {}, [], None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "body":
            self.body = a
        if tag == "img":
            self.imgs.append(a.get("src", ""))
        if tag == "tr":
            self.row = [a.get("class", ""), ""]
            self.rows.append(self.row)
        if tag not in ("img", "br", "input", "meta"):
            self.stack.append(tag)
    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass
    def handle_data(self, d):
        if "title" in self.stack:
            self.title += d
        elif "style" not in self.stack and "script" not in self.stack:
            self.text.append(d)
            if self.row is not None and "tr" in self.stack:
                self.row[1] += d + " "
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
env = {"text": " ".join(" ".join(p.text).split()), "title": p.title.strip(),
       "imgs": p.imgs, "tags": p.tags, "body": p.body,
       "rows": lambda c=None: [" ".join(t.split()) for k, t in p.rows
                                if c is None or c in k.split()]}
n = 0
for i in range(2, len(sys.argv), 2):
    desc, expr = sys.argv[i], sys.argv[i + 1]
    try:
        ok = bool(eval(expr, env))
    except Exception as e:
        ok, desc = False, "%s (%s)" % (desc, e)
    print(("ok - " if ok else "not ok - ") + desc)
    if not ok:
        print("# wanted: " + expr)
EOF
	tap_in <"$tmp/checks"
}

# tap_in: counts page_check's result lines as this file's tests.
tap_in() {
	local line
	while IFS= read -r line; do
		case $line in
		"ok - "*) lab_ok "${line#ok - }" ;;
		"not ok - "*) lab_not_ok "${line#not ok - }" ;;
		*) echo "$line" ;;
		esac
	done
}

# expect_fail DESC PATTERN ARGS...: exit 1 and PATTERN on stderr.
expect_fail() {
	local desc=$1 pattern=$2 rc
	shift 2
	"$REPORT" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 1 ] && grep -q -- "$pattern" "$tmp/err" && [ ! -s "$tmp/out" ]; then
		lab_ok "$desc"
	else
		lab_not_ok "$desc (exit $rc, stderr: $(head -c 200 "$tmp/err"))"
	fi
}

# ---- bad input ----
mkdir -p "$tmp/empty"
expect_fail "a missing directory is named, exit 1" "no such directory" "$tmp/nothing-here"
expect_fail "an empty directory is not a run, exit 1" "is not a run directory" "$tmp/empty"
touch "$tmp/plain-file"
expect_fail "a file is not a directory, exit 1" "is not a directory" "$tmp/plain-file"
expect_fail "an unknown option is named, exit 1" "unknown option '--frob'" --frob
lab_check "nothing was written into the empty directory" test -z "$(ls -A "$tmp/empty")"

# ---- a suite of one lab run, made by tests/run-tests ----
# The guest prints markup: the page must show it as text. The injected
# image would be a network request if it ever became an element.
suite=$LAB_RUNS/report-suite
rm -rf "$suite"
cat >"$tmp/report-lab.t" <<EOF
#!/bin/bash
. "$TOP/tests/lib/lab.sh"
lab_run report-lab 'amprelay crash-cycle fault hardfault &&
echo "<script>document.title=\"owned\"</script><img src=http://example.invalid/x.png>" &&
echo "ok - the guest says <b>hello</b>"'
lab_check "the lab ran the command (rc \$LAB_RC)" test "\$LAB_RC" -eq 0
lab_done
EOF
LAB_RUNS=$suite "$TOP/tests/run-tests" "$tmp/report-lab.t" >"$tmp/suite.out" 2>&1
lab_check "tests/run-tests saved prove.log in the suite directory" \
	grep -q "report-lab.t" "$suite/prove.log"
lab=$suite/report-lab
out=$("$REPORT" "$lab" 2>&1)
lab_check "make-report on a lab run prints RUN/report.html ($out)" \
	test "$out" = "$lab/report.html" -a -s "$lab/report.html"
lab_check "every src and href in the page is data: or #anchor" python3 -c '
import re, sys
s = open(sys.argv[1]).read()
bad = [u for u in re.findall(r"(?:src|href)\s*=\s*\"([^\"]*)\"", s)
       if not u.startswith(("data:", "#"))] + re.findall(r"url\(", s)
sys.exit(1 if bad else 0)' "$lab/report.html"
chrome --enable-logging=stderr --v=0 --dump-dom "file://$lab/report.html" \
	>/dev/null 2>"$tmp/console.txt"
lab_check "Chromium loads nothing for the page (no blocked or failed request)" \
	bash -c "! grep -E 'Content Security Policy|ERR_|Failed to load|Not allowed to load' '$tmp/console.txt'"

page_check "$lab/report.html" \
	"title is the lab run's" 'title == "AmpRelay lab run report-lab"' \
	"heading shows the title" '"AmpRelay lab run report-lab" in text' \
	"timeline: lab start" 'any("lab started" in r for r in rows("k-boot"))' \
	"timeline: Linux boot" 'any("Linux kernel started" in r for r in rows("k-boot"))' \
	"timeline: firmware booted after powering up, with a duration" \
	'any("firmware booted" in r and "ms after powering up" in r for r in rows("k-boot"))' \
	"timeline: the echo channel announced" \
	'any("rpmsg channel amprelay-echo announced" in r for r in rows("k-channel"))' \
	"timeline: the fault injection" \
	'any("fault injected: fault hardfault" in r for r in rows("k-fault"))' \
	"timeline: the detection with its cause and time since the injection" \
	'any("crash detected: HardFault at pc" in r and "ms after the injection" in r for r in rows("k-detect"))' \
	"timeline: recovery done, with its time since detection" \
	'any("recovery done" in r and "ms after detection" in r for r in rows("k-recover"))' \
	"timeline: the echo channel back" \
	'any("channel amprelay-echo back" in r for r in rows("k-recover"))' \
	"crash table: one crash, recovered, every duration a number" \
	'len([r for r in rows() if "HardFault at pc" in r and r.count(" ms") >= 4]) >= 1 and "1 / 1 crashes recovered" in text' \
	"test table: the guest's TAP line, markup as text" \
	'"ok the guest says <b>hello</b>" in text' \
	"the console's <script> line is shown as text" \
	'"<script>document.title=\"owned\"</script>" in text' \
	"the console's markup made no element" \
	'title != "owned" and not any(s.startswith("http") for s in imgs)'

chrome --window-size=1280,2000 --screenshot="$lab/report.png" "file://$lab/report.html" \
	>/dev/null 2>&1
lab_check "Chromium takes a screenshot of the page" \
	bash -c "head -c 8 '$lab/report.png' | od -An -c | grep -q 'P   N   G'"

out=$("$REPORT" "$suite" 2>&1)
lab_check "make-report on the suite prints SUITE/report.html" test "$out" = "$suite/report.html"
page_check "$suite/report.html" \
	"suite title" 'title == "AmpRelay test suite report-suite"' \
	"suite table row for the test file, passed" \
	'any("report-lab.t" in r and " ok " in " %s " % r for r in rows())' \
	"the test file's lab run is linked and has its section" \
	'"Lab run report-lab" in text' \
	"the lab section lists the test file's results" \
	'"Test results (" in text and "the lab ran the command" in text'

# ---- make report, with the default run and with RUN= ----
out=$(cd "$TOP" && make -s report RUN="$lab" 2>&1 | tail -n 1)
lab_check "make report RUN=dir prints the page's path" test "$out" = "$lab/report.html"

# ---- a short bench: its plots are in the page ----
bench=$LAB_RUNS/report-bench
rm -rf "$bench"
if ! command -v gnuplot >/dev/null; then
	lab_ok "bench page has every plot # SKIP gnuplot not installed"
else
	"$TOP/tools/bench/run-bench" --count 20 --cycles 0 --throughput 20 --recovery 1 \
		--faults hardfault --run-dir "$bench" >"$tmp/bench.out" 2>&1
	lab_check "a short make bench ran" test -s "$bench/bench/summary.md" ||
		sed 's/^/# /' "$tmp/bench.out" | tail -n 20
	"$REPORT" "$bench" >/dev/null
	# A copy without the page's CSP and with a probe that counts what
	# the browser fetched and which images it could decode.
	python3 - "$bench/report.html" "$tmp/probe.html" <<'EOF'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
s = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", s)
probe = ('<script>addEventListener("load",function(){var b=0,i=document.images;'
         'for(var k=0;k<i.length;k++)if(!i[k].complete||!i[k].naturalWidth)b++;'
         'document.body.setAttribute("data-broken",b);'
         'document.body.setAttribute("data-fetched",performance.getEntriesByType'
         '("resource").length)})</script>')
open(sys.argv[2], "w", encoding="utf-8").write(s.replace("</body>", probe + "</body>"))
EOF
	page_check "$tmp/probe.html" \
		"bench title" 'title == "AmpRelay bench run report-bench"' \
		"bench summary table shown" '"echo round trip 16 B, p50" in text' \
		"all three plots embedded as PNG data" \
		'sum(1 for s in imgs if s.startswith("data:image/png;base64,")) >= 3' \
		"every plot decodes in the browser" 'body.get("data-broken") == "0"' \
		"the browser fetched nothing" 'body.get("data-fetched") == "0"' \
		"the bench's own crash is in the timeline" \
		'any("crash detected" in r for r in rows("k-detect"))'
fi

lab_done
