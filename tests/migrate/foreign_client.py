#!/usr/bin/env python3
"""foreign_client.py STREAM MARKER ARM_RUN_ARGS...: another local user's
process against a TCP migration (for tests/migrate/foreign.sh).

Runs arm/run ARM_RUN_ARGS -name MARKER; once migration 1 is done, looks for
a TCP port that a process of the run (one whose argv holds MARKER: gvmigrate
and its QEMUs) listens on, connects first (from that process's network
namespace: as root, MIGRATION=netns is no obstacle), sends STREAM (a
migration stream QEMU would load; an empty file: nothing, an idle
connection) and holds the connection open until the run ends.  Passes arm/run's output through, adds a
"foreign: ..." line saying what it did, and exits with arm/run's status.
"""
import ctypes
import os
import socket
import struct
import subprocess
import sys
import time


CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)


def listeners(marker):
    """(pid, address, port) of each TCP socket in LISTEN state that a
    process of the run holds, read in that process's network namespace
    (MIGRATION=netns puts a destination in a namespace of its own)."""
    found = []
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            with open(f'/proc/{pid}/cmdline', 'rb') as f:
                if marker.encode() not in f.read().split(b'\0'):
                    continue
            inodes = set()
            for fd in os.listdir(f'/proc/{pid}/fd'):
                link = os.readlink(f'/proc/{pid}/fd/{fd}')
                if link.startswith('socket:['):
                    inodes.add(link[len('socket:['):-1])
            with open(f'/proc/{pid}/net/tcp') as f:
                rows = [line.split() for line in f.read().splitlines()[1:]]
        except OSError:
            continue    # a process that ended meanwhile
        for r in rows:
            if r[3] == '0A' and r[9] in inodes:
                hexaddr, hexport = r[1].split(':')
                addr = socket.inet_ntoa(struct.pack('<I', int(hexaddr, 16)))
                found.append((pid, '127.0.0.1' if addr == '0.0.0.0' else addr, int(hexport, 16)))
    return found


def connect_in(pid, addr, port):
    """A connection to addr:port made from pid's network namespace."""
    own = os.open('/proc/self/ns/net', os.O_RDONLY)
    theirs = os.open(f'/proc/{pid}/ns/net', os.O_RDONLY)
    try:
        if libc.setns(theirs, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), 'setns')
        try:
            return socket.create_connection((addr, port), timeout=5)
        finally:
            libc.setns(own, CLONE_NEWNET)
    finally:
        os.close(own)
        os.close(theirs)


def connect_first(marker, data):
    """Connect to a listening process of the run and send data; the socket, or False."""
    # Long enough for a destination that starts slowly on a loaded machine.
    deadline = time.time() + 15
    while time.time() < deadline:
        # A listener that just closed (the last destination's) may still be listed.
        for pid, addr, port in listeners(marker):
            try:
                conn = connect_in(pid, addr, port)
            except OSError:
                continue
            try:
                conn.sendall(data)
                print(f'foreign: connected first to port {port} and sent {len(data)} bytes')
            except OSError as e:
                print(f'foreign: connected first to port {port}; sending failed: {e}')
            return conn
        time.sleep(0.02)
    print('foreign: no process of the run listened on a TCP port for 15 s')
    return False


def main():
    stream, marker, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(stream, 'rb') as f:
        data = f.read()
    p = subprocess.Popen(['arm/run'] + args + ['-name', marker], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    conn = None
    for line in p.stdout:
        sys.stdout.write(line)
        if conn is not None or not line.startswith('gvmigrate: migration 1 '):
            continue
        conn = connect_first(marker, data)
    p.wait()
    if conn:
        conn.close()
    sys.exit(p.returncode)


main()
