#!/usr/bin/env python3
"""Writes tests/render/fixture.jsonl: hand-written warta/1 records with their
article texts ({"record": ..., "text": ...} per line) for the renderer tests.
The texts are written for these tests; offsets are computed here and checked
(text[start:end] == the span's text). Run it again after editing, then review
the diff."""
import json, os

INJ_SCRIPT = "<script>document.documentElement.setAttribute('data-pwned','script')</script>"
INJ_IMG = "\"><img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">"

def article(text):
    def at(s, n=1):
        i = -1
        for _ in range(n):
            i = text.index(s, i + 1)
        return i
    def span(s, n=1, **kw):
        i = at(s, n)
        d = {"start": i, "end": i + len(s), "text": s}
        d.update(kw)
        return d
    return at, span

# 1. An article with every kind of span, skipped zones and injection strings.
t1 = ("Korut Kirim Pasukan ke Rusia, Kata Seoul\n\nwarta.example\n2 jam lalu\n\n"
      "PYONGYANG \u2014 Badan intelijen Korea Selatan memperkirakan Korea Utara (Korut) telah "
      "mengerahkan hingga 15 ribu prajurit ke Rusia sejak Agustus 2025. Menurut badan itu, "
      "sekitar 1.000 insinyur militer juga dikirim pada Jumat (9/1/2026).\n\n"
      "Presiden Rusia Vladimir Putin berterima kasih kepada Kim Jong-un di Caf\u00e9 \u00abS\u00e9oul\u00bb. "
      "Komentar pembaca: <script>alert(1)</script> dan \"><img src=x onerror=alert(1)> serta "
      "</textarea> juga " + INJ_SCRIPT + " dan " + INJ_IMG + " \u2028akhir.\n\n"
      "googletag.cmd.push(function() { googletag.display('div-gpt-ad-1'); });\n\n"
      "Baca juga: Putin bertemu Kim di Vladivostok\n")
at, sp = article(t1)
g = "gazetteers/countries.tsv:120"
ents1 = [
    {"id": "e1", "type": "COUNTRY", "name": "Korea Utara", "kb": "iso3166:KP", "key": "iso3166:KP",
     "mentions": [sp("Korut", 1, zone="title", rule="gazetteers/countries-aliases.tsv:40"),
                  sp("Korea Utara", 1, zone="body", rule=g),
                  sp("Korut", 2, zone="body", rule="gazetteers/countries-aliases.tsv:40")]},
    {"id": "e2", "type": "COUNTRY", "name": "Rusia", "kb": "iso3166:RU", "key": "iso3166:RU",
     "mentions": [sp("Rusia", n, zone="title" if n == 1 else "body", rule="gazetteers/countries.tsv:150")
                  for n in (1, 2, 3)]},
    {"id": "e3", "type": "LOCATION", "name": "Seoul", "kb": None, "key": "location:seoul",
     "mentions": [sp("Seoul", 1, zone="title", rule="gazetteers/places.tsv:300")]},
    {"id": "e4", "type": "AGENCY", "name": "Badan Intelijen Nasional Korea Selatan", "kb": None,
     "key": "agency:badan-intelijen-nasional-korea-selatan",
     "mentions": [sp("Badan intelijen Korea Selatan", zone="body", rule="rules/agency.rules:12")]},
    {"id": "e5", "type": "PERSON", "name": "Vladimir Putin", "kb": None, "key": "person:vladimir-putin",
     "mentions": [sp("Vladimir Putin", zone="body", rule="gazetteers/people.tsv:80"),
                  sp("Putin", 2, zone="related", rule="gazetteers/people.tsv:80")]},
    {"id": "e6", "type": "PERSON", "name": "Kim Jong-un", "kb": None, "key": "person:kim-jong-un",
     "mentions": [sp("Kim Jong-un", zone="body", rule="gazetteers/people.tsv:81")]},
    {"id": "e7", "type": "LOCATION", "name": "Pyongyang", "kb": None, "key": "location:pyongyang",
     "mentions": [sp("PYONGYANG", zone="dateline", rule="rules/boilerplate.rules:30")]},
    {"id": "e8", "type": "ORGANIZATION", "name": "Caf\u00e9 " + INJ_IMG, "kb": None,
     "key": "organization:caf\u00e9 s\u00e9oul/<x>?y#z",
     "mentions": [sp("Caf\u00e9 \u00abS\u00e9oul\u00bb", zone="body", rule="rules/org.rules:7 " + INJ_SCRIPT)]},
]
dates1 = [
    dict(sp("Agustus 2025"), id="d1", value="2025-08", type="DATE", relative=False, sentence=1,
         zone="body", rule="rules/date.rules:20"),
    dict(sp("Jumat (9/1/2026)"), id="d2", value="2026-01-09", type="DATE", relative=False, sentence=2,
         zone="body", rule="rules/date.rules:40"),
]
claim = dict(low=None, high=None, approx=False, qualifier=None, currency=None, category="personnel",
             hedge=None, date=None, place=None, partitive_of=None, zone="body", rule="rules/claim.rules:8")
claims1 = [
    dict(claim, **sp("hingga 15 ribu prajurit"), id="c1", value=15000, high=15000, qualifier="upper",
         unit="prajurit", subject="e1", predicate="mengerahkan", source="e4", hedge="memperkirakan",
         date="d1", place="e2", sentence=1),
    dict(claim, **sp("sekitar 1.000 insinyur militer"), id="c2", value=1000, approx=True,
         qualifier="approx", unit="insinyur militer", subject="e1", predicate="dikirim", source="e4",
         date="d2", partitive_of="c1", sentence=2),
]
numbers1 = [dict(sp("2 jam"), value=2, low=None, high=None, approx=False, qualifier=None,
                 currency=None, percent=False, zone="meta", rule="rules/number.rules:3")]
zones1 = [
    {"type": "title", "start": 0, "end": at("\n")},
    {"type": "meta", "start": at("warta.example"), "end": at(" lalu") + 5},
    {"type": "dateline", "start": at("PYONGYANG"), "end": at("Badan intelijen")},
    {"type": "body", "start": at("Badan intelijen"), "end": at("googletag")},
    {"type": "noise", "start": at("googletag"), "end": at("Baca juga")},
    {"type": "related", "start": at("Baca juga"), "end": len(t1)},
]
rec1 = {"schema": "warta/1", "id": "inject/1 " + INJ_IMG,
        "meta": {"title": "Korut Kirim Pasukan ke Rusia </title>" + INJ_SCRIPT, "source": "warta.example",
                 "url": "https://warta.example/berita/1?a=1&b=\"2\"", "published": "2026-01-10",
                 "published_from": "input", "dateline": {"place": "Pyongyang", "outlet": None}},
        "entities": ents1, "dates": dates1, "claims": claims1, "numbers": numbers1, "zones": zones1,
        "warnings": []}

# 2. An error record (no text).
rec2 = {"schema": "warta/1", "id": "7",
        "error": {"code": "invalid-json", "message": "the line is not valid JSON " + INJ_IMG,
                  "file": "in.jsonl", "line": 7}}

# 3. A second source on the same country, non-ASCII before every span.
t3 = ("Yonhap: Korut Uji \u201cRudal Baru\u201d\n\n"
      "SEOUL \u2014 Kantor berita Yonhap melaporkan Korea Utara menembakkan sedikitnya tiga rudal "
      "balistik pada Selasa (6/1/2026). Dalam uji itu, sekitar 1,5 juta liter bahan bakar "
      "digunakan, kata seorang pejabat.\n")
at, sp = article(t3)
ents3 = [
    {"id": "e1", "type": "ORGANIZATION", "name": "Yonhap", "kb": None, "key": "organization:yonhap",
     "mentions": [sp("Yonhap", 1, zone="title", rule="gazetteers/organizations.tsv:60"),
                  sp("Kantor berita Yonhap", zone="body", rule="rules/agency.rules:20")]},
    {"id": "e2", "type": "COUNTRY", "name": "Korea Utara", "kb": "iso3166:KP", "key": "iso3166:KP",
     "mentions": [sp("Korut", zone="title", rule="gazetteers/countries-aliases.tsv:40"),
                  sp("Korea Utara", zone="body", rule=g)]},
    {"id": "e3", "type": "LOCATION", "name": "Seoul", "kb": None, "key": "location:seoul",
     "mentions": [sp("SEOUL", zone="dateline", rule="rules/boilerplate.rules:30")]},
]
dates3 = [dict(sp("Selasa (6/1/2026)"), id="d1", value="2026-01-06", type="DATE", relative=False,
               sentence=1, zone="body", rule="rules/date.rules:40")]
claims3 = [
    dict(claim, **sp("sedikitnya tiga rudal balistik"), id="c1", value=3, low=3, qualifier="lower",
         unit="rudal balistik", category="weapons", subject="e2", predicate="menembakkan",
         source="e1", date="d1", sentence=1),
    dict(claim, **sp("sekitar 1,5 juta liter"), id="c2", value=1500000, approx=True, qualifier="approx",
         unit="liter", category="quantity", subject="e2", predicate="digunakan", source=None,
         sentence=2),
]
zones3 = [{"type": "title", "start": 0, "end": at("\n")},
          {"type": "dateline", "start": at("SEOUL"), "end": at("Kantor")},
          {"type": "body", "start": at("Kantor"), "end": len(t3)}]
rec3 = {"schema": "warta/1", "id": "yonhap-2026-01-06",
        "meta": {"title": "Yonhap: Korut Uji \u201cRudal Baru\u201d", "source": None, "url": None,
                 "published": "2026-01-06", "published_from": "input", "dateline": None},
        "entities": ents3, "dates": dates3, "claims": claims3, "numbers": [], "zones": zones3,
        "warnings": []}

for rec, text in ((rec1, t1), (rec3, t3)):
    for e in rec["entities"]:
        for m in e["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"], m
    for x in rec["dates"] + rec["claims"] + rec["numbers"]:
        assert text[x["start"]:x["end"]] == x["text"], x

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixture.jsonl")
with open(out, "w", encoding="utf-8") as f:
    for rec, text in ((rec1, t1), (rec2, None), (rec3, t3)):
        f.write(json.dumps({"record": rec, "text": text}, ensure_ascii=False) + "\n")
