/*
 * outcomes.h: the outcomes of tables/outcomes.def for C -- the guest's
 * "EXIT:" words and host/gvmigrate's exit statuses and RESULT line.
 * Header only: the guest (freestanding) and the host tools include it.
 */
#ifndef GUESTVIEW_TABLES_OUTCOMES_H
#define GUESTVIEW_TABLES_OUTCOMES_H

/* EXIT_PASS = 0, EXIT_FAIL = 1, ... EXIT_REFUSED = 79, ... */
enum outcome {
#define OUTCOME(token, status, result, fails, meaning) EXIT_##token = status,
#include "outcomes.def"
#undef OUTCOME
};

/* The payload's status line, "EXIT: TOKEN", read by arm/run and gvmigrate. */
#define OUTCOME_EXIT_LINE "EXIT: "

/* "PASS" for 0, ...; NULL for a status that is no outcome. */
static inline const char *outcome_token(int status)
{
	switch (status) {
#define OUTCOME(token, status, result, fails, meaning) case status: return #token;
#include "outcomes.def"
#undef OUTCOME
	default:
		return (const char *)0;
	}
}

#endif
