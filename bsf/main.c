/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gba-bsf: start-up (configuration, logging, KEK, store, built-in AuC, listeners) and the
 * signal loop. Signals are blocked in every thread and taken with sigtimedwait() here:
 * SIGTERM/SIGINT finish the requests in progress and exit 0, SIGHUP reloads the subscriber
 * profiles (SQN state kept); the timeout drives the purge of expired store rows.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#else
/* without libsystemd (--without-systemd) there is nobody to notify */
#define sd_notify(unset, state) do { } while (0)
#endif

#include <gba/log.h>
#include <gba/xmlutil.h>

#include "bsf.h"
#include "http.h"
#include "metrics.h"
#include "zn_dia.h"
#include "zh_dia.h"

static void purge(struct bsf *bsf)
{
	time_t now = time(NULL);
	int n = bsf->store->ops->purge(bsf->store, now);

	if (n > 0)
		GLOGP(GBA_LC_STORE, GBA_LL_INFO, "purged %d expired records", n);
	n = bsf->store->ops->count_sessions(bsf->store, now);
	if (n >= 0)
		bsf_metrics_set_sessions(n);
}

int main(int argc, char **argv)
{
	struct bsf_config cfg;
	struct bsf bsf = { .cfg = &cfg };
	struct bsf_http *http = NULL;
	struct timespec ts;
	sigset_t set;
	int rc, sig, ret = 1;

	gba_log_init("gba-bsf", GBA_LOG_STDERR);
	rc = bsf_config_load(&cfg, argc, argv);
	if (rc) {
		bsf_config_free(&cfg);
		return rc > 0 ? 0 : 2;
	}
	if (cfg.syslog)
		gba_log_init("gba-bsf", GBA_LOG_SYSLOG);
	gba_log_parse_spec(cfg.log);
	gba_log_set_key_debug(cfg.debug_keys);
	if (cfg.debug_keys)
		GLOGP(GBA_LC_MAIN, GBA_LL_NOTICE, "--debug-keys: key material WILL be logged");
	gba_xml_init();

	/* every thread inherits the blocked set; only sigtimedwait() below sees them */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	rc = bsf_kek_load(&bsf.kek, cfg.kek_hex, cfg.kek_file, true);
	if (rc) {
		GLOGP(GBA_LC_MAIN, GBA_LL_FATAL, "no key-encryption key (%s): %s",
		      cfg.kek_hex[0] ? "kek" : cfg.kek_file, strerror(-rc));
		goto out;
	}
	if (bsf_store_open(&bsf.store, cfg.store))
		goto out;
	/* before Zh: a core shared with --zh diameter: then advertises both in its first CER */
	if (cfg.zn_diameter[0] && zn_dia_start(&bsf))
		goto out;
	if (!strncmp(cfg.zh, "gsup:", 5)) {
		/* osmo-hlr; the profiles, if present, only give GBA_U and key lifetimes */
		if (zh_gsup_open(&bsf.zh, cfg.zh + 5, cfg.gsup_name, cfg.subscribers))
			goto out;
	} else if (!strncmp(cfg.zh, "diameter:", 9)) {
		/* an HSS over Diameter Zh (MAR/MAA): it holds the subscribers and their GUSS */
		if (zh_dia_open(&bsf.zh, cfg.zh + 9))
			goto out;
	} else if (zh_auc_open(&bsf.zh, cfg.subscribers, bsf.store, cfg.sqn_reserve)) {
		goto out;
	}
	purge(&bsf);
	if (bsf_http_start(&http, &bsf))
		goto out;
	GLOGP(GBA_LC_MAIN, GBA_LL_NOTICE, "gba-bsf %s ready, FQDN %s", PACKAGE_VERSION, cfg.fqdn);
	/* systemd Type=notify: the listeners accept connections from here on ($NOTIFY_SOCKET
	 * unset, e.g. started by hand: a no-op) */
	sd_notify(0, "READY=1");
	for (;;) {
		ts.tv_sec = cfg.purge_interval;
		ts.tv_nsec = 0;
		sig = sigtimedwait(&set, NULL, &ts);
		if (sig == SIGHUP) {
			GLOGP(GBA_LC_MAIN, GBA_LL_NOTICE, "SIGHUP: reloading %s", cfg.subscribers);
			sd_notify(0, "RELOADING=1");
			if (bsf.zh->ops->reload(bsf.zh))
				GLOGP(GBA_LC_MAIN, GBA_LL_ERROR, "reload failed, old profiles kept");
			sd_notify(0, "READY=1");
		} else if (sig == SIGTERM || sig == SIGINT) {
			GLOGP(GBA_LC_MAIN, GBA_LL_NOTICE, "%s: finishing requests in progress",
			      sig == SIGTERM ? "SIGTERM" : "SIGINT");
			sd_notify(0, "STOPPING=1");
			break;
		} else if (sig < 0 && errno == EAGAIN) {
			purge(&bsf);
		}
	}
	ret = 0;
out:
	bsf_http_stop(http, 5000);
	zn_dia_stop();
	zh_close(bsf.zh);
	bsf_store_close(bsf.store);
	bsf_kek_clear(&bsf.kek);
	bsf_config_free(&cfg);
	if (ret == 0)
		GLOGP(GBA_LC_MAIN, GBA_LL_NOTICE, "stopped");
	return ret;
}
