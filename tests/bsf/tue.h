/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test UE and test NAF for gba-bsf, built from core/ only: libcurl with our own
 * Authorization headers, the USIM side of <gba/aka.h> with the profile's K/OPc (plain
 * SQN check: the card accepts SQN > highest seen, else answers AUTS), and a Zn client
 * (libcurl with a client certificate, <gba/zn.h> codec). Used by the integration test
 * and the benchmark.
 */
#ifndef TESTS_BSF_TUE_H
#define TESTS_BSF_TUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <curl/curl.h>

#include <gba/aka.h>
#include <gba/digest.h>
#include <gba/identity.h>
#include <gba/keys.h>
#include <gba/zn.h>

struct tue_resp {
	long status;
	char www_auth[2048];
	char auth_info[1024];
	char expires[128];
	char retry_after[32];
	char ctype[128];
	char body[70000];
	size_t body_len;
};

struct tue {
	CURL *curl;			/* keep-alive handle */
	char base[128];			/* "http://127.0.0.1:PORT" */
	char realm[256];
	char impi[GBA_IMPI_MAX + 1];
	char ua[128];			/* User-Agent */
	struct gba_aka_cred cred;
	uint64_t sqn_ms;		/* highest SQN the card accepted */
	uint64_t last_sqn;		/* SQN of the last AUTN checked */
};

/* The 401's challenge, as the UE keeps it. */
struct tue_chal {
	long status;
	bool stale;
	char nonce[256];
	char opaque[128];
	char realm[256];
	uint8_t rand[GBA_RAND_LEN];
	uint8_t autn[GBA_AUTN_LEN];
};

/* What the UE computed for a challenge. */
struct tue_keys {
	int card;			/* 0 ok, 1 sync failure (auts set), 2 MAC failure */
	uint8_t res[GBA_RES_MAX_LEN];
	size_t res_len;
	uint8_t ks[GBA_KS_LEN];
	uint8_t auts[GBA_AUTS_LEN];
};

/* How to answer a challenge; NULL/0 fields take the correct value. */
struct tue_answer {
	enum gba_digest_qop qop;	/* GBA_QOP_NONE means auth-int */
	const char *username, *realm, *nonce, *uri, *opaque, *req_uri;
	bool wrong_res, empty_password, send_auts, no_opaque;
	const char *extra;		/* appended to the Authorization value */
};

struct tue_boot {
	char btid[GBA_BTID_MAX + 1];
	time_t lifetime;
	uint8_t ks[GBA_KS_LEN];
	uint8_t rand[GBA_RAND_LEN];
};

/* A TCP port on 127.0.0.1 that nothing listens on right now (aborts on failure). */
int tue_free_port(void);

int tue_init(struct tue *u, const char *base, const char *realm, const char *impi,
	     const char *k_hex, const char *opc_hex, enum gba_aka_alg alg);
void tue_free(struct tue *u);

/* One GET with the given Authorization value (NULL: none). 0 or -EIO. */
int tue_get(struct tue *u, const char *uri, const char *authz, struct tue_resp *r);

/* First request (empty nonce). 0 with 'c' filled from the 401, or -EPROTO. */
int tue_first(struct tue *u, struct tue_chal *c);

/* Parse a 401 response into 'c'. 0 or -EPROTO. */
int tue_parse_chal(const struct tue_resp *r, struct tue_chal *c);

/* Run the card on the challenge. */
void tue_card(struct tue *u, const struct tue_chal *c, struct tue_keys *k);

/* Build the Authorization value answering 'c'. */
int tue_authz(struct tue *u, const struct tue_chal *c, const struct tue_keys *k,
	      const struct tue_answer *a, char *out, size_t outlen);

/* Answer and send. */
int tue_send_answer(struct tue *u, const struct tue_chal *c, const struct tue_keys *k,
		    const struct tue_answer *a, struct tue_resp *r);

/*
 * Full bootstrap with qop (resyncs once when the card asks). Verifies rspauth and the
 * body. 0 with 'b' filled; -EPROTO with the step in 'why'.
 */
int tue_bootstrap(struct tue *u, enum gba_digest_qop qop, struct tue_boot *b, char *why,
		  size_t whylen);

/* Check rspauth of a 200 response. 0 or -EACCES. */
int tue_check_rspauth(struct tue *u, const struct tue_chal *c, const struct tue_keys *k,
		      enum gba_digest_qop qop, const struct tue_resp *r);

/* Zn client */
struct tnaf {
	CURL *curl;
	char url[256];
};

/* cert/key/ca may be NULL (plain HTTP or no client certificate). */
int tnaf_init(struct tnaf *n, const char *url, const char *cert, const char *key,
	      const char *ca);
void tnaf_free(struct tnaf *n);

/*
 * requestBootstrappingInfo for 'btid' and NAF 'fqdn' (Ua id HTTP Digest). Returns the HTTP
 * status (>0) with *is_fault, 'a' or 'f' filled; negative on a transport or parse failure.
 */
long tnaf_lookup(struct tnaf *n, const char *btid, const char *fqdn, bool gba_u_aware,
		 struct gba_zn_answer *a, struct gba_zn_fault *f, bool *is_fault);

/* A POST of a raw body; returns the status or -EIO. */
long tnaf_post_raw(struct tnaf *n, const char *body, size_t len, struct tue_resp *r);

#endif /* TESTS_BSF_TUE_H */
