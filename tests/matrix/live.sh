#!/bin/bash
# quick-check: skip (boots two Debian kernels in emulated hosts, minutes)
# Live cells between running hosts (issue 14), for real: two emulated hosts
# of Debian's 6.12 (the second with a harmless word on its command line, so
# the guest can go there and back: between 6.1 and 6.12 QEMU 7.2 refuses
# both ways, which real.sh covers), the guest suite left out (--no-suite).
# Each cell A -> B is a round trip of one running guest that writes memory
# during each migration; then three faults between the hosts, each in a
# cell of its own (MX_FAULT_CELLS): the destination's QEMU killed as the
# stream comes in, the destination host's link taken down, the destination
# host stopped.  Each must end within its bound with the guest finishing on
# the source, and leave nothing running.  About 2 minutes on 2 cores.
# GUESTVIEW_SKIP_MATRIX=1 skips it.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
. tests/matrix/run-matrix.bash
mx_test_setup

MX_FAULT_CELLS="1>2:kill-destination 2>1:link-down 1>2:stop-host" \
	mx_test_run --no-suite --link-timeout 30 --out "$tmp/out" --json "$tmp/m.json" --kcidb "$tmp/kcidb.json" \
	6.12 6.12:gv.twin=1
# The stop-host fault takes the second host away: a kernel that went down.
t_eq "the run ends, status 1 (the stop-host fault took a host down)" 1 "$MX_RC"
t_check "within 10 minutes (took ${MX_SECS} s)" test "$MX_SECS" -le 600
[ -s "$tmp/m.json" ] || t_done

# q EXPR: a Python expression over the matrix m; C the cells, F the fault cells by fault.
q() { python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); k1,k2=m["kernels"]; C={(c["from"],c["to"]):c for c in m["cells"]}; F={c["fault"]:c for c in m.get("faults",[])}; print(eval(sys.argv[2]))' "$tmp/m.json" "$1" 2>&1; }
t_eq "the matrix says its cells are live" live "$(q 'm["mode"]')"
t_eq "the hosts had a network" "True True" "$(q '" ".join(str(k["status"] in ("ok", "stopped")) for k in m["kernels"])')"
for c in "k1 k2" "k2 k1"; do
	set -- $c
	t_eq "$1 -> $2: a round trip, the guest's view unchanged there and back" identical "$(q "C[('$1','$2')]['status']")"
	t_eq "$1 -> $2: both legs done, there and back" "True True" "$(q "' '.join(str(l['done']) for l in C[('$1','$2')]['legs'])")"
	t_eq "$1 -> $2: each leg has QEMU's total time and downtime, and the harness's" True \
		"$(q "all(l.get('total_ms', 0) > 0 and 'downtime_ms' in l and l.get('request_ms', 0) > 0 for l in C[('$1','$2')]['legs'])")"
	t_eq "$1 -> $2: the way there went $1 -> $2, back $2 -> $1" "$1 $2 $2 $1" \
		"$(q "' '.join(x for l in C[('$1','$2')]['legs'] for x in (l['from'], l['to']))")"
	# The guest wrote memory during each leg and found every page as it
	# last wrote it: leg 1's check on the destination, leg 2's at home.
	t_grep "$1 -> $2: leg 1: memory written during it survived it (on $2)" \
		'^PASS: migration 1: memory written during the migration survived it \([1-9][0-9]* passes' \
		"$(q "C[('$1','$2')]['logs']['destination']")"
	t_grep "$1 -> $2: leg 2: memory written during it survived it (home on $1)" \
		'^PASS: migration 2: memory written during the migration survived it \([1-9][0-9]* passes' \
		"$(q "C[('$1','$2')]['logs']['source']")"
	t_grep "$1 -> $2: the halves ran over the hosts' network, authenticated by the run's key" \
		'/gvmigrate .*--role source --to tcp:10\.0\.2\.[12]:[0-9]+ --back-listen tcp:10\.0\.2\.[12]:[0-9]+ --psk ' \
		"$(q "C[('$1','$2')]['logs']['source']")"
done
for k in k1 k2; do
	t_eq "$k -> $k: within the host, there and back: identical" identical "$(q "C[('$k','$k')]['status']")"
done
t_grep "the text shows each leg with QEMU's figures" \
	'^      leg 2 B -> A done: QEMU total [0-9]+ ms, downtime [0-9]+ ms; harness [0-9]+ ms' "$tmp/run.out"

# The faults: each cell ends with the guest finishing on its source.
# Each is the link or a half failing, not QEMU refusing the state: an
# error cell (never "refused", a compatibility result), the leg's words
# from both halves' LEG lines (tables/migproto.h's result=).
for x in kill-destination:failed:died link-down:cancelled:stalled stop-host:unreachable:None; do
	IFS=: read -r f snd rcv <<<"$x"
	t_eq "fault $f: an error of leg 1 (sender $snd, receiver $rcv), not a refusal" "error 1 $snd $rcv" \
		"$(q "F['$f']['status'], F['$f']['failed_leg'], F['$f']['legs'][0].get('sender'), F['$f']['legs'][0].get('receiver')" | tr -d "(),'")"
done
for f in kill-destination link-down stop-host; do
	t_grep "fault $f: the guest resumed on the source and PASSED" \
		'^arm/run: REFUSED: .*the guest resumed on the source and PASSED' "$(q "F['$f']['logs']['source']")"
done
t_grep "fault kill-destination: the destination says its QEMU died" \
	'^arm/run: QEMU_ERROR: .*destination died \(killed by signal 9' "$(q "F['kill-destination']['logs']['destination']")"
t_grep "fault link-down: the link went down during the stream" '^init: fault link-down: eth0 taken down [0-9]+ bytes into the stream' \
	"$(q "F['link-down']['logs']['destination']")"
t_grep "fault link-down: the source gave up at the run's --link-timeout" \
	'^gvmigrate: the migration did not complete within 30s \(--link-timeout\)' "$(q "F['link-down']['logs']['source']")"
# A stopped host answers nothing: the connection waits out the link bound,
# or, once the source's ARP entry for it has gone stale, ARP gets no answer
# either and connect fails with "No route to host" within seconds (seen).
t_grep "fault stop-host: the source gave up connecting (no answer within the run's --link-timeout, or no route)" \
	'cannot connect: (no answer within (29|30)[0-9]{3} ms|No route to host)' "$(q "F['stop-host']['logs']['source']")"
t_eq "fault stop-host: the stopped host is a kernel that went down, saying why" "stopped True" \
	"$(q "k2['status'], 'stop-host' in k2['reason']" | tr -d "(),'")"
t_status "KCIDB: the report validates" 0 python3 scripts/matrix/kcidb_check.py "$tmp/kcidb.json"
t_eq "KCIDB: a live cell's misc has its mode and both legs with QEMU's figures" "live 2 True" \
	"$(python3 -c 'import json,sys; t=[t for t in json.load(open(sys.argv[1]))["tests"] if t["path"].startswith("guestview.migration") and t["misc"]["from"] != t["misc"]["to"]][0]["misc"]; print(t["mode"], len(t["legs"]), all("total_ms" in l for l in t["legs"]))' "$tmp/kcidb.json" 2>&1)"
# The driver's CPU shares (rebalance) never lower a host in a live cell:
# both halves are bounded by the clock.  From each host's time line: no
# "nice N" above 0 between a live half's send (or the hold for one) and
# its end, and none left from before once the cell's first rebalance ran.
t_eq "hosts in a live cell run at nice 0 (events.tsv)" "" "$(python3 - "$tmp/out"/kernels/k*/events.tsv <<'EOF2'
import re, sys
for path in sys.argv[1:]:
    nice, cell = 0, None
    for line in open(path):
        what = line.rstrip("\n").split("\t", 1)[1]
        if re.match(r"(send \d+ live-|held for the cell)", what):
            cell = what
        elif re.match(r"(end \d+ live-|released)", what):
            if cell and nice:
                print("%s: %s ended at nice %d" % (path, cell, nice))
            cell = None
        m = re.match(r"nice (\d+)", what)
        if m:
            nice = int(m.group(1))
            if cell and nice:
                print("%s: nice %d during %s" % (path, nice, cell))
EOF2
)"
t_check "nothing left behind (QEMU, the switch, temp dirs)" \
	bash -c "! pgrep -af -- '$tmp/' | grep -q '[q]emu-system' && [ -z \"\$(ls -A '$tmp/t')\" ]"
t_done
