/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Logging: levels per category, stderr or syslog. See include/gba/log.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>

#include <gba/log.h>

static const char *const cat_names[_GBA_LC_COUNT] = {
	[GBA_LC_MAIN] = "main", [GBA_LC_CORE] = "core", [GBA_LC_APDU] = "apdu",
	[GBA_LC_CARD] = "card", [GBA_LC_UB] = "ub", [GBA_LC_ZH] = "zh",
	[GBA_LC_ZN] = "zn", [GBA_LC_UA] = "ua", [GBA_LC_STORE] = "store",
	[GBA_LC_UE] = "ue", [GBA_LC_NAF] = "naf", [GBA_LC_DIA] = "dia",
};

static const char *const level_names[] = {
	[GBA_LL_DEBUG] = "debug", [GBA_LL_INFO] = "info", [GBA_LL_NOTICE] = "notice",
	[GBA_LL_ERROR] = "error", [GBA_LL_FATAL] = "fatal", [GBA_LL_NONE] = "none",
};

static struct {
	const char *ident;
	enum gba_log_target target;
	enum gba_log_level level[_GBA_LC_COUNT];
	bool key_debug;
	bool initialised;
} g = { .ident = "gbakit", .target = GBA_LOG_STDERR };

static void defaults(void)
{
	if (g.initialised)
		return;
	for (int i = 0; i < _GBA_LC_COUNT; i++)
		g.level[i] = GBA_LL_NOTICE;
	g.initialised = true;
}

void gba_log_init(const char *ident, enum gba_log_target target)
{
	defaults();
	g.ident = ident ? ident : "gbakit";
	g.target = target;
	if (target == GBA_LOG_SYSLOG)
		openlog(g.ident, LOG_PID, LOG_DAEMON);
}

void gba_log_set_level(enum gba_log_level level)
{
	defaults();
	for (int i = 0; i < _GBA_LC_COUNT; i++)
		g.level[i] = level;
}

int gba_log_level_parse(const char *name)
{
	for (size_t i = GBA_LL_DEBUG; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (level_names[i] && !strcasecmp(name, level_names[i]))
			return (int)i;
	return -EINVAL;
}

const char *gba_log_cat_name(enum gba_log_cat cat)
{
	return (unsigned)cat < _GBA_LC_COUNT ? cat_names[cat] : "?";
}

int gba_log_parse_spec(const char *spec)
{
	enum gba_log_level lv[_GBA_LC_COUNT];
	char buf[256], *save = NULL;
	int rc = 0;

	defaults();
	if (!spec || strlen(spec) >= sizeof(buf))
		return -EINVAL;
	memcpy(lv, g.level, sizeof(lv));
	strcpy(buf, spec);
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		int l;

		if (!eq) {
			if ((l = gba_log_level_parse(tok)) < 0)
				return l;
			for (int i = 0; i < _GBA_LC_COUNT; i++)
				lv[i] = l;
			continue;
		}
		*eq = '\0';
		if ((l = gba_log_level_parse(eq + 1)) < 0)
			return l;
		rc = -EINVAL;
		for (int i = 0; i < _GBA_LC_COUNT; i++) {
			if (!strcasecmp(tok, cat_names[i])) {
				lv[i] = l;
				rc = 0;
			}
		}
		if (rc)
			return rc;
	}
	memcpy(g.level, lv, sizeof(lv));
	return 0;
}

bool gba_log_enabled(enum gba_log_cat cat, enum gba_log_level level)
{
	defaults();
	if ((unsigned)cat >= _GBA_LC_COUNT)
		cat = GBA_LC_MAIN;
	return level != GBA_LL_NONE && level >= g.level[cat];
}

void gba_log_set_key_debug(bool on)
{
	g.key_debug = on;
}

bool gba_log_key_debug(void)
{
	return g.key_debug;
}

static int syslog_prio(enum gba_log_level level)
{
	switch (level) {
	case GBA_LL_DEBUG: return LOG_DEBUG;
	case GBA_LL_INFO: return LOG_INFO;
	case GBA_LL_NOTICE: return LOG_NOTICE;
	case GBA_LL_ERROR: return LOG_ERR;
	default: return LOG_CRIT;
	}
}

void gba_vlogp(enum gba_log_cat cat, enum gba_log_level level, const char *file, int line,
	       const char *fmt, va_list ap)
{
	char msg[1024];
	const char *base;

	if (!gba_log_enabled(cat, level))
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* one event, one line: a trailing newline in the format is dropped */
	for (size_t n = strlen(msg); n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'); n--)
		msg[n - 1] = '\0';
	base = strrchr(file, '/');
	base = base ? base + 1 : file;
	if (g.target == GBA_LOG_SYSLOG) {
		syslog(syslog_prio(level), "%s %s: %s", gba_log_cat_name(cat),
		       level_names[level], msg);
		return;
	}
	{
		struct timespec ts;
		struct tm tm;
		char tbuf[32];

		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		strftime(tbuf, sizeof(tbuf), "%Y-%m-%dT%H:%M:%S", &tm);
		/* one fprintf so concurrent threads do not interleave within a line */
		fprintf(stderr, "%s.%03ldZ %s %s %s %s:%d: %s\n", tbuf, ts.tv_nsec / 1000000L,
			g.ident, gba_log_cat_name(cat), level_names[level], base, line, msg);
	}
}

void gba_logp(enum gba_log_cat cat, enum gba_log_level level, const char *file, int line,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gba_vlogp(cat, level, file, line, fmt, ap);
	va_end(ap);
}

void gba_log_key(enum gba_log_cat cat, const char *label, const uint8_t *key, size_t len)
{
	char hex[2 * 64 + 1];
	size_t i;

	if (!g.key_debug || !gba_log_enabled(cat, GBA_LL_DEBUG))
		return;
	if (len > 64)
		len = 64;
	for (i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	hex[2 * len] = '\0';
	gba_logp(cat, GBA_LL_DEBUG, __FILE__, __LINE__, "KEY %s=%s", label, hex);
	/* the hex copy is key material too */
	explicit_bzero(hex, sizeof(hex));
}
