/* SPDX-License-Identifier: MIT */
/* Stage 8 (dates): phrases with a publication date give exact spans and ISO
 * values; phrases that are not dates give nothing; the calendar arithmetic
 * holds at leap years, year ends and ISO week boundaries. */
#include "testutil.h"

long dates_days(int y, int m, int d);
void dates_isoweek(int y, int m, int d, int *wy, int *ww);

typedef struct dcase {
	const char *text;
	const char *pub;   /* NULL: unknown */
	const char *span;  /* the date record's text */
	const char *value; /* "" when unknown */
	const char *type;
	bool relative;
	size_t ndates; /* dates in the text; 0 stands for 1 */
} dcase;

static const dcase S_cases[] = {
    /* absolute dates, day-month-year order */
    {"Kantor berita itu melaporkan, Jumat (9/1/2026).", "2026-01-10", "Jumat (9/1/2026)",
     "2026-01-09", "DATE", false, 0},
    {"Surat itu tiba 9/1/2026 di Moskow.", "2026-01-10", "9/1/2026", "2026-01-09", "DATE", false,
     0},
    {"Perjanjian diteken 9 Januari 2026 di Pyongyang.", "2026-01-10", "9 Januari 2026",
     "2026-01-09", "DATE", false, 0},
    {"Perjanjian diteken 9 Jan 2026 di Pyongyang.", "2026-01-10", "9 Jan 2026", "2026-01-09",
     "DATE", false, 0},
    {"Pasukan dikirim sejak Agustus 2025 ke sana.", "2026-01-10", "Agustus 2025", "2025-08", "DATE",
     false, 0},
    {"Mereka tiba pada 2024 dan menetap.", "2026-01-10", "2024", "2024", "DATE", false, 0},
    {"Pesawat itu jatuh tahun 2007 di Sulawesi.", "2026-01-10", "tahun 2007", "2007", "DATE", false,
     0},
    {"Jembatan itu dibuka 29 Pebruari 2024 oleh bupati.", NULL, "29 Pebruari 2024", "2024-02-29",
     "DATE", false, 0},
    {"Proyek itu dimulai sejak awal 2025 lalu.", "2026-01-10", "awal 2025 lalu", "2025", "DATE",
     false, 0},
    /* a year from the publication date: the nearest one */
    {"Rapat digelar Senin (12/1) di Jakarta.", "2026-01-10", "Senin (12/1)", "2026-01-12", "DATE",
     true, 0},
    {"Rapat digelar 12 Januari di Jakarta.", "2026-01-10", "12 Januari", "2026-01-12", "DATE", true,
     0},
    {"Rapat digelar 28 Desember di Jakarta.", "2026-01-03", "28 Desember", "2025-12-28", "DATE",
     true, 0},
    {"Harga naik hingga akhir Agustus kemarin.", "2026-01-10", "akhir Agustus kemarin", "2025-08",
     "DATE", true, 0},
    {"Banjir melanda sejak bulan Maret lalu di kota itu.", "2026-01-10", "bulan Maret lalu",
     "2025-03", "DATE", true, 0},
    /* clock times and parts of day */
    {"Ledakan terjadi Jumat (9/1/2026) pukul 10.00 WIB di pelabuhan.", "2026-01-10",
     "Jumat (9/1/2026) pukul 10.00 WIB", "2026-01-09T10:00", "TIME", false, 0},
    {"Ledakan terjadi pukul 10.00 WIB, Jumat (9/1/2026), di pelabuhan.", "2026-01-10",
     "pukul 10.00 WIB, Jumat (9/1/2026)", "2026-01-09T10:00", "TIME", false, 0},
    {"Pada 9 Januari 2026 kapal itu berlabuh pukul 06.18 di Busan.", "2026-01-12", "pukul 06.18",
     "2026-01-09T06:18", "TIME", false, 2},
    {"Kapal itu berlabuh pukul 06.18 di Busan.", "2026-01-12", "pukul 06.18", "2026-01-12T06:18",
     "TIME", true, 0},
    /* a rule's "name" group makes the span: the bracket stays out */
    {"Jadwal terbit (9/1/2026 pukul 10.00 WIB) di laman itu.", "2026-01-12",
     "9/1/2026 pukul 10.00 WIB", "2026-01-09T10:00", "TIME", false, 0},
    {"Kapal itu berangkat pukul 8 malam waktu setempat.", "2026-01-12", "pukul 8 malam",
     "2026-01-12T20:00", "TIME", true, 0},
    {"Kapal feri itu berangkat pada Minggu (28/12/2014) pagi.", "2014-12-29",
     "Minggu (28/12/2014) pagi", "2014-12-28TMO", "TIME", false, 0},
    {"Demonstran berkumpul kemarin malam di alun-alun.", "2026-01-10", "kemarin malam",
     "2026-01-09TNI", "TIME", true, 0},
    {"Hujan deras turun hari ini sejak pagi.", "2026-01-10", "hari ini", "2026-01-10", "DATE", true,
     0},
    /* relative to the publication date */
    {"Berita itu diunggah 22 jam lalu oleh redaksi.", "2026-01-10", "22 jam lalu", "2026-01-10",
     "DATE", true, 0},
    {"Gempa terjadi 3 hari lalu di Cianjur.", "2026-01-02", "3 hari lalu", "2025-12-30", "DATE",
     true, 0},
    {"Ia tiba kemarin di Jakarta.", "2026-01-01", "kemarin", "2025-12-31", "DATE", true, 0},
    {"Ia tiba besok di Jakarta.", "2024-02-28", "besok", "2024-02-29", "DATE", true, 0},
    {"Ia tiba besok di Jakarta.", "2025-02-28", "besok", "2025-03-01", "DATE", true, 0},
    {"Mereka pulang lusa ke Medan.", "2025-12-31", "lusa", "2026-01-02", "DATE", true, 0},
    {"Rapat itu digelar pekan lalu di Bogor.", "2026-01-10", "pekan lalu", "2026-W01", "DATE", true,
     0},
    {"Rapat itu digelar minggu lalu di Bogor.", "2026-01-01", "minggu lalu", "2025-W52", "DATE",
     true, 0},
    {"Harga beras naik bulan lalu di pasar.", "2026-01-10", "bulan lalu", "2025-12", "DATE", true,
     0},
    {"Pabrik dibuka bulan depan di Batam.", "2025-12-15", "bulan depan", "2026-01", "DATE", true,
     0},
    {"Angka itu turun tahun lalu menurut BPS.", "2026-01-10", "tahun lalu", "2025", "DATE", true,
     0},
    {"Pemilu digelar tahun depan di seluruh negeri.", "2026-01-10", "tahun depan", "2027", "DATE",
     true, 0},
    {"Rapat itu digelar Senin di Bogor.", "2026-01-12", "Senin", "2026-01-12", "DATE", true, 0},
    {"Rapat itu digelar Senin lalu di Bogor.", "2026-01-12", "Senin lalu", "2026-01-05", "DATE",
     true, 0},
    {"Rapat itu digelar Jumat di Bogor.", "2026-01-10", "Jumat", "2026-01-09", "DATE", true, 0},
    {"Minggu lalu, rapat itu digelar di Bogor.", "2026-01-10", "Minggu lalu", "2026-W01", "DATE",
     true, 0},
    {"Rapat itu digelar Minggu lalu di Bogor.", "2026-01-10", "Minggu lalu", "2026-01-04", "DATE",
     true, 0},
    {"Rapat digelar Sabtu (11/4) di Bogor.", "2017-11-05", "Sabtu (11/4)", "2018-04-11", "DATE",
     true, 0},
    /* words before a date: two of them, and one with a dot */
    {"Gempa terjadi kurang lebih pukul 06.14 WIB di Palu.", "2026-01-10",
     "kurang lebih pukul 06.14 WIB", "2026-01-10T06:14", "TIME", true, 0},
    {"Sidang digelar tgl. 5 Maret 2025 di Bandung.", "2026-01-10", "tgl. 5 Maret 2025",
     "2025-03-05", "DATE", false, 0},
    {"Panen raya jatuh pada akhir bulan Maret 2025.", "2026-01-10", "akhir bulan Maret 2025",
     "2025-03", "DATE", false, 0},
    {"Rapat digelar Selasa (9/8) di Bogor.", "2017-08-10", "Selasa (9/8)", "2017-08-09", "DATE",
     true, 0},
    {"Rapat digelar Selasa (11/4) di Bogor.", "2017-11-05", "Selasa (11/4)", "2017-04-11", "DATE",
     true, 0},
    {"Ia meninggal pukul 13.03 Wita di rumah sakit.", "2026-01-10", "pukul 13.03 Wita",
     "2026-01-10T13:03", "TIME", true, 0},
    {"Liga itu bergulir pada 2010-2011 di Eropa.", "2026-01-10", "2011", "2011", "DATE", false, 2},
    {"Mereka mudik saat Natal ke Medan.", "2026-01-10", "Natal", "2025-12-25", "DATE", true, 0},
    {"Pesta digelar pada malam Tahun Baru di Ancol.", "2026-12-20", "malam Tahun Baru",
     "2026-12-31TNI", "TIME", true, 0},
    {"Pesta digelar pada malam Tahun Baru 2015 di Ancol.", "2026-12-20", "malam Tahun Baru 2015",
     "2015-12-31TNI", "TIME", false, 0},
    {"Toko tutup saat Tahun Baru Imlek di Glodok.", "2026-01-10", "Tahun Baru Imlek", "", "DATE",
     true, 0},
    {"Kapal tiba 9 Januari 2026. Keesokan harinya kapal berlayar.", "2026-01-20",
     "Keesokan harinya", "2026-01-10", "DATE", true, 2},
    {"Restoran itu berdiri kurang lebih 20 tahun lalu di sana.", "2026-01-10",
     "kurang lebih 20 tahun lalu", "2006", "DATE", true, 0},
    {"Gedung itu selesai pertengahan bulan Juni di kota itu.", "2026-01-10",
     "pertengahan bulan Juni", "2026-06", "DATE", true, 0},
    {"Rapat itu digelar Kamis depan di Bogor.", "2026-01-10", "Kamis depan", "2026-01-15", "DATE",
     true, 0},
    {"Kota itu diguyur musim hujan terpanjang.", "2026-01-10", "musim hujan", "2026-WI", "DATE",
     true, 0},
    {"Pasukan itu sekarang berjaga di perbatasan.", "2026-01-10", "sekarang", "PRESENT_REF", "DATE",
     false, 0},
    {"Pasukan itu saat ini berjaga di perbatasan.", "2026-01-10", "saat ini", "PRESENT_REF", "DATE",
     false, 0},
    /* relative to the date named before */
    {"Pesawat jatuh 14 Juni 2014. Sebulan kemudian kapal tenggelam.", "2014-12-29",
     "Sebulan kemudian", "2014-07-14", "DATE", true, 2},
    {"Sejak tahun 2005, di tahun tersebut banyak kecelakaan.", "2014-12-29", "tahun tersebut",
     "2005", "DATE", true, 2},
    /* with no count, the unit before or after it, not a day */
    {"Pesawat jatuh 14 Juni 2014, lebih banyak dari tahun sebelumnya.", "2014-12-29",
     "tahun sebelumnya", "2013", "DATE", true, 2},
    {"Pesawat jatuh 14 Juni 2014. Bulan berikutnya kapal tenggelam.", "2014-12-29",
     "Bulan berikutnya", "2014-07", "DATE", true, 2},
    /* unknown publication date */
    {"Ia tiba kemarin di Jakarta.", NULL, "kemarin", "", "DATE", true, 0},
    {"Rapat digelar Senin (12/1) di Jakarta.", NULL, "Senin (12/1)", "", "DATE", true, 0},
    {"Surat itu tiba 9/1/2026 di Moskow.", NULL, "9/1/2026", "2026-01-09", "DATE", false, 0},
};

static const date *S_find(const warta_doc *doc, const char *span)
{
	for (size_t i = 0; i < doc->dates.n; i++)
		if (strcmp(tu_span(doc, doc->dates.v[i].start, doc->dates.v[i].end), span) == 0)
			return &doc->dates.v[i];
	return NULL;
}

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof S_cases / sizeof *S_cases; i++) {
		const dcase *c = &S_cases[i];
		warta_doc *doc = tu_extract(tu_rs, c->text, c->pub);
		const date *d = S_find(doc, c->span);
		if (!d) {
			fprintf(stderr, "case %zu: no date \"%s\" in \"%s\"; found:\n", i, c->span,
			        c->text);
			for (size_t k = 0; k < doc->dates.n; k++)
				fprintf(stderr, "  [%s] %s\n",
				        tu_span(doc, doc->dates.v[k].start, doc->dates.v[k].end),
				        doc->dates.v[k].value);
		}
		assert_non_null(d);
		if (strcmp(d->value, c->value) != 0)
			fprintf(stderr, "case %zu: \"%s\"\n", i, c->text);
		assert_string_equal(d->value, c->value);
		assert_string_equal(d->type, c->type);
		assert_int_equal(d->relative, c->relative);
		assert_int_equal(doc->dates.n, c->ndates ? c->ndates : 1);
		warta_doc_free(doc);
	}
}

/* Phrases that hold no date: durations, amounts, counts, fractions. */
static const char *const S_none[] = {
    "Operasi itu berlangsung selama 3 hari di laut.",
    "Latihan itu berlangsung dua pekan penuh.",
    "Ia bertugas 5 tahun di Papua.",
    "Sebanyak 2.014 orang mengungsi.",
    "Sebanyak 2000 orang mengungsi.",
    "Ia mengonsumsi lebih dari 2000 mg garam.",
    "Rasio 3/4 dari jumlah itu sudah cair.",
    "Ia terlebih dulu mengirim surat.",
    "Ia datang lebih dulu ke lokasi.",
    "Perjalanan memakan waktu 2 jam 15 menit.",
    "Tanggal 31/2/2026 tidak ada di kalender.",
    "Setahun penuh ia menunggu.",
    "Harga naik dalam dua hari ini saja.",
    "Harga naik dalam 3 hari ini saja.",
    "dua minggu penuh mereka bekerja.",
    "Skor akhir 3-1 untuk tuan rumah.",
};

static void test_none(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof S_none / sizeof *S_none; i++) {
		warta_doc *doc = tu_extract(tu_rs, S_none[i], "2026-01-10");
		if (doc->dates.n)
			fprintf(stderr, "\"%s\": unexpected date [%s]\n", S_none[i],
			        tu_span(doc, doc->dates.v[0].start, doc->dates.v[0].end));
		assert_int_equal(doc->dates.n, 0);
		warta_doc_free(doc);
	}
}

/* Without a publication date, a byline date near the top of the text sets it. */
static void test_published_from_text(void **state)
{
	(void)state;
	const char *text = "Korut Kirim Surat ke Rusia\n"
	                   "Senin, 12 Januari 2026 10:15 WIB\n\n"
	                   "Surat itu dikirim kemarin oleh pemimpin Korut.";
	warta_doc *doc = tu_extract(tu_rs, text, NULL);
	assert_non_null(doc->published);
	assert_string_equal(doc->published, "2026-01-12");
	assert_string_equal(doc->published_from, "text");
	const date *d = S_find(doc, "Senin, 12 Januari 2026 10:15 WIB");
	assert_non_null(d);
	assert_string_equal(d->value, "2026-01-12T10:15");
	d = S_find(doc, "kemarin");
	assert_non_null(d);
	assert_string_equal(d->value, "2026-01-11");
	assert_true(d->relative);
	warta_doc_free(doc);

	/* A given date is kept, and a date in the body does not replace it. */
	doc = tu_extract(tu_rs, text, "2026-01-13");
	assert_string_equal(doc->published, "2026-01-13");
	assert_string_equal(doc->published_from, "input");
	d = S_find(doc, "kemarin");
	assert_non_null(d);
	assert_string_equal(d->value, "2026-01-12");
	warta_doc_free(doc);

	/* A date inside a body sentence is not a byline. */
	doc = tu_extract(tu_rs,
	                 "Pemimpin itu mengatakan bahwa surat tersebut dikirim pada 9 Januari "
	                 "2026 kepada Presiden. Ia tiba kemarin.",
	                 NULL);
	assert_null(doc->published);
	d = S_find(doc, "kemarin");
	assert_non_null(d);
	assert_string_equal(d->value, "");
	warta_doc_free(doc);
}

/* Many dates in one text, several rules matching each: every one is kept, in
 * text order, once (the candidates are sorted and settled by keys). */
static void test_many(void **state)
{
	(void)state;
	static const char *const want[][2] = {
	    {"3 Maret 2025", "2025-03-03"},
	    {"10 Maret 2025", "2025-03-10"},
	    {"17 Maret 2025", "2025-03-17"},
	    {"24 Maret 2025", "2025-03-24"},
	    {"31 Maret 2025", "2025-03-31"},
	    {"7 April 2025", "2025-04-07"},
	    {"14 April 2025", "2025-04-14"},
	    {"21 April 2025", "2025-04-21"},
	    {"Senin (5/5/2025) pukul 09.00 WIB", "2025-05-05T09:00"},
	};
	warta_doc *doc =
	    tu_extract(tu_rs,
	               "Tim itu bertanding 3 Maret 2025, 10 Maret 2025, 17 Maret 2025, "
	               "24 Maret 2025, 31 Maret 2025, 7 April 2025, 14 April 2025 dan "
	               "21 April 2025, lalu libur sampai Senin (5/5/2025) pukul 09.00 WIB.",
	               "2026-01-10");
	size_t n = sizeof want / sizeof *want;
	assert_int_equal(doc->dates.n, n);
	for (size_t i = 0; i < n; i++) {
		const date *d = &doc->dates.v[i];
		assert_string_equal(tu_span(doc, d->start, d->end), want[i][0]);
		assert_string_equal(d->value, want[i][1]);
	}
	warta_doc_free(doc);
}

/* The stage reads its lists and rule groups from the ruleset's table, made
 * at load: without it, it finds nothing; made again, the same dates. */
static void test_table_life(void **state)
{
	(void)state;
	const char *text = "Perjanjian diteken tgl. 9 Januari 2026 di Pyongyang.";
	assert_non_null(tu_rs->datetab);
	dates_free(tu_rs);
	assert_null(tu_rs->datetab);
	warta_doc *doc = tu_extract(tu_rs, text, "2026-01-10");
	assert_int_equal(doc->dates.n, 0);
	warta_doc_free(doc);
	assert_int_equal(dates_prepare(tu_rs), WARTA_OK);
	doc = tu_extract(tu_rs, text, "2026-01-10");
	assert_int_equal(doc->dates.n, 1);
	assert_string_equal(tu_span(doc, doc->dates.v[0].start, doc->dates.v[0].end),
	                    "tgl. 9 Januari 2026");
	assert_string_equal(doc->dates.v[0].value, "2026-01-09");
	warta_doc_free(doc);
}

static void test_calendar(void **state)
{
	(void)state;
	assert_int_equal(dates_days(1970, 1, 1), 0);
	assert_int_equal(dates_days(2000, 3, 1) - dates_days(2000, 2, 28), 2); /* 2000 is leap */
	assert_int_equal(dates_days(1900, 3, 1) - dates_days(1900, 2, 28), 1); /* 1900 is not */
	assert_int_equal(dates_days(2024, 3, 1) - dates_days(2024, 2, 28), 2);
	assert_int_equal(dates_days(2026, 1, 1) - dates_days(2025, 1, 1), 365);
	int wy, ww;
	dates_isoweek(2026, 1, 10, &wy, &ww);
	assert_int_equal(wy, 2026);
	assert_int_equal(ww, 2);
	dates_isoweek(2024, 12, 30, &wy, &ww); /* Monday of week 1 of 2025 */
	assert_int_equal(wy, 2025);
	assert_int_equal(ww, 1);
	dates_isoweek(2021, 1, 3, &wy, &ww); /* Sunday of week 53 of 2020 */
	assert_int_equal(wy, 2020);
	assert_int_equal(ww, 53);
	dates_isoweek(2026, 12, 31, &wy, &ww);
	assert_int_equal(wy, 2026);
	assert_int_equal(ww, 53);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_none),
	    cmocka_unit_test(test_published_from_text),
	    cmocka_unit_test(test_many),
	    cmocka_unit_test(test_table_life),
	    cmocka_unit_test(test_calendar),
	};
	return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}
