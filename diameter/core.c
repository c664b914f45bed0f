/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The process's one freeDiameter core (dia.h): start from a configuration file with a
 * reference count (gba-bsf may run a Zh client and a Zn server on the same core), wait for
 * the configured peers, stop with the last reference. freeDiameter's log goes to GLOGP
 * category "dia" (its notices at INFO, its debug output only at DEBUG); the default hooks
 * that dump whole messages (CK, IK, Ks_NAF in hex) on errors are replaced by hooks that log
 * one line with the command, the application, the peer and the reason.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gba/log.h>

#include "dia.h"

enum core_state { CORE_NONE, CORE_INIT, CORE_RUNNING, CORE_DONE };

static struct {
	pthread_mutex_t lock;
	enum core_state state;
	unsigned int refs;
	char *conf;
	struct fd_hook_hdl *hook;
} core = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* ---- logging */

static void fd_logger(int level, const char *fmt, va_list ap)
{
	enum gba_log_level l;

	/* the "FATAL! Initiating freeDiameter shutdown sequence" of every normal stop */
	if (level >= FD_LOG_FATAL && !strstr(fmt, "shutdown sequence"))
		l = GBA_LL_FATAL;
	else if (level >= FD_LOG_ERROR)
		l = GBA_LL_ERROR;
	else if (level >= FD_LOG_NOTICE)
		l = GBA_LL_INFO;
	else
		l = GBA_LL_DEBUG;
	if (gba_log_enabled(GBA_LC_DIA, l))
		gba_vlogp(GBA_LC_DIA, l, "freeDiameter", 0, fmt, ap);
}

/* freeDiameter filters by fd_g_debug_lvl before calling us: follow our own level. */
static void set_fd_level(void)
{
	if (gba_log_enabled(GBA_LC_DIA, GBA_LL_DEBUG))
		fd_g_debug_lvl = FD_LOG_DEBUG;
	else if (gba_log_enabled(GBA_LC_DIA, GBA_LL_INFO))
		fd_g_debug_lvl = FD_LOG_NOTICE;
	else
		fd_g_debug_lvl = FD_LOG_ERROR;
}

static void error_hook(enum fd_hook_type type, struct msg *msg, struct peer_hdr *peer,
		       void *other, struct fd_hook_permsgdata *pmd, void *regdata)
{
	struct msg_hdr *h = NULL;
	const char *what = type == HOOK_MESSAGE_DROPPED ? "dropped" :
			   type == HOOK_MESSAGE_ROUTING_ERROR ? "routing error" : "parsing error";
	const char *why = "";

	(void)pmd;
	(void)regdata;
	if (type == HOOK_MESSAGE_DROPPED || type == HOOK_MESSAGE_ROUTING_ERROR ||
	    (type == HOOK_MESSAGE_PARSING_ERROR && msg))
		why = other ? other : "";
	if (msg && fd_msg_hdr(msg, &h) == 0)
		GLOGP(GBA_LC_DIA, GBA_LL_ERROR, "%s %s %u (app %u) %s%s%s%s", what,
		      h->msg_flags & CMD_FLAG_REQUEST ? "request" : "answer", h->msg_code,
		      h->msg_appl, peer ? "peer " : "", peer ? peer->info.pi_diamid : "",
		      *why ? ": " : "", why);
	else
		GLOGP(GBA_LC_DIA, GBA_LL_ERROR, "%s: undecodable bytes from %s", what,
		      peer ? peer->info.pi_diamid : "?");
}

/* ---- peers */

static bool peer_has_app(struct peer_hdr *p, uint32_t app)
{
	if (p->info.runtime.pir_relay)
		return true;
	for (struct fd_list *li = p->info.runtime.pir_apps.next;
	     li != &p->info.runtime.pir_apps; li = li->next)
		if (((struct fd_app *)li)->appid == app)
			return true;
	return false;
}

/* Peers in state OPEN (advertising 'app' unless 0) and the total. */
static unsigned int count_open(uint32_t app, unsigned int *total)
{
	unsigned int n = 0, all = 0;

	pthread_rwlock_rdlock(&fd_g_peers_rw);
	for (struct fd_list *li = fd_g_peers.next; li != &fd_g_peers; li = li->next) {
		struct peer_hdr *p = (struct peer_hdr *)li;

		all++;
		if (fd_peer_get_state(p) == STATE_OPEN && (!app || peer_has_app(p, app)))
			n++;
	}
	pthread_rwlock_unlock(&fd_g_peers_rw);
	if (total)
		*total = all;
	return n;
}

unsigned int gba_dia_peers_open(uint32_t app)
{
	bool up;

	pthread_mutex_lock(&core.lock);
	up = core.state == CORE_RUNNING;
	pthread_mutex_unlock(&core.lock);
	return up ? count_open(app, NULL) : 0;
}

static void wait_peers(unsigned int wait_ms)
{
	unsigned int open = 0, total = 0;

	for (unsigned int waited = 0;; waited += 20) {
		open = count_open(0, &total);
		if (open == total || waited >= wait_ms)
			break;
		usleep(20000);
	}
	GLOGP(GBA_LC_DIA, open == total ? GBA_LL_NOTICE : GBA_LL_ERROR,
	      "Diameter %s (realm %s): %u of %u configured peers open", fd_g_config->cnf_diamid,
	      fd_g_config->cnf_diamrlm, open, total);
}

/* ---- the core */

/* libfdcore and our hooks, once. Called with core.lock held. 0 or -errno. */
static int core_init(void)
{
	int rc;

	if (core.state == CORE_DONE)
		return -EALREADY;
	if (core.state != CORE_NONE)
		return 0;
	fd_log_handler_register(fd_logger);
	set_fd_level();
	rc = fd_core_initialize();
	if (rc) {
		GLOGP(GBA_LC_DIA, GBA_LL_ERROR, "fd_core_initialize: %s", strerror(rc));
		core.state = CORE_DONE;
		return -EIO;
	}
	core.state = CORE_INIT;
	rc = fd_hook_register(HOOK_MASK(HOOK_MESSAGE_DROPPED, HOOK_MESSAGE_PARSING_ERROR,
					HOOK_MESSAGE_PARSING_ERROR2, HOOK_MESSAGE_ROUTING_ERROR),
			      error_hook, NULL, NULL, &core.hook);
	if (rc) {
		GLOGP(GBA_LC_DIA, GBA_LL_ERROR, "fd_hook_register: %s", strerror(rc));
		return -EIO;
	}
	/* no dictionary yet: extensions loaded by fd_core_parseconf() define theirs first */
	return 0;
}

int gba_dia_init_offline(void)
{
	int rc;

	pthread_mutex_lock(&core.lock);
	rc = core_init();
	pthread_mutex_unlock(&core.lock);
	return rc ?: gba_dia_dict_init();
}

static int advertise(unsigned int apps)
{
	int rc = 0;

	if (apps & GBA_DIA_ZH)
		rc = fd_disp_app_support(gba_dia_dict.app_zh, gba_dia_dict.vendor, 1, 0);
	if (!rc && (apps & GBA_DIA_ZN))
		rc = fd_disp_app_support(gba_dia_dict.app_zn, gba_dia_dict.vendor, 1, 0);
	if (rc == EEXIST)
		rc = 0;
	if (rc)
		GLOGP(GBA_LC_DIA, GBA_LL_ERROR, "fd_disp_app_support: %s", strerror(rc));
	return rc ? -EIO : 0;
}

int gba_dia_start(const char *conf_path, unsigned int apps, unsigned int wait_ms)
{
	int rc;

	if (!conf_path || !*conf_path)
		return -EINVAL;
	pthread_mutex_lock(&core.lock);
	if (core.state == CORE_RUNNING) {
		if (strcmp(conf_path, core.conf)) {
			GLOGP(GBA_LC_DIA, GBA_LL_ERROR, "Diameter core already runs from %s, not %s",
			      core.conf, conf_path);
			rc = -EINVAL;
		} else if (!(rc = advertise(apps))) {
			core.refs++;
		}
		goto out;
	}
	rc = core_init();
	if (rc)
		goto out;
	if (access(conf_path, R_OK)) {
		rc = -errno;
		GLOGP(GBA_LC_DIA, GBA_LL_ERROR, "freeDiameter configuration %s: %s", conf_path,
		      strerror(errno));
		goto out;
	}
	rc = fd_core_parseconf(conf_path);
	if (rc) {
		GLOGP(GBA_LC_DIA, GBA_LL_ERROR, "freeDiameter configuration %s refused (%s)",
		      conf_path, strerror(rc));
		/* libfdcore cannot parse a second configuration after a failed one */
		core.state = CORE_DONE;
		rc = -EINVAL;
		goto out;
	}
	/* the extensions (dict_dcca_3gpp...) are loaded now: resolve or define what they lack */
	rc = gba_dia_dict_init();
	rc = rc ?: advertise(apps);
	if (!rc && (rc = fd_core_start())) {
		GLOGP(GBA_LC_DIA, GBA_LL_ERROR, "fd_core_start: %s", strerror(rc));
		rc = -EIO;
	}
	if (rc) {
		core.state = CORE_DONE;
		goto out;
	}
	core.conf = strdup(conf_path);
	if (!core.conf) {
		rc = -ENOMEM;
		goto out;
	}
	core.state = CORE_RUNNING;
	core.refs = 1;
	pthread_mutex_unlock(&core.lock);
	/* outside the lock: answers may already need gba_dia_peers_open() */
	wait_peers(wait_ms);
	return 0;
out:
	pthread_mutex_unlock(&core.lock);
	return rc;
}

void gba_dia_stop(void)
{
	pthread_mutex_lock(&core.lock);
	if (core.state != CORE_RUNNING || --core.refs) {
		pthread_mutex_unlock(&core.lock);
		return;
	}
	core.state = CORE_DONE;
	pthread_mutex_unlock(&core.lock);
	fd_core_shutdown();
	fd_core_wait_shutdown_complete();
	GLOGP(GBA_LC_DIA, GBA_LL_INFO, "Diameter core stopped");
	free(core.conf);
	core.conf = NULL;
}

const char *gba_dia_identity(void)
{
	return fd_g_config && core.state == CORE_RUNNING ? fd_g_config->cnf_diamid : NULL;
}

const char *gba_dia_realm(void)
{
	return fd_g_config && core.state == CORE_RUNNING ? fd_g_config->cnf_diamrlm : NULL;
}
