/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gbakit logging: one module, levels and categories, to stderr or syslog.
 *
 * Key material is never printed through GLOGP(); use gba_log_key(), which
 * prints only when key debugging was switched on explicitly (--debug-keys).
 */
#ifndef GBA_LOG_H
#define GBA_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum gba_log_cat {
	GBA_LC_MAIN,	/* program start-up, configuration, signals */
	GBA_LC_CORE,	/* core/ codecs and crypto */
	GBA_LC_APDU,	/* APDU transport and T=0 handling */
	GBA_LC_CARD,	/* soft UICC */
	GBA_LC_UB,	/* Ub: UE <-> BSF */
	GBA_LC_ZH,	/* Zh: BSF <-> HSS/HLR/AuC */
	GBA_LC_ZN,	/* Zn: NAF <-> BSF */
	GBA_LC_UA,	/* Ua: UE <-> NAF */
	GBA_LC_STORE,	/* session store */
	GBA_LC_UE,	/* UE client logic */
	GBA_LC_NAF,	/* NAF library logic */
	GBA_LC_DIA,	/* Diameter core (freeDiameter) under Zh and Zn */
	_GBA_LC_COUNT
};

enum gba_log_level {
	GBA_LL_DEBUG = 1,
	GBA_LL_INFO,
	GBA_LL_NOTICE,
	GBA_LL_ERROR,
	GBA_LL_FATAL,
	GBA_LL_NONE,	/* nothing is printed */
};

enum gba_log_target {
	GBA_LOG_STDERR,
	GBA_LOG_SYSLOG,
};

/* Set up logging for program 'ident'. Default: stderr, level NOTICE. */
void gba_log_init(const char *ident, enum gba_log_target target);

/* Minimum level for every category. */
void gba_log_set_level(enum gba_log_level level);

/*
 * Parse a level spec such as "info" or "notice,ub=debug,zn=info" and apply it.
 * Returns 0, or -EINVAL for an unknown category or level name.
 */
int gba_log_parse_spec(const char *spec);

/* Parse a level name ("debug", "info", "notice", "error", "fatal", "none"). -EINVAL if unknown. */
int gba_log_level_parse(const char *name);

/*
 * Name of a category ("main", "core", "apdu", "card", "ub", "zh", "zn", "ua", "store", "ue",
 * "naf", "dia").
 */
const char *gba_log_cat_name(enum gba_log_cat cat);

/* True when a message of this category and level would be printed. */
bool gba_log_enabled(enum gba_log_cat cat, enum gba_log_level level);

/* Allow gba_log_key() to print key bytes. Off by default; only an explicit debug option sets it. */
void gba_log_set_key_debug(bool on);
bool gba_log_key_debug(void);

void gba_logp(enum gba_log_cat cat, enum gba_log_level level, const char *file, int line,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void gba_vlogp(enum gba_log_cat cat, enum gba_log_level level, const char *file, int line,
	       const char *fmt, va_list ap);

/* Print 'label' and the key bytes in hex at DEBUG level, only when key debugging is on. */
void gba_log_key(enum gba_log_cat cat, const char *label, const uint8_t *key, size_t len);

#define GLOGP(cat, level, fmt, ...) do { \
	if (gba_log_enabled(cat, level)) \
		gba_logp(cat, level, __FILE__, __LINE__, fmt, ##__VA_ARGS__); \
	} while (0)

#endif /* GBA_LOG_H */
