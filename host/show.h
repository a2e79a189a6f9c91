/*
 * show.h: a fingerprint, and the table gvfp was built with, written out
 * for a reader (text) or a program (--json).
 */
#ifndef GUESTVIEW_HOST_SHOW_H
#define GUESTVIEW_HOST_SHOW_H
#include <stdio.h>

#include "fingerprint.h"

void show_text(const struct fingerprint *fp, FILE *out);
void show_json(const struct fingerprint *fp, FILE *out);
void table_text(FILE *out);
void table_json(FILE *out);

#endif
