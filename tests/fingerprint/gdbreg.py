#!/usr/bin/env python3
"""gdbreg.py: read a QEMU guest's system registers through QEMU's gdbstub,
and compare them with a guestview fingerprint.  An independent source for
tests/fingerprint/gdbstub.sh: QEMU's own register model, read by QEMU's
gdbstub, not by the guest.

  gdbreg.py read SOCKET [-o OUT] [--resume | --kill] [--timeout S]
      Connects to the gdbstub on the unix socket SOCKET (QEMU started with
      -S and -gdb unix:SOCKET,server=on,wait=off), fetches target.xml and
      every feature it includes, and reads, on every vCPU (gdb thread, Hg),
      every register of the feature "org.qemu.gdb.arm.sys.regs" (QEMU's
      system registers).  Writes one line per register and vCPU:
          cpu<N> <NAME> 0x<16 hex digits>
      in the order of qfThreadInfo (cpu0 = first thread).  Registers whose
      read fails ("E.." answer) are written "cpu<N> <NAME> error".
      With --resume the guest is then let run ("c") and the
      connection closed, so that the same QEMU goes on to its end; with
      --kill QEMU is ended (k packet).

  gdbreg.py compare FP GDBREGS [--el2 GDBREGS] [--min N] [-v]
      Compares every "sysreg.<NAME>" and "sysreg.cpu<N>.<NAME>" key of the
      fingerprint FP with the gdbstub's values (GDBREGS, from "read"):
        - sysreg.NAME (one value for the VM): the register on every vCPU;
        - sysreg.cpuN.NAME (MPIDR_EL1): the register on vCPU N;
        - sysreg.NAME.SEL (cache registers, per CSSELR selection) and
          registers the gdbstub does not expose: not cross-checked.
      A fingerprint value "undef"/"trap:0xNN" matches a register the gdbstub does not
      expose (the model has no such register); a register the gdbstub
      exposes but the guest found UNDEFINED is a mismatch.
      Prints "MISMATCH: NAME ...: fingerprint V, gdbstub G" per mismatch,
      "compared: N of M ID registers ...", "not cross-checked: N of M: ...".
      --el2 FILE: registers read with EL2 enabled (-machine ...,virtualization=on):
      VPIDR_EL2 and VMPIDR_EL2, whose reset values are what an EL1 guest reads
      as MIDR_EL1 and MPIDR_EL1 (the gdbstub has no raw MIDR/MPIDR).
      QEMU names the AArch32-shared registers without "_EL1" (ID_PFR0) and
      reserved ID space slots by place (ID_AA64PFR2_EL1_RESERVED: CRm=4 op2=2),
      compared with the fingerprint's idspace.* keys, and with sysreg.* where
      tables/idregs.def puts a register at that place.
      --min N: also fail when fewer than N ID registers were compared.
      Exit status: 0 all compared values are equal, 1 a mismatch (or too few
      compared, --min), 2 error.
"""
import os
import re
import socket
import sys
import time


class GdbError(Exception):
    pass


class Gdb:
    def __init__(self, path, timeout=10.0):
        deadline = time.time() + timeout
        while True:
            try:
                self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.s.connect(path)
                break
            except OSError as e:
                self.s.close()
                if time.time() > deadline:
                    raise GdbError("cannot connect to %s: %s" % (path, e))
                time.sleep(0.02)
        self.s.settimeout(timeout)
        self.buf = b""

    def _byte(self):
        if not self.buf:
            data = self.s.recv(65536)
            if not data:
                raise GdbError("gdbstub closed the connection")
            self.buf = data
        b, self.buf = self.buf[:1], self.buf[1:]
        return b

    def send(self, payload):
        """Sends one packet and returns the answer's payload (decoded)."""
        data = payload.encode("latin-1")
        pkt = b"$" + data + b"#%02x" % (sum(data) & 0xff)
        for _ in range(3):
            self.s.sendall(pkt)
            ack = self._byte()
            while ack not in (b"+", b"-"):	# e.g. a stray notification
                ack = self._byte()
            if ack == b"+":
                break
        else:
            raise GdbError("packet %r not acknowledged" % payload)
        return self.recv()

    def recv(self):
        while self._byte() != b"$":
            pass
        body = bytearray()
        while True:
            c = self._byte()
            if c == b"#":
                break
            body += c
        cs = self._byte() + self._byte()
        if int(cs, 16) != sum(body) & 0xff:
            self.s.sendall(b"-")
            raise GdbError("bad checksum in answer")
        self.s.sendall(b"+")
        return self._unescape(bytes(body)).decode("latin-1")

    @staticmethod
    def _unescape(body):
        out = bytearray()
        i = 0
        while i < len(body):
            c = body[i]
            if c == 0x7d:			# '}' escapes the next byte
                i += 1
                out.append(body[i] ^ 0x20)
            elif c == 0x2a and out:		# '*' run-length encoding
                i += 1
                out += out[-1:] * (body[i] - 29)
            else:
                out.append(c)
            i += 1
        return bytes(out)

    def xfer(self, annex):
        data, off = "", 0
        while True:
            r = self.send("qXfer:features:read:%s:%x,%x" % (annex, off, 0x3000))
            if not r or r[0] not in "ml":
                raise GdbError("qXfer of %s: answer %r" % (annex, r[:40]))
            data += r[1:]
            off += len(r) - 1
            if r[0] == "l":
                return data

    def threads(self):
        out = []
        r = self.send("qfThreadInfo")
        while r.startswith("m"):
            out += r[1:].split(",")
            r = self.send("qsThreadInfo")
        return out


def features(gdb):
    """{feature name: [(register name, regnum, bitsize)]} from target.xml
    and every file it includes; regnums counted as gdb does (regnum="N"
    resets the count)."""
    result, seen = {}, set()
    regnum = [0]

    def walk(annex):
        if annex in seen:
            return
        seen.add(annex)
        xml = gdb.xfer(annex)
        # Elements in document order: includes and features/regs.
        for m in re.finditer(r"<(xi:include|feature|reg)\b([^>]*)>", xml):
            tag, attrs = m.group(1), dict(re.findall(r'(\w+)="([^"]*)"', m.group(2)))
            if tag == "xi:include":
                walk(attrs["href"])
            elif tag == "feature":
                walk.cur = result.setdefault(attrs["name"], [])
            else:
                if "regnum" in attrs:
                    regnum[0] = int(attrs["regnum"])
                walk.cur.append((attrs["name"], regnum[0], int(attrs.get("bitsize", "64"))))
                regnum[0] += 1

    walk.cur = None
    walk("target.xml")
    return result


SYSREGS_FEATURE = "org.qemu.gdb.arm.sys.regs"


def le_hex(s):
    """The gdbstub sends register bytes in target (little-endian) order."""
    return int.from_bytes(bytes.fromhex(s), "little")


def cmd_read(argv):
    import argparse
    ap = argparse.ArgumentParser(prog="gdbreg.py read")
    ap.add_argument("socket")
    ap.add_argument("-o", "--output")
    ap.add_argument("--resume", action="store_true", help="let the guest run, then disconnect")
    ap.add_argument("--kill", action="store_true", help="end QEMU (k packet) after reading")
    ap.add_argument("--timeout", type=float, default=10.0)
    a = ap.parse_args(argv)
    gdb = Gdb(a.socket, a.timeout)
    gdb.send("qSupported:xmlRegisters=aarch64")	# no multiprocess: thread ids are plain
    gdb.send("?")
    feats = features(gdb)
    if SYSREGS_FEATURE not in feats:
        raise GdbError("no feature %s in target.xml (have: %s)" % (SYSREGS_FEATURE, ", ".join(feats)))
    regs = feats[SYSREGS_FEATURE]
    lines = []
    for cpu, tid in enumerate(gdb.threads()):
        r = gdb.send("Hg" + tid)
        if r != "OK":
            raise GdbError("Hg%s: %r" % (tid, r))
        for name, num, bits in regs:
            v = gdb.send("p%x" % num)
            if not v or v.startswith("E") or len(v) != bits // 4:
                lines.append("cpu%d %s error" % (cpu, name))
            else:
                lines.append("cpu%d %s 0x%016x" % (cpu, name, le_hex(v)))
    if a.resume or a.kill:
        # "c": resume, answered only when the guest stops; "k": QEMU exits.
        # Either way only the acknowledgement comes: wait for it, then close.
        gdb.s.sendall(b"$c#63" if a.resume else b"$k#6b")
        if gdb._byte() != b"+":
            raise GdbError("%s not acknowledged" % ("c" if a.resume else "k"))
        gdb.s.close()
    out = "\n".join(lines) + "\n"
    if a.output:
        with open(a.output, "w") as f:
            f.write(out)
    else:
        sys.stdout.write(out)
    return 0


# QEMU names the registers it shares with AArch32 by their AArch32 name
# (ID_PFR0, CLIDR, AIDR: the AArch64 name less "_EL1"), and the reserved
# slots of the ID space by their place: ID_AA64<GROUP><N>_EL1_RESERVED is
# op0=3 op1=0 CRn=0, CRm and op2 as below; RES_0_C0_C<m>_<n> is CRm=m op2=n.
RESERVED = {"PFR": (4, 0), "DFR": (5, 0), "AFR": (5, 4), "ISAR": (6, 0), "MMFR": (7, 0)}


def reserved_slot(gname):
    m = re.fullmatch(r"ID_AA64(PFR|DFR|AFR|ISAR|MMFR)(\d)_EL1_RESERVED", gname)
    if m:
        crm, base = RESERVED[m.group(1)]
        return "s3_0_c0_c%d_%d" % (crm, base + int(m.group(2)))
    m = re.fullmatch(r"RES_0_C0_C(\d)_(\d)", gname)
    if m:
        return "s3_0_c0_c%s_%s" % m.groups()
    return None


def table_slots(path):
    """{"s3_op1_c0_cM_N": NAME} for the registers of tables/idregs.def."""
    out = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"IDREG\((\w+),\s*3,\s*(\d+),\s*0,\s*(\d+),\s*(\d+),", line)
            if m:
                out["s3_%s_c0_c%s_%s" % m.group(2, 3, 4)] = m.group(1)
    return out


def read_gdbregs(path):
    vals, cpus = {}, set()
    with open(path) as f:
        for line in f:
            cpu, name, val = line.split()
            c = int(cpu[3:])
            cpus.add(c)
            vals[(c, name)] = None if val == "error" else int(val, 16)
    if not cpus:
        raise GdbError("%s: no registers" % path)
    return vals, sorted(cpus)


def cmd_compare(argv):
    import argparse
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(prog="gdbreg.py compare")
    ap.add_argument("fp")
    ap.add_argument("gdbregs")
    ap.add_argument("--el2", help="registers read with EL2 enabled: VPIDR_EL2 and VMPIDR_EL2, "
                    "whose reset values are the MIDR_EL1 and MPIDR_EL1 an EL1 guest reads")
    ap.add_argument("--table", default=os.path.join(here, "..", "..", "tables", "idregs.def"))
    ap.add_argument("--min", type=int, default=0, help="fail when fewer ID registers are compared")
    ap.add_argument("-v", "--verbose", action="store_true", help="one line per comparison")
    a = ap.parse_args(argv)

    fp = {}			# key -> value string
    regs = []		# register names of the fingerprint, in its order
    with open(a.fp) as f:
        for line in f:
            parts = line.split()
            if len(parts) != 2:
                continue
            fp[parts[0]] = parts[1]
            m = re.match(r"sysreg\.(?:cpu\d+\.)?([A-Z0-9_]+)", parts[0])
            if m and m.group(1) not in regs:
                regs.append(m.group(1))
    gdbv, cpus = read_gdbregs(a.gdbregs)
    slot_names = table_slots(a.table)

    # (fingerprint key, ID register name or None, gdbstub register name)
    pairs = []
    for gname in sorted({n for (_, n) in gdbv}):
        if "sysreg." + gname in fp:
            pairs.append(("sysreg." + gname, gname, gname))
        elif "sysreg." + gname + "_EL1" in fp:
            pairs.append(("sysreg." + gname + "_EL1", gname + "_EL1", gname))
        elif reserved_slot(gname) and "idspace." + reserved_slot(gname) in fp:
            slot = reserved_slot(gname)
            pairs.append(("idspace." + slot, slot_names.get(slot), gname))
            if slot_names.get(slot) and "sysreg." + slot_names[slot] in fp:
                pairs.append(("sysreg." + slot_names[slot], slot_names[slot], gname))
    checks = []		# (fp key, register name or None, vCPU, gdb name, gdb value, source)
    for key, reg, gname in pairs:
        for c in cpus:
            checks.append((key, reg, c, gname, gdbv.get((c, gname)), "gdbstub"))
    for c in cpus:
        if ("sysreg.cpu%d.MPIDR_EL1" % c) in fp and (c, "MPIDR_EL1") in gdbv:
            checks.append(("sysreg.cpu%d.MPIDR_EL1" % c, "MPIDR_EL1", c, "MPIDR_EL1",
                           gdbv[(c, "MPIDR_EL1")], "gdbstub"))
    if a.el2:
        el2v, el2cpus = read_gdbregs(a.el2)
        for c in el2cpus:
            if (c, "VPIDR_EL2") in el2v and "sysreg.MIDR_EL1" in fp:
                checks.append(("sysreg.MIDR_EL1", "MIDR_EL1", c, "VPIDR_EL2 (EL2 on)",
                               el2v[(c, "VPIDR_EL2")], "gdbstub"))
            key = "sysreg.cpu%d.MPIDR_EL1" % c
            if (c, "VMPIDR_EL2") in el2v and key in fp:
                checks.append((key, "MPIDR_EL1", c, "VMPIDR_EL2 (EL2 on)",
                               el2v[(c, "VMPIDR_EL2")], "gdbstub"))
        # every vCPU of the fingerprint has its MPIDR_EL1 checked
        for k in fp:
            m = re.fullmatch(r"sysreg\.cpu(\d+)\.MPIDR_EL1", k)
            if m and int(m.group(1)) not in el2cpus:
                checks.append((k, "MPIDR_EL1", int(m.group(1)), "VMPIDR_EL2 (EL2 on)", None, "gdbstub"))

    mismatched, compared, slots = set(), set(), set()
    mismatches = 0
    for key, reg, c, gname, g, src in checks:
        want = fp[key]
        what = "%s on vCPU %d: fingerprint %s %s, %s %s" % (reg or key, c, key, want, src, gname)
        if g is None:
            print("MISMATCH: %s could not be read" % what)
        elif not want.startswith("0x"):
            print("MISMATCH: %s = 0x%016x (the guest could not read it: %s)" % (what, g, want))
        elif int(want, 16) != g:
            print("MISMATCH: %s = 0x%016x" % (what, g))
        else:
            if a.verbose:
                print("equal: %s = 0x%016x" % (what, g))
            if reg:
                compared.add(reg)
            if key.startswith("idspace."):
                slots.add(key)
            continue
        mismatches += 1
        mismatched.add(reg or key)
    compared -= mismatched
    done = [r for r in regs if r in compared]
    absent, unchecked = [], []
    for r in regs:
        if r in compared or r in mismatched:
            continue
        vals = [v for k, v in fp.items() if re.fullmatch(r"sysreg\.(cpu\d+\.)?%s(\.\w+)?" % r, k)]
        if any(re.fullmatch(r"sysreg\.%s\.\w+" % r, k) for k in fp):
            unchecked.append("%s (per cache level: needs CSSELR_EL1)" % r)
        elif all(not v.startswith("0x") for v in vals):
            absent.append("%s (%s)" % (r, vals[0]))
        else:
            unchecked.append(r)
    print("compared: %d of %d ID registers, equal on %d vCPUs: %s" % (len(done), len(regs), len(cpus), " ".join(done)))
    print("reserved ID space slots compared: %d" % len(slots))
    print("not cross-checked: %d of %d: %s%s%s" % (
        len(unchecked) + len(absent), len(regs),
        "not exposed by the gdbstub: " + ", ".join(unchecked) if unchecked else "",
        "; " if unchecked and absent else "",
        "not readable by the guest and not in the gdbstub: " + ", ".join(absent) if absent else ""))
    print("mismatches: %d (%d registers)" % (mismatches, len(mismatched)))
    if len(done) < a.min:
        print("TOO FEW: %d ID registers compared, at least %d required" % (len(done), a.min))
        return 1
    return 1 if mismatches else 0


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("read", "compare"):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        return (cmd_read if sys.argv[1] == "read" else cmd_compare)(sys.argv[2:])
    except (GdbError, OSError, ValueError, KeyError) as e:
        print("gdbreg.py: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
