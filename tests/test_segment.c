/* SPDX-License-Identifier: MIT */
/* Stage 4 (segment): sentences and tokens for tables of inputs, with the
 * real data folder (gazetteers/abbreviations.tsv). Every document is also
 * checked against the stage's invariants. */
#include "testutil.h"

static bool S_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* Checks what every later stage relies on. */
static void S_invariants(const warta_doc *doc)
{
	const token *t = doc->toks.v;
	for (size_t k = 0; k < doc->toks.n; k++) {
		assert_true(t[k].start < t[k].end);
		assert_true(t[k].end <= doc->len);
		if (k)
			assert_true(t[k - 1].end <= t[k].start);
		assert_true(t[k].kind >= TK_WORD && t[k].kind <= TK_SYM);
		assert_int_equal(t[k].flags & 0xE0, 0); /* no private flag leaks */
		assert_true(t[k].sent < doc->sents.n);
		const sentence *s = &doc->sents.v[t[k].sent];
		assert_true(k >= s->tok && k < s->tok + s->ntok);
		assert_int_equal(!!(t[k].flags & TF_SENT_START), k == s->tok);
	}
	size_t ntok = 0;
	for (size_t i = 0; i < doc->sents.n; i++) {
		const sentence *s = &doc->sents.v[i];
		assert_true(s->ntok > 0);
		assert_int_equal(s->tok, ntok);
		ntok += s->ntok;
		assert_int_equal(s->start, t[s->tok].start);
		assert_int_equal(s->end, t[s->tok + s->ntok - 1].end);
		if (i)
			assert_true(doc->sents.v[i - 1].end <= s->start);
		assert_int_not_equal(s->zone, Z_NOISE);
		/* inside one zone */
		if (doc->zones.n) {
			size_t z = 0;
			while (z < doc->zones.n && doc->zones.v[z].end <= s->start)
				z++;
			assert_true(z < doc->zones.n);
			assert_true(s->end <= doc->zones.v[z].end);
			assert_int_equal(s->zone, doc->zones.v[z].type);
		}
	}
	assert_int_equal(ntok, doc->toks.n);
	/* every non-space byte outside noise lies in exactly one token */
	size_t k = 0;
	for (uint32_t b = 0; b < doc->len; b++) {
		while (k < doc->toks.n && t[k].end <= b)
			k++;
		bool in_tok = k < doc->toks.n && t[k].start <= b;
		bool noise = doc->zones.n && doc_zone_at(doc, b) == Z_NOISE;
		if (noise)
			assert_false(in_tok);
		else if (!S_space(doc->text[b]))
			assert_true(in_tok);
	}
}

static warta_doc *S_seg(const char *text)
{
	warta_doc *doc = doc_new(tu_rs, 0);
	assert_non_null(doc);
	assert_int_equal(doc_set_text(doc, text, strlen(text)), WARTA_OK);
	assert_int_equal(segment_run(doc), WARTA_OK);
	S_invariants(doc);
	return doc;
}

/* Renders the sentences as "s1 | s2 | ...". */
static const char *S_sents(const warta_doc *doc)
{
	static char buf[2048];
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < doc->sents.n; i++) {
		const sentence *s = &doc->sents.v[i];
		o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%.*s", i ? " | " : "",
		                      (int)(s->end - s->start), doc->text + s->start);
	}
	return buf;
}

/* Renders the tokens as "t1 t2 ..." with a kind letter (w n p s) and flags
 * (C cap, A allcap, D digit, . abbreviation, ^ sentence start). */
static const char *S_toks(const warta_doc *doc)
{
	static char buf[2048];
	size_t o = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < doc->toks.n; k++) {
		const token *t = &doc->toks.v[k];
		o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%.*s/%c%s%s%s%s%s", k ? " " : "",
		                      (int)(t->end - t->start), doc->text + t->start,
		                      " wnps"[t->kind], t -> flags &TF_CAP ? "C" : "",
		                      t->flags &TF_ALLCAP ? "A" : "", t->flags &TF_DIGIT ? "D" : "",
		                      t->flags &TF_ABBR ? "." : "",
		                      t->flags &TF_SENT_START ? "^" : "");
	}
	return buf;
}

typedef struct scase {
	const char *in, *want;
} scase;

static const scase S_sent_cases[] = {
    {"Kim tiba. Ia disambut Putin.", "Kim tiba. | Ia disambut Putin."},
    {"Dia bertanya, apa? Tidak tahu! Sudahlah.", "Dia bertanya, apa? | Tidak tahu! | Sudahlah."},
    {"Tunggu... dia datang.", "Tunggu... dia datang."},
    {"Tunggu... Dia datang.", "Tunggu... | Dia datang."},
    {"Tunggu\xE2\x80\xA6 Dia datang.", "Tunggu\xE2\x80\xA6 | Dia datang."},
    {"Angka naik. 15 ribu prajurit tiba.", "Angka naik. | 15 ribu prajurit tiba."},
    {"Ia pergi.Lalu pulang.", "Ia pergi.Lalu pulang."},
    /* abbreviations and initials */
    {"Dr. Budi dan Prof. Ir. H. Ahmad hadir.", "Dr. Budi dan Prof. Ir. H. Ahmad hadir."},
    {"Ia tinggal di Jl. Sudirman No. 5 Kec. Menteng.",
     "Ia tinggal di Jl. Sudirman No. 5 Kec. Menteng."},
    {"Hadir pula K.H. Ma'ruf Amin. Ia berpidato.", "Hadir pula K.H. Ma'ruf Amin. | Ia berpidato."},
    {"Ia bertemu Ahmad, M.Si. Mereka berbincang.", "Ia bertemu Ahmad, M.Si. | Mereka berbincang."},
    {"Ada sayur, buah, dll. Semua dijual.", "Ada sayur, buah, dll. | Semua dijual."},
    {"Ada sayur, buah, dll. yang dijual.", "Ada sayur, buah, dll. yang dijual."},
    {"Bung Hatta atau M. Hatta lahir di Bukittinggi.",
     "Bung Hatta atau M. Hatta lahir di Bukittinggi."},
    {"Ia kembali dari A.S. Kemarin.", "Ia kembali dari A.S. Kemarin."},
    {"Kunjungan itu (Foto: dok. Kemlu) usai.", "Kunjungan itu (Foto: dok. Kemlu) usai."},
    {"Saham PT Maju Tbk. Naik lagi.", "Saham PT Maju Tbk. | Naik lagi."},
    {"Saham PT Maju Tbk. naik lagi.", "Saham PT Maju Tbk. naik lagi."},
    {"Situs republika.co.id memuatnya. Lalu selesai.",
     "Situs republika.co.id memuatnya. | Lalu selesai."},
    /* numbers */
    {"Jumlahnya 1.000. Itu banyak.", "Jumlahnya 1.000. | Itu banyak."},
    {"Naik 2,5 persen pada 9/1/2026 pukul 10.00 WIB. Harga turun.",
     "Naik 2,5 persen pada 9/1/2026 pukul 10.00 WIB. | Harga turun."},
    {"1. Pertama datang.\n2. Kedua pergi.", "1. Pertama datang. | 2. Kedua pergi."},
    /* quotes and brackets */
    {"\"Kami siap,\" kata Kim.", "\"Kami siap,\" kata Kim."},
    {"\"Kami siap. Kami kuat,\" kata Kim. Putin senang.",
     "\"Kami siap. Kami kuat,\" kata Kim. | Putin senang."},
    {"\"Kami siap. Kami kuat!\" ujar Kim.", "\"Kami siap. Kami kuat!\" ujar Kim."},
    {"\"Kami siap.\" Kim lalu pergi.", "\"Kami siap.\" | Kim lalu pergi."},
    {"Ia berkata, \"Kami siap. Kami kuat.\" Kim pergi.",
     "Ia berkata, \"Kami siap. | Kami kuat.\" | Kim pergi."},
    {"\"Ini debut. \"\nLorenzo kecewa.", "\"Ini debut. \" | Lorenzo kecewa."},
    {"Ia diam. \"Kami siap,\" katanya.", "Ia diam. | \"Kami siap,\" katanya."},
    {"Kata dia (lihat foto.) Lalu pergi.", "Kata dia (lihat foto.) | Lalu pergi."},
    {"Ia menyebut 'perang.' Lalu diam.", "Ia menyebut 'perang.' | Lalu diam."},
    /* lines and paragraphs */
    {"Judul Berita\nIsi tanpa titik\n\nParagraf dua.",
     "Judul Berita | Isi tanpa titik | Paragraf dua."},
    {"Kalimat ini terbungkus\nke baris berikut.", "Kalimat ini terbungkus\nke baris berikut."},
    {"Kalimat selesai.\nlalu huruf kecil", "Kalimat selesai. | lalu huruf kecil"},
    {"Satu\n \n\ndua", "Satu | dua"},
    {"Prof.\nBudi datang.", "Prof. | Budi datang."},
    /* nothing to cut */
    {"", ""},
    {" \n\t\n ", ""},
    {".", "."},
};

static void test_sentences(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof S_sent_cases / sizeof *S_sent_cases; c++) {
		warta_doc *doc = S_seg(S_sent_cases[c].in);
		const char *got = S_sents(doc);
		if (strcmp(got, S_sent_cases[c].want) != 0)
			fail_msg("case %zu:\n got: %s\nwant: %s", c, got, S_sent_cases[c].want);
		warta_doc_free(doc);
	}
}

static const scase S_tok_cases[] = {
    {"Kim Jong-un tiba ke-3 kali pada Jum'at, 9/1/2026.",
     "Kim/wC^ Jong-un/wC tiba/w ke-3/wD kali/w pada/w Jum'at/wC ,/p 9/1/2026/nD ./p"},
    {"Pukul 10.00 (2024-2025) ada 1.250.000 orang; 2,5% naik.",
     "Pukul/wC^ 10.00/nD (/p 2024/nD -/p 2025/nD )/p ada/w 1.250.000/nD orang/w ;/p 2,5/nD "
     "%/p naik/w ./p"},
    {"COVID-19 & $5 +3 KCNA RI-1 10-an.",
     "COVID-19/wCAD^ &/p $/s 5/nD +/s 3/nD KCNA/wCA RI-1/wCAD 10-an/wD ./p"},
    {"Dr. K.H. Ph.D. dll. M. A.S. co.id",
     "Dr./wC.^ K.H./wCA. Ph.D./wC. dll./w. M./wC.^ A.S./wCA. co/w ./p id/w"},
    {"Apa?! Ya... \"Oke.\"", "Apa/wC^ ?!/p Ya/wC^ .../p \"/p^ Oke/wC ./p \"/p"},
    {"Caf\xC3\xA9 \xEA\xB0\x80 \xC3\x9C"
     "ber \xF0\x9F\x98\x80.",
     "Caf\xC3\xA9/wC^ \xEA\xB0\x80/w \xC3\x9C"
     "ber/wC \xF0\x9F\x98\x80/s ./p"},
    {"'90-an -5 a--b", "'/p^ 90-an/wD -/p 5/nD a/w -/p -/p b/w"},
};

static void test_tokens(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof S_tok_cases / sizeof *S_tok_cases; c++) {
		warta_doc *doc = S_seg(S_tok_cases[c].in);
		const char *got = S_toks(doc);
		if (strcmp(got, S_tok_cases[c].want) != 0)
			fail_msg("case %zu:\n got: %s\nwant: %s", c, got, S_tok_cases[c].want);
		warta_doc_free(doc);
	}
}

/* More tokens than the room made for them up front (one per five bytes):
 * the vector grows, and every token is as if it had been zeroed. */
static void test_many_tokens(void **state)
{
	(void)state;
	char text[401];
	for (size_t i = 0; i < 200; i++) {
		text[2 * i] = 'a';
		text[2 * i + 1] = ' ';
	}
	text[399] = '\0';
	warta_doc *doc = S_seg(text);
	assert_int_equal(doc->toks.n, 200);
	assert_int_equal(doc->sents.n, 1);
	for (size_t i = 0; i < 200; i++) {
		const token *t = &doc->toks.v[i];
		assert_int_equal(t->start, 2 * i);
		assert_int_equal(t->end, 2 * i + 1);
		assert_int_equal(t->kind, TK_WORD);
		assert_int_equal(t->sent, 0);
		if (i > 1)
			assert_int_equal(t->flags, doc->toks.v[1].flags);
	}
	warta_doc_free(doc);
}

/* Words read 64 bytes at a time: one that crosses the 64-byte mark, one
 * longer than 64 bytes, digits before letters, and marks at the end. */
static void test_block_edges(void **state)
{
	(void)state;
	char text[256], want[512];
	memset(text, 'x', 62);
	strcpy(text + 62, " ABCDEF abc9 9abc 2PM Zz...");
	memset(want, 'x', 62);
	strcpy(want + 62, "/w^ ABCDEF/wCA abc9/wD 9abc/wD 2PM/wCAD Zz/wC .../p");
	warta_doc *doc = S_seg(text);
	assert_string_equal(S_toks(doc), want);
	warta_doc_free(doc);

	memset(text, 'B', 70);
	strcpy(text + 70, ". Ya\xE2\x80\xA6");
	memset(want, 'B', 70);
	strcpy(want + 70, "/wCA^ ./p Ya/wC^ \xE2\x80\xA6/p");
	doc = S_seg(text);
	assert_string_equal(S_toks(doc), want);
	warta_doc_free(doc);
}

/* Runs of plain words (each after one space) are read in one go and not
 * looked at again by the sentence cutter: the tokens where it must look
 * (a line end, two spaces, a mark) are found past the 64th token too. */
static void test_plain_runs(void **state)
{
	(void)state;
	char text[1024], want[1024];
	size_t o = 0;
	for (int i = 0; i < 70; i++)
		o += (size_t)sprintf(text + o, "%s ", i % 3 ? "kata" : "Kata");
	strcpy(text + o, "akhir.\nBaru mulai  lagi. Ia pergi\nkemudian datang\nLalu pulang");
	strcpy(want, text);
	want[o + 6] = '\0';
	strcat(want, " | Baru mulai  lagi. | Ia pergi\nkemudian datang | Lalu pulang");
	warta_doc *doc = S_seg(text);
	assert_string_equal(S_sents(doc), want);
	assert_int_equal(doc->toks.n, 70 + 12);
	assert_int_equal(doc->toks.v[3].flags, TF_CAP);
	assert_int_equal(doc->toks.v[4].flags, 0);
	warta_doc_free(doc);
}

/* Sentences stop at zone ends; noise gets no tokens. */
static void test_zones(void **state)
{
	(void)state;
	const char *text =
	    "Judul Satu\nBadan teks. Kalimat dua\nvar x = 1; Lagi.\nTerkait berita lain";
	warta_doc *doc = doc_new(tu_rs, 0);
	assert_int_equal(doc_set_text(doc, text, strlen(text)), WARTA_OK);
	const uint32_t len = doc->len;
	const struct {
		zone_type type;
		uint32_t start, end;
	} zs[] = {
	    {Z_TITLE, 0, 11},  /* "Judul Satu\n" */
	    {Z_BODY, 11, 29},  /* "Badan teks. Kalima": a zone may end mid-word */
	    {Z_BODY, 29, 35},  /* "t dua\n" */
	    {Z_NOISE, 35, 52}, /* "var x = 1; Lagi.\n" */
	    {Z_RELATED, 52, len},
	};
	for (size_t i = 0; i < sizeof zs / sizeof *zs; i++) {
		zone *z = VEC_PUSH(&doc->a, doc->zones);
		assert_non_null(z);
		z->type = zs[i].type;
		z->start = zs[i].start;
		z->end = zs[i].end;
	}
	assert_int_equal(segment_run(doc), WARTA_OK);
	S_invariants(doc);
	assert_string_equal(S_sents(doc),
	                    "Judul Satu | Badan teks. | Kalima | t dua | Terkait berita lain");
	const zone_type want[] = {Z_TITLE, Z_BODY, Z_BODY, Z_BODY, Z_RELATED};
	assert_int_equal(doc->sents.n, 5);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(doc->sents.v[i].zone, want[i]);
	for (size_t k = 0; k < doc->toks.n; k++)
		assert_true(doc->toks.v[k].end <= 35 || doc->toks.v[k].start >= 52);
	warta_doc_free(doc);

	/* a document that is all noise has nothing */
	doc = doc_new(tu_rs, 0);
	assert_int_equal(doc_set_text(doc, "a b. C d.", 9), WARTA_OK);
	zone *z = VEC_PUSH(&doc->a, doc->zones);
	z->type = Z_NOISE;
	z->end = 9;
	assert_int_equal(segment_run(doc), WARTA_OK);
	assert_int_equal(doc->toks.n, 0);
	assert_int_equal(doc->sents.n, 0);
	warta_doc_free(doc);
}

/* A word longer than the tokenizer's counting run (1 MiB) is still one
 * token, with its case and digit flags counted over all of it. */
static void test_long_word(void **state)
{
	(void)state;
	size_t n = ((size_t)1 << 20) + 10;
	char *text = malloc(n + 3);
	assert_non_null(text);
	for (size_t i = 0; i < n; i++)
		text[i] = i == n - 3 ? '7' : 'K';
	memcpy(text + n, " b", 3);
	warta_doc *doc = doc_new(tu_rs, 0);
	assert_int_equal(doc_set_text(doc, text, n + 2), WARTA_OK);
	assert_int_equal(segment_run(doc), WARTA_OK);
	S_invariants(doc);
	assert_int_equal(doc->toks.n, 2);
	assert_int_equal(doc->toks.v[0].end, n);
	assert_int_equal(doc->toks.v[0].kind, TK_WORD);
	assert_int_equal(doc->toks.v[0].flags & (TF_CAP | TF_ALLCAP | TF_DIGIT),
	                 TF_CAP | TF_ALLCAP | TF_DIGIT);
	warta_doc_free(doc);
	/* the same with one small letter: no longer in capitals */
	text[n / 2] = 'k';
	doc = doc_new(tu_rs, 0);
	assert_int_equal(doc_set_text(doc, text, n + 2), WARTA_OK);
	assert_int_equal(segment_run(doc), WARTA_OK);
	assert_int_equal(doc->toks.v[0].flags & (TF_CAP | TF_ALLCAP), TF_CAP);
	warta_doc_free(doc);
	free(text);
}

/* Normalize then segment: offsets map back to the original. */
static void test_after_normalize(void **state)
{
	(void)state;
	const char *orig =
	    "\xE2\x80\x9CKami siap,\xE2\x80\x9D kata Kim\xC2\xA0Jong\xE2\x80\x91un.\r\n"
	    "Pasukan\xE2\x80\x8B tiba.";
	warta_doc *doc = doc_new(tu_rs, 0);
	doc->orig = arena_strndup(&doc->a, orig, strlen(orig));
	doc->orig_len = strlen(orig);
	assert_int_equal(normalize_run(doc), WARTA_OK);
	assert_int_equal(segment_run(doc), WARTA_OK);
	S_invariants(doc);
	assert_string_equal(S_sents(doc), "\"Kami siap,\" kata Kim Jong-un. | Pasukan tiba.");
	assert_int_equal(doc->sents.n, 2);
	/* "Jong-un" is one token, at code points 22..29 of the original */
	size_t k = doc_tok_at(doc, (uint32_t)(strstr(doc->text, "Jong") - doc->text));
	assert_string_equal(tu_span(doc, doc->toks.v[k].start, doc->toks.v[k].end), "Jong-un");
	assert_int_equal(doc_cp(doc, doc->toks.v[k].start), 22);
	assert_int_equal(doc_cp(doc, doc->toks.v[k].end), 29);
	/* the second sentence starts after CR LF; the zero-width space counts */
	assert_int_equal(doc_cp(doc, doc->sents.v[1].start), 32);
	assert_int_equal(doc_cp(doc, doc->sents.v[1].end), 46);
	warta_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sentences),   cmocka_unit_test(test_tokens),
	    cmocka_unit_test(test_many_tokens), cmocka_unit_test(test_zones),
	    cmocka_unit_test(test_long_word),   cmocka_unit_test(test_after_normalize),
	    cmocka_unit_test(test_block_edges), cmocka_unit_test(test_plain_runs),
	};
	return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}
