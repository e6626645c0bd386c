/* SPDX-License-Identifier: MIT */
/* Renderer dispatch and the helpers every renderer shares. Input: one warta/1
 * JSON line per article (error records too) and the article's original text.
 * Output: the chosen view, written to one stream. jsonl passes the line
 * through untouched; the other formats parse it with cJSON and decode the
 * text once (rtext) so that code point offsets map to bytes in one place.
 */
#include "render_int.h"

#include "warta.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ UTF-8 */

uint32_t utf8_next(const char *str, size_t n, size_t *i)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t k = *i;
	unsigned c = s[k];
	if (c < 0x80) {
		*i = k + 1;
		return c;
	}
	/* Unicode table 3-7: the allowed range of the second byte depends on
	 * the first; any other continuation byte is 80..BF. */
	unsigned need, lo = 0x80, hi = 0xBF;
	uint32_t cp;
	if (c >= 0xC2 && c <= 0xDF)
		need = 1, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF) {
		need = 2, cp = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3, cp = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		*i = k + 1;
		return 0xFFFD;
	}
	k++;
	for (unsigned j = 0; j < need; j++, k++) {
		if (k >= n || s[k] < lo || s[k] > hi) {
			*i = *i + 1; /* each invalid byte is one character, as in normalize.c */
			return 0xFFFD;
		}
		cp = (cp << 6) | (s[k] & 0x3F);
		lo = 0x80, hi = 0xBF;
	}
	*i = k;
	return cp;
}

size_t utf8_put(uint32_t c, char *o)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xC0 | (c >> 6));
		o[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xE0 | (c >> 12));
		o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		o[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (c >> 18));
	o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	o[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

int rtext_init(rtext *t, const char *text, size_t len)
{
	memset(t, 0, sizeof *t);
	if (len > UINT32_MAX / 2)
		return WARTA_ETOOBIG;
	/* A replaced byte grows to at most 3 bytes; count first to size s. */
	size_t ncp = 0, out = 0;
	for (size_t i = 0; i < len; ncp++) {
		size_t k = i;
		uint32_t c = utf8_next(text, len, &i);
		out += (c == 0xFFFD || c == 0) ? 3 : i - k;
	}
	t->s = malloc(out + 1);
	t->off = malloc((ncp + 1) * sizeof *t->off);
	if (!t->s || !t->off) {
		rtext_free(t);
		return WARTA_ENOMEM;
	}
	size_t o = 0, n = 0;
	for (size_t i = 0; i < len;) {
		size_t k = i;
		uint32_t c = utf8_next(text, len, &i);
		t->off[n++] = (uint32_t)o;
		if (c == 0xFFFD || c == 0)
			o += utf8_put(0xFFFD, t->s + o);
		else {
			memcpy(t->s + o, text + k, i - k);
			o += i - k;
		}
	}
	t->off[n] = (uint32_t)o;
	t->s[o] = '\0';
	t->len = o;
	t->ncp = n;
	return 0;
}

void rtext_free(rtext *t)
{
	free(t->s);
	free(t->off);
	memset(t, 0, sizeof *t);
}

size_t rtext_byte(const rtext *t, double cp)
{
	if (!(cp > 0)) /* also NaN */
		return 0;
	if (cp >= (double)t->ncp)
		return t->len;
	return t->off[(size_t)cp];
}

/* ------------------------------------------------------------ strings */

static bool S_grow(rbuf *b, size_t more)
{
	if (b->oom)
		return false;
	if (b->n + more + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->n + more + 1)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void rbuf_put(rbuf *b, const char *s, size_t n)
{
	if (!S_grow(b, n))
		return;
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void rbuf_puts(rbuf *b, const char *s)
{
	rbuf_put(b, s, strlen(s));
}

void rbuf_printf(rbuf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		rbuf_put(b, small, (size_t)n);
		return;
	}
	if (!S_grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
}

const char *rbuf_str(rbuf *b)
{
	return b->p && !b->oom ? b->p : "";
}

void rbuf_free(rbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

/* ------------------------------------------------------------ record */

const char *rj_str(const cJSON *o, const char *k)
{
	const cJSON *x = o ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
	return x && cJSON_IsString(x) ? x->valuestring : NULL;
}

bool rj_num(const cJSON *o, const char *k, double *v)
{
	const cJSON *x = o ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
	if (!x || !cJSON_IsNumber(x) || !isfinite(x->valuedouble))
		return false;
	*v = x->valuedouble;
	return true;
}

const cJSON *rj_arr(const cJSON *o, const char *k)
{
	const cJSON *x = o ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
	return cJSON_IsArray(x) ? x : NULL;
}

const cJSON *rj_by_id(const cJSON *a, const char *id)
{
	const cJSON *x;
	if (!a || !id)
		return NULL;
	cJSON_ArrayForEach(x, a)
	{
		const char *xi = rj_str(x, "id");
		if (xi && strcmp(xi, id) == 0)
			return x;
	}
	return NULL;
}

const char *r_numfmt(double v, char *buf, size_t cap)
{
	int prec = 1;
	for (; prec < 17; prec++) {
		snprintf(buf, cap, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	double a = fabs(v);
	if (!strchr(buf, 'e') || !(a >= 1e-6 && a < 1e15))
		return buf;
	/* Fixed notation with the digits that round-trip: 15000, 0.00025. */
	int mag = (int)floor(log10(a));
	int dec = prec - 1 - mag;
	snprintf(buf, cap, "%.*f", dec > 0 ? dec : 0, v);
	if (dec > 0) {
		char *e = buf + strlen(buf) - 1;
		while (*e == '0')
			*e-- = '\0';
		if (*e == '.')
			*e = '\0';
	}
	return buf;
}

/* ------------------------------------------------------------ SHA-256 */

/* FIPS 180-4; only the review page's two constant blocks are hashed, so
 * clarity wins over speed. */
static const uint32_t S_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define S_ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void S_sha_block(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64], a[8];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = S_ROR(w[i - 15], 7) ^ S_ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = S_ROR(w[i - 2], 17) ^ S_ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(a, h, sizeof a);
	for (int i = 0; i < 64; i++) {
		uint32_t S1 = S_ROR(a[4], 6) ^ S_ROR(a[4], 11) ^ S_ROR(a[4], 25);
		uint32_t ch = (a[4] & a[5]) ^ (~a[4] & a[6]);
		uint32_t t1 = a[7] + S1 + ch + S_k[i] + w[i];
		uint32_t S0 = S_ROR(a[0], 2) ^ S_ROR(a[0], 13) ^ S_ROR(a[0], 22);
		uint32_t mj = (a[0] & a[1]) ^ (a[0] & a[2]) ^ (a[1] & a[2]);
		memmove(a + 1, a, 7 * sizeof *a);
		a[4] += t1;
		a[0] = t1 + S0 + mj;
	}
	for (int i = 0; i < 8; i++)
		h[i] += a[i];
}

void r_sha256_b64(const char *s, size_t n, char out[45])
{
	uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	for (; i + 64 <= n; i += 64)
		S_sha_block(h, p + i);
	unsigned char last[128] = {0};
	size_t rest = n - i;
	memcpy(last, p + i, rest);
	last[rest] = 0x80;
	size_t blocks = rest + 9 <= 64 ? 1 : 2;
	uint64_t bits = (uint64_t)n * 8;
	for (int k = 0; k < 8; k++)
		last[blocks * 64 - 1 - (size_t)k] = (unsigned char)(bits >> (8 * k));
	for (size_t b = 0; b < blocks; b++)
		S_sha_block(h, last + 64 * b);
	unsigned char d[33];
	for (int k = 0; k < 32; k++)
		d[k] = (unsigned char)(h[k / 4] >> (24 - 8 * (k % 4)));
	d[32] = 0;
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;
	for (int k = 0; k < 33; k += 3) {
		uint32_t v =
		    (uint32_t)d[k] << 16 | (uint32_t)d[k + 1] << 8 | (k + 2 < 33 ? d[k + 2] : 0);
		out[o++] = b64[(v >> 18) & 63];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = k + 1 < 32 ? b64[(v >> 6) & 63] : '=';
		out[o++] = k + 2 < 32 ? b64[v & 63] : '=';
	}
	out[44] = '\0';
}

/* ------------------------------------------------------------ dispatch */

static int S_jsonl_record(render *r, const cJSON *rec, const rtext *t)
{
	(void)r, (void)rec, (void)t;
	return 0; /* never called: render_record passes jsonl lines through */
}

static int S_noop(render *r)
{
	(void)r;
	return 0;
}

static const render_ops S_jsonl_ops = {"jsonl", false, S_noop, S_jsonl_record, S_noop};

static const render_ops *const S_all[] = {&S_jsonl_ops, &render_html_ops, &render_ntriples_ops,
                                          &render_labelstudio_ops, &render_brat_ops};
#define S_NALL (sizeof S_all / sizeof S_all[0])

static const render_ops *S_find(const char *format)
{
	for (size_t i = 0; format && i < S_NALL; i++)
		if (strcmp(S_all[i]->name, format) == 0)
			return S_all[i];
	return NULL;
}

const char *render_formats(void)
{
	return "jsonl,html,ntriples,labelstudio,brat";
}

int render_needs_text(const char *format)
{
	const render_ops *ops = S_find(format);
	return ops && ops->needs_text;
}

static char *S_dup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

int render_open(const char *format, FILE *out, const render_opts *o, render **rp)
{
	*rp = NULL;
	const render_ops *ops = S_find(format);
	if (!ops)
		return WARTA_EFORMAT;
	render *r = calloc(1, sizeof *r);
	if (!r)
		return WARTA_ENOMEM;
	r->ops = ops;
	r->out = out;
	if ((o && o->base_iri && !(r->base_iri = S_dup(o->base_iri))) ||
	    (o && o->out_dir && !(r->out_dir = S_dup(o->out_dir)))) {
		free(r->base_iri);
		free(r);
		return WARTA_ENOMEM;
	}
	int rc = ops->open(r);
	if (rc) {
		free(r->base_iri);
		free(r->out_dir);
		free(r);
		return rc;
	}
	*rp = r;
	return 0;
}

int render_record(render *r, const char *json, size_t json_len, const char *text, size_t text_len)
{
	if (r->ops == &S_jsonl_ops) {
		if (fwrite(json, 1, json_len, r->out) != json_len || fputc('\n', r->out) == EOF)
			return WARTA_EIO;
		r->nrec++;
		return 0;
	}
	cJSON *rec = cJSON_ParseWithLength(json, json_len);
	if (!cJSON_IsObject(rec)) {
		cJSON_Delete(rec);
		return WARTA_EINPUT;
	}
	rtext t;
	int rc = 0;
	bool have_text = text && r->ops->needs_text;
	if (have_text)
		rc = rtext_init(&t, text, text_len);
	if (!rc)
		rc = r->ops->record(r, rec, have_text ? &t : NULL);
	if (have_text)
		rtext_free(&t);
	cJSON_Delete(rec);
	if (!rc)
		r->nrec++;
	return rc;
}

int render_close(render *r)
{
	if (!r)
		return 0;
	/* The stream is the caller's: it flushes it and reports a full disk. */
	int rc = r->ops->close(r);
	free(r->base_iri);
	free(r->out_dir);
	free(r);
	return rc;
}
