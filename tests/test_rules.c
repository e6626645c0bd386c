/* SPDX-License-Identifier: MIT */
/* The entity rules (rules/person|agency|organization|place.rules) through the
 * whole pipeline, on the real data folder, with sentences written for these
 * tests: exact spans and types of the mentions that survive stage 10. */
#include "testutil.h"

static warta_ruleset *RS;

static int S_setup(void **state)
{
	(void)state;
	RS = tu_load(tu_datadir());
	return 0;
}

static int S_teardown(void **state)
{
	(void)state;
	warta_ruleset_free(RS);
	return 0;
}

/* Returns the kept mention whose text is exactly `text` (the n-th one), or NULL. */
static const mention *S_find(const warta_doc *doc, const char *text, int nth)
{
	for (size_t i = 0; i < doc->mentions.n; i++) {
		const mention *m = &doc->mentions.v[i];
		if (!m->dropped && strcmp(tu_span(doc, m->start, m->end), text) == 0 && nth-- == 0)
			return m;
	}
	return NULL;
}

/* Asserts that `text` is a kept mention of type t (and of rule `rule_id`
 * when given). */
static const mention *S_is(const warta_doc *doc, const char *text, etype t, const char *rule_id)
{
	const mention *m = S_find(doc, text, 0);
	if (!m)
		fail_msg("no mention [%s] in: %s", text, doc->text);
	if (m->type != t)
		fail_msg("[%s] is %s, not %s", text, etype_name(m->type), etype_name(t));
	if (rule_id && (!m->rule || strcmp(m->rule->id, rule_id) != 0))
		fail_msg("[%s] comes from %s, not rule %s", text,
		         m->rule ? m->rule->id : (m->entry ? m->entry->file : "?"), rule_id);
	return m;
}

/* Asserts that no kept mention overlaps the first occurrence of `text`. */
static void S_none(const warta_doc *doc, const char *text)
{
	const char *p = strstr(doc->text, text);
	assert_non_null(p);
	uint32_t s = (uint32_t)(p - doc->text), e = s + (uint32_t)strlen(text);
	for (size_t i = 0; i < doc->mentions.n; i++) {
		const mention *m = &doc->mentions.v[i];
		if (!m->dropped && m->start < e && s < m->end)
			fail_msg("unexpected mention [%s] (%s) in '%s'",
			         tu_span(doc, m->start, m->end), etype_name(m->type), text);
	}
}

/* Extracts text and asserts a kept mention [name] of type t (of rule
 * `rule_id` when given). */
static void S_expect(const char *text, const char *name, etype t, const char *rule_id)
{
	warta_doc *doc = tu_extract(RS, text, NULL);
	S_is(doc, name, t, rule_id);
	warta_doc_free(doc);
}

/* Extracts text and asserts that no kept mention overlaps `what`. */
static void S_expect_none(const char *text, const char *what)
{
	warta_doc *doc = tu_extract(RS, text, NULL);
	S_none(doc, what);
	warta_doc_free(doc);
}

static size_t S_kept(const warta_doc *doc)
{
	size_t k = 0;
	for (size_t i = 0; i < doc->mentions.n; i++)
		k += !doc->mentions.v[i].dropped;
	return k;
}

static void test_person_title(void **state)
{
	(void)state;
	/* the country cuts the title off, then only qualifies it (see test_place) */
	warta_doc *doc = tu_extract(RS, "Presiden Rusia Vladimir Putin menerima surat itu.", NULL);
	S_none(doc, "Rusia");
	S_is(doc, "Vladimir Putin", T_PERSON, NULL);
	assert_int_equal(S_kept(doc), 1);
	warta_doc_free(doc);

	S_expect("Menteri Luar Negeri Sutarjo Wibisono tiba di Beijing pada pagi hari.",
	         "Sutarjo Wibisono", T_PERSON, "person-after-title");

	S_expect("Kapolres Bekasi Kombes Darmawan Wiratama memimpin apel.", "Darmawan Wiratama",
	         T_PERSON, "person-after-title");

	/* a combining mark with no precomposed form stays in the word (NFC keeps
	 * it apart): the word's letter runs give back nothing, marks aside */
	S_expect("Hal itu disampaikan Presiden Aq\xcc\x81il Santoso kemarin.",
	         "Aq\xcc\x81il Santoso", T_PERSON, "person-after-title");

	/* a title with nothing after it names nobody */
	S_expect_none("Menteri Kesehatan Senin lalu meresmikan gedung itu.", "Kesehatan");
}

static void test_person_speech_and_honorific(void **state)
{
	(void)state;
	S_expect("\"Kami siap,\" kata Wirawan Suteja kepada wartawan.", "Wirawan Suteja", T_PERSON,
	         "person-after-speech");

	S_expect("Dalam rapat itu, Handoko Rahardjo mengatakan harga naik.", "Handoko Rahardjo",
	         T_PERSON, "person-before-speech");

	S_expect("Kami bertemu Pak Darsono di pasar.", "Darsono", T_PERSON, "person-after-title");

	S_expect("Peziarah memadati makam Umar bin Khattab sejak pagi.", "Umar bin Khattab",
	         T_PERSON, "person-particle");
}

static void test_person_fallback(void **state)
{
	(void)state;
	S_expect("Ia bermain bareng Morgan Schneider musim lalu.", "Morgan Schneider", T_PERSON,
	         "person-fallback");
	/* one word alone, a run after a capitalised word, a title of a work */
	S_expect_none("Ia bermain bareng Morgan musim lalu.", "Morgan");
	/* one word alone after a word that people follow (person_cues.tsv) */
	S_expect("Ia bermain bersama Morgan musim lalu.", "Morgan", T_PERSON, "person-after-cue");
	S_expect("Serangan itu menewaskan Ghul dan dua anaknya.", "Ghul", T_PERSON,
	         "person-after-cue");
	S_expect("Gaya itu dinilai Ruhut hanya pencitraan.", "Ruhut", T_PERSON,
	         "person-after-passive");
	S_expect_none("Seperti dilansir Squawka, Rabu.", "Squawka");
	S_expect_none("Penjualan ponsel Samsung Galaxy Note naik.", "Galaxy Note");
	S_expect_none("Film \"Laskar Pelangi\" diputar lagi.", "Laskar Pelangi");
}

static void test_agency(void **state)
{
	(void)state;
	S_expect("Pejabat Kementerian Kebudayaan dan Pariwisata Daerah hadir.",
	         "Kementerian Kebudayaan dan Pariwisata Daerah", T_AGENCY, "agency-head");

	/* a name after the body is given back to the person rule */
	warta_doc *doc =
	    tu_extract(RS, "Kepala Dinas Pertanian Rudi Setiawan mengatakan panen gagal.", NULL);
	S_is(doc, "Dinas Pertanian", T_AGENCY, "agency-head");
	S_is(doc, "Rudi Setiawan", T_PERSON, NULL);
	warta_doc_free(doc);

	S_expect("Petugas Polres Tanah Datar menangkap dua orang.", "Polres Tanah Datar", T_AGENCY,
	         "agency-local");

	/* the country stays a mention inside the description */
	doc = tu_extract(RS, "Menurut badan intelijen Korea Selatan (Korsel), pasukan tiba.", NULL);
	S_is(doc, "badan intelijen Korea Selatan", T_AGENCY, "agency-lower");
	const mention *kr = S_is(doc, "Korea Selatan", T_COUNTRY, NULL);
	const mention *ks = S_is(doc, "Korsel", T_COUNTRY, NULL);
	assert_int_equal(kr->entity, ks->entity);
	warta_doc_free(doc);

	doc = tu_extract(RS, "seperti dilaporkan kantor berita Nusa Pos Timur kemarin", NULL);
	S_is(doc, "Nusa Pos Timur", T_AGENCY, "agency-news");
	S_none(doc, "kantor berita");
	warta_doc_free(doc);

	S_expect("laporan Ruritania Federal Security Service beredar.",
	         "Ruritania Federal Security Service", T_AGENCY, "agency-english");
}

static void test_organization(void **state)
{
	(void)state;
	S_expect("Kader Partai Sejahtera Bersama menolak usul itu.", "Partai Sejahtera Bersama",
	         T_ORGANIZATION, "org-party");

	/* a party's name stops before the region of its branch */
	S_expect("Pengurus Partai Sejahtera Bersama Kabupaten Bogor menolak.",
	         "Partai Sejahtera Bersama", T_ORGANIZATION, "org-party");

	/* a faculty and its university are two bodies, by name or by acronym */
	warta_doc *doc =
	    tu_extract(RS, "mahasiswa Fakultas Kehutanan Universitas Tanjung Harapan hadir.", NULL);
	S_is(doc, "Fakultas Kehutanan", T_ORGANIZATION, "org-part");
	S_is(doc, "Universitas Tanjung Harapan", T_ORGANIZATION, "org-head");
	warta_doc_free(doc);
	S_expect("mahasiswa Fakultas Kehutanan UTH hadir.", "Fakultas Kehutanan", T_ORGANIZATION,
	         "org-part");

	/* the organs of a party or parliament are not bodies; their body is */
	doc = tu_extract(RS, "Rapat Dewan Pimpinan Pusat Partai Sejahtera Bersama usai.", NULL);
	S_is(doc, "Partai Sejahtera Bersama", T_ORGANIZATION, "org-party");
	S_none(doc, "Dewan Pimpinan Pusat");
	warta_doc_free(doc);
	S_expect_none("Rapat dengan Komisi XI pekan lalu batal.", "Komisi XI");

	/* a competition is no organisation */
	S_expect_none("Mereka lolos ke Liga Champions musim ini.", "Liga Champions");

	S_expect("Saham PT Sinar Kencana Abadi Tbk naik tajam.", "PT Sinar Kencana Abadi Tbk",
	         T_ORGANIZATION, "org-company");

	S_expect("Ia dirawat di RSUD Dr. Soedarso pada Senin.", "RSUD Dr. Soedarso", T_ORGANIZATION,
	         "org-head");

	S_expect("produk Fabrikam Inc laris di pasar.", "Fabrikam Inc", T_ORGANIZATION,
	         "org-suffix");

	/* the kind of a medium is not part of its name; a place in the name is */
	doc = tu_extract(RS, "Kabar itu dimuat harian Asia Raya kemarin.", NULL);
	S_is(doc, "Asia Raya", T_ORGANIZATION, "org-media");
	S_none(doc, "harian");
	warta_doc_free(doc);

	/* two companies joined by "dan" stay two */
	doc = tu_extract(RS, "Saham PT Sinar Kencana dan PT Bumi Lestari naik.", NULL);
	S_is(doc, "PT Sinar Kencana", T_ORGANIZATION, "org-company");
	S_is(doc, "PT Bumi Lestari", T_ORGANIZATION, "org-company");
	warta_doc_free(doc);

	doc = tu_extract(RS, "Para kader PKRX menolak, pukul 10.00 WIB.", NULL);
	S_is(doc, "PKRX", T_ORGANIZATION, "org-acronym");
	S_none(doc, "WIB");
	warta_doc_free(doc);
}

static void test_place(void **state)
{
	(void)state;
	S_expect("Warga Kabupaten Lembah Hijau mengungsi.", "Kabupaten Lembah Hijau", T_LOCATION,
	         "place-admin");

	warta_doc *doc = tu_extract(RS, "Insinyur dikirim ke kota Sumyrsk di barat.", NULL);
	S_is(doc, "Sumyrsk", T_LOCATION, "place-admin-lower");
	S_none(doc, "kota");
	warta_doc_free(doc);

	S_expect("Pendaki hilang di Gunung Lawu Kidul kemarin.", "Gunung Lawu Kidul", T_LOCATION,
	         "place-feature");

	S_expect("Kantornya di Jalan Pangeran Diponegoro nomor 5.", "Jalan Pangeran Diponegoro",
	         T_LOCATION, "place-street");

	S_expect("Mereka tiba di Wonorejo sore itu.", "Wonorejo", T_LOCATION,
	         "place-after-preposition");

	/* the province level is not part of the name, known or not */
	doc = tu_extract(RS, "Banjir di Provinsi Jawa Tengah dan Provinsi Sumber Wangi.", NULL);
	S_is(doc, "Jawa Tengah", T_LOCATION, NULL);
	S_is(doc, "Sumber Wangi", T_LOCATION, "place-admin-lower");
	S_none(doc, "Provinsi");
	warta_doc_free(doc);

	/* a country after a noun of its people or government is no place */
	doc = tu_extract(RS, "Dua turis Jepang dan warga Malaysia tiba di Thailand.", NULL);
	S_none(doc, "Jepang");
	S_none(doc, "Malaysia");
	S_is(doc, "Thailand", T_COUNTRY, NULL);
	warta_doc_free(doc);

	/* after a capitalised word the country qualifies that name, unless its
	 * own short form follows in parentheses; the title is still cut off */
	doc = tu_extract(RS,
	                 "Kabar itu datang kemarin. Lalu Presiden Rusia Vladimir Putin tiba di "
	                 "Jerman, dan Pemimpin Korea Utara (Korut) diam.",
	                 NULL);
	S_none(doc, "Rusia");
	S_is(doc, "Vladimir Putin", T_PERSON, NULL);
	S_is(doc, "Jerman", T_COUNTRY, NULL);
	S_is(doc, "Korea Utara", T_COUNTRY, NULL);
	warta_doc_free(doc);
}

static void test_short_names(void **state)
{
	(void)state;
	/* a rule-found single word joins the full name, before or after it */
	warta_doc *doc = tu_extract(RS,
	                            "\"Kami siap,\" kata Hartanto. Menteri Bambang Hartanto "
	                            "lalu pergi. \"Selesai,\" ujar Bambang.",
	                            NULL);
	const mention *a = S_is(doc, "Hartanto", T_PERSON, NULL);
	const mention *b = S_is(doc, "Bambang Hartanto", T_PERSON, NULL);
	const mention *c = S_is(doc, "Bambang", T_PERSON, NULL);
	assert_int_equal(a->entity, b->entity);
	assert_int_equal(c->entity, b->entity);
	assert_string_equal(doc->entities.v[a->entity].name, "Bambang Hartanto");
	assert_int_equal(doc->entities.v[a->entity].nmentions, 3);
	warta_doc_free(doc);
}

static void test_lone_short_form(void **state)
{
	(void)state;
	/* a list's short form standing alone is a name, without the list row's
	 * identity; before another capitalised word it is dropped */
	warta_doc *doc =
	    tu_extract(RS, "Sementara itu Mega tidak hadir. Harga Mega Mall turun.", NULL);
	const mention *m = S_is(doc, "Mega", T_PERSON, NULL);
	assert_int_equal(m->start, 14);
	assert_string_equal(doc->entities.v[m->entity].key, "person:mega");
	assert_null(doc->entities.v[m->entity].kb);
	assert_null(S_find(doc, "Mega", 1));
	warta_doc_free(doc);
}

/* Returns the entity of the first kept mention with text `text`. */
static const entity *S_ent(const warta_doc *doc, const char *text)
{
	const mention *m = S_find(doc, text, 0);
	if (!m || m->entity < 0)
		fail_msg("no entity for [%s]", text);
	return &doc->entities.v[m->entity];
}

/* The phenomena of a wire story on Korea and Russia: aliases, short forms
 * before and after the full name, an agency named twice, places. */
static void test_article(void **state)
{
	(void)state;
	warta_doc *doc = tu_extract(
	    RS,
	    "Putin menerima surat. Pemimpin Korea Utara (Korut) Kim Jong-un menyurati "
	    "Presiden Rusia Vladimir Putin. Surat itu dilaporkan kantor berita Korut, Korean "
	    "Central News Agency (KCNA). Menurut KCNA, Kim ingin bertemu. \"Kami siap,\" kata "
	    "Kim. Menurut badan intelijen Korea Selatan (Korsel), Korut mengirim prajurit ke "
	    "kota Kursk. Pyongyang membantah.",
	    NULL);
	const entity *kp = S_ent(doc, "Korut");
	assert_ptr_equal(kp, S_ent(doc, "Korea Utara"));
	assert_string_equal(kp->name, "Korea Utara");
	assert_string_equal(kp->kb, "iso3166:KP");
	assert_int_equal(kp->nmentions, 4);
	const entity *kr = S_ent(doc, "Korsel");
	assert_ptr_equal(kr, S_ent(doc, "Korea Selatan"));
	assert_string_equal(kr->key, "iso3166:KR");
	const entity *kcna = S_ent(doc, "KCNA");
	assert_ptr_equal(kcna, S_ent(doc, "Korean Central News Agency (KCNA)"));
	assert_int_equal(kcna->type, T_AGENCY);
	assert_int_equal(kcna->nmentions, 2); /* "Name (KCNA)" is one mention */
	const entity *kim = S_ent(doc, "Kim Jong-un");
	assert_string_equal(kim->name, "Kim Jong-un");
	assert_int_equal(kim->nmentions, 3);
	assert_ptr_equal(S_ent(doc, "Kim"), kim);
	const entity *putin = S_ent(doc, "Vladimir Putin");
	assert_ptr_equal(S_ent(doc, "Putin"), putin); /* the first word, before the full name */
	assert_int_equal(putin->nmentions, 2);
	assert_ptr_equal(&doc->entities.v[0], putin); /* entities by first mention */
	assert_int_equal(S_ent(doc, "Pyongyang")->type, T_LOCATION);
	assert_int_equal(S_ent(doc, "Kursk")->type, T_LOCATION);
	assert_int_equal(S_ent(doc, "badan intelijen Korea Selatan")->type, T_AGENCY);
	warta_doc_free(doc);
}

/* warta_extract_batch gives every article the record warta_extract gives
 * it alone: the entity rules run rule by rule over the whole batch, and
 * nothing of one article may reach another (the tests' answers, the `near`
 * words, the candidates). Error records keep their place. */
static void test_batch(void **state)
{
	(void)state;
	static const char *const texts[] = {
	    "Menurut Presiden Joko Widodo, Indonesia siap. Ia bertemu Anwar Ibrahim.",
	    "Kata Menteri Luar Negeri Sugiono kemarin, Rusia mengirim 1.000 insinyur.",
	    NULL, /* no text: an error record */
	    "Gubernur Jawa Barat Dedi Mulyadi meninjau Kota Bandung pada Senin (5/1/2026).",
	    "Badan Pusat Statistik (BPS) mencatat inflasi 2 persen. BPS juga mencatat ekspor.",
	    "", /* empty */
	    "Joko Widodo. Menurut Presiden Joko Widodo, Indonesia siap."};
	enum { N = sizeof texts / sizeof *texts }; /* 70 articles: more than one chunk of 64 */
	warta_input in[10 * N];
	char ids[10 * N][8];
	for (size_t k = 0; k < 10 * N; k++) {
		snprintf(ids[k], sizeof ids[k], "a%zu", k);
		in[k] = (warta_input){0};
		in[k].id = ids[k];
		in[k].id_len = strlen(ids[k]);
		in[k].text = texts[k % N];
		in[k].text_len = texts[k % N] ? strlen(texts[k % N]) : 0;
	}
	warta_doc *docs[10 * N];
	int rc[10 * N];
	assert_int_equal(warta_extract_batch(RS, in, 10 * N, 0, docs, rc), WARTA_OK);
	for (size_t k = 0; k < 10 * N; k++) {
		warta_doc *alone = NULL;
		assert_int_equal(rc[k], warta_extract(RS, &in[k], 0, &alone));
		char *a = warta_doc_json(alone), *b = warta_doc_json(docs[k]);
		assert_string_equal(a, b);
		free(a);
		free(b);
		warta_doc_free(alone);
		warta_doc_free(docs[k]);
	}
	assert_int_equal(rc[2], WARTA_EINPUT);
	assert_int_equal(warta_extract_batch(RS, in, 0, 0, docs, rc), WARTA_OK);
	assert_int_equal(warta_extract_batch(NULL, in, 1, 0, docs, rc), WARTA_EINVAL);
	assert_null(docs[0]);
	assert_int_equal(warta_extract_batch(RS, NULL, 1, 0, docs, rc), WARTA_EINVAL);
}

/* WARTA_OPT_RULE_TIMES: every rule is numbered and named; the rules that
 * found a mention count a match and took time, the same in a batch as
 * alone; without the option every figure is zero. */
static void test_rule_times(void **state)
{
	(void)state;
	const char *text = "Namun Budi Santoso mengatakan hal lain. Menurut Presiden Joko Widodo, "
	                   "Indonesia siap pada Senin (5/1/2026).";
	size_t n = warta_rule_count(RS), want = 0;
	for (size_t f = 0; f < RS->nfiles; f++)
		want += RS->files[f].n;
	assert_int_equal(n, want);
	assert_true(n > 0);
	assert_null(warta_rule_id(RS, n, NULL, NULL));
	assert_int_equal(warta_rule_count(NULL), 0);
	size_t speech = n, title = n;
	for (size_t k = 0; k < n; k++) {
		const char *file = NULL;
		int line = 0;
		const char *id = warta_rule_id(RS, k, &file, &line);
		assert_non_null(id);
		assert_true(line > 0);
		if (strcmp(id, "person-before-speech") == 0) {
			assert_string_equal(file, "rules/person.rules");
			speech = k;
		}
		if (strcmp(id, "person-after-title") == 0)
			title = k;
	}
	assert_true(speech < n && title < n);
	warta_input in = {0};
	in.text = text;
	in.text_len = strlen(text);
	unsigned long long *ns = calloc(2 * n, sizeof *ns), *hits = ns + n;
	assert_non_null(ns);
	warta_doc *docs[2];
	int rc[2];
	warta_input two[2] = {in, in};
	assert_int_equal(warta_extract_batch(RS, two, 2, WARTA_OPT_RULE_TIMES, docs, rc), WARTA_OK);
	for (int d = 0; d < 2; d++) {
		assert_int_equal(warta_doc_rule_ns(docs[d], ns, hits, n), n);
		assert_true(hits[speech] >= 1 && hits[title] >= 1);
		assert_true(ns[speech] > 0 && ns[title] > 0); /* they ran: 1 ns at least */
		warta_doc_free(docs[d]);
	}
	warta_doc *plain = NULL;
	assert_int_equal(warta_extract(RS, &in, 0, &plain), WARTA_OK);
	ns[speech] = hits[speech] = 7;
	assert_int_equal(warta_doc_rule_ns(plain, ns, hits, n), n);
	for (size_t k = 0; k < n; k++)
		assert_true(ns[k] == 0 && hits[k] == 0);
	assert_int_equal(warta_doc_rule_ns(plain, NULL, NULL, n), n);
	assert_int_equal(warta_doc_rule_ns(NULL, ns, hits, 1), 0);
	assert_true(ns[0] == 0);
	warta_doc_free(plain);
	free(ns);
}

/* The matches of one rules_scan, as "rule start end" lines. */
typedef struct scan_log {
	char s[2048];
	size_t n;
	const rulefile *inner; /* scanned again, whole, from each match, or NULL */
	struct scan_log *inner_log;
} scan_log;

static int S_log_cb(warta_doc *doc, const rule_match *m, void *ctx)
{
	scan_log *l = ctx;
	l->n += (size_t)snprintf(l->s + l->n, sizeof l->s - l->n, "%s %zu %zu\n", m->r->id,
	                         m->start, m->end);
	assert_true(l->n < sizeof l->s);
	if (l->inner) {
		l->inner_log->n = 0;
		assert_int_equal(rules_scan(doc, l->inner, 0, doc->len, S_log_cb, l->inner_log),
		                 WARTA_OK);
	}
	return 0;
}

/* The per-rule candidate and near-word lists are kept by the document for
 * the next scan: a callback that scans again must get lists of its own, and
 * neither scan may see the other's; a near word counts in any case. */
static void test_scan_within_scan(void **state)
{
	(void)state;
	warta_doc *doc = tu_extract(RS,
	                            "Menurut Budi Santoso, warga Surabaya itu MENGATAKAN hal "
	                            "serupa. \"Kami siap,\" kata Ani Lestari di Bandung. "
	                            "Dedi Kurniawan Mengatakan bahwa Kota Medan ramai.",
	                            NULL);
	const rulefile *person = ruleset_rules(RS, "person"), *place = ruleset_rules(RS, "place");
	scan_log alone = {0}, places = {0}, outer = {0}, inner = {0};
	assert_int_equal(rules_scan(doc, person, 0, doc->len, S_log_cb, &alone), WARTA_OK);
	assert_int_equal(rules_scan(doc, place, 0, doc->len, S_log_cb, &places), WARTA_OK);
	assert_true(alone.n > 0 && places.n > 0);
	assert_non_null(strstr(alone.s, "person-before-speech")); /* by "Mengatakan" */
	outer.inner = place;
	outer.inner_log = &inner;
	assert_int_equal(rules_scan(doc, person, 0, doc->len, S_log_cb, &outer), WARTA_OK);
	assert_string_equal(outer.s, alone.s);
	assert_string_equal(inner.s, places.s);
	/* a sentence alone: the same matches as the whole text has there */
	const char *second = strstr(doc->text, "\"Kami");
	size_t from = (size_t)(second - doc->text), to = (size_t)(strstr(second, ". ") - doc->text);
	scan_log part = {0};
	assert_int_equal(rules_scan(doc, person, from, to, S_log_cb, &part), WARTA_OK);
	assert_true(part.n > 0);
	char all[sizeof alone.s + 1];
	snprintf(all, sizeof all, "\n%s", alone.s);
	for (char *line = part.s, *nl; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		*nl = '\0';
		char want[sizeof part.s + 2];
		snprintf(want, sizeof want, "\n%s\n", line);
		if (!strstr(all, want))
			fail_msg("[%s] only in the sentence scan", line);
	}
	warta_doc_free(doc);
}

/* A long article asks the tests at thousands of positions, so that their
 * memo (rules.c) grows and moves its answers several times: every copy of
 * a sentence must still give what the sentence gives alone. */
static void test_long_article(void **state)
{
	(void)state;
	static const char sentence[] = "Kata Menteri Luar Negeri Sutarjo Wibisono, Presiden Rusia "
	                               "Vladimir Putin menerima surat itu. ";
	enum { COPIES = 400 };
	size_t len = sizeof sentence - 1;
	char *text = malloc(COPIES * len + 1);
	assert_non_null(text);
	for (size_t k = 0; k < COPIES; k++)
		memcpy(text + k * len, sentence, len);
	text[COPIES * len] = '\0';
	warta_doc *one = tu_extract(RS, sentence, NULL), *all = tu_extract(RS, text, NULL);
	assert_true(S_kept(one) >= 2);
	assert_int_equal(S_kept(all), COPIES * S_kept(one));
	for (size_t i = 0, j = 0; i < all->mentions.n; i++) {
		const mention *m = &all->mentions.v[i];
		if (m->dropped)
			continue;
		while (one->mentions.v[j % one->mentions.n].dropped)
			j++;
		const mention *o = &one->mentions.v[j % one->mentions.n];
		size_t shift = j / one->mentions.n * len;
		assert_int_equal(m->start, o->start + shift);
		assert_int_equal(m->end, o->end + shift);
		assert_int_equal(m->type, o->type);
		j++;
	}
	warta_doc_free(one);
	warta_doc_free(all);
	free(text);
}

const char *rules_slug(arena *a, etype t, const char *s, size_t n);

/* A rule-found name's key: the type in lower case, then the folded name
 * with each run of other characters one dash, none at either end. */
static void test_slug(void **state)
{
	(void)state;
	arena a = {mem_or_default(NULL), NULL, 0};
	static const struct {
		etype t;
		const char *in, *key;
	} cases[] = {
	    {T_PERSON, " Jean-Pierre  O'Neil 2 ", "person:jean-pierre-o-neil-2"},
	    {T_PERSON, "Mesut \xC3\x96zil", "person:mesut-\xC3\xb6zil"},
	    /* bytes past ASCII are kept whatever they spell (quotes too) */
	    {T_ORGANIZATION,
	     "\xC2\xAB"
	     "PT. Maju_Jaya\xC2\xBB!",
	     "organization:\xC2\xAB"
	     "pt-maju-jaya\xC2\xBB"},
	    {T_LOCATION, "@#", "location:"},
	    /* ASCII, slugged without folding: white space of every kind, a
	     * control byte and capitals, as the folded text gives them */
	    {T_PERSON, "\tBUDI\r\n\x01 SANTOSO-\n", "person:budi-santoso"},
	    {T_AGENCY, "KPK", "agency:kpk"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *k = rules_slug(&a, cases[i].t, cases[i].in, strlen(cases[i].in));
		assert_non_null(k);
		assert_string_equal(k, cases[i].key);
	}
	/* long ASCII names take the folding path: the same slug while the
	 * folded text fits its buffer (999 and 1000 bytes), none past it */
	static char longname[1200];
	for (size_t n = 999; n <= 1001; n++) {
		memset(longname, 'a', n);
		longname[0] = 'B', longname[n / 2] = ' ';
		longname[n] = '\0';
		const char *k = rules_slug(&a, T_PERSON, longname, n);
		assert_non_null(k);
		assert_int_equal(strlen(k), strlen("person:") + n);
		assert_int_equal(k[strlen("person:") + n / 2], '-');
		assert_int_equal(k[strlen("person:")], 'b');
	}
	memset(longname, 'a', 1100);
	assert_string_equal(rules_slug(&a, T_PERSON, longname, 1100), "person:");
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_person_title),
	    cmocka_unit_test(test_person_speech_and_honorific),
	    cmocka_unit_test(test_person_fallback),
	    cmocka_unit_test(test_agency),
	    cmocka_unit_test(test_organization),
	    cmocka_unit_test(test_place),
	    cmocka_unit_test(test_short_names),
	    cmocka_unit_test(test_lone_short_form),
	    cmocka_unit_test(test_article),
	    cmocka_unit_test(test_batch),
	    cmocka_unit_test(test_rule_times),
	    cmocka_unit_test(test_scan_within_scan),
	    cmocka_unit_test(test_long_article),
	    cmocka_unit_test(test_slug),
	};
	return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
