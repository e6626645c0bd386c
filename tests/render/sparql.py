#!/usr/bin/env python3
"""sparql.py QUERY.rq FILE.nt...: loads N-Triples with rdflib, runs the query
and prints one tab-separated line per row (plain strings, no datatypes)."""
import sys
import rdflib

g = rdflib.Graph()
for path in sys.argv[2:]:
    g.parse(path, format="nt")
with open(sys.argv[1], encoding="utf-8") as f:
    rows = g.query(f.read())
for row in rows:
    print("\t".join("" if v is None else str(v) for v in row))
