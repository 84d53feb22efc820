/* SPDX-License-Identifier: GPL-2.0 */
/* xneighd: the neighbour parameters in three layers, and which one wins.
 *
 *   sysctl    net.ipv{4,6}.neigh.{default,DEV}.* and gc_thresh1/2/3, as
 *             sync.c reads them from /proc/sys (the model keeps them);
 *             "builtin" where the file does not exist in this network
 *             namespace (neigh/default and gc_thresh* exist only in the
 *             initial one) and the kernel's built-in value applies
 *   file      xneighd's configuration file (--config, reloaded on SIGHUP)
 *   override  `xneigh conf set` at run time (XND_CTL_CONF_SET; not kept
 *             across restarts)
 *
 * The effective value of (family, device, key) is the override, else the
 * file, else the sysctl. Within the file and override layers a setting for
 * the device beats one for every device of the family ("default"), and a
 * setting for "default" applies to the table's own parameter set too (the
 * one periodic GC and devices without a set of their own use), as writing
 * neigh/default does in the kernel for devices that never set their own.
 *
 * Values are kept in the unit of the key's canonical sysctl file (the name
 * `conf show` prints): base_reachable_time_ms and retrans_time_ms in ms,
 * delay_first_probe_time and gc_stale_time in s, locktime in USER_HZ ticks
 * (1/100 s), the rest counts. The file and `conf set` also take the
 * kernel's other spelling of two of them: base_reachable_time in s and
 * retrans_time in USER_HZ ticks, converted on input.
 *
 * Everything here is pure except xn_conf_load(), which reads the file.
 *
 * The configuration file, one setting per line:
 *
 *   [dev DEV] [inet|inet6] KEY VALUE     # comment
 *
 * "dev" and the family may come in either order before KEY; without dev
 * the setting is for every device of the family ("dev default" says the
 * same), without a family for both. gc_thresh1/2/3 are table-wide: no dev.
 * Blank lines and text from a '#' at the start of a word are ignored. A
 * later line wins over an earlier one for what both set (as in
 * sysctl.conf). Any error names the file, the line and the offending word.
 */
#ifndef XND_CONF_H
#define XND_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <net/if.h>
#include "ctlproto.h"
#include "model.h"
#include "sysctl.h"

/* The keys, per-device ones first (their order is XN_NEIGH_NUD_KEYS'). */
enum xn_conf_key {
	XN_CK_BASE_REACHABLE_TIME_MS,
	XN_CK_RETRANS_TIME_MS,
	XN_CK_DELAY_FIRST_PROBE_TIME,
	XN_CK_GC_STALE_TIME,
	XN_CK_LOCKTIME,
	XN_CK_UCAST_SOLICIT,
	XN_CK_MCAST_SOLICIT,
	XN_CK_APP_SOLICIT,
	XN_CK_MCAST_RESOLICIT,
	XN_CK_UNRES_QLEN,
	XN_CK_GC_THRESH1,		/* table-wide from here on */
	XN_CK_GC_THRESH2,
	XN_CK_GC_THRESH3,
	XN_CONF_NKEYS
};
#define XN_CONF_NDEVKEYS	XN_CK_GC_THRESH1

/* Longest key name with its NUL ("base_reachable_time_ms"). */
#define XN_CONF_KEYLEN		24

enum xn_conf_src {
	XN_CONF_SRC_BUILTIN,		/* the kernel's default; no sysctl file here */
	XN_CONF_SRC_SYSCTL,
	XN_CONF_SRC_FILE,
	XN_CONF_SRC_OVERRIDE,
};

/* Canonical name of a key (its sysctl file name); NULL when out of range. */
const char *xn_conf_key_name(unsigned int key);
/* "builtin", "sysctl", "file", "override"; NULL when out of range. */
const char *xn_conf_src_name(unsigned int src);
/* Is the key table-wide (gc_thresh1/2/3: no device)? */
static inline bool xn_conf_key_global(unsigned int key)
{
	return key >= XN_CONF_NDEVKEYS && key < XN_CONF_NKEYS;
}

/* Parse KEY (any accepted spelling) and VALUE (decimal digits only) into
 * the key and the value in the key's canonical unit. 0, or with a message
 * naming the offending word in err:
 *   -ENOENT  unknown key
 *   -EINVAL  the value is not a decimal integer
 *   -ERANGE  the value is out of the key's range (negative, or above its
 *            maximum: every time at most 2147483647 ms, about 24.8 days,
 *            in the key's own unit; every count at most 2147483647) */
int xn_conf_parse_setting(const char *key, const char *value, unsigned int *key_out,
			  int *value_out, char *err, size_t errlen);

/* A device name as the kernel accepts it (dev_valid_name()): 1 to 15
 * characters, no '/', ':' or white space, not "." or "..". */
bool xn_conf_dev_valid(const char *dev);

/* Values of one (family, device) in one layer. */
struct xn_conf_set {
	int family;			/* AF_INET or AF_INET6 */
	char dev[IF_NAMESIZE];		/* "": every device, and the default set */
	unsigned int has;		/* bit per key that is set */
	int val[XN_CONF_NKEYS];		/* canonical units */
};

struct xn_conf_layer {
	struct xn_conf_set *v;
	size_t n, cap;
};

/* Set a key for (family, dev) in the layer: family AF_UNSPEC for both
 * families, dev NULL or "" (or "default") for every device. The caller
 * has checked key, value and dev. 0 or -ENOMEM (the layer unchanged). */
int xn_conf_layer_set(struct xn_conf_layer *l, int family, const char *dev, unsigned int key,
		      int value);
/* Remove a key of (family, dev) (AF_UNSPEC: both). Returns how many
 * settings went (0, 1 or 2). */
int xn_conf_layer_unset(struct xn_conf_layer *l, int family, const char *dev, unsigned int key);
/* Number of settings (keys set) in the layer. */
size_t xn_conf_layer_count(const struct xn_conf_layer *l);
void xn_conf_layer_free(struct xn_conf_layer *l);

/* Parse a whole configuration text (len bytes, NULs not allowed) into *out,
 * which must be empty. `name` is what messages call the file. 0, -ENOMEM, or
 * -EINVAL with "NAME:LINE: what, naming the word" in err (*out freed). */
int xn_conf_parse(const char *text, size_t len, const char *name, struct xn_conf_layer *out,
		  char *err, size_t errlen);

/* Read and parse the file at path into *out (empty). -ENOENT when it does
 * not exist (err says so), other -errno when it cannot be read, or
 * xn_conf_parse()'s result. */
int xn_conf_load(const char *path, struct xn_conf_layer *out, char *err, size_t errlen);

/* The operator's two layers. The sysctl layer is the model's. */
struct xn_conf {
	struct xn_conf_layer file;
	struct xn_conf_layer override;
};

void xn_conf_free(struct xn_conf *c);

struct xn_conf_value {
	int value;			/* canonical unit */
	unsigned int src;		/* enum xn_conf_src */
};

/* Every key's effective value and source for (family, dev): dev NULL or ""
 * for the table's default set, which is also the only one with the
 * table-wide keys (a device's out[] has them from the default set too, so
 * all of out[] is always filled). `sys` holds the sysctl values of the
 * set (the device's, or neigh/default's), `th` gc_thresh1/2/3;
 * sys_read/th_read false: those are the kernel's built-in values, no file
 * exists here. */
void xn_conf_resolve(const struct xn_conf *c, int family, const char *dev,
		     const struct xn_neigh_parms *sys, bool sys_read,
		     const struct xn_neigh_thresh *th, bool th_read,
		     struct xn_conf_value out[XN_CONF_NKEYS]);

/* The effective parameter set of (family, dev) (dev "" or NULL: the
 * default set), written over *p, which holds its sysctl values on entry.
 * c NULL: unchanged. */
void xn_conf_apply_parms(const struct xn_conf *c, int family, const char *dev,
			 struct xn_neigh_parms *p);
/* The same for the table-wide gc_thresh1/2/3 of a family. */
void xn_conf_apply_thresh(const struct xn_conf *c, int family, struct xn_neigh_thresh *t);

/* ---- the control socket's operations (ctlproto.h), on the model ---- */

/* XND_CTL_CONF_GET for (family, dev) (dev "" or "default": the default
 * set): *hdr and keys[0..XN_CONF_NKEYS), the sysctl layer taken from the
 * model. 0, or -EAFNOSUPPORT / -ENODEV (a device the model does not have)
 * / -EINVAL (a dev that is no device name) with msg. */
int xn_conf_ctl_get(const struct xn_conf *c, const struct xn_model *m, int family,
		    const char *dev, struct xnd_ctl_conf *hdr,
		    struct xnd_ctl_conf_key keys[XN_CONF_NKEYS], char *msg, size_t msglen);

/* XND_CTL_CONF_SET: validate and set (or with unset, remove) the override
 * of req->key for (family, req->dev), family AF_UNSPEC for both. 0, or
 * -ENOENT / -EINVAL / -ERANGE / -ENODEV / -EAFNOSUPPORT / -ENOMEM with msg
 * naming the offending word; the layer is unchanged on an error. */
int xn_conf_ctl_set(struct xn_conf *c, const struct xn_model *m, int family,
		    const struct xnd_ctl_conf_req *req, bool unset, char *msg, size_t msglen);

#endif /* XND_CONF_H */
