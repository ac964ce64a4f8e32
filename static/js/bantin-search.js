/* bantin search client: plain JavaScript, no framework, no build step.
   API: await window.bantin.search(query, {region, topic, year, period, limit, offset, facets})
   -> {total, results: [{url, title, date, region, excerpt, parts}], facets}
   facets: false skips counting facets (and, without filters, downloading the
   facet table); facets is then null.
   excerpt is HTML-escaped text with <mark> around matches; parts is the same
   as [{text, match}] for building DOM nodes. A query with text but no word
   to search for (only punctuation, or words longer than the index keeps)
   finds nothing: {total: 0, results: [], facets: null, noWords: true}. The
   tokenizer mirrors internal/search/tokenize.go. */
(() => {
  'use strict';
  const script = document.currentScript;
  const manifestURL = new URL(script.dataset.index, document.baseURI);
  const TONE = '[\u0300\u0301\u0303\u0309\u0323]';
  const OLD_OA = new RegExp('o([ae])(' + TONE + ')(?![\\p{L}\\p{Mn}])', 'gu');
  const OLD_UY = new RegExp('(?<!q)uy(' + TONE + ')(?![\\p{L}\\p{Mn}])', 'gu');
  const WORD = /[\p{L}\p{Nd}\p{Mn}]+/gu;
  const utf8 = new TextEncoder();
  const MAX_QUERY = 500, MAX_WORDS = 12, MAX_EXPANSIONS = 4;

  // Lowercase NFC with new-style tone placement ("hoà" -> "hòa").
  function normalize(s) {
    // Go lowercases İ to a plain i; JavaScript keeps a combining dot.
    s = s.normalize('NFC').replace(/\u0130/g, 'i').toLowerCase().normalize('NFC');
    if (/[^\x00-\x7f]/.test(s)) {
      s = s.normalize('NFD').replace(OLD_OA, 'o$2$1').replace(OLD_UY, 'u$1y').normalize('NFC');
    }
    return s;
  }
  const fold = (w) => w.normalize('NFD').replace(/\p{Mn}/gu, '').replace(/đ/g, 'd');

  // Words repeat: remember each written word's exact and folded forms.
  const memo = new Map();
  function word(raw) {
    let w = memo.get(raw);
    if (!w) {
      if (memo.size > 50000) memo.clear();
      const e = normalize(raw);
      w = utf8.encode(e).length > 64 ? null : { e, f: fold(e) };
      memo.set(raw, w);
    }
    return w;
  }

  // tokenize returns [{e: exact, f: folded, i: index in s, n: length}].
  function tokenize(s) {
    const out = [];
    for (const m of String(s).normalize('NFC').matchAll(WORD)) {
      const w = word(m[0]);
      if (w) out.push({ e: w.e, f: w.f, i: m.index, n: m[0].length });
    }
    return out;
  }

  function fnv32(s) {
    let h = 0x811c9dc5;
    for (const b of utf8.encode(s)) h = Math.imul(h ^ b, 16777619) >>> 0;
    return h >>> 0;
  }

  class Reader {
    constructor(bytes) { this.b = bytes; this.p = 0; }
    uvarint() {
      let x = 0, s = 1, c;
      do {
        if (this.p >= this.b.length) throw new Error('truncated index data');
        c = this.b[this.p++];
        x += (c & 0x7f) * s;
        s *= 128;
      } while (c & 0x80);
      return x;
    }
    bytes(n) {
      if (this.p + n > this.b.length) throw new Error('truncated index data');
      const v = this.b.subarray(this.p, this.p + n);
      this.p += n;
      return v;
    }
  }

  const files = new Map();
  function load(path, kind) {
    if (!files.has(path)) {
      const p = (async () => {
        const r = await fetch(new URL(path, manifestURL));
        if (!r.ok) throw new Error('HTTP ' + r.status + ' for ' + path);
        if (kind === 'json') return r.json();
        const stream = r.body.pipeThrough(new DecompressionStream('deflate-raw'));
        const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
        return kind === 'text' ? new TextDecoder().decode(bytes) : bytes;
      })();
      p.catch(() => files.delete(path)); // let a later query try again
      files.set(path, p);
    }
    return files.get(path);
  }

  let manifestPromise;
  function manifest() {
    if (!manifestPromise) {
      manifestPromise = load(manifestURL.pathname.split('/').pop(), 'json').then((m) => {
        if (!m || typeof m.n !== 'number' || !m.s || !m.b) throw new Error('corrupt search manifest');
        return m;
      });
      manifestPromise.catch(() => { manifestPromise = null; });
    }
    return manifestPromise;
  }

  const unpack = (bytes, count, bits) => {
    const out = new Uint8Array(count), per = 8 / bits, mask = (1 << bits) - 1;
    for (let k = 0; k < count; k++) out[k] = (bytes[(k / per) | 0] >> (bits * (k % per))) & mask;
    return out;
  };

  // Postings: {df, docs: Uint32Array, imp: Uint8Array | null, spellings,
  // variant: Uint8Array | null}; see encodePostings in internal/search.
  function decodePostings(bytes, n) {
    const r = new Reader(bytes);
    const flags = bytes[r.p++];
    const df = r.uvarint();
    let spellings = null;
    if (flags & 8) {
      const dec = new TextDecoder();
      spellings = [];
      for (let k = r.uvarint(); k > 0; k--) spellings.push(dec.decode(r.bytes(r.uvarint())));
    }
    const docs = new Uint32Array(df);
    if (flags & 1) {
      const bits = r.bytes((n + 7) >> 3);
      let k = 0;
      for (let i = 0; i < bits.length && k < df; i++) {
        for (let b = bits[i], j = 0; b; b >>= 1, j++) if (b & 1) docs[k++] = i * 8 + j;
      }
    } else {
      let prev = -1;
      for (let k = 0; k < df; k++) docs[k] = prev = prev + 1 + r.uvarint();
    }
    let imp = null, variant = null;
    if (flags & 2) imp = unpack(r.bytes((df + 1) >> 1), df, 4);
    else if (flags & 4) imp = unpack(r.bytes((df + 3) >> 2), df, 2).map((q) => q * 5);
    if (flags & 8) variant = unpack(r.bytes((df + 1) >> 1), df, 4);
    return { df, docs, imp, spellings, variant };
  }

  const shards = new Map();
  async function shard(m, i) {
    if (!shards.has(i)) {
      const p = load(m.b + 's/' + i + '.bin', 'bin').then((bytes) => {
        const r = new Reader(bytes), map = new Map(), dec = new TextDecoder();
        for (let count = r.uvarint(); count > 0; count--) {
          const key = dec.decode(r.bytes(r.uvarint()));
          const len = r.uvarint();
          map.set(key, len ? r.bytes(len) : r.uvarint());
        }
        return map;
      });
      p.catch(() => shards.delete(i));
      shards.set(i, p);
    }
    return shards.get(i);
  }

  const decoded = new Map();
  async function lookup(m, term) {
    if (decoded.has(term)) return decoded.get(term);
    // Common terms are named in the manifest: no shard to fetch first.
    const entry = m.h && term in m.h ? m.h[term] : (await shard(m, fnv32(term) % m.s)).get(term);
    if (entry === undefined) return null;
    const bytes = typeof entry === 'number' ? await load(m.b + 't/' + entry + '.bin', 'bin') : entry;
    const p = decodePostings(bytes, m.n);
    decoded.set(term, p);
    return p;
  }

  // completions returns likely endings of a word being typed, most frequent
  // first: few when the word is already complete, since each costs a list.
  async function completions(m, prefix) {
    try {
      const words = (await load(m.b + 'c/' + encodeURIComponent(prefix[0]) + '.bin', 'text')).split('\n');
      const complete = words.includes(prefix);
      return words.filter((w) => w !== prefix && w.startsWith(prefix)).slice(0, complete ? 2 : MAX_EXPANSIONS);
    } catch (e) {
      if (/HTTP 404/.test(e.message)) return [];
      throw e;
    }
  }

  let facetPromise;
  function facetTable(m) {
    if (!facetPromise) {
      facetPromise = load(m.b + 'facets.bin', 'bin').then((bytes) => {
        const r = new Reader(bytes);
        const region = new Uint16Array(m.n), period = new Uint16Array(m.n), topicStart = new Uint32Array(m.n + 1);
        const topics = [];
        for (let d = 0; d < m.n; d++) {
          region[d] = r.uvarint();
          period[d] = r.uvarint();
          topicStart[d] = topics.length;
          for (let k = r.uvarint(); k > 0; k--) topics.push(r.uvarint());
        }
        topicStart[m.n] = topics.length;
        const year = new Uint16Array(m.n);
        for (const y of m.year) year.fill(y.y, y.f, y.t + 1);
        return { region, period, year, topicStart, topics: Uint16Array.from(topics) };
      });
      facetPromise.catch(() => { facetPromise = null; });
    }
    return facetPromise;
  }

  // parse splits a query into words; words inside "quotes" form phrases, and
  // the last word is a prefix while it is still being typed.
  function parse(query) {
    query = String(query == null ? '' : query).slice(0, MAX_QUERY);
    const words = [];
    const parts = query.split('"');
    parts.forEach((part, k) => {
      const phrase = k % 2 === 1 && k < parts.length - 1 ? k : 0;
      for (const t of tokenize(part)) words.push(Object.assign(t, { phrase, prefix: false }));
    });
    words.splice(MAX_WORDS);
    const last = words[words.length - 1];
    if (last && !/[\s"]$/.test(query) && !last.phrase) last.prefix = true;
    return words;
  }

  const idf = (n, df) => Math.log(1 + (n - df + 0.5) / (df + 0.5));

  async function search(query, opts) {
    opts = opts || {};
    const m = await manifest();
    const words = parse(query);
    // "!!!" is not an empty query: it asks for something no word matches.
    if (!words.length && String(query == null ? '' : query).trim()) {
      return { total: 0, results: [], facets: null, noWords: true };
    }
    const limit = Math.max(1, Math.min(100, opts.limit | 0 || 10));
    const offset = Math.max(0, opts.offset | 0);
    const n = m.n;

    // Fetch every list the query needs, in parallel.
    const lists = await Promise.all(words.map(async (w, k) => {
      const folded = w.prefix ? [...new Set([w.f, ...(await completions(m, w.f))])] : [w.f];
      const next = words[k + 1];
      const [alts, pair] = await Promise.all([
        Promise.all(folded.map((f) => lookup(m, f))),
        next ? lookup(m, '~' + w.f + ' ' + next.f) : null,
      ]);
      return { alts: alts.filter(Boolean), own: alts[0], pair };
    }));
    const f = filterSet(m, opts);
    const wantFacets = opts.facets !== false;
    const table = wantFacets || Object.keys(f).length ? await facetTable(m) : null;

    // Score: every word must match; then rank by exact spellings, adjacent
    // pairs, BM25F impacts, and newest first.
    const hits = new Uint8Array(n), score = new Float32Array(n), exactHits = new Uint8Array(n), adjacent = new Uint8Array(n);
    const phraseMiss = new Uint8Array(n);
    words.forEach((w, k) => {
      const seen = new Float32Array(n);
      for (const list of lists[k].alts) {
        const weight = idf(n, list.df);
        list.docs.forEach((d, i) => {
          const s = weight * (list.imp ? list.imp[i] : m.ai) / 15 + 1e-6;
          if (s > seen[d]) seen[d] = s;
        });
      }
      for (let d = 0; d < n; d++) if (seen[d] > 0) { hits[d]++; score[d] += seen[d]; }
      // A spelling with diacritics ranks documents that write it so first.
      const own = lists[k].own;
      if (w.e !== w.f && own && own.spellings) {
        const v = own.spellings.indexOf(w.e);
        if (v >= 0) own.docs.forEach((d, i) => { if (own.variant[i] === v || own.variant[i] === 15) exactHits[d]++; });
      }
      const next = words[k + 1];
      if (next) {
        const inPhrase = w.phrase && w.phrase === next.phrase;
        const pair = lists[k].pair ? new Uint8Array(n) : null;
        if (pair) for (const d of lists[k].pair.docs) { pair[d] = 1; adjacent[d]++; }
        if (inPhrase) for (let d = 0; d < n; d++) if (!pair || !pair[d]) phraseMiss[d] = 1;
      }
    });

    const matchesWords = (d) => hits[d] === words.length && !phraseMiss[d];
    const keep = (d, skip) => matchesWords(d) && (!table || passes(table, f, d, skip));
    let results = [];
    for (let d = 0; d < n; d++) if (keep(d, null)) results.push(d);
    if (words.length) {
      // One numeric key per result, sorted natively: exact spellings, then
      // adjacent pairs, then BM25F, then newest (lowest id) first.
      const keys = new Float64Array(results.length);
      results.forEach((d, i) => {
        const rank = (Math.min(exactHits[d], 15) * 16 + Math.min(adjacent[d], 15)) * 1048576 + Math.min(1048575, Math.round(score[d] * 1000));
        keys[i] = rank * 2097152 + (2097151 - d);
      });
      keys.sort();
      results = Array.from(keys.reverse(), (k) => 2097151 - (k % 2097152));
    }
    const facets = wantFacets ? countFacets(m, table, f, keep) : null;
    const page = results.slice(offset, offset + limit);
    const frags = await Promise.all(page.map((d) => load(m.b + 'f/' + d + '.json', 'json')));
    return {
      total: results.length,
      results: frags.map((x) => {
        const parts = excerpt(x.x, words);
        return { url: x.u, title: x.t, date: x.d, region: x.r, excerpt: parts.map(html).join(''), parts };
      }),
      facets,
    };
  }

  const FACETS = ['region', 'topic', 'year', 'period'];

  function filterSet(m, opts) {
    const f = {};
    for (const k of FACETS) {
      const v = opts[k];
      if (v === undefined || v === null || v === '') continue;
      if (k === 'year') f.year = Number(v);
      else f[k] = m[k].indexOf(String(v)); // -1 matches nothing
    }
    return f;
  }

  function passes(t, f, d, skip) {
    if ('region' in f && skip !== 'region' && t.region[d] !== f.region) return false;
    if ('period' in f && skip !== 'period' && t.period[d] !== f.period + 1) return false;
    if ('year' in f && skip !== 'year' && t.year[d] !== f.year) return false;
    if ('topic' in f && skip !== 'topic') {
      let ok = false;
      for (let i = t.topicStart[d]; i < t.topicStart[d + 1]; i++) if (t.topics[i] === f.topic) ok = true;
      if (!ok) return false;
    }
    return true;
  }

  // countFacets counts each dimension over the results filtered by the
  // other dimensions, so that a chosen value still shows its alternatives.
  function countFacets(m, t, f, keep) {
    const counts = { region: new Map(), topic: new Map(), year: new Map(), period: new Map() };
    const bump = (map, k) => map.set(k, (map.get(k) || 0) + 1);
    for (let d = 0; d < m.n; d++) {
      if (keep(d, 'region')) bump(counts.region, t.region[d]);
      if (keep(d, 'year')) bump(counts.year, t.year[d]);
      if (t.period[d] && keep(d, 'period')) bump(counts.period, t.period[d] - 1);
      if (keep(d, 'topic')) for (let i = t.topicStart[d]; i < t.topicStart[d + 1]; i++) bump(counts.topic, t.topics[i]);
    }
    const out = {};
    for (const k of FACETS) {
      const list = [...counts[k]].map(([v, count]) => ({ value: k === 'year' ? String(v) : m[k][v], count }));
      if (k === 'year') list.sort((a, b) => b.value.localeCompare(a.value));
      else list.sort((a, b) => m[k].indexOf(a.value) - m[k].indexOf(b.value));
      out[k] = list;
    }
    return out;
  }

  // excerpt picks about 30 words around the first match and marks every
  // word that matches the query.
  function excerpt(text, words) {
    const toks = tokenize(text);
    const want = new Set(words.filter((w) => !w.prefix).map((w) => w.f));
    const prefixes = words.filter((w) => w.prefix).map((w) => w.f);
    const isMatch = (t) => want.has(t.f) || prefixes.some((p) => t.f.startsWith(p));
    let first = toks.findIndex(isMatch);
    if (first < 0) first = 0;
    const from = Math.max(0, first - 8), to = Math.min(toks.length, from + 30);
    if (!toks.length) return [{ text: text.slice(0, 200), match: false }];
    const start = toks[from].i, end = to < toks.length ? toks[to - 1].i + toks[to - 1].n : text.length;
    const parts = [];
    let at = start;
    for (let k = from; k < to; k++) {
      if (!isMatch(toks[k])) continue;
      if (toks[k].i > at) parts.push({ text: text.slice(at, toks[k].i), match: false });
      parts.push({ text: text.slice(toks[k].i, toks[k].i + toks[k].n), match: true });
      at = toks[k].i + toks[k].n;
    }
    if (end > at) parts.push({ text: text.slice(at, end), match: false });
    if (from > 0) parts.unshift({ text: '… ', match: false });
    if (end < text.length) parts.push({ text: ' …', match: false });
    return parts;
  }

  const escapes = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  const escape = (s) => s.replace(/[&<>"']/g, (c) => escapes[c]);
  const html = (p) => (p.match ? '<mark>' + escape(p.text) + '</mark>' : escape(p.text));

  window.bantin = Object.assign(window.bantin || {}, { search, tokenize, parse });

  // The search page: reads its state from the query string and writes it
  // back, so a search can be bookmarked and shared.
  const root = document.getElementById('bantin-search');
  if (!root) return;
  let strings = {};
  try { strings = JSON.parse(root.dataset.strings || '{}'); } catch (e) { /* defaults below */ }
  const say = (k, ...args) => (strings[k] || k).replace(/%d|%s/g, () => args.shift());
  const form = root.querySelector('form');
  const input = root.querySelector('input[name=q]');
  const status = root.querySelector('[role=status]');
  const list = root.querySelector('.search-results');
  const facetBox = root.querySelector('.search-facets');
  // Facet counts need the facet table; it loads when the filter panel is
  // opened (or a filter is set), so a first query stays small.
  const panel = root.querySelector('.search-filters');
  const more = root.querySelector('.search-more');
  const state = { q: '', region: '', topic: '', year: '', period: '', limit: 10 };
  function readURL() {
    const params = new URLSearchParams(location.search);
    for (const k of ['q', ...FACETS]) state[k] = (params.get(k) || '').slice(0, MAX_QUERY);
    state.limit = 10;
    input.value = state.q;
  }
  readURL();
  // Filters are open where there is room beside the results.
  const wide = window.matchMedia('(min-width: 64rem)');
  if (FACETS.some((k) => state[k]) || wide.matches) panel.open = true;
  panel.addEventListener('toggle', () => { if (panel.open) run(); });

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const c of children) e.append(c);
    return e;
  }

  // The URL holds the search, and history keeps each one: a new search
  // (a submit, a filter, the first keystroke of a new query) is a new
  // entry that Back returns from; later keystrokes update that entry.
  let typing = false;
  function writeURL(push) {
    const p = new URLSearchParams();
    for (const k of ['q', ...FACETS]) if (state[k]) p.set(k, state[k]);
    const qs = p.toString();
    const url = location.pathname + (qs ? '?' + qs : '');
    if (url === location.pathname + location.search) return;
    if (push) history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  }

  let generation = 0;
  let loaded = false; // whether a search has finished, so the index is here
  async function run(push) {
    const mine = ++generation;
    writeURL(push);
    if (!state.q.trim() && !FACETS.some((k) => state[k])) {
      list.replaceChildren();
      facetBox.replaceChildren();
      more.hidden = true;
      status.textContent = say('search_prompt');
      return;
    }
    // Say that the search runs while the index loads; a quick search in
    // an index already here goes straight to its result.
    let slow;
    if (loaded) slow = setTimeout(() => { if (mine === generation) status.textContent = say('search_loading'); }, 300);
    else status.textContent = say('search_loading');
    let res;
    try {
      res = await search(state.q, Object.assign({}, state, { limit: state.limit, facets: panel.open }));
    } catch (e) {
      clearTimeout(slow);
      if (mine !== generation) return;
      status.textContent = say('search_error');
      list.replaceChildren();
      more.hidden = true;
      return;
    }
    clearTimeout(slow);
    loaded = true;
    if (mine !== generation) return;
    status.textContent = res.noWords ? say('search_no_words') : res.total ? say('search_found', res.total) : say('search_none');
    list.replaceChildren(...res.results.map((r) => {
      const ex = el('p', { class: 'summary' });
      for (const p of r.parts) ex.append(p.match ? el('mark', null, p.text) : p.text);
      const link = el('a', { href: r.url }, r.title);
      return el('li', null, el('article', { class: 'card' },
        el('h2', { class: 'card-title' }, link),
        el('p', { class: 'meta' }, r.date + (r.region ? ' · ' + r.region : '')), ex));
    }));
    more.hidden = res.total <= res.results.length;
    if (res.facets) renderFacets(res.facets);
  }

  function renderFacets(facets) {
    facetBox.replaceChildren(...FACETS.map((k) => {
      const id = 'facet-' + k;
      const select = el('select', { id, name: k });
      select.append(el('option', { value: '' }, say('facet_all')));
      const values = facets[k].slice();
      if (state[k] && !values.some((v) => v.value === state[k])) values.unshift({ value: state[k], count: 0 });
      for (const v of values) {
        const o = el('option', { value: v.value }, v.value + ' (' + v.count + ')');
        if (v.value === state[k]) o.selected = true;
        select.append(o);
      }
      select.addEventListener('change', () => { state[k] = select.value; state.limit = 10; typing = false; run(true); });
      return el('div', { class: 'facet' }, el('label', { for: id }, say('facet_' + k)), select);
    }));
  }

  let timer;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.q = input.value.slice(0, MAX_QUERY);
      state.limit = 10;
      run(!typing);
      typing = true;
    }, 120);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(timer);
    state.q = input.value.slice(0, MAX_QUERY);
    state.limit = 10;
    run(!typing);
    typing = false;
  });
  more.addEventListener('click', () => { state.limit += 10; run(); });
  // Back and Forward bring back the search of that entry.
  window.addEventListener('popstate', () => {
    clearTimeout(timer);
    typing = false;
    readURL();
    if (FACETS.some((k) => state[k])) panel.open = true;
    run();
  });
  run();
})();
