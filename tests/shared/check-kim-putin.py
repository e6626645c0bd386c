#!/usr/bin/env python3
"""The acceptance checks of the Entities and Facts issues on the shared sample
article ../shared/corpus/republika-kim-putin.txt. Reads the article only when
it is there (skips otherwise); nothing of it is copied into the repository."""
import json
import os
import subprocess
import sys

ART = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'shared', 'corpus',
                   'republika-kim-putin.txt')
WARTA = os.environ.get('WARTA', './warta')


def main():
    if not os.path.exists(ART):
        print('kim-putin: skipped (../shared/corpus is not here)')
        return 0
    out = subprocess.run(WARTA.split() + ['extract', '--date', '2026-01-10', ART],
                         capture_output=True, check=True).stdout
    rec = json.loads(out)
    text = open(ART, encoding='utf-8').read()
    fails = []

    def check(cond, what):
        if not cond:
            fails.append(what)

    for item in ([m for e in rec['entities'] for m in e['mentions']] + rec['dates'] +
                 rec['claims'] + rec.get('numbers', []) + rec.get('attributes', [])):
        check(text[item['start']:item['end']] == item['text'],
              'offsets of %r' % item['text'])
    check(rec['meta']['title'].startswith('Kim Jong-un Sebut'), 'title')
    check(rec['meta']['source'] == 'republika.co.id', 'source')
    check(rec['meta']['dateline'] == {'place': 'Pyongyang', 'outlet': 'REPUBLIKA.CO.ID'},
          'dateline')
    zones = rec['zones']
    body = ''.join(text[z['start']:z['end']] for z in zones if z['type'] == 'body')
    related = ''.join(text[z['start']:z['end']] for z in zones if z['type'] == 'related')
    check('googletag' not in body and '.img-follow' not in body and 'Whatsapp' not in body,
          'noise kept out of the body')
    check('Kursk' in body and 'Lanjut baca' not in body, 'body holds the paragraphs')
    check('Megawati' in related, 'related zone holds the headlines')

    ents = {e['id']: e for e in rec['entities']}
    by_name = {}
    for e in rec['entities']:
        if any(m['zone'] != 'related' for m in e['mentions']):
            by_name.setdefault(e['name'], e)
    for name, typ in (('Kim Jong-un', 'PERSON'), ('Vladimir Putin', 'PERSON'),
                      ('Korea Utara', 'COUNTRY'), ('Korea Selatan', 'COUNTRY'),
                      ('Rusia', 'COUNTRY'), ('Ukraina', 'COUNTRY'),
                      ('Pyongyang', 'LOCATION'), ('Kursk', 'LOCATION')):
        check(name in by_name and by_name[name]['type'] == typ, 'entity %s %s' % (typ, name))
    kp = by_name.get('Korea Utara', {'mentions': []})
    check({'Korut', 'Korea Utara'} <= {m['text'] for m in kp['mentions']}, 'Korut = Korea Utara')
    kr = by_name.get('Korea Selatan', {'mentions': []})
    check('Korsel' in {m['text'] for m in kr['mentions']}, 'Korsel = Korea Selatan')
    # "Korean Central News Agency (KCNA)" is one mention (a name and its
    # acronym in brackets); the later bare "KCNA" joins the same entity
    kcna = [e for e in rec['entities'] if e['type'] == 'AGENCY' and
            e['name'] == 'Korean Central News Agency' and
            'KCNA' in {m['text'] for m in e['mentions']} and
            any(m['text'].startswith('Korean Central News Agency') for m in e['mentions'])]
    check(len(kcna) == 1, 'KCNA = Korean Central News Agency, one agency')

    vals = sorted(d['value'] for d in rec['dates'] if d['zone'] == 'body')
    check(vals == ['2024', '2025-08', '2026-01-09'], 'body dates %s' % vals)

    cl = [c for c in rec['claims'] if c['zone'] == 'body']
    check(len(cl) == 3, 'exactly three body claims, got %d' % len(cl))
    if len(cl) == 3:
        a, b, c = cl
        name = lambda i: ents[i]['name'] if i in ents else None  # noqa: E731
        check((a['value'], a['high'], a['low'], a['unit']) == (15000, 15000, None, 'prajurit'),
              'claim 1 value/bound/unit')
        check(name(a['subject']) == 'Korea Utara', 'claim 1 subject')
        src = ents.get(a['source'], {})
        check(src.get('type') == 'AGENCY' and 'Korea Selatan' in src.get('name', ''),
              'claim 1 source: the South Korean intelligence agency, got %s' % src.get('name'))
        check(a['hedge'] is not None, 'claim 1 hedged')
        check((b['value'], b['approx'], b['unit'], b['predicate']) == (2000, True, 'prajurit', 'tewas'),
              'claim 2')
        check(b['partitive_of'] == a['id'], 'claim 2 is a part of claim 1')
        check((c['value'], c['approx'], c['unit']) == (1000, True, 'insinyur militer'), 'claim 3')
        check(name(c['subject']) == 'Korea Utara', 'claim 3 subject via Pyongyang')
        dd = {d['id']: d for d in rec['dates']}
        check(dd.get(c['date'], {}).get('value') == '2025-08', 'claim 3 date')
        check(name(c['place']) == 'Kursk', 'claim 3 place')
    for f in fails:
        print('FAIL kim-putin: %s' % f)
    print('kim-putin: %d checks failed' % len(fails) if fails else 'kim-putin: all checks passed')
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
