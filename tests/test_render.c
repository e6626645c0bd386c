/* SPDX-License-Identifier: MIT */
/* The renderers (render.h) on hand-written warta/1 records: escaping for
 * HTML and N-Triples, code point to byte conversion with non-ASCII and
 * invalid text, nesting of overlapping highlights, error records, and each
 * format's output. The real consumers (rapper, rdflib, Chromium) run in
 * tests/render/. */
#include "testutil.h"

#include "render_int.h"

#include <sys/stat.h>
#include <unistd.h>

/* Runs one format over records (one per line in recs, texts[i] for record
 * i); returns the output, which the caller frees. */
static char *S_run(const char *format, const render_opts *o, const char *const *recs,
                   const char *const *texts, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	render *r = NULL;
	assert_int_equal(render_open(format, f, o, &r), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(render_record(r, recs[i], strlen(recs[i]), texts ? texts[i] : NULL,
		                               texts && texts[i] ? strlen(texts[i]) : 0),
		                 0);
	assert_int_equal(render_close(r), 0);
	fclose(f);
	return buf;
}

static int S_count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

#define assert_has(hay, needle)                                                                    \
	do {                                                                                       \
		if (!strstr((hay), (needle)))                                                      \
			fail_msg("missing: %s", (needle));                                         \
	} while (0)

/* ------------------------------------------------------------ escaping */

static void test_html_escape(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		size_t n;
		const char *out;
	} cases[] = {
	    {"<script>alert(1)</script>", 25, "&lt;script&gt;alert(1)&lt;/script&gt;"},
	    {"\"><img src=x onerror=alert(1)>", 30, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"},
	    {"</textarea>", 11, "&lt;/textarea&gt;"},
	    {"a & b's", 7, "a &amp; b&#39;s"},
	    {"Café «x»", 11, "Café «x»"},
	    {"a\xff"
	     "b",
	     3,
	     "a\xEF\xBF\xBD"
	     "b"},
	    {"a\0b", 3,
	     "a\xEF\xBF\xBD"
	     "b"},
	    {"t\tn\nr\r\x01", 7, "t\tn\nr\r\xEF\xBF\xBD"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rbuf b = {0};
		html_escape(&b, cases[i].in, cases[i].n);
		assert_string_equal(rbuf_str(&b), cases[i].out);
		rbuf_free(&b);
	}
}

static void test_nt_escape(void **state)
{
	(void)state;
	rbuf b = {0};
	const char lit[] = "say \"hi\"\\\n\r\t\x01\x7f é \xC3 x";
	nt_literal(&b, lit, sizeof lit - 1);
	assert_string_equal(rbuf_str(&b), "say \\\"hi\\\"\\\\\\n\\r\\t\\u0001\\u007F é \\uFFFD x");
	rbuf_free(&b);
	nt_iri_part(&b, "iso3166:KP", 10);
	assert_string_equal(rbuf_str(&b), "iso3166:KP");
	b.n = 0;
	const char key[] = "a b/c?d#e%<>\"{}|^`\\é";
	nt_iri_part(&b, key, sizeof key - 1);
	assert_string_equal(rbuf_str(&b), "a%20b%2Fc%3Fd%23e%25%3C%3E%22%7B%7D%7C%5E%60%5C%C3%A9");
	rbuf_free(&b);
}

/* ------------------------------------------------------------ text */

static void test_code_points(void **state)
{
	(void)state;
	rtext t;
	/* a é € 😀 b: 1, 2, 3, 4 and 1 bytes */
	const char s[] = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"
	                 "b";
	assert_int_equal(rtext_init(&t, s, sizeof s - 1), 0);
	assert_int_equal(t.ncp, 5);
	static const uint32_t off[] = {0, 1, 3, 6, 10, 11};
	for (size_t i = 0; i <= 5; i++)
		assert_int_equal(t.off[i], off[i]);
	assert_int_equal(rtext_byte(&t, 3), 6);
	assert_int_equal(rtext_byte(&t, 99), 11); /* clamped */
	assert_int_equal(rtext_byte(&t, -1), 0);
	assert_memory_equal(t.s, s, sizeof s);
	rtext_free(&t);

	/* Each invalid byte is one character (as normalize.c counts): a lone
	 * continuation, a truncated sequence, a surrogate, an overlong form. */
	const char bad[] = "a\x80"
	                   "b\xE2\x82"
	                   "c\xED\xA0\x80"
	                   "d\xC0\xAF"
	                   "e\0f";
	assert_int_equal(rtext_init(&t, bad, sizeof bad - 1), 0);
	assert_int_equal(t.ncp, 15);
	assert_string_equal(t.s, "a\xEF\xBF\xBD"
	                         "b\xEF\xBF\xBD\xEF\xBF\xBD"
	                         "c\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
	                         "d\xEF\xBF\xBD\xEF\xBF\xBD"
	                         "e\xEF\xBF\xBD"
	                         "f");
	assert_int_equal(t.off[2], 4); /* 'b' after one U+FFFD */
	rtext_free(&t);
}

static void test_numbers_and_hash(void **state)
{
	(void)state;
	char buf[64], h[45];
	assert_string_equal(r_numfmt(15000, buf, sizeof buf), "15000");
	assert_string_equal(r_numfmt(2.5, buf, sizeof buf), "2.5");
	assert_string_equal(r_numfmt(0.1, buf, sizeof buf), "0.1");
	assert_string_equal(r_numfmt(-1200000, buf, sizeof buf), "-1200000");
	assert_string_equal(r_numfmt(1234567.25, buf, sizeof buf), "1234567.25");
	assert_string_equal(r_numfmt(1e21, buf, sizeof buf), "1e+21");
	/* FIPS 180-2 test vectors, as used in CSP hashes. */
	r_sha256_b64("abc", 3, h);
	assert_string_equal(h, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
	r_sha256_b64("", 0, h);
	assert_string_equal(h, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
	const char *s56 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	r_sha256_b64(s56, strlen(s56), h);
	assert_string_equal(h, "JI1qYdIGOLjlwCaTDD5gOaM85Flk/yFn9uzt1BnbBsE=");
}

/* ------------------------------------------------------------ records */

/* «Café» Korut kirim 15 ribu prajurit pada Jumat (9/1/2026)\n<script>x</script>
 * code points: « 0, Café 1-5, Korut 7-12, claim "kirim ... Jumat" 13-46,
 * number "15 ribu" 19-26, date "Jumat (9/1/2026)" 41-57, noise 58-76. */
static const char S_text[] = "\xC2\xAB"
                             "Caf\xC3\xA9\xC2\xBB Korut kirim 15 ribu prajurit pada Jumat "
                             "(9/1/2026)\n<script>x</script>";

static const char S_rec[] =
    "{\"schema\":\"warta/1\",\"id\":\"t/1 \\\"x\\\"\",\"meta\":{\"title\":\"Judul "
    "<b>\",\"source\":\"warta.example\",\"url\":null,\"published\":\"2026-01-10\","
    "\"published_from\":\"cli\",\"dateline\":null},"
    "\"entities\":[{\"id\":\"e1\",\"type\":\"COUNTRY\",\"name\":\"Korea Utara\",\"kb\":"
    "\"iso3166:KP\",\"key\":\"iso3166:KP\",\"mentions\":[{\"start\":7,\"end\":12,\"text\":"
    "\"Korut\",\"zone\":\"body\",\"rule\":\"gazetteers/countries.tsv:9\"}]},"
    "{\"id\":\"e2\",\"type\":\"ORGANIZATION\",\"name\":\"Caf\\u00e9 \\\"A\\\"\\nB\",\"kb\":null,"
    "\"key\":\"organization:caf\\u00e9 a/b\",\"mentions\":[{\"start\":1,\"end\":5,\"text\":"
    "\"Caf\\u00e9\",\"zone\":\"body\",\"rule\":\"rules/org.rules:3\"}]}],"
    "\"dates\":[{\"id\":\"d1\",\"text\":\"Jumat (9/1/2026)\",\"value\":\"2026-01\",\"start\":41,"
    "\"end\":57,\"zone\":\"body\",\"rule\":\"rules/date.rules:40\"}],"
    "\"claims\":[{\"id\":\"c1\",\"text\":\"kirim 15 ribu prajurit pada Jumat\",\"value\":15000,"
    "\"low\":null,\"high\":15000,\"approx\":false,\"qualifier\":\"upper\",\"unit\":\"prajurit\","
    "\"currency\":null,\"category\":\"personnel\",\"subject\":\"e1\",\"predicate\":\"kirim\","
    "\"source\":null,\"hedge\":null,\"date\":\"d1\",\"place\":null,\"partitive_of\":null,"
    "\"sentence\":0,\"start\":13,\"end\":46,\"zone\":\"body\",\"rule\":\"rules/claim.rules:8\"}],"
    "\"numbers\":[{\"start\":19,\"end\":26,\"text\":\"15 ribu\",\"value\":15000,\"rule\":"
    "\"rules/number.rules:2\"}],"
    "\"zones\":[{\"type\":\"body\",\"start\":0,\"end\":58},{\"type\":\"noise\",\"start\":58,"
    "\"end\":76}],\"warnings\":[]}";

static const char S_err[] =
    "{\"schema\":\"warta/1\",\"id\":\"bad\",\"error\":{\"code\":\"invalid-json\","
    "\"message\":\"not JSON <img src=x onerror=alert(1)>\",\"line\":3}}";

static void test_html_page(void **state)
{
	(void)state;
	const char *recs[] = {S_rec, S_err};
	const char *texts[] = {S_text, NULL};
	char *out = S_run("html", NULL, recs, texts, 2);
	/* Code points to bytes: "Café" is 1-5 after a two-byte « */
	assert_has(out, "\xC2\xAB<mark class=\"hl t-ORGANIZATION\" id=\"a1-m2\" tabindex=\"0\" "
	                "data-e=\"a1-e2\" title=\"Café &quot;A&quot;\nB\nORGANIZATION · e2\n"
	                "rule: rules/org.rules:3\">Café</mark>\xC2\xBB ");
	assert_has(out,
	           "<mark class=\"hl t-COUNTRY\" id=\"a1-m1\" tabindex=\"0\" data-e=\"a1-e1\"");
	/* The number nests in the claim; the date crosses the claim's end, so it
	 * closes with it and goes on as a continuation without id or tab stop. */
	assert_has(
	    out, "\">kirim <mark class=\"hl t-NUMBER\" id=\"a1-n1\" tabindex=\"0\" title=\"number "
	         "15\xE2\x80\xAF"
	         "000 (in no claim)\nrule: rules/number.rules:2\">15 ribu</mark> "
	         "prajurit pada <mark class=\"hl t-DATE\" id=\"a1-d1\" tabindex=\"0\"");
	assert_has(out,
	           ">Jumat</mark></mark><mark class=\"hl t-DATE cont\" title=\"2026-01\nDATE · "
	           "d1\nrule: rules/date.rules:40\"> (9/1/2026)</mark>\n<span class=\"z z-noise\"");
	/* Text and record strings are escaped; the page has one script, ours. */
	assert_has(out, "&lt;script&gt;x&lt;/script&gt;</span>");
	assert_null(strstr(out, "<script>x"));
	assert_int_equal(S_count(out, "<script"), 1);
	assert_has(out, "<h2>Judul &lt;b&gt;</h2>");
	assert_has(out, "<dd>t/1 &quot;x&quot;</dd>");
	/* Tables: the claim row, the entity row with its mention count. */
	assert_has(out, "<td class=\"num\">\xE2\x89\xA4 15\xE2\x80\xAF"
	                "000</td><td>prajurit</td>"
	                "<td>personnel</td><td>kirim</td>");
	assert_has(out, "<td class=\"ctx\">\xC2\xAB"
	                "Café\xC2\xBB Korut <b>kirim 15 ribu prajurit "
	                "pada Jumat</b> (9/1/2026)</td>");
	assert_has(out, "<tr class=\"r-COUNTRY\" data-e=\"a1-e1\"><td><a href=\"#a1-m1\">Korea "
	                "Utara</a></td>");
	/* The error record is shown as such, escaped, and indexed. */
	assert_has(out, "<section class=\"card article error\" id=\"a2\"><h2>Error: bad</h2>");
	assert_has(out, "<p>not JSON &lt;img src=x onerror=alert(1)&gt;</p>");
	assert_has(out, "<h2>Articles (2)</h2>");
	assert_has(out, "<tr data-a=\"a2\" class=\"r-ERROR\">");
	assert_null(strstr(out, "<img"));
	/* Offline and locked down. */
	assert_has(out,
	           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ");
	assert_null(strstr(out, "http://"));
	free(out);

	/* One article: no index. */
	out = S_run("html", NULL, recs, texts, 1);
	assert_null(strstr(out, "id=\"index\""));
	assert_has(out, "<title>Judul &lt;b&gt; — warta review</title>");
	free(out);
}

static void test_ntriples(void **state)
{
	(void)state;
	const char *recs[] = {S_rec, S_err};
	char *out = S_run("ntriples", NULL, recs, NULL, 2);
	const char *A = "<https://warta.example/id/article/t%2F1%20%22x%22>";
	char line[512];
	snprintf(line, sizeof line,
	         "%s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
	         "<http://schema.org/NewsArticle> .\n",
	         A);
	assert_has(out, line);
	snprintf(line, sizeof line, "%s <http://schema.org/headline> \"Judul <b>\"@id .\n", A);
	assert_has(out, line);
	assert_has(
	    out,
	    "<https://warta.example/id/entity/iso3166:KP> "
	    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/Country> .\n");
	assert_has(out, "<https://warta.example/id/entity/iso3166:KP> <http://schema.org/name> "
	                "\"Korea Utara\"@id .\n");
	assert_has(out, "<https://warta.example/id/entity/iso3166:KP> "
	                "<https://warta.example/vocab#iso3166> \"KP\" .\n");
	/* A key with unsafe characters, a name with quotes and a line break. */
	assert_has(out, "<https://warta.example/id/entity/organization:caf%C3%A9%20a%2Fb> "
	                "<http://schema.org/name> \"Café \\\"A\\\"\\nB\"@id .\n");
	const char *C = "<https://warta.example/id/article/t%2F1%20%22x%22/claim/c1>";
	snprintf(line, sizeof line,
	         "%s <https://warta.example/vocab#value> "
	         "\"15000\"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n",
	         C);
	assert_has(out, line);
	snprintf(line, sizeof line,
	         "%s <https://warta.example/vocab#date> "
	         "\"2026-01\"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> .\n",
	         C);
	assert_has(out, line);
	snprintf(line, sizeof line,
	         "%s <https://warta.example/vocab#subject> "
	         "<https://warta.example/id/entity/iso3166:KP> .\n",
	         C);
	assert_has(out, line);
	snprintf(line, sizeof line,
	         "%s <https://warta.example/vocab#start> "
	         "\"13\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n",
	         C);
	assert_has(out, line);
	assert_has(out, "<https://warta.example/id/article/bad> "
	                "<https://warta.example/vocab#errorCode> \"invalid-json\" .\n");
	/* Every line is one triple. */
	for (const char *p = out; *p;) {
		const char *nl = strchr(p, '\n');
		assert_non_null(nl);
		assert_true(nl - p > 4 && p[0] == '<' && strncmp(nl - 2, " .", 2) == 0);
		p = nl + 1;
	}
	free(out);

	render_opts o = {"http://kg.example/data", NULL};
	out = S_run("ntriples", &o, recs, NULL, 1);
	assert_has(out, "<http://kg.example/data/entity/iso3166:KP> ");
	free(out);
	render *r = NULL;
	render_opts bad = {"not an iri", NULL};
	assert_int_equal(render_open("ntriples", stdout, &bad, &r), WARTA_EINVAL);
	bad.base_iri = "http://x/<y>/";
	assert_int_equal(render_open("ntriples", stdout, &bad, &r), WARTA_EINVAL);
	assert_null(r);
}

static void test_labelstudio(void **state)
{
	(void)state;
	const char *recs[] = {S_rec, S_err};
	const char *texts[] = {S_text, NULL};
	char *out = S_run("labelstudio", NULL, recs, texts, 2);
	cJSON *arr = cJSON_Parse(out);
	assert_true(cJSON_IsArray(arr));
	assert_int_equal(cJSON_GetArraySize(arr), 2);
	cJSON *task = cJSON_GetArrayItem(arr, 0);
	cJSON *data = cJSON_GetObjectItem(task, "data");
	assert_string_equal(rj_str(data, "text"), S_text);
	assert_string_equal(rj_str(data, "id"), "t/1 \"x\"");
	assert_string_equal(rj_str(data, "title"), "Judul <b>");
	cJSON *pred = cJSON_GetArrayItem(cJSON_GetObjectItem(task, "predictions"), 0);
	assert_string_equal(rj_str(pred, "model_version"), "warta-" WARTA_VERSION);
	cJSON *res = cJSON_GetObjectItem(pred, "result");
	assert_int_equal(cJSON_GetArraySize(res), 4); /* 2 mentions, 1 date, 1 claim */
	static const struct {
		const char *id, *label, *text;
		int start, end;
	} want[] = {{"e1m1", "COUNTRY", "Korut", 7, 12},
	            {"e2m1", "ORGANIZATION", "Café", 1, 5},
	            {"d1", "DATE", "Jumat (9/1/2026)", 41, 57},
	            {"c1", "CLAIM", "kirim 15 ribu prajurit pada Jumat", 13, 46}};
	for (int i = 0; i < 4; i++) {
		cJSON *x = cJSON_GetArrayItem(res, i), *v = cJSON_GetObjectItem(x, "value");
		assert_string_equal(rj_str(x, "id"), want[i].id);
		assert_string_equal(rj_str(x, "from_name"), "label");
		assert_string_equal(rj_str(x, "to_name"), "text");
		assert_string_equal(rj_str(x, "type"), "labels");
		assert_string_equal(rj_str(v, "text"), want[i].text);
		assert_int_equal(cJSON_GetObjectItem(v, "start")->valueint, want[i].start);
		assert_int_equal(cJSON_GetObjectItem(v, "end")->valueint, want[i].end);
		assert_string_equal(
		    cJSON_GetArrayItem(cJSON_GetObjectItem(v, "labels"), 0)->valuestring,
		    want[i].label);
	}
	task = cJSON_GetArrayItem(arr, 1);
	assert_string_equal(rj_str(cJSON_GetObjectItem(task, "data"), "error"),
	                    "invalid-json: not JSON <img src=x onerror=alert(1)>");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(task, "predictions")), 0);
	cJSON_Delete(arr);
	free(out);
	out = S_run("labelstudio", NULL, recs, texts, 0);
	assert_string_equal(out, "[\n]\n");
	free(out);
}

static void test_brat(void **state)
{
	(void)state;
	/* The claim crosses the line end after "(9/1/2026)": two fragments. */
	const char rec[] =
	    "{\"schema\":\"warta/1\",\"id\":\"x\",\"entities\":[{\"id\":\"e1\",\"type\":"
	    "\"PERSON\",\"name\":\"Kim Jong-un\",\"kb\":null,\"mentions\":[{\"start\":0,"
	    "\"end\":3,\"rule\":\"r:1\"}]}],\"dates\":[],\"claims\":[{\"id\":\"c1\","
	    "\"value\":2,\"unit\":\"surat\",\"subject\":\"e1\",\"start\":4,\"end\":14,"
	    "\"rule\":\"r:2\"}]}";
	const char text[] = "Kim kirim\n2 surat";
	const char *recs[] = {rec, S_err};
	const char *texts[] = {text, NULL};
	char *out = S_run("brat", NULL, recs, texts, 2);
	assert_string_equal(out,
	                    "# x\n"
	                    "T1\tPERSON 0 3\tKim\n"
	                    "#1\tAnnotatorNotes T1\tKim Jong-un | e1 | r:1\n"
	                    "T2\tCLAIM 4 9;10 14\tkirim 2 su\n"
	                    "#2\tAnnotatorNotes T2\tc1 | 2 | surat | subject Kim Jong-un | r:2\n"
	                    "# bad error: not JSON <img src=x onerror=alert(1)>\n");
	free(out);

	char dir[] = "/tmp/warta-brat-XXXXXX";
	assert_non_null(mkdtemp(dir));
	const char *recs2[] = {rec, S_rec, S_rec};
	const char *texts2[] = {text, S_text, S_text};
	render_opts o = {NULL, dir};
	free(S_run("brat", &o, recs2, texts2, 3));
	char path[256], got[256];
	static const char *const files[] = {
	    "x.txt",           "x.ann",      "t_1__x_-543becb7.ann", "t_1__x_-543becb7-2.ann",
	    "annotation.conf", "visual.conf"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		struct stat st;
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		if (stat(path, &st) != 0)
			fail_msg("missing %s", path);
	}
	snprintf(path, sizeof path, "%s/x.txt", dir);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	size_t n = fread(got, 1, sizeof got - 1, f);
	got[n] = '\0';
	fclose(f);
	assert_string_equal(got, text);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/t_1__x_-543becb7.txt", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/t_1__x_-543becb7-2.txt", dir);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

static void test_dispatch(void **state)
{
	(void)state;
	render *r = NULL;
	assert_int_equal(render_open("pdf", stdout, NULL, &r), WARTA_EFORMAT);
	assert_null(r);
	assert_true(render_needs_text("html"));
	assert_true(render_needs_text("brat"));
	assert_true(render_needs_text("labelstudio"));
	assert_false(render_needs_text("ntriples"));
	assert_false(render_needs_text("jsonl"));
	assert_false(render_needs_text("nope"));
	assert_string_equal(render_formats(), "jsonl,html,ntriples,labelstudio,brat");
	const char *recs[] = {"{\"id\":\"a\"}"};
	char *out = S_run("jsonl", NULL, recs, NULL, 1);
	assert_string_equal(out, "{\"id\":\"a\"}\n");
	free(out);
	/* A line that is not a JSON object is refused, and the run goes on. */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(render_open("ntriples", f, NULL, &r), 0);
	assert_int_equal(render_record(r, "[1,", 3, NULL, 0), WARTA_EINPUT);
	assert_int_equal(render_record(r, "[1]", 3, NULL, 0), WARTA_EINPUT);
	assert_int_equal(render_close(r), 0);
	fclose(f);
	assert_string_equal(buf, "");
	free(buf);
}

/* Odd but well-formed JSON: wrong types, spans out of range or crossing,
 * invalid UTF-8 in the text and in strings. Every format renders it without
 * failing, and the page's elements stay balanced. */
static void test_hostile_records(void **state)
{
	(void)state;
	static const char *const recs[] = {
	    "{\"id\":5}",
	    "{\"schema\":\"warta/1\",\"id\":\"x\",\"meta\":\"m\",\"entities\":\"nope\","
	    "\"claims\":[1,null,{\"id\":7,\"start\":\"1\"}],\"dates\":{},\"zones\":[{\"type\":null,"
	    "\"start\":-5,\"end\":1e300},{\"type\":\"a\\\"b<c\",\"start\":0,\"end\":3}]}",
	    "{\"id\":\"y\",\"meta\":{\"dateline\":\"s\",\"url\":\"javascript:alert(1)\"},"
	    "\"entities\":[{\"id\":\"e1\",\"type\":\"PER SON<\",\"key\":\"\",\"mentions\":["
	    "{\"start\":0,\"end\":5},{\"start\":3,\"end\":8},{\"start\":6,\"end\":10},"
	    "{\"start\":9,\"end\":4},{\"start\":2,\"end\":2},{\"start\":1e308,\"end\":2e308},"
	    "{\"start\":-3,\"end\":2}]},{\"mentions\":[{\"start\":1,\"end\":9}]}],"
	    "\"claims\":[{\"id\":\"c1\",\"start\":4,\"end\":12,\"subject\":\"e9\",\"date\":\"d9\","
	    "\"value\":1e300,\"qualifier\":\"range\",\"low\":null,\"partitive_of\":\"c\\u0000\"}],"
	    "\"dates\":[{\"id\":\"d1\",\"start\":7,\"end\":11,\"value\":\"2026-13-01\"}],"
	    "\"zones\":[{\"type\":\"noise\",\"start\":8,\"end\":12}],"
	    "\"warnings\":[{\"code\":\"\\u00ff\",\"count\":\"x\"}]}",
	};
	static const char *const texts[] = {NULL, "abc",
	                                    "ab\xff\xfe"
	                                    "cdefgh\xe2\x82ij"};
	static const char *const formats[] = {"html", "ntriples", "labelstudio", "brat", "jsonl"};
	for (size_t k = 0; k < sizeof formats / sizeof formats[0]; k++) {
		char *out = S_run(formats[k], NULL, (const char *const *)recs, texts, 3);
		if (strcmp(formats[k], "html") == 0) {
			assert_int_equal(S_count(out, "<mark"), S_count(out, "</mark>"));
			assert_int_equal(S_count(out, "<span"), S_count(out, "</span>"));
			assert_int_equal(S_count(out, "<section"), S_count(out, "</section>"));
			assert_null(strstr(out, "href=\"javascript"));
			assert_has(out, "z-a&quot;b&lt;c");
		}
		if (strcmp(formats[k], "labelstudio") == 0) {
			cJSON *arr = cJSON_Parse(out);
			assert_int_equal(cJSON_GetArraySize(arr), 3);
			cJSON_Delete(arr);
		}
		free(out);
	}
}

/* "test_render render FORMAT FIXTURE [BASE-IRI|-] [OUT-DIR]": renders the
 * fixture's {"record", "text"} lines to standard output, so that the scripts
 * in tests/render/ can hand exact, known records to the real consumers. */
static int S_driver(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr,
		        "usage: test_render render FORMAT FIXTURE [BASE-IRI|-] [OUT-DIR]\n");
		return 2;
	}
	render_opts o = {argc > 2 && strcmp(argv[2], "-") != 0 ? argv[2] : NULL,
	                 argc > 3 ? argv[3] : NULL};
	FILE *f = fopen(argv[1], "rb");
	render *r = NULL;
	int rc = f ? render_open(argv[0], stdout, &o, &r) : WARTA_EIO;
	char *line = NULL;
	size_t cap = 0;
	while (!rc && getline(&line, &cap, f) > 0) {
		cJSON *x = cJSON_Parse(line);
		char *rec = x ? cJSON_PrintUnformatted(cJSON_GetObjectItem(x, "record")) : NULL;
		const char *text = rj_str(x, "text");
		if (!rec)
			rc = WARTA_EINPUT;
		else
			rc = render_record(r, rec, strlen(rec), text, text ? strlen(text) : 0);
		cJSON_free(rec);
		cJSON_Delete(x);
	}
	free(line);
	if (f)
		fclose(f);
	int crc = r ? render_close(r) : 0;
	if (rc || crc)
		fprintf(stderr, "test_render: %s\n", warta_strerror(rc ? rc : crc));
	return rc || crc ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "render") == 0)
		return S_driver(argc - 2, argv + 2);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_html_escape), cmocka_unit_test(test_nt_escape),
	    cmocka_unit_test(test_code_points), cmocka_unit_test(test_numbers_and_hash),
	    cmocka_unit_test(test_html_page),   cmocka_unit_test(test_ntriples),
	    cmocka_unit_test(test_labelstudio), cmocka_unit_test(test_brat),
	    cmocka_unit_test(test_dispatch),    cmocka_unit_test(test_hostile_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
