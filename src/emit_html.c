/* SPDX-License-Identifier: MIT */
/* Renderer "html": one self-contained review page (inline CSS and JS, no
 * network) for an analyst. Input: warta/1 records and the articles' texts.
 * Output: per article its metadata, the text with every zone, claim, number,
 * mention and date drawn as nested elements, and tables of claims, entities
 * and dates; an index first when there are several articles. Invariants:
 * every string from a record or an article passes html_escape; the page's
 * only script is the constant S_js (pinned by a CSP hash), which reads data
 * from escaped attributes, never from inline JSON.
 */
#include "render_int.h"

#include "warta.h"

#include <stdlib.h>
#include <string.h>

void html_escape(rbuf *b, const char *s, size_t n)
{
	size_t i = 0, run = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		const char *rep = NULL;
		size_t k = i;
		if (c >= 0x80) {
			uint32_t cp = utf8_next(s, n, &i);
			if (cp != 0xFFFD) {
				continue; /* valid: stays in the run */
			}
			rep = "\xEF\xBF\xBD";
		} else {
			switch (c) {
			case '&': rep = "&amp;"; break;
			case '<': rep = "&lt;"; break;
			case '>': rep = "&gt;"; break;
			case '"': rep = "&quot;"; break;
			case '\'': rep = "&#39;"; break;
			default:
				if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
					rep = "\xEF\xBF\xBD";
			}
			i++;
			if (!rep)
				continue;
		}
		rbuf_put(b, s + run, k - run);
		rbuf_puts(b, rep);
		run = i;
	}
	rbuf_put(b, s + run, n - run);
}

static void S_esc(rbuf *b, const char *s)
{
	if (s)
		html_escape(b, s, strlen(s));
}

/* ------------------------------------------------------------ page parts */

/* The types the page knows; others still render, in the neutral style. */
static const char *const S_types[][2] = {{"PERSON", "Person"},     {"COUNTRY", "Country"},
                                         {"AGENCY", "Agency"},     {"ORGANIZATION", "Organization"},
                                         {"LOCATION", "Location"}, {"DATE", "Date"},
                                         {"CLAIM", "Claim"},       {"NUMBER", "Other number"}};
#define S_NTYPES (sizeof S_types / sizeof S_types[0])

/* Okabe-Ito colours, each with its own line style so that colour is never
 * the only cue: solid, double, dashed, dotted, wavy underlines, an over- and
 * underline for dates, a box for claims, a dashed box for numbers. */
static const char *const S_css[] = {
    ":root{--ink:#1f2328;--muted:#59636e;--line:#d8dee4;--soft:#f6f8fa;--bg:#eef1f4}\n",
    "*{box-sizing:border-box}[hidden]{display:none!important}\n",
    "html{scroll-padding-top:7rem}\n",
    "body{margin:0;background:var(--bg);color:var(--ink);"
    "font:14px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif}\n",
    "a{color:#0b5cad}a:hover{text-decoration-thickness:2px}\n",
    ".bar{position:sticky;top:0;z-index:5;background:#fff;border-bottom:1px solid var(--line);"
    "box-shadow:0 1px 4px rgba(0,0,0,.06);padding:.55rem 1.5rem;display:flex;flex-wrap:wrap;"
    "gap:.45rem 1.5rem;align-items:center}\n",
    ".brand{font-weight:700;font-size:15px;letter-spacing:.01em}"
    ".brand small{font-weight:400;color:var(--muted);margin-left:.5rem}\n",
    ".legend{order:3;flex-basis:100%;display:flex;flex-wrap:wrap;gap:.3rem .9rem;"
    "align-items:center;margin:0;padding:0;"
    "border:0}.legend legend{float:left;color:var(--muted);font-size:12px;margin-right:.2rem}\n",
    ".legend label{display:inline-flex;gap:.35rem;align-items:center;cursor:pointer;"
    "font-size:13px;white-space:nowrap}\n",
    ".legend input{margin:0;accent-color:#333}\n",
    ".search{margin-left:auto;display:flex;gap:.5rem;align-items:center}\n",
    "#q{font:inherit;padding:.3rem .6rem;border:1px solid var(--line);border-radius:6px;"
    "width:16rem}#q:focus{outline:2px solid #0072B2;outline-offset:0}\n",
    "#shown{color:var(--muted);font-size:12px}\n",
    "main{max-width:1320px;margin:0 auto;padding:1rem 1.5rem 4rem}\n",
    ".card{background:#fff;border:1px solid var(--line);border-radius:10px;margin:1.1rem 0;"
    "padding:1.2rem 1.5rem}\n",
    ".card h2{margin:0 0 .3rem;font-size:1.4rem;line-height:1.3;font-weight:650}\n",
    ".meta{color:var(--muted);font-size:12.5px;display:flex;flex-wrap:wrap;gap:.15rem 1.1rem;"
    "margin:0}.meta dt{display:inline;font-weight:600}.meta dd{display:inline;margin:0 0 0 .3rem}"
    ".meta code{font-size:12px}\n",
    ".counts{display:flex;flex-wrap:wrap;gap:.4rem;margin:.6rem 0 0}"
    ".counts span{background:var(--soft);border:1px solid var(--line);border-radius:999px;"
    "padding:0 .6rem;font-size:12px}\n",
    ".warn{margin:.6rem 0 0;padding:.4rem .7rem;background:#fff8e6;border-left:3px solid #E69F00;"
    "font-size:12.5px}\n",
    ".cols{display:grid;grid-template-columns:minmax(0,70ch) minmax(280px,1fr);gap:1.6rem;"
    "margin-top:1rem;align-items:start}\n",
    "@media (max-width:1000px){.cols{grid-template-columns:minmax(0,1fr)}}\n",
    ".text{margin:0;white-space:pre-wrap;overflow-wrap:anywhere;color:#1a1a1a;"
    "font:16.5px/1.95 Charter,'Bitstream Charter','Sitka Text',Cambria,'DejaVu Serif',Georgia,"
    "serif}\n",
    "td.val{font-weight:600;white-space:nowrap}table.brief "
    "td.ent{min-width:6.5rem}table.brief{font-size:12px}table.brief td,table.brief "
    "th{padding:.3rem .3rem}\n",
    ".side td{overflow-wrap:break-word}.ents td:first-child{overflow-wrap:anywhere}"
    "table.brief td:first-child{white-space:nowrap}td.nw{white-space:nowrap}\n",
    ".side h3,.wide h3{font-size:12px;text-transform:uppercase;letter-spacing:.06em;"
    "color:var(--muted);margin:0 0 .4rem}\n",
    ".side{position:sticky;top:6.5rem;max-height:calc(100vh - 7.5rem);overflow:auto}\n",
    "@media (max-width:1000px){.side{position:static;max-height:none}}\n",
    ".side section+section{margin-top:1.2rem}.wide{margin-top:1.4rem}\n",
    ".tw{overflow-x:auto}\n",
    "table{border-collapse:collapse;width:100%;font-size:12.5px}\n",
    "th{text-align:left;font-weight:600;color:var(--muted);border-bottom:1px solid var(--line);"
    "padding:.3rem .45rem;white-space:nowrap;background:var(--soft)}\n",
    "td{border-bottom:1px solid #edf0f2;padding:.3rem .45rem;vertical-align:top}\n",
    "tr.hit td{background:#fff4cc}td.num{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n",
    "td.ent{min-width:8rem}td.rule{white-space:nowrap}td.ctx{min-width:18rem;color:#333}td.ctx "
    "b{font-weight:600;color:#000;"
    "background:rgba(213,94,0,.10)}\n",
    ".none{color:#9aa1a9}.rule{font:11.5px ui-monospace,SFMono-Regular,Menlo,monospace;"
    "color:var(--muted)}\n",
    "tr[data-e]{cursor:pointer}tr[data-e]:hover td{background:#f3f6fa}\n",
    ".sw{padding:0 .25rem;border-radius:3px;font-size:11.5px;line-height:1.6;"
    "-webkit-box-decoration-break:clone;box-decoration-break:clone}\n",
    ".hl{background:transparent;border-radius:2px;text-decoration-thickness:2px;text-underline-"
    "offset:4px;"
    "text-decoration-skip-ink:none;-webkit-box-decoration-break:clone;box-decoration-break:clone;"
    "cursor:help;color:inherit}\n",
    ".hl:focus{outline:2px solid #000;outline-offset:1px}\n",
    ".hl.lit{outline:2px solid #000;outline-offset:1px}.hl.hit{box-shadow:inset 0 -3px 0 #000}\n",
    ".t-PERSON{background:rgba(230,159,0,.22);text-decoration:underline solid #A86F00}\n",
    ".t-COUNTRY{background:rgba(86,180,233,.24);text-decoration:underline double #1F74AD}\n",
    ".t-AGENCY{background:rgba(0,158,115,.16);text-decoration:underline dashed #00785A}\n",
    ".t-ORGANIZATION{background:rgba(204,121,167,.24);text-decoration:underline dotted #9C4577}\n",
    ".t-LOCATION{background:rgba(0,114,178,.13);text-decoration:underline wavy #0072B2}\n",
    ".t-DATE{background:rgba(240,228,66,.55);text-decoration:underline overline solid #857A00}\n",
    ".t-CLAIM{border:1.5px solid #D55E00;border-radius:4px;padding:2px 2px;"
    "background:rgba(213,94,0,.05)}\n",
    ".t-NUMBER{border:1px dashed #7a7a7a;border-radius:3px;padding:1px 1px}\n",
    ".t-OTHER{background:rgba(0,0,0,.07);text-decoration:underline solid #555}\n",
    ".hl.cont{border-left-width:0}\n",
    ".z-title{font-weight:700}.z-meta,.z-dateline{color:#4d5560}\n",
    ".z-related{color:#6e7781;background:#f1f3f5}\n",
    ".z-noise{color:#8c959f;font-size:.86em;background:repeating-linear-gradient(135deg,"
    "#f4f5f6 0 6px,#eaecee 6px 12px)}\n",
    ".z-related::before,.z-noise::before{content:attr(data-label);display:inline-block;"
    "font:600 10px/1.6 system-ui,sans-serif;letter-spacing:.05em;text-transform:uppercase;"
    "color:#fff;background:#8c959f;border-radius:3px;padding:0 .35rem;margin-right:.4rem;"
    "vertical-align:1px}\n",
    ".zs{color:#4d5560;background:#eceef0;border:1px dashed #aab1b8;font-size:13px}\n",
    ".top{float:right;font-size:12px;color:var(--muted);text-decoration:none;margin-left:1rem}\n",
    "body.nozones .z-noise,body.nozones .z-related{display:none}\n",
    ".error{border-left:4px solid #D55E00}.error h2{color:#A33F00}\n",
    "#tip{position:absolute;z-index:10;max-width:26rem;background:#1f2328;color:#fff;"
    "font:12.5px/1.45 system-ui,sans-serif;padding:.45rem .65rem;border-radius:6px;"
    "white-space:pre-line;pointer-events:none;box-shadow:0 6px 18px rgba(0,0,0,.25)}\n",
    "#index td:nth-child(n+6){text-align:right;font-variant-numeric:tabular-nums}\n",
    "@media print{.bar{position:static}#tip{display:none}}\n",
    NULL};

/* Per-type filters: an unticked type loses its style and its table rows. */
static void S_filter_css(rbuf *o)
{
	for (size_t i = 0; i < S_NTYPES; i++)
		rbuf_printf(
		    o,
		    "body.off-%s .hl.t-%s{background:none;text-decoration:none;border-color:"
		    "transparent}body.off-%s tr.r-%s{display:none}\n",
		    S_types[i][0], S_types[i][0], S_types[i][0], S_types[i][0]);
}

/* The page's only script. It reads escaped attributes and textContent and
 * writes only textContent, classes and hidden flags. */
static const char *const S_js[] = {
    "(function(){'use strict';\n",
    "var d=document;\n",
    "var tip=d.getElementById('tip');\n",
    "var hs=d.querySelectorAll('.hl[title]');\n",
    "for(var i=0;i<hs.length;i++){hs[i].setAttribute('data-tip',hs[i].getAttribute('title'));"
    "hs[i].removeAttribute('title');}\n",
    "function hl(e){return e&&e.closest?e.closest('.hl'):null;}\n",
    "function show(el){tip.textContent=el.getAttribute('data-tip')||'';tip.hidden=false;"
    "var r=el.getBoundingClientRect(),w=tip.offsetWidth,x=r.left+window.scrollX;"
    "var max=window.scrollX+d.documentElement.clientWidth-w-8;if(x>max)x=max;if(x<4)x=4;"
    "tip.style.left=x+'px';tip.style.top=(r.bottom+window.scrollY+6)+'px';"
    "el.setAttribute('aria-describedby','tip');}\n",
    "function hide(){tip.hidden=true;}\n",
    "d.addEventListener('mouseover',function(e){var el=hl(e.target);if(el)show(el);"
    "else if(!hl(d.activeElement))hide();});\n",
    "d.addEventListener('focusin',function(e){var el=hl(e.target);if(el)show(el);else hide();});\n",
    "d.addEventListener('keydown',function(e){if(e.key==='Escape')hide();});\n",
    "function each(s,f,c){var l=(c||d).querySelectorAll(s);for(var i=0;i<l.length;i++)f(l[i]);}\n",
    "each('input[data-f]',function(b){b.addEventListener('change',function(){"
    "d.body.classList.toggle('off-'+b.getAttribute('data-f'),!b.checked);});});\n",
    "var z=d.getElementById('zones');if(z)z.addEventListener('change',function(){"
    "d.body.classList.toggle('nozones',!z.checked);});\n",
    "function "
    "lit(k,on){each('.hl[data-e=\"'+k+'\"]',function(m){m.classList.toggle('lit',on);});}\n",
    "each('tr[data-e]',function(r){var k=r.getAttribute('data-e');"
    "r.addEventListener('mouseenter',function(){lit(k,true);});"
    "r.addEventListener('mouseleave',function(){lit(k,false);});"
    "r.addEventListener('click',function(e){if(e.target.closest('a'))return;"
    "var m=d.querySelector('.hl[data-e=\"'+k+'\"]');if(m){m.focus();"
    "m.scrollIntoView({block:'center'});}});});\n",
    "var q=d.getElementById('q'),shown=d.getElementById('shown'),"
    "arts=d.querySelectorAll('section.article');\n",
    "function has(el,s){return el.textContent.toLowerCase().indexOf(s)>=0||"
    "(el.getAttribute('data-tip')||'').toLowerCase().indexOf(s)>=0;}\n",
    "function search(){var s=q.value.trim().toLowerCase(),n=0;"
    "for(var i=0;i<arts.length;i++){var a=arts[i],ok=!s||has(a,s);a.hidden=!ok;if(ok)n++;"
    "var row=d.querySelector('tr[data-a=\"'+a.id+'\"]');if(row)row.hidden=!ok;"
    "each('tbody tr,.hl',function(x){x.classList.toggle('hit',!!s&&has(x,s));},a);}"
    "shown.textContent=s?n+' of '+arts.length+' articles match':'';}\n",
    "if(q)q.addEventListener('input',search);\n",
    "d.documentElement.setAttribute('data-warta-js','ready');\n",
    "})();\n",
    NULL};

/* The CSS and JS are kept as arrays of lines (C limits string literals). */
static void S_cat(rbuf *o, const char *const *parts)
{
	for (; *parts; parts++)
		rbuf_puts(o, *parts);
}

/* ------------------------------------------------------------ spans */

enum { K_ZONE, K_CLAIM, K_NUMBER, K_MENTION, K_DATE };

typedef struct hspan {
	uint32_t s, e;    /* code points, e exclusive */
	uint32_t seq;     /* input order, the last tie-break */
	uint8_t layer;    /* 0 zone, 1 claim, 2 number, 3 mention or date */
	uint8_t kind;     /* K_* */
	bool opened;      /* its first fragment was written (later ones are "cont") */
	int idx;          /* DOM number within its kind */
	int ent;          /* entity index of a mention, else -1 */
	const char *type; /* class suffix or zone type */
	size_t tip;       /* offset of its tooltip in the pool, or SIZE_MAX */
} hspan;

typedef struct hart {
	size_t n; /* article number (DOM ids a<n>-...) */
	const cJSON *rec, *ents, *dates, *claims;
	const rtext *t;
	hspan *v;
	size_t nv, cap;
	rbuf pool; /* tooltips, NUL-separated */
	bool oom;
} hart;

static int S_cmp_span(const void *pa, const void *pb)
{
	const hspan *a = pa, *b = pb;
	if (a->layer != b->layer)
		return a->layer < b->layer ? -1 : 1;
	if (a->s != b->s)
		return a->s < b->s ? -1 : 1;
	if (a->e != b->e)
		return a->e > b->e ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static bool S_type_known(const char *t)
{
	for (size_t i = 0; t && i < S_NTYPES; i++)
		if (strcmp(t, S_types[i][0]) == 0)
			return true;
	return false;
}

/* A class-safe type name: known types as they are, anything else OTHER. */
static const char *S_cls(const char *t)
{
	return S_type_known(t) ? t : "OTHER";
}

static hspan *S_add(hart *A, const cJSON *o, uint8_t layer, uint8_t kind, int idx, int ent,
                    const char *type)
{
	double s, e;
	size_t ncp = A->t ? A->t->ncp : 0;
	if (!rj_num(o, "start", &s) || !rj_num(o, "end", &e))
		return NULL;
	if (s < 0)
		s = 0;
	if (e > (double)ncp)
		e = (double)ncp;
	if (!(s < e))
		return NULL; /* empty or outside the text: only the tables show it */
	if (A->nv == A->cap) {
		size_t cap = A->cap ? A->cap * 2 : 64;
		hspan *v = realloc(A->v, cap * sizeof *v);
		if (!v) {
			A->oom = true;
			return NULL;
		}
		A->v = v;
		A->cap = cap;
	}
	hspan *h = &A->v[A->nv];
	*h = (hspan){(uint32_t)s, (uint32_t)e, (uint32_t)A->nv, layer, kind, false, idx,
	             ent,         type,        SIZE_MAX};
	A->nv++;
	return h;
}

/* Starts a tooltip in the pool; the caller appends its text, then S_tip_end. */
static size_t S_tip_begin(hart *A)
{
	return A->pool.n;
}
static void S_tip_end(hart *A)
{
	rbuf_put(&A->pool, "", 1);
}

static void S_value_text(rbuf *o, const cJSON *c);

static bool S_blank(const rtext *t, uint32_t cp)
{
	char c = t->s[t->off[cp]];
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void S_collect(hart *A)
{
	const cJSON *x, *arr;
	int k = 0;
	/* Only zones the reader should notice as different get an element. */
	if ((arr = rj_arr(A->rec, "zones")))
		cJSON_ArrayForEach(x, arr)
		{
			const char *zt = rj_str(x, "type");
			if (!zt || strcmp(zt, "body") == 0)
				continue;
			hspan *h = S_add(A, x, 0, K_ZONE, k++, -1, zt);
			/* Zones begin and end at line breaks; the grey box and its label
			 * belong on the words. */
			while (h && h->s < h->e && S_blank(A->t, h->s))
				h->s++;
			while (h && h->s < h->e && S_blank(A->t, h->e - 1))
				h->e--;
			if (h && h->s == h->e) {
				A->nv--;
				h = NULL;
			}
			if (h) {
				h->tip = S_tip_begin(A);
				rbuf_puts(&A->pool, zt);
				S_tip_end(A);
			}
		}
	k = 0;
	if (A->claims)
		cJSON_ArrayForEach(x, A->claims)
		{
			hspan *h = S_add(A, x, 1, K_CLAIM, k++, -1, "CLAIM");
			if (!h)
				continue;
			h->tip = S_tip_begin(A);
			const char *s;
			rbuf_printf(&A->pool, "claim %s: ", (s = rj_str(x, "id")) ? s : "?");
			S_value_text(&A->pool, x);
			if ((s = rj_str(x, "unit")))
				rbuf_printf(&A->pool, " %s", s);
			if ((s = rj_str(x, "category")))
				rbuf_printf(&A->pool, " (%s)", s);
			if ((s = rj_str(x, "predicate")))
				rbuf_printf(&A->pool, "\npredicate: %s", s);
			const cJSON *en = rj_by_id(A->ents, rj_str(x, "subject"));
			if (en && (s = rj_str(en, "name")))
				rbuf_printf(&A->pool, "\nsubject: %s", s);
			en = rj_by_id(A->ents, rj_str(x, "source"));
			if (en && (s = rj_str(en, "name")))
				rbuf_printf(&A->pool, "\naccording to: %s", s);
			if ((s = rj_str(x, "hedge")))
				rbuf_printf(&A->pool, "\nhedge: %s", s);
			rbuf_printf(&A->pool, "\nrule: %s", (s = rj_str(x, "rule")) ? s : "?");
			S_tip_end(A);
		}
	k = 0;
	if ((arr = rj_arr(A->rec, "numbers")))
		cJSON_ArrayForEach(x, arr)
		{
			hspan *h = S_add(A, x, 2, K_NUMBER, k++, -1, "NUMBER");
			if (!h)
				continue;
			h->tip = S_tip_begin(A);
			rbuf_puts(&A->pool, "number ");
			S_value_text(&A->pool, x);
			const char *s = rj_str(x, "rule");
			rbuf_printf(&A->pool, " (in no claim)\nrule: %s", s ? s : "?");
			S_tip_end(A);
		}
	k = 0;
	int ei = 0;
	if (A->ents)
		cJSON_ArrayForEach(x, A->ents)
		{
			const char *type = rj_str(x, "type"), *name = rj_str(x, "name");
			const char *id = rj_str(x, "id"), *kb = rj_str(x, "kb");
			const cJSON *m;
			const cJSON *ms = rj_arr(x, "mentions");
			if (ms)
				cJSON_ArrayForEach(m, ms)
				{
					hspan *h = S_add(A, m, 3, K_MENTION, k++, ei, S_cls(type));
					if (!h)
						continue;
					h->tip = S_tip_begin(A);
					const char *rule = rj_str(m, "rule"),
					           *zone = rj_str(m, "zone");
					rbuf_printf(&A->pool, "%s\n%s · %s", name ? name : "?",
					            type ? type : "?", id ? id : "?");
					if (kb)
						rbuf_printf(&A->pool, " · %s", kb);
					rbuf_printf(&A->pool, "\nrule: %s", rule ? rule : "?");
					if (zone && strcmp(zone, "body") != 0)
						rbuf_printf(&A->pool, "\nzone: %s", zone);
					S_tip_end(A);
				}
			ei++;
		}
	k = 0;
	if (A->dates)
		cJSON_ArrayForEach(x, A->dates)
		{
			hspan *h = S_add(A, x, 3, K_DATE, k++, -1, "DATE");
			if (!h)
				continue;
			h->tip = S_tip_begin(A);
			const char *id = rj_str(x, "id"), *v = rj_str(x, "value");
			const char *rule = rj_str(x, "rule");
			rbuf_printf(&A->pool, "%s\nDATE · %s\nrule: %s", v ? v : "(no value)",
			            id ? id : "?", rule ? rule : "?");
			S_tip_end(A);
		}
	if (A->pool.oom)
		A->oom = true;
}

static void S_open(hart *A, rbuf *o, hspan *h)
{
	const char *tip = h->tip != SIZE_MAX && !A->pool.oom ? A->pool.p + h->tip : NULL;
	if (h->kind == K_ZONE) {
		rbuf_puts(o, "<span class=\"z z-");
		S_esc(o, h->type);
		rbuf_puts(o, "\"");
		if (strcmp(h->type, "noise") == 0)
			rbuf_puts(o, " data-label=\"noise · not analysed\"");
		else if (strcmp(h->type, "related") == 0)
			rbuf_puts(o, " data-label=\"related headlines\"");
		rbuf_puts(o, ">");
		return;
	}
	static const char kch[] = {'z', 'c', 'n', 'm', 'd'};
	rbuf_printf(o, "<mark class=\"hl t-%s%s\"", h->type, h->opened ? " cont" : "");
	if (!h->opened)
		rbuf_printf(o, " id=\"a%zu-%c%d\" tabindex=\"0\"", A->n, kch[h->kind], h->idx + 1);
	if (h->ent >= 0)
		rbuf_printf(o, " data-e=\"a%zu-e%d\"", A->n, h->ent + 1);
	if (tip) {
		rbuf_puts(o, " title=\"");
		S_esc(o, tip);
		rbuf_puts(o, "\"");
	}
	rbuf_puts(o, ">");
	h->opened = true;
}

static void S_close(rbuf *o, const hspan *h)
{
	rbuf_puts(o, h->kind == K_ZONE ? "</span>" : "</mark>");
}

static int S_cmp_u32(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	return a < b ? -1 : a > b;
}

typedef struct spos {
	uint32_t s;
	size_t rank;
} spos;

static int S_cmp_spos(const void *pa, const void *pb)
{
	const spos *a = pa, *b = pb;
	if (a->s != b->s)
		return a->s < b->s ? -1 : 1;
	return a->rank < b->rank ? -1 : a->rank > b->rank;
}

static void S_text(rbuf *o, const rtext *t, uint32_t a, uint32_t b)
{
	html_escape(o, t->s + t->off[a], t->off[b] - t->off[a]);
}

/* Writes the text with its spans as well-nested elements. Between two
 * consecutive boundaries the active spans, in canonical order (layer, start,
 * longer first), must be the open elements; moving to the next segment closes
 * the open elements after the longest common prefix and opens the rest. A span
 * that crosses another thus splits into fragments; zones, being outermost and
 * disjoint, never split. */
static void S_body(hart *A, rbuf *o)
{
	const rtext *t = A->t;
	size_t nv = A->nv;
	qsort(A->v, nv, sizeof *A->v, S_cmp_span); /* index = canonical rank */
	uint32_t *bounds = malloc((2 * nv + 2) * sizeof *bounds);
	size_t *bystart = malloc((nv + 1) * sizeof *bystart);
	size_t *act = malloc((nv + 1) * sizeof *act), *stk = malloc((nv + 1) * sizeof *stk);
	spos *order = malloc((nv + 1) * sizeof *order);
	if (!bounds || !bystart || !act || !stk || !order) {
		A->oom = true;
		goto out;
	}
	size_t nb = 0;
	bounds[nb++] = 0;
	bounds[nb++] = (uint32_t)t->ncp;
	for (size_t i = 0; i < nv; i++) {
		bounds[nb++] = A->v[i].s;
		bounds[nb++] = A->v[i].e;
	}
	qsort(bounds, nb, sizeof *bounds, S_cmp_u32);
	size_t u = 0;
	for (size_t i = 0; i < nb; i++)
		if (!u || bounds[i] != bounds[u - 1])
			bounds[u++] = bounds[i];
	nb = u;
	/* Spans by start, ties in canonical order. */
	for (size_t i = 0; i < nv; i++)
		order[i] = (spos){A->v[i].s, i};
	qsort(order, nv, sizeof *order, S_cmp_spos);
	for (size_t i = 0; i < nv; i++)
		bystart[i] = order[i].rank;
	size_t nact = 0, nstk = 0, next = 0;
	for (size_t b = 0; b + 1 < nb; b++) {
		uint32_t at = bounds[b];
		size_t w = 0;
		for (size_t i = 0; i < nact; i++)
			if (A->v[act[i]].e > at)
				act[w++] = act[i];
		nact = w;
		for (; next < nv && A->v[bystart[next]].s <= at; next++) {
			size_t x = bystart[next], j = nact++;
			while (j > 0 && act[j - 1] > x) { /* keep act sorted by rank */
				act[j] = act[j - 1];
				j--;
			}
			act[j] = x;
		}
		size_t common = 0;
		while (common < nstk && common < nact && stk[common] == act[common])
			common++;
		while (nstk > common)
			S_close(o, &A->v[stk[--nstk]]);
		for (; nstk < nact; nstk++) {
			stk[nstk] = act[nstk];
			S_open(A, o, &A->v[stk[nstk]]);
		}
		S_text(o, t, at, bounds[b + 1]);
	}
	while (nstk > 0)
		S_close(o, &A->v[stk[--nstk]]);
out:
	free(bounds);
	free(bystart);
	free(act);
	free(stk);
	free(order);
}

/* ------------------------------------------------------------ values */

/* Writes v with narrow no-break spaces between thousands (15 000). */
static void S_group(rbuf *o, double v)
{
	char buf[64];
	r_numfmt(v, buf, sizeof buf);
	const char *p = buf;
	if (*p == '-')
		rbuf_put(o, p++, 1);
	size_t ni = strspn(p, "0123456789");
	if (strchr(p, 'e') || ni < 5) {
		rbuf_puts(o, p);
		return;
	}
	for (size_t i = 0; i < ni; i++) {
		if (i && (ni - i) % 3 == 0)
			rbuf_puts(o, "\xE2\x80\xAF");
		rbuf_put(o, p + i, 1);
	}
	rbuf_puts(o, p + ni);
}

/* The value with its qualifier: "≈ 1 000", "≤ 15 000", "1 000–2 000", "USD 5". */
static void S_value_text(rbuf *o, const cJSON *c)
{
	double v, lo, hi;
	bool hv = rj_num(c, "value", &v), hl = rj_num(c, "low", &lo), hh = rj_num(c, "high", &hi);
	const char *q = rj_str(c, "qualifier"), *cur = rj_str(c, "currency");
	const cJSON *ap = cJSON_GetObjectItemCaseSensitive(c, "approx");
	if (cur)
		rbuf_printf(o, "%s ", cur);
	if (q && strcmp(q, "range") == 0 && hl && hh) {
		S_group(o, lo);
		rbuf_puts(o, "\xE2\x80\x93");
		S_group(o, hi);
		return;
	}
	if (q && strcmp(q, "lower") == 0)
		rbuf_puts(o, "\xE2\x89\xA5 ");
	else if (q && strcmp(q, "upper") == 0)
		rbuf_puts(o, "\xE2\x89\xA4 ");
	else if ((q && strcmp(q, "approx") == 0) || cJSON_IsTrue(ap))
		rbuf_puts(o, "\xE2\x89\x88 ");
	if (hv)
		S_group(o, v);
	else
		rbuf_puts(o, "?");
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "percent")))
		rbuf_puts(o, "%");
}

/* ------------------------------------------------------------ tables */

static void S_cell(rbuf *o, const char *s)
{
	if (s) {
		rbuf_puts(o, "<td>");
		S_esc(o, s);
		rbuf_puts(o, "</td>");
	} else
		rbuf_puts(o, "<td class=\"none\">\xE2\x80\x94</td>");
}

/* Index of the entity whose id is id, or -1. */
static int S_ent_index(const hart *A, const char *id)
{
	int i = 0;
	const cJSON *x;
	if (!A->ents || !id)
		return -1;
	cJSON_ArrayForEach(x, A->ents)
	{
		const char *xi = rj_str(x, "id");
		if (xi && strcmp(xi, id) == 0)
			return i;
		i++;
	}
	return -1;
}

/* A cell naming the entity that id points at; hovering it lights its mentions. */
static void S_ent_cell(rbuf *o, const hart *A, const char *id)
{
	int i = S_ent_index(A, id);
	if (i < 0) {
		S_cell(o, id);
		return;
	}
	const cJSON *en = cJSON_GetArrayItem(A->ents, i);
	const char *name = rj_str(en, "name"), *type = rj_str(en, "type");
	rbuf_printf(o, "<td class=\"ent\"><span class=\"sw hl t-%s\" data-e=\"a%zu-e%d\" title=\"",
	            S_cls(type), A->n, i + 1);
	S_esc(o, type);
	rbuf_puts(o, " · ");
	S_esc(o, id);
	rbuf_puts(o, "\">");
	S_esc(o, name ? name : id);
	rbuf_puts(o, "</span></td>");
}

static bool S_is_break(const rtext *t, size_t cp)
{
	char c = t->s[t->off[cp]];
	return c == '\n' || c == '\r';
}

static bool S_is_stop(const rtext *t, size_t cp)
{
	char c = t->s[t->off[cp]];
	return c == '.' || c == '!' || c == '?';
}

/* The claim in its sentence: back to the previous full stop or line end,
 * forward to the next, at most a few hundred characters, the claim in bold. */
static void S_context(rbuf *o, const hart *A, const cJSON *c)
{
	const rtext *t = A->t;
	double s, e;
	if (!t || !rj_num(c, "start", &s) || !rj_num(c, "end", &e) || s < 0 || e > (double)t->ncp ||
	    !(s < e)) {
		S_esc(o, rj_str(c, "text"));
		return;
	}
	size_t cs = (size_t)s, ce = (size_t)e, a = cs, b = ce;
	while (a > 0 && cs - a < 240 && !S_is_break(t, a - 1) &&
	       !(a >= 2 && S_is_stop(t, a - 2) && t->s[t->off[a - 1]] == ' '))
		a--;
	while (b < t->ncp && b - ce < 280 && !S_is_break(t, b) && !S_is_stop(t, b))
		b++;
	if (b < t->ncp && S_is_stop(t, b))
		b++;
	while (a < cs && (t->s[t->off[a]] == ' ' || t->s[t->off[a]] == '\t'))
		a++;
	size_t p = a;
	while (p > 0 && t->s[t->off[p - 1]] == ' ')
		p--;
	if (p > 0 && !S_is_break(t, p - 1) && !S_is_stop(t, p - 1))
		rbuf_puts(o, "\xE2\x80\xA6");
	S_text(o, t, (uint32_t)a, (uint32_t)cs);
	rbuf_puts(o, "<b>");
	S_text(o, t, (uint32_t)cs, (uint32_t)ce);
	rbuf_puts(o, "</b>");
	S_text(o, t, (uint32_t)ce, (uint32_t)b);
	if (b < t->ncp && !S_is_break(t, b) && !S_is_stop(t, b - 1))
		rbuf_puts(o, "\xE2\x80\xA6");
}

/* Beside the text: each claim in one line (what, who, according to whom,
 * when); the full table with the evidence follows the text. */
static void S_claims_brief(rbuf *o, const hart *A)
{
	int n = A->claims ? cJSON_GetArraySize(A->claims) : 0;
	if (!n)
		return;
	rbuf_printf(o,
	            "<section><h3>Claims (%d)</h3><div class=\"tw\"><table class=\"brief\">"
	            "<thead><tr><th>id</th><th>claim</th><th>subject</th><th>predicate</th>"
	            "<th>source</th><th>date</th></tr></thead><tbody>",
	            n);
	const cJSON *c;
	int k = 0;
	cJSON_ArrayForEach(c, A->claims)
	{
		const char *id = rj_str(c, "id"), *unit = rj_str(c, "unit");
		rbuf_printf(o, "<tr class=\"r-CLAIM\"><td><a href=\"#a%zu-c%d\">", A->n, ++k);
		S_esc(o, id ? id : "?");
		rbuf_puts(o, "</a></td><td class=\"val\">");
		rbuf v = {0};
		S_value_text(&v, c);
		const char *cur = rj_str(c, "currency");
		if (unit && !(cur && strcmp(cur, unit) == 0))
			rbuf_printf(&v, " %s", unit);
		S_esc(o, rbuf_str(&v));
		rbuf_free(&v);
		rbuf_puts(o, "</td>");
		S_ent_cell(o, A, rj_str(c, "subject"));
		S_cell(o, rj_str(c, "predicate"));
		S_ent_cell(o, A, rj_str(c, "source"));
		const cJSON *dt = rj_by_id(A->dates, rj_str(c, "date"));
		rbuf_puts(o, "<td class=\"nw\">");
		S_esc(o, dt ? rj_str(dt, "value") : NULL);
		rbuf_puts(o, "</td></tr>");
	}
	rbuf_puts(o, "</tbody></table></div></section>");
}

static void S_claims_table(rbuf *o, const hart *A)
{
	int n = A->claims ? cJSON_GetArraySize(A->claims) : 0;
	rbuf_printf(o, "<section class=\"wide\"><h3>Claims in detail (%d)</h3>", n);
	if (!n) {
		rbuf_puts(o, "<p class=\"none\">No claims.</p></section>");
		return;
	}
	rbuf_puts(o,
	          "<div class=\"tw\"><table class=\"claims\"><thead><tr><th>id</th><th>value</th>"
	          "<th>unit</th><th>category</th><th>predicate</th><th>subject</th>"
	          "<th>source</th><th>date</th><th>place</th><th>hedge</th>"
	          "<th>in the text</th><th>rule</th></tr></thead><tbody>");
	const cJSON *c;
	int k = 0;
	cJSON_ArrayForEach(c, A->claims)
	{
		const char *id = rj_str(c, "id");
		rbuf_puts(o, "<tr class=\"r-CLAIM\"><td>");
		rbuf_printf(o, "<a href=\"#a%zu-c%d\">", A->n, ++k);
		S_esc(o, id ? id : "?");
		rbuf_puts(o, "</a></td><td class=\"num\">");
		rbuf v = {0};
		S_value_text(&v, c);
		const char *part = rj_str(c, "partitive_of");
		if (part)
			rbuf_printf(&v, " (of %s)", part);
		S_esc(o, rbuf_str(&v));
		rbuf_free(&v);
		rbuf_puts(o, "</td>");
		S_cell(o, rj_str(c, "unit"));
		S_cell(o, rj_str(c, "category"));
		S_cell(o, rj_str(c, "predicate"));
		S_ent_cell(o, A, rj_str(c, "subject"));
		S_ent_cell(o, A, rj_str(c, "source"));
		const cJSON *dt = rj_by_id(A->dates, rj_str(c, "date"));
		if (dt) {
			const char *dv = rj_str(dt, "value");
			rbuf_puts(o, "<td class=\"nw\" title=\"");
			S_esc(o, rj_str(dt, "text"));
			rbuf_puts(o, "\">");
			S_esc(o, dv ? dv : rj_str(dt, "text"));
			rbuf_puts(o, "</td>");
		} else
			S_cell(o, rj_str(c, "date"));
		S_ent_cell(o, A, rj_str(c, "place"));
		S_cell(o, rj_str(c, "hedge"));
		rbuf_puts(o, "<td class=\"ctx\">");
		S_context(o, A, c);
		rbuf_puts(o, "</td><td class=\"rule\">");
		S_esc(o, rj_str(c, "rule"));
		rbuf_puts(o, "</td></tr>");
	}
	rbuf_puts(o, "</tbody></table></div></section>");
}

typedef struct erow {
	int i, count;
	double first; /* earliest start */
	int first_m;  /* its mention number */
} erow;

static int S_cmp_erow(const void *pa, const void *pb)
{
	const erow *a = pa, *b = pb;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return a->i - b->i;
}

static void S_entities_table(rbuf *o, const hart *A)
{
	int n = A->ents ? cJSON_GetArraySize(A->ents) : 0;
	rbuf_printf(o, "<section><h3>Entities (%d)</h3>", n);
	if (!n) {
		rbuf_puts(o, "<p class=\"none\">No entities.</p></section>");
		return;
	}
	erow *rows = calloc((size_t)n, sizeof *rows);
	if (!rows) {
		rbuf_puts(o, "</section>");
		return;
	}
	const cJSON *x;
	int i = 0, m = 0;
	cJSON_ArrayForEach(x, A->ents)
	{
		const cJSON *ms = rj_arr(x, "mentions"), *y;
		rows[i] = (erow){i, 0, -1, -1};
		if (ms)
			cJSON_ArrayForEach(y, ms)
			{
				double s;
				rows[i].count++;
				if (rj_num(y, "start", &s) &&
				    (rows[i].first < 0 || s < rows[i].first)) {
					rows[i].first = s;
					rows[i].first_m = m;
				}
				m++;
			}
		i++;
	}
	qsort(rows, (size_t)n, sizeof *rows, S_cmp_erow);
	rbuf_puts(o, "<div class=\"tw\"><table "
	             "class=\"ents\"><thead><tr><th>name</th><th>type</th><th>id</th>"
	             "<th title=\"mentions\">n</th><th>kb</th></tr></thead><tbody>");
	for (i = 0; i < n; i++) {
		const cJSON *en = cJSON_GetArrayItem(A->ents, rows[i].i);
		const char *type = rj_str(en, "type"), *name = rj_str(en, "name");
		const char *id = rj_str(en, "id");
		rbuf_printf(o, "<tr class=\"r-%s\" data-e=\"a%zu-e%d\"><td>", S_cls(type), A->n,
		            rows[i].i + 1);
		if (rows[i].first_m >= 0 && A->t)
			rbuf_printf(o, "<a href=\"#a%zu-m%d\">", A->n, rows[i].first_m + 1);
		S_esc(o, name ? name : "?");
		if (rows[i].first_m >= 0 && A->t)
			rbuf_puts(o, "</a>");
		rbuf_printf(o, "</td><td><span class=\"sw t-%s\">", S_cls(type));
		S_esc(o, type ? type : "?");
		rbuf_puts(o, "</span></td>");
		S_cell(o, id);
		rbuf_printf(o, "<td class=\"num\">%d</td>", rows[i].count);
		S_cell(o, rj_str(en, "kb"));
		rbuf_puts(o, "</tr>");
	}
	rbuf_puts(o, "</tbody></table></div></section>");
	free(rows);
}

static void S_dates_table(rbuf *o, const hart *A)
{
	int n = A->dates ? cJSON_GetArraySize(A->dates) : 0;
	rbuf_printf(o, "<section><h3>Dates (%d)</h3>", n);
	if (!n) {
		rbuf_puts(o, "<p class=\"none\">No dates.</p></section>");
		return;
	}
	rbuf_puts(o, "<table class=\"dates\"><thead><tr><th>id</th><th>value</th><th>text</th>"
	             "</tr></thead><tbody>");
	const cJSON *x;
	int k = 0;
	cJSON_ArrayForEach(x, A->dates)
	{
		const char *id = rj_str(x, "id");
		rbuf_printf(o, "<tr class=\"r-DATE\"><td><a href=\"#a%zu-d%d\">", A->n, ++k);
		S_esc(o, id ? id : "?");
		rbuf_puts(o, "</a></td>");
		S_cell(o, rj_str(x, "value"));
		S_cell(o, rj_str(x, "text"));
		rbuf_puts(o, "</tr>");
	}
	rbuf_puts(o, "</tbody></table></section>");
}

static void S_numbers_table(rbuf *o, const hart *A)
{
	const cJSON *arr = rj_arr(A->rec, "numbers"), *x;
	int n = arr ? cJSON_GetArraySize(arr) : 0, k = 0;
	if (!n)
		return;
	rbuf_printf(o,
	            "<section><h3>Numbers in no claim (%d)</h3><table class=\"nums\"><thead>"
	            "<tr><th>value</th><th>text</th></tr></thead><tbody>",
	            n);
	cJSON_ArrayForEach(x, arr)
	{
		rbuf_printf(o, "<tr class=\"r-NUMBER\"><td class=\"num\"><a href=\"#a%zu-n%d\">",
		            A->n, ++k);
		rbuf v = {0};
		S_value_text(&v, x);
		S_esc(o, rbuf_str(&v));
		rbuf_free(&v);
		rbuf_puts(o, "</a></td>");
		S_cell(o, rj_str(x, "text"));
		rbuf_puts(o, "</tr>");
	}
	rbuf_puts(o, "</tbody></table></section>");
}

/* ------------------------------------------------------------ articles */

typedef struct html_st {
	FILE *body;  /* articles go here first so that the index can lead */
	bool direct; /* no temporary file: articles went straight out */
	rbuf art;    /* one article at a time */
	rbuf index;  /* index rows */
	rbuf title;  /* the only article's title, for <title> */
	size_t nart, nerr, nent, ndate, nclaim;
} html_st;

static bool S_http(const char *u)
{
	return u && (strncmp(u, "http://", 7) == 0 || strncmp(u, "https://", 8) == 0);
}

static void S_meta_item(rbuf *o, const char *k, const char *v)
{
	if (!v)
		return;
	rbuf_printf(o, "<div><dt>%s</dt><dd>", k);
	S_esc(o, v);
	rbuf_puts(o, "</dd></div>");
}

static void S_error_article(html_st *H, rbuf *o, const cJSON *rec, size_t n)
{
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(rec, "error");
	const char *id = rj_str(rec, "id");
	double line;
	rbuf_printf(o, "<section class=\"card article error\" id=\"a%zu\"><h2>Error: ", n);
	S_esc(o, id ? id : "(no id)");
	rbuf_puts(o, "</h2><dl class=\"meta\">");
	S_meta_item(o, "code", rj_str(err, "code"));
	S_meta_item(o, "file", rj_str(err, "file"));
	if (rj_num(err, "line", &line))
		rbuf_printf(o, "<div><dt>line</dt><dd>%.0f</dd></div>", line);
	rbuf_puts(o, "</dl><p>");
	S_esc(o, rj_str(err, "message"));
	rbuf_puts(o, "</p><p class=\"none\">This article produced no record; nothing was "
	             "extracted from it.</p></section>\n");
	rbuf_printf(&H->index,
	            "<tr data-a=\"a%zu\" class=\"r-ERROR\"><td><a href=\"#a%zu\">%zu</a>"
	            "</td><td><b>error</b>: ",
	            n, n, n);
	S_esc(&H->index, rj_str(err, "message"));
	rbuf_puts(&H->index, "</td><td>");
	S_esc(&H->index, id);
	rbuf_puts(&H->index, "</td><td></td><td></td><td></td><td></td><td></td></tr>\n");
	H->nerr++;
}

static int S_record(render *r, const cJSON *rec, const rtext *t)
{
	html_st *H = r->st;
	rbuf *o = &H->art;
	size_t n = ++H->nart;
	o->n = 0;
	o->oom = false;
	if (cJSON_GetObjectItemCaseSensitive(rec, "error")) {
		S_error_article(H, o, rec, n);
		goto write;
	}
	hart A = {n,
	          rec,
	          rj_arr(rec, "entities"),
	          rj_arr(rec, "dates"),
	          rj_arr(rec, "claims"),
	          t,
	          NULL,
	          0,
	          0,
	          {0},
	          false};
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(rec, "meta");
	const char *id = rj_str(rec, "id"), *title = rj_str(meta, "title");
	int ne = A.ents ? cJSON_GetArraySize(A.ents) : 0;
	int nd = A.dates ? cJSON_GetArraySize(A.dates) : 0;
	int nc = A.claims ? cJSON_GetArraySize(A.claims) : 0;
	int nm = 0;
	const cJSON *x;
	if (A.ents)
		cJSON_ArrayForEach(x, A.ents) nm += cJSON_GetArraySize(rj_arr(x, "mentions"));
	H->nent += (size_t)ne;
	H->ndate += (size_t)nd;
	H->nclaim += (size_t)nc;
	if (n == 1)
		S_esc(&H->title, title ? title : id);

	rbuf_printf(o,
	            "<section class=\"card article\" id=\"a%zu\"><a class=\"top\" href=\"#\" "
	            "title=\"back to the top\">\xE2\x86\x91 top</a><h2>",
	            n);
	S_esc(o, title ? title : id ? id : "(untitled)");
	rbuf_puts(o, "</h2><dl class=\"meta\">");
	S_meta_item(o, "id", id);
	S_meta_item(o, "source", rj_str(meta, "source"));
	const char *pub = rj_str(meta, "published"), *from = rj_str(meta, "published_from");
	if (pub) {
		rbuf_puts(o, "<div><dt>published</dt><dd>");
		S_esc(o, pub);
		if (from) {
			rbuf_puts(o, " <span class=\"none\">(from ");
			S_esc(o, from);
			rbuf_puts(o, ")</span>");
		}
		rbuf_puts(o, "</dd></div>");
	}
	const cJSON *dl = cJSON_GetObjectItemCaseSensitive(meta, "dateline");
	if (cJSON_IsObject(dl)) {
		rbuf v = {0};
		const char *pl = rj_str(dl, "place"), *ou = rj_str(dl, "outlet");
		rbuf_printf(&v, "%s%s%s", ou ? ou : "", ou && pl ? ", " : "", pl ? pl : "");
		S_meta_item(o, "dateline", rbuf_str(&v));
		rbuf_free(&v);
	}
	const char *url = rj_str(meta, "url");
	if (S_http(url)) {
		rbuf_puts(o, "<div><dt>url</dt><dd><a rel=\"noopener noreferrer\" href=\"");
		S_esc(o, url);
		rbuf_puts(o, "\">");
		S_esc(o, url);
		rbuf_puts(o, "</a></dd></div>");
	} else
		S_meta_item(o, "url", url);
	rbuf_puts(o, "</dl>");
	rbuf_printf(o,
	            "<p class=\"counts\"><span>%d entities</span><span>%d mentions</span>"
	            "<span>%d dates</span><span>%d claims</span></p>",
	            ne, nm, nd, nc);
	const cJSON *ws = rj_arr(rec, "warnings");
	if (ws && cJSON_GetArraySize(ws) > 0) {
		rbuf_puts(o, "<p class=\"warn\"><b>warnings:</b> ");
		bool first = true;
		cJSON_ArrayForEach(x, ws)
		{
			double cnt;
			const char *code = rj_str(x, "code"), *det = rj_str(x, "detail");
			if (!first)
				rbuf_puts(o, "; ");
			first = false;
			S_esc(o, code ? code : "?");
			if (rj_num(x, "count", &cnt))
				rbuf_printf(o, " \xC3\x97%.0f", cnt);
			if (det) {
				rbuf_puts(o, " (");
				S_esc(o, det);
				rbuf_puts(o, ")");
			}
		}
		rbuf_puts(o, "</p>");
	}
	rbuf_puts(o, "<div class=\"cols\"><div class=\"textcol\">");
	if (t) {
		S_collect(&A);
		rbuf_puts(o, "<div class=\"text\" lang=\"id\">");
		S_body(&A, o);
		rbuf_puts(o, "</div>");
	} else
		rbuf_puts(o,
		          "<p class=\"none\">The article text was not given to the renderer.</p>");
	rbuf_puts(o, "</div><aside class=\"side\">");
	S_claims_brief(o, &A);
	S_entities_table(o, &A);
	S_dates_table(o, &A);
	S_numbers_table(o, &A);
	rbuf_puts(o, "</aside></div>");
	S_claims_table(o, &A);
	rbuf_puts(o, "</section>\n");
	free(A.v);
	rbuf_free(&A.pool);
	if (A.oom)
		return WARTA_ENOMEM;

	rbuf_printf(&H->index, "<tr data-a=\"a%zu\"><td><a href=\"#a%zu\">%zu</a></td><td>", n, n,
	            n);
	S_esc(&H->index, title ? title : "(untitled)");
	rbuf_puts(&H->index, "</td><td>");
	S_esc(&H->index, id);
	rbuf_puts(&H->index, "</td><td>");
	S_esc(&H->index, rj_str(meta, "source"));
	rbuf_puts(&H->index, "</td><td>");
	S_esc(&H->index, pub);
	rbuf_printf(&H->index, "</td><td>%d</td><td>%d</td><td>%d</td></tr>\n", ne, nd, nc);
write:
	if (o->oom || H->index.oom || H->title.oom)
		return WARTA_ENOMEM;
	if (fwrite(o->p, 1, o->n, H->body) != o->n)
		return WARTA_EIO;
	return 0;
}

/* ------------------------------------------------------------ page */

static void S_head(html_st *H, rbuf *o, bool totals)
{
	rbuf css = {0};
	S_cat(&css, S_css);
	S_filter_css(&css);
	char hs[45], hj[45];
	r_sha256_b64(rbuf_str(&css), css.n, hs);
	rbuf js = {0};
	S_cat(&js, S_js);
	r_sha256_b64(rbuf_str(&js), js.n, hj);
	rbuf_free(&js);
	rbuf_printf(o,
	            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	            "style-src 'sha256-%s'; script-src 'sha256-%s'; img-src data:; "
	            "base-uri 'none'; form-action 'none'\">\n"
	            "<meta name=\"generator\" content=\"warta %s\">\n<title>",
	            hs, hj, WARTA_VERSION);
	if (H->nart == 1 && H->title.n)
		rbuf_printf(o, "%s \xE2\x80\x94 ", rbuf_str(&H->title));
	else if (totals)
		rbuf_printf(o, "%zu articles \xE2\x80\x94 ", H->nart);
	rbuf_puts(o, "warta review</title>\n<style>");
	rbuf_put(o, css.p, css.n);
	rbuf_puts(o, "</style>\n</head>\n<body>\n");
	rbuf_free(&css);
	rbuf_puts(o, "<header class=\"bar\"><div class=\"brand\">warta review");
	if (totals)
		rbuf_printf(o,
		            "<small>%zu article%s \xC2\xB7 %zu entities \xC2\xB7 %zu dates "
		            "\xC2\xB7 %zu claims%s</small>",
		            H->nart, H->nart == 1 ? "" : "s", H->nent, H->ndate, H->nclaim,
		            H->nerr ? " \xC2\xB7 errors" : "");
	rbuf_puts(o, "</div><fieldset class=\"legend\"><legend>show</legend>");
	for (size_t i = 0; i < S_NTYPES; i++)
		rbuf_printf(o,
		            "<label><input type=\"checkbox\" checked data-f=\"%s\">"
		            "<span class=\"hl t-%s\">%s</span></label>",
		            S_types[i][0], S_types[i][0], S_types[i][1]);
	rbuf_puts(o, "<label><input type=\"checkbox\" checked id=\"zones\">"
	             "<span class=\"sw zs\">skipped zones</span></label></fieldset>"
	             "<div class=\"search\"><input id=\"q\" type=\"search\" placeholder=\"Search "
	             "articles, names, rules\xE2\x80\xA6\" aria-label=\"Search\">"
	             "<span id=\"shown\" aria-live=\"polite\"></span></div></header>\n<main>\n");
}

static void S_index(html_st *H, rbuf *o)
{
	rbuf_printf(o,
	            "<section class=\"card\" id=\"index\"><h2>Articles (%zu)</h2><div class=\"tw\">"
	            "<table><thead><tr><th>#</th><th>title</th><th>id</th><th>source</th>"
	            "<th>published</th><th>entities</th><th>dates</th><th>claims</th></tr></thead>"
	            "<tbody>\n",
	            H->nart);
	rbuf_put(o, H->index.p ? H->index.p : "", H->index.n);
	rbuf_puts(o, "</tbody></table></div></section>\n");
}

static void S_foot(rbuf *o)
{
	rbuf_puts(o, "</main>\n<div id=\"tip\" role=\"tooltip\" hidden></div>\n<script>");
	S_cat(o, S_js);
	rbuf_puts(o, "</script>\n</body>\n</html>\n");
}

static int S_flush(rbuf *o, FILE *f)
{
	if (o->oom)
		return WARTA_ENOMEM;
	if (o->n && fwrite(o->p, 1, o->n, f) != o->n)
		return WARTA_EIO;
	o->n = 0;
	return 0;
}

static int S_open_page(render *r)
{
	html_st *H = calloc(1, sizeof *H);
	if (!H)
		return WARTA_ENOMEM;
	r->st = H;
	H->body = tmpfile();
	if (!H->body) { /* no temporary file: the index goes at the end */
		H->direct = true;
		H->body = r->out;
		rbuf o = {0};
		S_head(H, &o, false);
		int rc = S_flush(&o, r->out);
		rbuf_free(&o);
		if (rc) {
			free(H);
			r->st = NULL;
		}
		return rc;
	}
	return 0;
}

static int S_close_page(render *r)
{
	html_st *H = r->st;
	rbuf o = {0};
	int rc = 0;
	if (!H->direct) {
		S_head(H, &o, true);
		if (H->nart > 1)
			S_index(H, &o);
		if (!(rc = S_flush(&o, r->out))) {
			char buf[1 << 15];
			size_t got;
			rewind(H->body);
			while ((got = fread(buf, 1, sizeof buf, H->body)) > 0)
				if (fwrite(buf, 1, got, r->out) != got) {
					rc = WARTA_EIO;
					break;
				}
			if (!rc && ferror(H->body))
				rc = WARTA_EIO;
		}
		fclose(H->body);
	} else if (H->nart > 1)
		S_index(H, &o);
	if (!H->nart)
		rbuf_puts(&o, "<p class=\"card none\">No articles.</p>\n");
	S_foot(&o);
	if (!rc)
		rc = S_flush(&o, r->out);
	rbuf_free(&o);
	rbuf_free(&H->art);
	rbuf_free(&H->index);
	rbuf_free(&H->title);
	free(H);
	r->st = NULL;
	return rc;
}

const render_ops render_html_ops = {"html", true, S_open_page, S_record, S_close_page};
