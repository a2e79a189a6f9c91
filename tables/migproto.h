/*
 * migproto.h: the words of the console protocol between a payload and
 * host/gvmigrate, compiled into both (lib/migrate.c speaks it, host/vm.c
 * and host/run.c answer), so neither side can spell a token its own way.
 * The conversation itself is described in lib/migrate.h.  One line each:
 *
 *   GUESTVIEW-MIGRATE request seq=N           guest: migrate me now
 *   GUESTVIEW-MIGRATE clock seq=N             guest: only the host's time
 *   GUESTVIEW-MIGRATE skip reason=TEXT        guest: no migration wanted
 *   GUESTVIEW-MIGRATE ack seq=N host_ns=T     host, on the QEMU the guest now runs on
 */
#ifndef GUESTVIEW_TABLES_MIGPROTO_H
#define GUESTVIEW_TABLES_MIGPROTO_H

#define MIGPROTO		"GUESTVIEW-MIGRATE"
#define MIGPROTO_REQUEST	"request"
#define MIGPROTO_CLOCK		"clock"
#define MIGPROTO_SKIP		"skip"
#define MIGPROTO_ACK		"ack"
/* Fields, "name=value", separated by one space. */
#define MIGPROTO_SEQ		"seq="
#define MIGPROTO_HOST_NS	"host_ns="
#define MIGPROTO_REASON		"reason="
/* Longest line either side sends, newline excluded. */
#define MIGPROTO_LINE_MAX	127

/*
 * Between the two halves of a --role migration (host/rolelink.h), on the
 * TCP connection before it is handed to the two QEMUs (whose TLS-PSK then
 * authenticates the stream).  KEY is the shared --psk key, MAC is
 * HMAC-SHA256(KEY, TEXT) in hex:
 *
 *   destination: GUESTVIEW-MIGRATE-LINK challenge nonce=HEX
 *   source:      GUESTVIEW-MIGRATE-LINK hello seq=N mac=MAC("hello nonce=HEX seq=N")
 *   destination: GUESTVIEW-MIGRATE-LINK ready mac=MAC("ready nonce=HEX seq=N")
 *           or:  GUESTVIEW-MIGRATE-LINK refused reason=TEXT
 *
 * seq is the guest's request, which the destination acknowledges on its
 * console; the "ready" MAC tells the source that the destination holds the
 * key too, before any of the guest's state leaves.
 */
#define MIGLINK			"GUESTVIEW-MIGRATE-LINK"
#define MIGLINK_CHALLENGE	"challenge"
#define MIGLINK_HELLO		"hello"
#define MIGLINK_READY		"ready"
#define MIGLINK_REFUSED		"refused"
#define MIGLINK_NONCE		"nonce="
#define MIGLINK_MAC		"mac="

/*
 * What a --role half prints on stdout after each leg it took part in that
 * completed (the guest moved), for programs such as the kernel matrix that
 * must not parse prose; a refused leg has none (the RESULT line says why):
 *
 *   gvmigrate: LEG N DIR PEER result=WORD [NAME=VALUE...]
 *
 * N is the migration (1 out of the source, 2 the way back), DIR "out" on
 * the half that sent the guest, "in" on the one that received it, PEER the
 * other half ("out": the URI it connected to; "in": the address the
 * connection came from).  Values are whole milliseconds; a figure this half
 * does not have is left out, never printed as 0:
 *
 * A run with both QEMUs on one machine (--mode) prints the same line for
 * each migration, DIR "out", PEER the mode (unix, tcp), request_ms from
 * the guest's request to its ack on the destination.
 *
 *   request_ms   out: from the guest's request to QEMU's "completed";
 *                in:  from the source's authenticated hello (sent at the
 *                     request) to the guest's ack on this side
 *   total_ms, downtime_ms, setup_ms
 *                out: QEMU's own figures (query-migrate of the sending QEMU)
 *
 * tables/migproto-gen writes these words (and the ones above) for bash
 * (tables/migproto.bash) and Python (tables/migproto.json).
 */
#define MIGLEG_PREFIX		"gvmigrate:"
#define MIGLEG			"LEG"
#define MIGLEG_OUT		"out"
#define MIGLEG_IN		"in"
#define MIGLEG_REQUEST_MS	"request_ms="
#define MIGLEG_TOTAL_MS		"total_ms="
#define MIGLEG_DOWNTIME_MS	"downtime_ms="
#define MIGLEG_SETUP_MS		"setup_ms="
/*
 * result=WORD, on every LEG line (first after PEER): what became of the leg
 * on this half.  A leg that did not complete has a LEG line too, without
 * figures, so that a program can tell a compatibility refusal from a link
 * that failed without reading prose:
 *   done         the guest moved (both halves)
 *   refused      in: this half's QEMU did not load the stream (QEMU's own
 *                refusal: the kernels or QEMUs are not compatible)
 *   died         in: this half's QEMU died while the stream came in
 *   stalled      in: the stream did not arrive within --link-timeout
 *   unreachable  out: no authenticated connection to the other half
 *                (nothing listening, no answer, a wrong key)
 *   cancelled    out: the migration did not complete within --link-timeout
 *   failed       out: QEMU's migration failed (the other half refused the
 *                stream, or the connection broke: its LEG line says which)
 */
#define MIGLEG_RESULT		"result="
#define MIGLEG_DONE		"done"
#define MIGLEG_REFUSED		"refused"
#define MIGLEG_DIED		"died"
#define MIGLEG_STALLED		"stalled"
#define MIGLEG_UNREACHABLE	"unreachable"
#define MIGLEG_CANCELLED	"cancelled"
#define MIGLEG_FAILED		"failed"

/*
 * What a --role half prints once it listens (the destination's --listen,
 * the source's --back-listen), before any QEMU of its starts:
 *
 *   gvmigrate: listening on tcp:ADDR:PORT for WHOM
 *
 * The kernel matrix (scripts/matrix/lib/live.bash) sends a cell's source
 * its half only after its destination said this, so the guest's request
 * never finds nothing listening.
 */
#define MIGROLE_LISTENING	"gvmigrate: listening on"

#endif
