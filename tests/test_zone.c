/* SPDX-License-Identifier: MIT */
/* Stage 3 (zone): each case is a text cut into the exact pieces the stage
 * must return (type and text, in order; together they are the whole text),
 * and the meta fields it must fill. Offsets are checked exactly: a piece's
 * start is the sum of the lengths before it. */
#include "reqbytes.h"
#include "testutil.h"

#define MAXZ 24

typedef struct piece {
	zone_type type;
	const char *text;
	const char *rule; /* expected rule id, NULL: not checked; "-": no rule */
} piece;

typedef struct zcase {
	const char *name;
	const char *in_title; /* JSONL title, or NULL for a plain-text article */
	const char *url;
	piece z[MAXZ];
	const char *title, *source, *place, *outlet;
} zcase;

static const zcase S_cases[] = {
    {"republika-style page",
     NULL,
     NULL,
     {{Z_TITLE, "Korut Siap Kirim Pasukan Tambahan ke Rusia", "-"},
      {Z_META, "\n\nrepublika.co.id", "meta-domain"},
      {Z_META, "\n22 jam lalu", "meta-age"},
      {Z_META, "\nCover Berita", "meta-cover"},
      {Z_DATELINE, "\n\nREPUBLIKA.CO.ID,PYONGYANG -- ", "dateline-outlet-place"},
      {Z_BODY, "Pemimpin Korut mengirim surat kepada Presiden Rusia.", "-"},
      {Z_NOISE, " \n\ngoogletag.cmd.push(function() { googletag.display('div-gpt-ad-1-0'); });",
       "script-call"},
      {Z_BODY, "\n\nMenurut badan intelijen Korsel, Korut mengerahkan hingga 15 ribu prajurit.",
       "-"},
      {Z_NOISE, "\n.img-follow{width: 22px !important;margin-right: 5px;}", "css-rules"},
      {Z_NOISE, "\nIkuti Whatsapp Channel Republika", "follow-prompt"},
      {Z_NOISE, "\nAdvertisement", "ad-slot"},
      {Z_NOISE, "\n\nArtikel Asli\n\nBerikan komentar Anda", "comment-box"},
      {Z_RELATED, "\nLanjut baca:", "related-list-start"},
      {Z_NOISE, "\n\nthumb", "comment-box"},
      {Z_RELATED, "\nHarga Beras Naik di Pasar Induk\n• 6 jam lalujpnn.com", "related-list-start"},
      {Z_NOISE, "\nthumb", "comment-box"},
      {Z_RELATED, "\nTimnas Menang Tipis atas Vietnam?\n• 7 jam lalubola.com",
       "related-list-start"},
      {Z_NOISE, "\nBerhasil disimpan.\n", "comment-box"}},
     "Korut Siap Kirim Pasukan Tambahan ke Rusia",
     "republika.co.id",
     "Pyongyang",
     "REPUBLIKA.CO.ID"},

    {"JSONL sentence with a title field stays body",
     "Judul dari JSONL",
     NULL,
     {{Z_BODY, "Presiden Joko Widodo meresmikan Bendungan Jlantah di Karanganyar.", "-"}},
     NULL,
     NULL,
     NULL,
     NULL},

    {"JSONL headline-like one-liner without title stays body",
     NULL,
     NULL,
     {{Z_BODY, "Menteri Keuangan Sri Mulyani Indrawati Hadir di Istana", "-"}},
     NULL,
     NULL,
     NULL,
     NULL},

    {"JSONL body without title: a question is not a title",
     NULL,
     NULL,
     {{Z_BODY, "Apa varian cokelat favoritmu?\n\nCokelat susu masih menjadi pilihan banyak orang.",
       "-"}},
     NULL,
     NULL,
     NULL,
     NULL},

    {"JSONL body with a title field: the first line is body",
     "Harga Beras Naik",
     NULL,
     {{Z_BODY, "Harga Beras Naik Lagi di Pasar Induk\n\nPedagang mengeluh sejak pekan lalu.", "-"}},
     NULL,
     NULL,
     NULL,
     NULL},

    {"only noise",
     NULL,
     NULL,
     {{Z_NOISE, "Advertisement", "ad-slot"},
      {Z_NOISE, "\ngoogletag.cmd.push(function() { googletag.display('x'); });\n", "script-call"}},
     NULL,
     NULL,
     NULL,
     NULL},

    {"white space only", NULL, NULL, {{Z_BODY, " \n\n ", "-"}}, NULL, NULL, NULL, NULL},

    {"CRLF left in the text: carriage returns are white space",
     NULL,
     NULL,
     {{Z_TITLE, "Banjir Rendam Ratusan Rumah di Bekasi", "-"},
      {Z_META, "\r\n\r\nkompas.com", "meta-domain"},
      {Z_DATELINE, "\r\nBEKASI, KOMPAS.com - ", "dateline-place-outlet"},
      {Z_BODY, "Banjir merendam 300 rumah warga.\r\n", "-"}},
     "Banjir Rendam Ratusan Rumah di Bekasi",
     "kompas.com",
     "Bekasi",
     "KOMPAS.com"},

    {"LF text as normalize leaves it",
     NULL,
     NULL,
     {{Z_TITLE, "Banjir Rendam Ratusan Rumah di Bekasi", "-"},
      {Z_META, "\n\nkompas.com", "meta-domain"},
      {Z_DATELINE, "\nBEKASI, KOMPAS.com - ", "dateline-place-outlet"},
      {Z_BODY, "Banjir merendam 300 rumah warga.\n", "-"}},
     "Banjir Rendam Ratusan Rumah di Bekasi",
     "kompas.com",
     "Bekasi",
     "KOMPAS.com"},

    {"dateline: place, outlet domain",
     "t",
     NULL,
     {{Z_DATELINE, "SURABAYA, KOMPAS.com - ", "dateline-place-outlet"},
      {Z_BODY, "Hujan deras mengguyur kota itu.", "-"}},
     NULL,
     "kompas.com",
     "Surabaya",
     "KOMPAS.com"},

    {"dateline: outlet domain only",
     "t",
     NULL,
     {{Z_DATELINE, "KOMPAS.com - ", "dateline-outlet"},
      {Z_BODY, "Harga minyak dunia turun lagi.", "-"}},
     NULL,
     "kompas.com",
     NULL,
     "KOMPAS.com"},

    {"dateline: domain, place and a colon",
     "t",
     NULL,
     {{Z_DATELINE, "Liputan6.com, Jakarta: ", "dateline-outlet-place"},
      {Z_BODY, "Harga emas turun.", "-"}},
     NULL,
     "liputan6.com",
     "Jakarta",
     "Liputan6.com"},

    {"dateline: place (ANTARA)",
     "t",
     NULL,
     {{Z_DATELINE, "JAKARTA (ANTARA) - ", "dateline-place-paren"},
      {Z_BODY, "Pemerintah menambah kuota impor.", "-"}},
     NULL,
     NULL,
     "Jakarta",
     "ANTARA"},

    {"dateline: place, CNN Indonesia",
     "t",
     NULL,
     {{Z_DATELINE, "Jakarta, CNN Indonesia -- ", "dateline-place-outlet"},
      {Z_BODY, "Presiden meninjau pasar.", "-"}},
     NULL,
     NULL,
     "Jakarta",
     "CNN Indonesia"},

    {"dateline: TEMPO.CO, Jakarta",
     "t",
     NULL,
     {{Z_DATELINE, "TEMPO.CO, Jakarta - ", "dateline-outlet-place"},
      {Z_BODY, "Rupiah menguat.", "-"}},
     NULL,
     "tempo.co",
     "Jakarta",
     "TEMPO.CO"},

    {"dateline: Bisnis.com, JAKARTA and a two-word place",
     "t",
     NULL,
     {{Z_DATELINE, "Bisnis.com, KUALA LUMPUR - ", "dateline-outlet-place"},
      {Z_BODY, "Harga sawit naik.", "-"}},
     NULL,
     "bisnis.com",
     "Kuala Lumpur",
     "Bisnis.com"},

    {"dateline only on the first body paragraph",
     "t",
     NULL,
     {{Z_BODY, "Harga cabai naik.\n\nJAKARTA, KOMPAS.com - Ini bukan dateline.", "-"}},
     NULL,
     NULL,
     NULL,
     NULL},

    {"meta lines: date, byline, age",
     NULL,
     NULL,
     {{Z_TITLE, "Rupiah Menguat Tipis Pagi Ini", "-"},
      {Z_META, "\nSenin, 12 Jan 2026 10:15 WIB", "meta-date"},
      {Z_META, "\nPenulis: Andi Wijaya\nEditor: Sri Lestari", "meta-byline"},
      {Z_META, "\n5 menit yang lalu", "meta-age"},
      {Z_BODY, "\n\nNilai tukar rupiah menguat 20 poin.", "-"}},
     "Rupiah Menguat Tipis Pagi Ini",
     NULL,
     NULL,
     NULL},

    {"a date line below the first body paragraph is body",
     NULL,
     NULL,
     {{Z_TITLE, "Kronologi Kecelakaan Pesawat", "-"},
      {Z_META, "\n12 Januari 2026", "meta-date"},
      {Z_BODY, "\nPesawat itu hilang kontak pukul 07.24.\n\n14 Februari 2026\nPuing ditemukan.",
       "-"},
      {Z_META, "\nEditor: Sri Lestari", "meta-byline"}},
     "Kronologi Kecelakaan Pesawat",
     NULL,
     NULL,
     NULL},

    {"inline Baca juga line and a bracketed one",
     "t",
     NULL,
     {{Z_BODY, "Harga beras naik.", "-"},
      {Z_RELATED, "\nBaca juga: Bulog Siapkan Operasi Pasar", "related-inline"},
      {Z_BODY, "\nPedagang mengeluh.", "-"},
      {Z_RELATED, "\n[Baca Juga: Petani Panen Raya di Jawa Tengah]", "related-inline"},
      {Z_BODY, "\nStok masih aman.", "-"}},
     NULL,
     NULL,
     NULL,
     NULL},

    {"parenthesised Baca juga inside a paragraph",
     "t",
     NULL,
     {{Z_BODY, "Harga beras naik lagi. ", "-"},
      {Z_RELATED, "(Baca juga: Bulog Siapkan Operasi Pasar)", "related-paren"},
      {Z_BODY, " Pedagang mengeluh.", "-"}},
     NULL,
     NULL,
     NULL,
     NULL},

    {"a Baca juga headline glued to the end of a paragraph",
     "t",
     NULL,
     {{Z_BODY, "Ponsel itu dijual mulai pekan depan. ", "-"},
      {Z_RELATED, "Baca juga: Harga Ponsel Lipat Turun Tajam", "related-tail"},
      {Z_BODY, "\nPenjualan dibuka di Jakarta.", "-"}},
     NULL,
     NULL,
     NULL,
     NULL},

    {"Baca juga list ends at prose",
     "t",
     NULL,
     {{Z_BODY, "Harga beras naik.", "-"},
      {Z_RELATED, "\n\nBaca Juga:\n\nBulog Siapkan Operasi Pasar\n\nPetani Panen Raya",
       "related-list-start"},
      {Z_BODY, "\n\nPedagang pasar mengeluhkan kenaikan itu sejak pekan lalu.", "-"}},
     NULL,
     NULL,
     NULL,
     NULL},

    {"editor code in square brackets, photo caption",
     "t",
     NULL,
     {{Z_BODY, "Warga mulai mengungsi sejak pagi. ", "-"},
      {Z_NOISE, "[ant/dil]", "editor-code-tail"},
      {Z_NOISE, "\nWarga antre di posko pengungsian. (Foto: Humas Pemkab)", "photo-caption"},
      {Z_BODY, "\nBantuan tiba sore harinya.", "-"}},
     NULL,
     NULL,
     NULL,
     NULL},

    {"video promo, editor code, copyright",
     "t",
     NULL,
     {{Z_BODY, "Polisi masih menyelidiki kasus itu. ", "-"},
      {Z_NOISE, "(dil/dil)", "editor-code-tail"},
      {Z_RELATED, "\nSimak juga Video: Polisi Gelar Rekonstruksi", "related-video"},
      {Z_NOISE, "\n© 2026 PT Berita Nusantara. All rights reserved.", "copyright"},
      {Z_NOISE, "\nSCROLL TO CONTINUE WITH CONTENT", "ad-slot"}},
     NULL,
     NULL,
     NULL,
     NULL},

    {"a first line that is a sentence is not a title",
     NULL,
     NULL,
     {{Z_BODY, "Harga cabai naik di pasar induk.\nPedagang mengeluh.", "-"}},
     NULL,
     NULL,
     NULL,
     NULL},

    {"white space before the title is not part of it",
     NULL,
     NULL,
     {{Z_NOISE, "\n  ", "-"},
      {Z_TITLE, "Harga Cabai Naik Lagi", "-"},
      {Z_BODY, "\nPedagang mengeluh.", "-"}},
     "Harga Cabai Naik Lagi",
     NULL,
     NULL,
     NULL},

    /* zone.c skips a rule on a line that cannot begin or end as its pattern
     * does; caseless, "s" and "k" also match U+017F and U+212A */
    {"caseless words match the other cases beyond ASCII",
     "t",
     NULL,
     {{Z_BODY, "Harga cabai naik.", "-"},
      {Z_NOISE, "\n\xC5\xBFimak breaking news dan berita pilihan kami.", "news-prompt"},
      {Z_NOISE, "\n\xE2\x84\xAAlik di sini untuk berlangganan", "app-prompt"},
      {Z_NOISE, "\nBeritaku. id adalah situs berita.", "outlet-footer"},
      {Z_BODY, "\nPonsel itu murah. ", "-"},
      {Z_RELATED, "Baca juga: Kapan Harga Ponsel Turun?", "related-tail"}},
     NULL,
     NULL,
     NULL,
     NULL},

    {"a caseless word with a letter beyond ASCII after its first, and a last byte",
     "t",
     NULL,
     {{Z_BODY, "Harga cabai naik.", "-"},
      {Z_NOISE, "\ni\xE2\x84\xAAuti Whatsapp Channel Republika", "follow-prompt"},
      {Z_BODY, "\nPonsel itu murah.", "-"},
      {Z_NOISE, "\nIKUTI whatsapp channel kami", "follow-prompt"},
      {Z_NOISE, "\n});", "code-bracket"}},
     NULL,
     NULL,
     NULL,
     NULL},

    {"source from the URL when the text names none",
     "t",
     "https://www.contoh-berita.co.id/ekonomi/123",
     {{Z_BODY, "Harga cabai naik.", "-"}},
     NULL,
     "contoh-berita.co.id",
     NULL,
     NULL},
};

static int S_setup(void **state)
{
	*state = tu_load(tu_datadir());
	return 0;
}

static int S_teardown(void **state)
{
	warta_ruleset_free(*state);
	return 0;
}

static void S_eq_str(const char *what, const char *want, const char *got)
{
	if (!want && !got)
		return;
	if (!want || !got || strcmp(want, got) != 0) {
		fprintf(stderr, "  %s: want %s%s%s, got %s%s%s\n", what, want ? "\"" : "",
		        want ? want : "NULL", want ? "\"" : "", got ? "\"" : "", got ? got : "NULL",
		        got ? "\"" : "");
		fail();
	}
}

static warta_doc *S_run(const warta_ruleset *rs, const char *text, const char *in_title,
                        const char *url)
{
	warta_doc *doc = doc_new(rs, 0);
	assert_non_null(doc);
	assert_int_equal(doc_set_text(doc, text, strlen(text)), WARTA_OK);
	if (in_title)
		doc->in_title = arena_strndup(&doc->a, in_title, strlen(in_title));
	if (url)
		doc->url = arena_strndup(&doc->a, url, strlen(url));
	assert_int_equal(zone_run(doc), WARTA_OK);
	return doc;
}

/* Zones are sorted, contiguous and cover [0, len) exactly. */
static void S_check_cover(const warta_doc *doc)
{
	uint32_t at = 0;
	for (size_t i = 0; i < doc->zones.n; i++) {
		assert_int_equal(doc->zones.v[i].start, at);
		assert_true(doc->zones.v[i].end > doc->zones.v[i].start);
		at = doc->zones.v[i].end;
	}
	assert_int_equal(at, doc->len);
}

static void test_cases(void **state)
{
	const warta_ruleset *rs = *state;
	for (size_t c = 0; c < sizeof S_cases / sizeof *S_cases; c++) {
		const zcase *k = &S_cases[c];
		char text[4096] = "";
		size_t nz = 0;
		while (nz < MAXZ && k->z[nz].text)
			strcat(text, k->z[nz++].text);
		warta_doc *doc = S_run(rs, text, k->in_title, k->url);
		S_check_cover(doc);
		bool same = doc->zones.n == nz;
		for (size_t i = 0, at = 0; same && i < nz; i++) {
			size_t len = strlen(k->z[i].text);
			same = doc->zones.v[i].type == k->z[i].type &&
			       doc->zones.v[i].start == at && doc->zones.v[i].end == at + len;
			at += len;
		}
		if (!same) {
			fprintf(stderr, "case: %s\n", k->name);
			for (size_t i = 0; i < doc->zones.n; i++)
				fprintf(stderr, "  got %-8s %4u %4u %s\n",
				        zone_name(doc->zones.v[i].type), doc->zones.v[i].start,
				        doc->zones.v[i].end,
				        doc->zones.v[i].rule ? doc->zones.v[i].rule->id : "-");
		}
		assert_int_equal(doc->zones.n, nz);
		uint32_t at = 0;
		int title = -1;
		for (size_t i = 0; i < nz; i++) {
			const zone *z = &doc->zones.v[i];
			uint32_t len = (uint32_t)strlen(k->z[i].text);
			assert_int_equal(z->type, k->z[i].type);
			assert_int_equal(z->start, at);
			assert_int_equal(z->end, at + len);
			if (k->z[i].rule && strcmp(k->z[i].rule, "-") == 0)
				assert_null(z->rule);
			else if (k->z[i].rule) {
				assert_non_null(z->rule);
				assert_string_equal(z->rule->id, k->z[i].rule);
				assert_string_equal(z->rule->file, "rules/boilerplate.rules");
			}
			if (z->type == Z_TITLE)
				title = (int)i;
			at += len;
		}
		assert_int_equal(doc->title_zone, title);
		if (k->title) {
			const zone *z = &doc->zones.v[doc->title_zone];
			assert_string_equal(tu_span(doc, z->start, z->end), k->title);
		}
		S_eq_str("source", k->source, doc->source);
		S_eq_str("dateline_place", k->place, doc->dateline_place);
		S_eq_str("dateline_outlet", k->outlet, doc->dateline_outlet);
		assert_int_equal(doc->warnings.n, 0);
		warta_doc_free(doc);
	}
}

static void test_empty_text(void **state)
{
	warta_doc *doc = S_run(*state, "", NULL, NULL);
	assert_int_equal(doc->zones.n, 0);
	assert_int_equal(doc->title_zone, -1);
	assert_null(doc->source);
	assert_null(doc->dateline_place);
	assert_null(doc->dateline_outlet);
	warta_doc_free(doc);
}

/* Every boilerplate rule carries a class the stage knows: a typo in a class
 * would otherwise drop the rule (zone_run reports it as a warning too). */
static void test_every_rule_has_a_class(void **state)
{
	const warta_ruleset *rs = *state;
	const rulefile *rf = ruleset_rules(rs, "boilerplate");
	assert_non_null(rf);
	assert_true(rf->n > 20);
	for (size_t i = 0; i < rf->n; i++) {
		const char *where = rule_attr_get(&rf->rules[i], "where");
		assert_true(!where || strcmp(where, "head") == 0);
	}
	static const char *const known[] = {"noise",         "meta",         "related",
	                                    "related-start", "related-item", "noise-span",
	                                    "related-span",  "dateline"};
	for (size_t i = 0; i < rf->n; i++) {
		const char *cls = rule_attr_get(&rf->rules[i], "class");
		bool ok = false;
		for (size_t k = 0; cls && k < sizeof known / sizeof *known; k++)
			ok |= strcmp(cls, known[k]) == 0;
		if (!ok)
			fprintf(stderr, "rule %s: class %s\n", rf->rules[i].id,
			        cls ? cls : "(none)");
		assert_true(ok);
	}
}

/* The first-byte filter computed at load keeps every byte an EXAMPLE of a
 * whole-line rule starts with (and drops some others). */
static void test_first_bytes(void **state)
{
	const warta_ruleset *rs = *state;
	const rulefile *rf = ruleset_rules(rs, "boilerplate");
	size_t known = 0;
	for (size_t i = 0; i < rf->n; i++) {
		const rule *r = &rf->rules[i];
		if (!r->first_known)
			continue;
		known++;
		for (size_t e = 0; e < r->nex; e++) {
			if (r->ex[e].counter)
				continue;
			unsigned char b = (unsigned char)r->ex[e].text[0];
			assert_true(r->first[b >> 3] & (1u << (b & 7)));
		}
	}
	assert_true(known > 20);
	const rule *ad = NULL;
	for (size_t i = 0; i < rf->n; i++)
		if (strcmp(rf->rules[i].id, "ad-slot") == 0)
			ad = &rf->rules[i];
	assert_non_null(ad);
	assert_true(ad->first_known);
	assert_true(ad->first['A' >> 3] & (1u << ('A' & 7)));
	assert_false(ad->first['Q' >> 3] & (1u << ('Q' & 7)));
}

/* A dateline place the gazetteer does not know is title-cased; mixed case
 * is kept as written. */
static void test_place_case(void **state)
{
	warta_doc *doc = S_run(*state, "NEW YORK, KOMPAS.com - Harga minyak turun.", "t", NULL);
	assert_string_equal(doc->dateline_place, "New York");
	warta_doc_free(doc);
	doc = S_run(*state, "Bandarlampung (ANTARA News) - Warga berkumpul.", "t", NULL);
	assert_string_equal(doc->dateline_place, "Bandarlampung");
	assert_string_equal(doc->dateline_outlet, "ANTARA News");
	warta_doc_free(doc);
}

/* The shapes reqbytes.c reads off the boilerplate patterns never rule out a
 * line a rule's EXAMPLE says it matches. */
static void test_shapes_keep_examples(void **state)
{
	const warta_ruleset *rs = *state;
	const rulefile *rf = ruleset_rules(rs, "boilerplate");
	int runs = 0, lasts = 0;
	for (size_t i = 0; i < rf->n; i++) {
		const rule *r = &rf->rules[i];
		rb_shape sh;
		reqbytes_shape_read(r->pattern, &sh);
		runs += sh.has_run;
		lasts += sh.has_last;
		for (size_t e = 0; e < r->nex; e++) {
			const char *t = r->ex[e].text;
			if (r->ex[e].counter)
				continue;
			if (!reqbytes_shape_may(&sh, t, strlen(t)))
				fprintf(stderr, "rule %s rules out its example: %s\n", r->id, t);
			assert_true(reqbytes_shape_may(&sh, t, strlen(t)));
		}
	}
	assert_true(runs > 10 && lasts > 10);
}

/* The shapes of each form reqbytes.c reads, on lines that match (kept) and
 * lines that cannot (ruled out). */
static void test_shape_forms(void **state)
{
	(void)state;
	static const struct {
		const char *pattern, *line;
		bool may;
	} cases[] = {
	    /* the first byte past the place's letters must be the comma */
	    {"^(?<place>\\p{Lu}[\\p{L}'.]*(?:[\\s-]\\p{Lu}[\\p{L}'.]*){0,3})\\s*,\\s*\\w+",
	     "Kota Baru, Warta - Isi", true},
	    {"^(?<place>\\p{Lu}[\\p{L}'.]*(?:[\\s-]\\p{Lu}[\\p{L}'.]*){0,3})\\s*,\\s*\\w+",
	     "Bogor 12 Mei, ada kabar", false},
	    {"^(?<place>\\p{Lu}[\\p{L}'.]*)\\s*\\(", "D\xC3\xBCsseldorf (Warta) - Isi", true},
	    {"^(?<place>\\p{Lu}[\\p{L}'.]*)\\s*\\(", "Bekasi, (Warta)", false},
	    /* caseless, \\p{Lu} may take a small letter too */
	    {"^(?i:\\p{Lu}+):", "abc: x", true},
	    /* every byte of the line in the class */
	    {"^[{}()\\[\\];,\\s]+$", "}); ", true},
	    {"^[{}()\\[\\];,\\s]+$", "(1)", false},
	    /* dashes beyond ASCII, as a range of escapes */
	    {"^[-\\x{2010}-\\x{2015}\\s]+$", "\xE2\x80\x94 - \xE2\x80\x93", true},
	    {"^[-\\x{2010}-\\x{2015}\\s]+$", "- a -", false},
	    /* the last byte: of a repeated group, past optional items */
	    {"^(?:[a-z]+\\{[^{}]*+\\}\\s*+)++$", "p{margin:0}", true},
	    {"^(?:[a-z]+\\{[^{}]*+\\}\\s*+)++$", "p{margin:0} x", false},
	    {"^(?i:tutup|close)\\s*[.!]?$", "TUTUP!", true},
	    {"^(?i:tutup|close)\\s*[.!]?$", "Tutup?", false},
	    {"^(?i:kamu|kami)(?:\\s+juga)?$", "Kami JUGA", true},
	    /* {,n} is not read (text before PCRE2 10.43): no last byte */
	    {"^ab{,3}$", "ab{,3}", true},
	    /* a stop that may also be in the run: no test */
	    {"^\\w+-", "a\xE2\x80\x93-b", true},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		rb_shape sh;
		reqbytes_shape_read(cases[i].pattern, &sh);
		bool may = reqbytes_shape_may(&sh, cases[i].line, strlen(cases[i].line));
		if (may != cases[i].may)
			fprintf(stderr, "%s on %s: %d\n", cases[i].pattern, cases[i].line, may);
		assert_true(may == cases[i].may);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_empty_text),
	    cmocka_unit_test(test_every_rule_has_a_class),
	    cmocka_unit_test(test_first_bytes),
	    cmocka_unit_test(test_place_case),
	    cmocka_unit_test(test_shapes_keep_examples),
	    cmocka_unit_test(test_shape_forms),
	};
	return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
