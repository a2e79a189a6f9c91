/*
 * printf.c: a small vsnprintf for the guest.  Supports the conversions a
 * payload needs (d i u x X o c s p %), flags '-' '0' ' ' '+' '#', a width
 * and precision (also '*'), and the length modifiers hh h l ll z t j.
 */
#include "libcflat.h"
#include "console.h"
#include "bulk.h"

struct outbuf {
	char *buf;
	size_t size;	/* capacity including the terminating NUL */
	size_t len;	/* characters produced, also past the capacity */
};

static void out_char(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_pad(struct outbuf *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

struct spec {
	bool left, zero, plus, space, alt;
	int width, prec;	/* prec < 0: none given */
};

static void out_str(struct outbuf *o, const char *s, const struct spec *sp)
{
	size_t len = 0;

	if (!s)
		s = "(null)";
	while (s[len] && (sp->prec < 0 || len < (size_t)sp->prec))
		len++;
	if (!sp->left)
		out_pad(o, ' ', sp->width - (int)len);
	for (size_t i = 0; i < len; i++)
		out_char(o, s[i]);
	if (sp->left)
		out_pad(o, ' ', sp->width - (int)len);
}

static void out_num(struct outbuf *o, unsigned long long v, bool neg,
		    unsigned int base, bool upper, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, prefix_len = 0, zeros, pad;
	char sign = neg ? '-' : sp->plus ? '+' : sp->space ? ' ' : 0;
	const char *prefix = "";

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (sp->prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;
	if (sp->alt && base == 16) {
		prefix = upper ? "0X" : "0x";
		prefix_len = 2;
	} else if (sp->alt && base == 8 && (n == 0 || tmp[n - 1] != '0')) {
		prefix = "0";
		prefix_len = 1;
	}
	zeros = sp->prec > n ? sp->prec - n : 0;
	pad = sp->width - n - zeros - prefix_len - (sign ? 1 : 0);
	if (sp->zero && !sp->left && sp->prec < 0) {
		zeros += pad > 0 ? pad : 0;
		pad = 0;
	}
	if (!sp->left)
		out_pad(o, ' ', pad);
	if (sign)
		out_char(o, sign);
	while (*prefix)
		out_char(o, *prefix++);
	out_pad(o, '0', zeros);
	while (n > 0)
		out_char(o, tmp[--n]);
	if (sp->left)
		out_pad(o, ' ', pad);
}

static int parse_int(const char **fmt)
{
	int v = 0;

	while (**fmt >= '0' && **fmt <= '9')
		v = v * 10 + (*(*fmt)++ - '0');
	return v;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		struct spec sp = { .prec = -1 };
		int lng = 0;	/* -2 hh, -1 h, 0 int, 1 long, 2 long long */
		unsigned long long u;
		long long s;

		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}
		for (;;) {
			char f = *++fmt;
			if (f == '-') sp.left = true;
			else if (f == '0') sp.zero = true;
			else if (f == '+') sp.plus = true;
			else if (f == ' ') sp.space = true;
			else if (f == '#') sp.alt = true;
			else break;
		}
		if (*fmt == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = true;
				sp.width = -sp.width;
			}
			fmt++;
		} else {
			sp.width = parse_int(&fmt);
		}
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				sp.prec = va_arg(ap, int);
				fmt++;
			} else {
				sp.prec = parse_int(&fmt);
			}
		}
		for (;; fmt++) {
			if (*fmt == 'h') lng--;
			else if (*fmt == 'l') lng++;
			else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j') lng = 1;
			else break;
		}
		switch (*fmt) {
		case 'd':
		case 'i':
			s = lng >= 2 ? va_arg(ap, long long) :
			    lng == 1 ? va_arg(ap, long) : va_arg(ap, int);
			if (lng == -1) s = (short)s;
			if (lng <= -2) s = (signed char)s;
			u = s < 0 ? 0ULL - (unsigned long long)s : (unsigned long long)s;
			out_num(&o, u, s < 0, 10, false, &sp);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			u = lng >= 2 ? va_arg(ap, unsigned long long) :
			    lng == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			if (lng == -1) u = (unsigned short)u;
			if (lng <= -2) u = (unsigned char)u;
			out_num(&o, u, false, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16,
				*fmt == 'X', &sp);
			break;
		case 'p':
			sp.alt = true;
			out_num(&o, (uintptr_t)va_arg(ap, void *), false, 16, false, &sp);
			break;
		case 'c': {
			char c[2] = { (char)va_arg(ap, int), 0 };
			sp.prec = 1;
			out_str(&o, c, &sp);
			break;
		}
		case 's':
			out_str(&o, va_arg(ap, const char *), &sp);
			break;
		case '%':
			out_char(&o, '%');
			break;
		default:	/* unknown conversion: show it rather than guess */
			out_char(&o, '%');
			if (!*fmt)
				goto done;
			out_char(&o, *fmt);
			break;
		}
	}
done:
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/*
 * printf formats into a buffer first so that one call reaches the console
 * as one piece: lines of different CPUs never interleave mid-line.  Results
 * pending in the bulk channel are announced first (bulk_before_console), so
 * the host's spliced log keeps the order the payload printed in.
 */
int printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	bulk_before_console();
	console_write(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	return n;
}

int puts(const char *s)
{
	bulk_before_console();
	console_write(s, strlen(s));
	return 0;
}
