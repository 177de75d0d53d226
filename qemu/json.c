// SPDX-License-Identifier: GPL-2.0-only
/*
 * Just enough JSON for QMP replies and the event log: find a top-level
 * member, read a string or an integer, escape a string. Input comes from a
 * socket, so every scanner stops at the terminating NUL and reports
 * malformed text as NULL/false instead of running past it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amprelayd.h"

size_t json_escape(char *out, size_t size, const char *in)
{
	size_t o = 0;

	if (size == 0)
		return 0;
	for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
		char esc[8];
		size_t n;

		switch (*p) {
		case '"':  strcpy(esc, "\\\""); break;
		case '\\': strcpy(esc, "\\\\"); break;
		case '\n': strcpy(esc, "\\n"); break;
		case '\r': strcpy(esc, "\\r"); break;
		case '\t': strcpy(esc, "\\t"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				snprintf(esc, sizeof(esc), "\\u%04x", *p);
			else {
				esc[0] = *p;
				esc[1] = '\0';
			}
		}
		n = strlen(esc);
		if (o + n >= size)
			break;
		memcpy(out + o, esc, n);
		o += n;
	}
	out[o] = '\0';
	return o;
}

const char *json_skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static const char *skip_string(const char *p)
{
	if (*p != '"')
		return NULL;
	for (p++; *p; p++) {
		if (*p == '\\') {
			if (!p[1])
				return NULL;
			p++;
		} else if (*p == '"') {
			return p + 1;
		}
	}
	return NULL;
}

/* Nesting is bounded so a hostile peer cannot exhaust the stack. */
static const char *skip_value(const char *p, int depth)
{
	p = json_skip_ws(p);
	if (depth > 64)
		return NULL;
	if (*p == '"')
		return skip_string(p);
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';

		p = json_skip_ws(p + 1);
		if (*p == close)
			return p + 1;
		for (;;) {
			if (close == '}') {
				p = skip_string(json_skip_ws(p));
				if (!p)
					return NULL;
				p = json_skip_ws(p);
				if (*p != ':')
					return NULL;
				p++;
			}
			p = skip_value(p, depth + 1);
			if (!p)
				return NULL;
			p = json_skip_ws(p);
			if (*p == ',') {
				p++;
				continue;
			}
			if (*p == close)
				return p + 1;
			return NULL;
		}
	}
	if (!strncmp(p, "true", 4))
		return p + 4;
	if (!strncmp(p, "false", 5))
		return p + 5;
	if (!strncmp(p, "null", 4))
		return p + 4;
	if (*p == '-' || (*p >= '0' && *p <= '9')) {
		char *end;

		strtod(p, &end);
		return end == p ? NULL : end;
	}
	return NULL;
}

const char *json_skip_value(const char *p)
{
	return skip_value(p, 0);
}

const char *json_member(const char *obj, const char *key)
{
	const char *p = json_skip_ws(obj);
	size_t klen = strlen(key);

	if (*p != '{')
		return NULL;
	p = json_skip_ws(p + 1);
	if (*p == '}')
		return NULL;
	for (;;) {
		const char *kstart = p, *kend = skip_string(p);

		if (!kend)
			return NULL;
		p = json_skip_ws(kend);
		if (*p != ':')
			return NULL;
		p = json_skip_ws(p + 1);
		/* Keys with escapes never match; QMP keys have none. */
		if ((size_t)(kend - kstart) == klen + 2 &&
		    !strncmp(kstart + 1, key, klen))
			return p;
		p = json_skip_value(p);
		if (!p)
			return NULL;
		p = json_skip_ws(p);
		if (*p != ',')
			return NULL;
		p = json_skip_ws(p + 1);
	}
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool json_get_string(const char *val, char *out, size_t size)
{
	const char *p = json_skip_ws(val);
	size_t o = 0;

	if (*p != '"' || size == 0)
		return false;
	for (p++; *p && *p != '"'; p++) {
		char c = *p;

		if (c == '\\') {
			p++;
			switch (*p) {
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case '"': case '\\': case '/': c = *p; break;
			case 'u': {
				unsigned int code = 0;

				for (int i = 1; i <= 4; i++) {
					int d = hex_digit(p[i]);

					if (d < 0)
						return false;
					code = code << 4 | d;
				}
				/* Only ASCII matters to us; mark the rest. */
				c = code < 0x80 ? (char)code : '?';
				p += 4;
				break;
			}
			default:
				return false;
			}
		}
		if (o + 1 < size)
			out[o++] = c;
	}
	out[o] = '\0';
	return *p == '"';
}

bool json_get_int(const char *val, long long *out)
{
	const char *p = json_skip_ws(val);
	char *end;

	if (*p != '-' && (*p < '0' || *p > '9'))
		return false;
	*out = strtoll(p, &end, 10);
	return end != p && *end != '.' && *end != 'e' && *end != 'E';
}
