/* SPDX-License-Identifier: MIT */
/* Stage 7 (numbers): phrases in, number records out; phrases that hold no
 * quantity; the whole-string numeral parser. Phrases are written for these
 * tests. */
#include "testutil.h"

#include "reqbytes.h"

#include <math.h>

#define N NAN

typedef struct qcase {
	const char *text;
	const char *span; /* the whole expression */
	const char *num;  /* the numeral */
	double value, low, high;
	qualifier qual;
	const char *currency;
	bool percent;
	const char *rule; /* id of the rule that began it */
} qcase;

static const qcase S_cases[] = {
    /* digits */
    {"sebanyak 1.250.000 orang", "1.250.000", "1.250.000", 1250000, N, N, Q_NONE, NULL, false,
     "digits"},
    {"naik 0,5 poin", "0,5", "0,5", 0.5, N, N, Q_NONE, NULL, false, "digits"},
    {"nilai 12.300,01 itu", "12.300,01", "12.300,01", 12300.01, N, N, Q_NONE, NULL, false,
     "digits"},
    {"ada 1.000 orang", "1.000", "1.000", 1000, N, N, Q_NONE, NULL, false, "digits"},
    {"tercatat 1200000 kasus", "1200000", "1200000", 1200000, N, N, Q_NONE, NULL, false, "digits"},
    {"suhu -1.200.000 derajat", "-1.200.000", "-1.200.000", -1200000, N, N, Q_NONE, NULL, false,
     "digits"},
    {"saldo - 1.200.000", "- 1.200.000", "- 1.200.000", -1200000, N, N, Q_NONE, NULL, false,
     "digits"},
    {"minus 5 derajat", "minus 5", "minus 5", -5, N, N, Q_NONE, NULL, false, "words"},
    {"sebesar 1,524e+1 meter", "1,524e+1", "1,524e+1", 15.24, N, N, Q_NONE, NULL, false, "digits"},
    /* scales */
    {"2,5 juta warga", "2,5 juta", "2,5 juta", 2500000, N, N, Q_NONE, NULL, false, "digits"},
    {"15 ribu prajurit", "15 ribu", "15 ribu", 15000, N, N, Q_NONE, NULL, false, "digits"},
    {"15rb per porsi", "15rb", "15rb", 15000, N, N, Q_NONE, NULL, false, "digits"},
    {"pengikut 100K orang", "100K", "100K", 100000, N, N, Q_NONE, NULL, false, "digits"},
    {"2 setengah juta orang", "2 setengah juta", "2 setengah juta", 2500000, N, N, Q_NONE, NULL,
     false, "digits"},
    {"3 ribu lima ratus", "3 ribu lima ratus", "3 ribu lima ratus", 3500, N, N, Q_NONE, NULL, false,
     "digits"},
    {"dua kodi kain", "dua kodi", "dua kodi", 40, N, N, Q_NONE, NULL, false, "words"},
    /* number words */
    {"dua ribu di antaranya tewas", "dua ribu", "dua ribu", 2000, N, N, Q_NONE, NULL, false,
     "words"},
    {"Seribu orang hadir", "Seribu", "Seribu", 1000, N, N, Q_NONE, NULL, false, "words"},
    {"seratus dua puluh tiga ribu empat ratus lima puluh enam",
     "seratus dua puluh tiga ribu empat ratus lima puluh enam",
     "seratus dua puluh tiga ribu empat ratus lima puluh enam", 123456, N, N, Q_NONE, NULL, false,
     "words"},
    {"tujuh belas pulau", "tujuh belas", "tujuh belas", 17, N, N, Q_NONE, NULL, false, "words"},
    {"setengah juta warga", "setengah juta", "setengah juta", 500000, N, N, Q_NONE, NULL, false,
     "words"},
    {"satu setengah jam", "satu setengah", "satu setengah", 1.5, N, N, Q_NONE, NULL, false,
     "words"},
    {"tiga perempat wilayah", "tiga perempat", "tiga perempat", 0.75, N, N, Q_NONE, NULL, false,
     "words"},
    {"dua koma lima meter", "dua koma lima", "dua koma lima", 2.5, N, N, Q_NONE, NULL, false,
     "words"},
    {"sejuta umat", "sejuta", "sejuta", 1000000, N, N, Q_NONE, NULL, false, "words"},
    /* percent */
    {"naik 2,5% tahun ini", "2,5%", "2,5", 2.5, N, N, Q_NONE, NULL, true, "digits"},
    /* a sign that begins no form ("."), a word that begins and ends as
     * number words do ("sama": "satu", "lima") */
    {"naik 2,5%. Lalu", "2,5%", "2,5", 2.5, N, N, Q_NONE, NULL, true, "digits"},
    {"dibagi lima sama rata", "lima", "lima", 5, N, N, Q_NONE, NULL, false, "words"},
    {"dua puluh persen saham", "dua puluh persen", "dua puluh", 20, N, N, Q_NONE, NULL, true,
     "words"},
    /* money */
    {"senilai Rp 2,5 triliun", "Rp 2,5 triliun", "2,5 triliun", 2.5e12, N, N, Q_NONE, "IDR", false,
     "money-before"},
    {"harganya Rp2.500 saja", "Rp2.500", "2.500", 2500, N, N, Q_NONE, "IDR", false, "money-before"},
    {"anggaran Rp 3 M untuk", "Rp 3 M", "3 M", 3e9, N, N, Q_NONE, "IDR", false, "money-before"},
    {"gaji 2 juta rupiah", "2 juta rupiah", "2 juta", 2e6, N, N, Q_NONE, "IDR", false, "digits"},
    {"cuma 10 dolar AS", "10 dolar AS", "10", 10, N, N, Q_NONE, "USD", false, "digits"},
    {"sebesar 5 euro", "5 euro", "5", 5, N, N, Q_NONE, "EUR", false, "digits"},
    {"sebesar 10 poundsterling", "10 poundsterling", "10", 10, N, N, Q_NONE, "GBP", false,
     "digits"},
    {"sembilan pound", "sembilan pound", "sembilan", 9, N, N, Q_NONE, "GBP", false, "words"},
    {"seribu lima ratus dolar lima puluh sen", "seribu lima ratus dolar lima puluh sen",
     "seribu lima ratus", 1500.5, N, N, Q_NONE, "USD", false, "words"},
    /* qualifiers */
    {"hingga 15 ribu prajurit", "hingga 15 ribu", "15 ribu", 15000, N, 15000, Q_UPPER, NULL, false,
     "digits"},
    {"sekitar 1.000 insinyur", "sekitar 1.000", "1.000", 1000, N, N, Q_APPROX, NULL, false,
     "digits"},
    {"lebih dari 500 orang", "lebih dari 500", "500", 500, 500, N, Q_LOWER, NULL, false, "digits"},
    {"setidaknya tiga orang tewas", "setidaknya tiga", "tiga", 3, 3, N, Q_LOWER, NULL, false,
     "words"},
    {"kurang lebih 20 kapal", "kurang lebih 20", "20", 20, N, N, Q_APPROX, NULL, false, "digits"},
    /* a phrase is tested on its last letters as it folds: capitals, a run
     * of spaces, a letter that is no ASCII before them */
    {"LEBIH   DARI 500 orang", "LEBIH   DARI 500", "500", 500, 500, N, Q_LOWER, NULL, false,
     "digits"},
    {"caf\xC3\xA9 lebih dari 500 kursi", "lebih dari 500", "500", 500, 500, N, Q_LOWER, NULL, false,
     "digits"},
    {"tidak sampai Rp500 per biji", "tidak sampai Rp500", "500", 500, N, 500, Q_UPPER, "IDR", false,
     "money-before"},
    {"di atas USD1,42", "di atas USD1,42", "1,42", 1.42, 1.42, N, Q_LOWER, "USD", false,
     "money-before"},
    /* ranges */
    {"10-15 ribu orang", "10-15 ribu", "10-15 ribu", 15000, 10000, 15000, Q_RANGE, NULL, false,
     "digits"},
    {"10 hingga 15 ribu orang", "10 hingga 15 ribu", "10 hingga 15 ribu", 15000, 10000, 15000,
     Q_RANGE, NULL, false, "digits"},
    {"antara 10 dan 15 ribu orang", "antara 10 dan 15 ribu", "10 dan 15 ribu", 15000, 10000, 15000,
     Q_RANGE, NULL, false, "digits"},
    {"naik 10 s.d. 15 persen", "10 s.d. 15 persen", "10 s.d. 15", 15, 10, 15, Q_RANGE, NULL, true,
     "digits"},
    {"tiketnya US$ 10-20", "US$ 10-20", "10-20", 20, 10, 20, Q_RANGE, "USD", false, "money-before"},
    {"harga $10-$20", "$10-$20", "10-$20", 20, 10, 20, Q_RANGE, "USD", false, "money-before"},
    {"dari Rp1.000 sampai Rp10.000", "dari Rp1.000 sampai Rp10.000", "1.000 sampai Rp10.000", 10000,
     1000, 10000, Q_RANGE, "IDR", false, "money-before"},
    {"sekitar 10 sampai 20 dolar", "sekitar 10 sampai 20 dolar", "10 sampai 20", 20, 10, 20,
     Q_RANGE, "USD", false, "digits"},
};

static bool S_same(double a, double b)
{
	return (isnan(a) && isnan(b)) || fabs(a - b) <= 1e-9 * fmax(1, fabs(b));
}

static void test_quantities(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof S_cases / sizeof *S_cases; i++) {
		const qcase *c = &S_cases[i];
		warta_doc *doc = tu_extract(tu_rs, c->text, NULL);
		if (doc->numbers.n != 1) {
			fprintf(stderr, "'%s': %zu numbers\n", c->text, doc->numbers.n);
			fail();
		}
		const number *nb = &doc->numbers.v[0];
		char span[4096], num[4096];
		snprintf(span, sizeof span, "%s", tu_span(doc, nb->start, nb->end));
		snprintf(num, sizeof num, "%s", tu_span(doc, nb->vstart, nb->vend));
		bool ok =
		    strcmp(span, c->span) == 0 && strcmp(num, c->num) == 0 &&
		    S_same(nb->value, c->value) && S_same(nb->low, c->low) &&
		    S_same(nb->high, c->high) && nb->qual == c->qual &&
		    nb->approx == (strstr(c->span, "sekitar") || strstr(c->span, "kurang lebih")) &&
		    (c->currency ? nb->currency && strcmp(nb->currency, c->currency) == 0
		                 : nb->currency == NULL) &&
		    nb->percent == c->percent && nb->rule && strcmp(nb->rule->id, c->rule) == 0 &&
		    nb->zone == Z_BODY;
		if (!ok) {
			fprintf(stderr,
			        "'%s': got span '%s' numeral '%s' value %g low %g high %g qual %d "
			        "approx %d currency %s percent %d rule %s\n",
			        c->text, span, num, nb->value, nb->low, nb->high, nb->qual,
			        nb->approx, nb->currency ? nb->currency : "-", nb->percent,
			        nb->rule ? nb->rule->id : "-");
			fail();
		}
		warta_doc_free(doc);
	}
}

/* Phrases whose numbers are labels, dates, times, codes or ordinals. */
static const char *const S_none[] = {
    "pada 2024 lalu",
    "tahun 2025",
    "sepanjang 2017 ini",
    "Jumat (9/1/2026) pagi",
    "pukul 10.00 WIB",
    "sekitar 10:30 WIB",
    "UU No 7 Tahun 2017",
    "Pasal 5 ayat (2)",
    "Nomor 3",
    "HUT ke-80",
    "pesawat QZ8501",
    "hilangnya MH370",
    "KTT G20",
    "Airbus A320",
    "pandemi COVID-19",
    "pada 12 Januari",
    "salah satu pejabat",
    "jaringan 5G",
    "satu-satunya jalan",
    "kedua belah pihak",
    "menang 3-1 atas",
    "hubungi 0812-3456-7890",
    "sekitar 18.30 waktu setempat",
    "buka 08.00-16.00 setiap hari",
    "hasil 21-17, 19-21, 21-15 semalam",
    "Pegasus 4S dirilis",
    "1. Siti Aisyah",
    /* the skip rules hold for every spelling of their signs (the windows
     * they run in are tested for the bytes they need first) */
    "buka 08.00–16.00 setiap hari",
    "Daftar tamu:\n2) Siti Aisyah",
    "hubungi +62 812 3456 7890",
    "telepon (021) 555 1234",
    "menang 3–1 atas",
    "Unggul 2:0 atas",
    "jaringan 4G dan 5G",
    "HUT KE-80",
    "periode 2019–2024",
};

static void test_not_quantities(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof S_none / sizeof *S_none; i++) {
		warta_doc *doc = tu_extract(tu_rs, S_none[i], NULL);
		if (doc->numbers.n) {
			const number *nb = &doc->numbers.v[0];
			fprintf(stderr, "'%s': found '%s' = %g\n", S_none[i],
			        tu_span(doc, nb->start, nb->end), nb->value);
			fail();
		}
		warta_doc_free(doc);
	}
}

/* Several quantities in one text, in order, none overlapping. */
static void test_sentence(void **state)
{
	(void)state;
	const char *text = "Korut mengirim hingga 15 ribu prajurit, dua ribu di antaranya tewas, "
	                   "dan sekitar 1.000 insinyur pada 2024.";
	warta_doc *doc = tu_extract(tu_rs, text, NULL);
	assert_int_equal(doc->numbers.n, 3);
	assert_string_equal(tu_span(doc, doc->numbers.v[0].start, doc->numbers.v[0].end),
	                    "hingga 15 ribu");
	assert_string_equal(tu_span(doc, doc->numbers.v[1].start, doc->numbers.v[1].end),
	                    "dua ribu");
	assert_string_equal(tu_span(doc, doc->numbers.v[2].start, doc->numbers.v[2].end),
	                    "sekitar 1.000");
	assert_true(doc->numbers.v[2].approx);
	assert_int_equal(doc->numbers.v[0].start, 15);
	warta_doc_free(doc);
}

/* A rule runs on in a window after a match only where another match may
 * begin: the starts after a letter, a digit or a dot are passed over, the
 * others are not. */
static void test_window_matches(void **state)
{
	(void)state;
	warta_doc *doc = tu_extract(tu_rs, "mobil 2, rumah 3.5, kapal ,5", NULL);
	assert_int_equal(doc->numbers.n, 3);
	assert_string_equal(tu_span(doc, doc->numbers.v[1].start, doc->numbers.v[1].end), "3.5");
	assert_true(doc->numbers.v[2].value == 0.5);
	warta_doc_free(doc);
	/* three skip matches of one rule in one window: none is a quantity */
	static const char *const skips[] = {"pada 2019, 2020 dan 2021 lalu",
	                                    "pukul 10:30, 11:45 dan 13:15 WIB",
	                                    "Jumat (9/1/2026) dan Sabtu (10/1/2026) pagi"};
	for (size_t i = 0; i < sizeof skips / sizeof *skips; i++) {
		doc = tu_extract(tu_rs, skips[i], NULL);
		assert_int_equal(doc->numbers.n, 0);
		warta_doc_free(doc);
	}
}

/* A dash apart from plain digits is no sign; apart from an amount it is. */
static void test_dashes(void **state)
{
	(void)state;
	warta_doc *doc =
	    tu_extract(tu_rs, "Nets 101 - 100 Detroit\n- 1 unit\nsaldo - 1.500,25", NULL);
	assert_int_equal(doc->numbers.n, 4);
	assert_string_equal(tu_span(doc, doc->numbers.v[1].start, doc->numbers.v[1].end), "100");
	assert_true(doc->numbers.v[1].value == 100);
	assert_string_equal(tu_span(doc, doc->numbers.v[2].start, doc->numbers.v[2].end), "1");
	assert_true(doc->numbers.v[2].value == 1);
	assert_string_equal(tu_span(doc, doc->numbers.v[3].start, doc->numbers.v[3].end),
	                    "- 1.500,25");
	assert_true(doc->numbers.v[3].value == -1500.25);
	warta_doc_free(doc);
}

typedef struct pcase {
	const char *s;
	double value;
} pcase;

static void test_parse(void **state)
{
	(void)state;
	static const pcase ok[] = {
	    {"dua ratus ribu", 200000},
	    {"1.200.000", 1200000},
	    {" 123 ", 123},
	    {"0033", 33},
	    {",0012G", 1200000},
	    {"-1200K", -1200000},
	    {"2ribu seratus", 2100},
	    {"9 ratus 90 ribu 2", 990002},
	    {"sembilan koma nol tujuh enam", 9.076},
	    {"lima koma empat kali sepuluh pangkat negatif enam", 5.4e-6},
	    {"negatif dua juta empat ribu lima", -2004005},
	    {"tiga milyar seratus dua puluh tiga juta", 3123000000},
	    {"seribu tujuh puluh lima", 1075},
	    {"sebelas", 11},
	    {"nol", 0},
	    {"1,234567 juta", 1234567},
	};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		double v = -1;
		if (!numbers_parse(tu_rs, ok[i].s, strlen(ok[i].s), &v) ||
		    !S_same(v, ok[i].value)) {
			fprintf(stderr, "'%s': got %g, want %g\n", ok[i].s, v, ok[i].value);
			fail();
		}
	}
	static const char *const bad[] = {
	    "dua tiga", "1.2.3", "satu-satunya", "ribu", "", "   ", "sepuluh dua", "9/1/2026",
	    "dua orang", "koma lima", "M",
	    /* 0 * 10^-inf: infinite or NaN values are no numbers (a fuzz find) */
	    "0 kali 0 pangkat min 1"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		double v;
		if (numbers_parse(tu_rs, bad[i], strlen(bad[i]), &v)) {
			fprintf(stderr, "'%s' parsed as %g\n", bad[i], v);
			fail();
		}
	}
}

/* The bytes reqbytes.c reads off a pattern never reject a text the pattern
 * matches: every EXAMPLE of every rule file that its rule matches passes the
 * test, and the rules whose patterns it reads are most of those that have
 * anything to require. */
static void test_required_bytes(void **state)
{
	(void)state;
	pcre2_match_data *md = pcre2_match_data_create(64, NULL);
	assert_non_null(md);
	size_t tested = 0, read = 0;
	for (size_t f = 0; f < tu_rs->nfiles; f++) {
		const rulefile *rf = &tu_rs->files[f];
		for (size_t i = 0; i < rf->n; i++) {
			const rule *r = &rf->rules[i];
			reqbytes x;
			reqbytes_read(r, &x);
			read += x.nalt > 0;
			for (size_t k = 0; r->code && k < r->nex; k++) {
				const char *t = r->ex[k].text;
				size_t n = strlen(t);
				if (pcre2_match(r->code, (PCRE2_SPTR)t, n, 0, 0, md, NULL) < 0)
					continue;
				uint8_t has[32] = {0};
				for (size_t p = 0; p < n; p++)
					has[(unsigned char)t[p] / 8] |=
					    (uint8_t)(1u << ((unsigned char)t[p] % 8));
				if (!reqbytes_may(&x, has, true) || !reqbytes_may_scan(&x, t, n))
					fail_msg("%s %s rejects its example '%s'", rf->path, r->id,
					         t);
				tested++;
			}
		}
	}
	pcre2_match_data_free(md);
	assert_true(tested > 100);
	assert_true(read > 50);
}

/* Negated classes and \x escapes are read exactly enough to reject, and
 * never reject what they match; the same for the line shapes zone.c uses. */
static void test_required_bytes_classes(void **state)
{
	(void)state;
	static const struct {
		const char *pat, *yes, *no;
	} cases[] = {
	    {"[^\\W]=", "k=", NULL},   /* \W is read roughly: no test from it */
	    {"[^ .a-z]x", "Qx", "qx"}, /* exact: no byte of "qx" is outside the class */
	    {"\\x{201D}!", "\xE2\x80\x9D!", "\"!"},
	    {"\\x3d\\x3d", "==", "--"},
	    {"[^\\x{41}]#", "B#", NULL},
	};
	pcre2_match_data *md = pcre2_match_data_create(4, NULL);
	assert_non_null(md);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int err;
		PCRE2_SIZE off;
		rule r = {0};
		r.pattern = (char *)cases[i].pat;
		r.code = pcre2_compile((PCRE2_SPTR)r.pattern, PCRE2_ZERO_TERMINATED,
		                       PCRE2_UTF | PCRE2_UCP, &err, &off, NULL);
		assert_non_null(r.code);
		reqbytes x;
		reqbytes_read(&r, &x);
		const char *y = cases[i].yes, *no = cases[i].no;
		assert_true(pcre2_match(r.code, (PCRE2_SPTR)y, strlen(y), 0, 0, md, NULL) >= 0);
		uint8_t has[32] = {0};
		for (const char *c = y; *c; c++)
			has[(unsigned char)*c / 8] |= (uint8_t)(1u << ((unsigned char)*c % 8));
		assert_true(reqbytes_may(&x, has, true));
		assert_true(reqbytes_may_scan(&x, y, strlen(y)));
		if (no) { /* a subject without the bytes is refused, and PCRE2 agrees */
			assert_true(
			    pcre2_match(r.code, (PCRE2_SPTR)no, strlen(no), 0, 0, md, NULL) < 0);
			memset(has, 0, sizeof has);
			for (const char *c = no; *c; c++)
				has[(unsigned char)*c / 8] |=
				    (uint8_t)(1u << ((unsigned char)*c % 8));
			assert_false(reqbytes_may(&x, has, true));
		}
		pcre2_code_free(r.code);
	}
	pcre2_match_data_free(md);
	/* a line shape: ends with anything but a full stop */
	rb_shape sh;
	reqbytes_shape_read("^.*(?<=[^.])$", &sh);
	assert_true(sh.has_last);
	assert_true(reqbytes_shape_may(&sh, "Harga naik", 10));
	assert_true(reqbytes_shape_may(&sh, "Harga naik \xC3\xA9", 13));
	assert_false(reqbytes_shape_may(&sh, "Harga naik.", 11));
	reqbytes_shape_read("^(?=[^ .]*\\.)\\S+$", &sh);
	assert_true(sh.has_run);
	assert_true(reqbytes_shape_may(&sh, "contoh.id", 9));
	assert_false(reqbytes_shape_may(&sh, "contoh id.", 10));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_quantities),     cmocka_unit_test(test_not_quantities),
	    cmocka_unit_test(test_required_bytes), cmocka_unit_test(test_sentence),
	    cmocka_unit_test(test_dashes),         cmocka_unit_test(test_window_matches),
	    cmocka_unit_test(test_parse),          cmocka_unit_test(test_required_bytes_classes),
	};
	return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}
