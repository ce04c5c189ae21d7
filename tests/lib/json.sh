# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# json.sh: reading our JSON (gtrace-json-v1 traces) in the shell scripts,
# with Python's json module rather than sed over the pretty-printed text.

# json_eval MODE FILE EXPR: EXPR, a Python expression in t (FILE's JSON);
# MODE print prints it (a string or number as it is, anything else as
# JSON), MODE test exits 0 if it is true. Fails, with Python's message on
# stderr, when FILE is not JSON or EXPR does not apply to it.
json_eval() {
	python3 -c '
import json, sys
with open(sys.argv[2]) as f:
    t = json.load(f)
v = eval(sys.argv[3], {"t": t})
if sys.argv[1] == "test":
    sys.exit(0 if v else 1)
print(v if isinstance(v, (str, int, float)) else json.dumps(v))
' "$@"
}

# json_get FILE EXPR: print EXPR.   json_get trace.json 't["summary"]["calls"]'
json_get() { json_eval print "$@"; }
# json_test FILE EXPR: true if EXPR is.
#   json_test trace.json 'not t["command"].startswith("/")'
json_test() { json_eval test "$@"; }
