#!/bin/bash
# tests/migrate/statefile-room.sh: a failed save is called a full disk only
# when the file system says so (tests/migrate/statefile_room.c, no QEMU).
. "$(dirname "$0")/../lib.sh"
t_cunit statefile-room tests/migrate/statefile_room.c host/statefile.c host/util.c
t_done
