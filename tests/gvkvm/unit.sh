#!/bin/bash
# tests/gvkvm/unit.sh: host/gvkvm_try.c without a kernel (tests/gvkvm/unit.c):
# the field-by-field split with injected answers, register names to ids.
. "$(dirname "$0")/../lib.sh"

t_cunit gvkvm-unit tests/gvkvm/unit.c host/gvkvm_try.c host/gvkvm_json.c host/regnames.c tables/idregs.c
t_done
