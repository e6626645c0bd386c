#!/usr/bin/env python3
# gazetteers/gen/lint.py -- sanity checks for the gazetteer TSV files.
# Checks: header row, column counts, empty required cells, known types and the
# type expected for each file, id prefixes, duplicate ids (across all files),
# stray whitespace, empty aliases, and forms claimed by more than one row (a
# clash is reported when two rows could match the same text under the matching
# rules of gazetteers/README.md; '~' short forms may be shared and are only
# counted). Word lists (titles.tsv, speech.tsv, ...) are checked for columns,
# allowed kinds and duplicate words.
# Usage: python3 gazetteers/gen/lint.py [files...]   (exit 1 on errors)
import os
import sys
import unicodedata

GAZ = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENTITY = {
    "countries.tsv": "COUNTRY", "places.tsv": "LOCATION", "agencies.tsv": "AGENCY",
    "organizations.tsv": "ORGANIZATION", "people.tsv": "PERSON",
}
TYPES = {"PERSON", "COUNTRY", "AGENCY", "ORGANIZATION", "LOCATION"}
KINDS = {
    "titles.tsv": {"person-title", "honorific", "military", "religious"},
    "speech.tsv": {"verb-after", "verb-before", "source"},
}
errors = 0
warnings = 0


def err(f, n, msg):
    global errors
    errors += 1
    print("%s:%d: error: %s" % (f, n, msg))


def warn(f, n, msg):
    global warnings
    warnings += 1
    print("%s:%d: warning: %s" % (f, n, msg))


def rows(path):
    header = None
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if line.endswith("\r"):
                err(path, n, "CR line ending")
                line = line.rstrip("\r")
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                yield n, None, header
                continue
            yield n, cells, header


def norm(s):
    return " ".join(unicodedata.normalize("NFC", s).split())


def is_caps(s):
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def form_key(form, cs):
    """(key, mode): mode 'ci' matches regardless of case, 'cs' only exactly."""
    if form.startswith("="):
        return norm(form[1:]), "cs"
    if cs or is_caps(form):
        return norm(form), "cs"
    return norm(form), "ci"


def lint_entities(paths):
    ids = {}
    forms = {}   # lower -> list of (exact, mode, id, type, file, line)
    shorts = {}
    for path in paths:
        base = os.path.basename(path)
        want = ENTITY.get(base)
        for n, cells, header in rows(path):
            if cells is None:
                if header != ["id", "type", "name", "aliases", "flags"]:
                    err(base, n, "header must be id type name aliases flags, got %r" % header)
                continue
            if len(cells) != 5:
                err(base, n, "%d columns, want 5" % len(cells))
                continue
            rid, typ, name, aliases, flags = cells
            for c in cells:
                if c != c.strip() or "  " in c:
                    err(base, n, "stray whitespace in %r" % c)
            if not rid or not typ or not name:
                err(base, n, "empty required cell")
                continue
            if typ not in TYPES:
                err(base, n, "unknown type %s" % typ)
            if want and typ != want:
                err(base, n, "type %s in %s (want %s)" % (typ, base, want))
            pre = "iso3166:" if typ == "COUNTRY" else typ.lower() + ":"
            if not rid.startswith(pre):
                err(base, n, "id %s should start with %s" % (rid, pre))
            if rid in ids:
                err(base, n, "duplicate id %s (also %s)" % (rid, ids[rid]))
            ids[rid] = "%s:%d" % (base, n)
            flagset = set(x for x in flags.split(",") if x)
            if flagset - {"cs"}:
                err(base, n, "unknown flags %s" % (flagset - {"cs"}))
            cs = "cs" in flagset
            if name[0] in "=~":
                err(base, n, "name must not carry a = or ~ prefix")
            al = aliases.split("|") if aliases else []
            if any(not a for a in al):
                err(base, n, "empty alias")
            seen_row = {}
            for f in [name] + al:
                if not f:
                    continue
                if f.startswith("~"):
                    shorts.setdefault(norm(f[1:]).lower(), []).append(rid)
                    continue
                k, mode = form_key(f, cs)
                low = k.lower()
                # same-row duplicates
                for k2, m2 in seen_row.get(low, []):
                    if mode == "ci" or m2 == "ci" or k == k2:
                        warn(base, n, "form %r repeated in row %s" % (f, rid))
                seen_row.setdefault(low, []).append((k, mode))
                for (k2, m2, rid2, typ2, where) in forms.get(low, []):
                    if rid2 == rid:
                        continue
                    if mode == "ci" or m2 == "ci" or k == k2:
                        err(base, n, "form %r of %s (%s) also claimed by %s (%s) at %s"
                            % (f, rid, typ, rid2, typ2, where))
                forms.setdefault(low, []).append((k, mode, rid, typ, "%s:%d" % (base, n)))
    shared = sum(1 for v in shorts.values() if len(v) > 1)
    # a short form equal to another row's full form is an error
    for low, rids in shorts.items():
        for (k2, m2, rid2, typ2, where) in forms.get(low, []):
            if rid2 not in rids:
                warn("-", 0, "short form ~%s of %s is a full form of %s at %s" % (low, ",".join(rids), rid2, where))
    print("entity rows: %d ids; %d short forms (%d shared by several rows)" % (len(ids), len(shorts), shared))


def lint_words(path):
    base = os.path.basename(path)
    seen = {}
    kinds = KINDS.get(base)
    count = 0
    for n, cells, header in rows(path):
        if cells is None:
            if not header or header[0] != "word":
                err(base, n, "header must start with 'word'")
            continue
        # as the loader: trailing empty cells may be left out, extra cells not
        if len(cells) > len(header):
            err(base, n, "%d columns, header has %d" % (len(cells), len(header)))
            continue
        cells += [""] * (len(header) - len(cells))
        count += 1
        w = cells[0]
        if not w or w != w.strip():
            err(base, n, "empty word or stray whitespace")
        if kinds and "kind" in header and cells[header.index("kind")] not in kinds:
            err(base, n, "unknown kind %r" % cells[header.index("kind")])
        # a word may appear once per attribute set (claim_words.tsv lists "di"
        # both as place-prep and subject-stop); an identical row is an error
        # a word in capitals matches only in capitals: "KM" is not "Km"
        k = (w if is_caps(w) else w.lower(), tuple(cells[1:]))
        if k in seen:
            err(base, n, "duplicate row for word %r (also line %d)" % (w, seen[k]))
        seen[k] = n
    print("%s: %d words" % (base, count))


def main():
    paths = sys.argv[1:] or sorted(
        os.path.join(GAZ, f) for f in os.listdir(GAZ) if f.endswith(".tsv"))
    ent = [p for p in paths if os.path.basename(p) in ENTITY]
    lint_entities(ent)
    for p in paths:
        b = os.path.basename(p)
        if b in ENTITY or b == "countries-aliases.tsv":
            continue
        lint_words(p)
    print("%d errors, %d warnings" % (errors, warnings))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
