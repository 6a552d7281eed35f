// The offline atlas's script: map choice, legend, pointing, profiles, search, zoom and pan.
// It reads the JSON in #atlas-daten and writes text only through textContent.
'use strict';
(function () {
  const D = JSON.parse(document.getElementById('atlas-daten').textContent);
  const T = D.t;
  const $ = (id) => document.getElementById(id);
  const SVG = 'http://www.w3.org/2000/svg';
  const map = $('karte');
  const paths = Array.from(map.querySelectorAll('#flaechen path'));
  const pathOf = new Map(paths.map((p) => [Number(p.dataset.i), p]));
  const labels = Array.from(map.querySelectorAll('#codes text'));
  const patterns = Array.from(map.querySelectorAll('pattern'));
  const full = { x: 0, y: 0, w: map.viewBox.baseVal.width, h: map.viewBox.baseVal.height };
  let view = Object.assign({}, full);
  let shown = 0;
  let selected = -1;

  function make(tag, cls, text, svg) {
    const e = svg ? document.createElementNS(SVG, tag) : document.createElement(tag);
    if (cls) e.setAttribute('class', cls);
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  // A legend swatch. A pattern is copied into it: the map's patterns are scaled with the zoom.
  let copies = 0;
  function swatch(paint, cls) {
    const s = make('svg', cls || 'feld', null, true);
    s.setAttribute('viewBox', '0 0 22 14');
    const ref = /^url\(#(.+)\)$/.exec(paint);
    const pattern = ref && document.getElementById(ref[1]);
    if (pattern) {
      const copy = pattern.cloneNode(true);
      copy.removeAttribute('patternTransform');
      copy.id = 'legende-' + (copies += 1);
      const defs = make('defs', null, null, true);
      defs.appendChild(copy);
      s.appendChild(defs);
      paint = 'url(#' + copy.id + ')';
    }
    const r = make('rect', null, null, true);
    for (const [k, v] of [['width', 22], ['height', 14], ['fill', paint], ['stroke', '#999']]) {
      r.setAttribute(k, v);
    }
    s.appendChild(r);
    return s;
  }

  // Which map: the Handlungsfelder or an indicator, and its year.
  const choice = $('karte-wahl');
  const yearChoice = $('jahr-wahl');
  choice.appendChild(new Option(D.maps[0].name, '-1'));
  const groups = new Map();
  D.indicators.forEach((ind, k) => {
    const theme = ind[1] || T.indicators;
    if (!groups.has(theme)) {
      const g = make('optgroup');
      g.label = theme;
      groups.set(theme, g);
      choice.appendChild(g);
    }
    groups.get(theme).appendChild(new Option(ind[0], String(k)));
  });
  function chosen() {
    const k = Number(choice.value);
    if (k < 0) {
      $('jahr-feld').hidden = true;
      return 0;
    }
    const years = D.indicators[k][2];
    $('jahr-feld').hidden = years.length < 2;
    const wanted = yearChoice.value;
    yearChoice.replaceChildren(...years.map((y) => new Option(String(y[0]), String(y[0]))));
    const hit = years.find((y) => String(y[0]) === wanted) || years[years.length - 1];
    yearChoice.value = String(hit[0]);
    return hit[1];
  }
  function showMap(k) {
    shown = k;
    const m = D.maps[k];
    for (const p of paths) p.setAttribute('fill', D.fills[m.fill[Number(p.dataset.i)]]);
    // The scene's title is the region's unless the map says more (a change, a focus).
    const heading = document.querySelector('h1').textContent;
    $('kartentitel').textContent = m.title === heading ? '' : m.title;
    const box = $('legende');
    box.replaceChildren(make('h2', null, m.legendTitle));
    if (m.summary) box.appendChild(make('p', null, m.summary));
    const list = make('ul');
    for (const [fill, label, count] of m.legend) {
      const li = make('li');
      li.append(swatch(D.fills[fill]), make('span', null, label + ' (' + count + ')'));
      list.appendChild(li);
    }
    box.appendChild(list);
  }
  choice.addEventListener('change', () => showMap(chosen()));
  yearChoice.addEventListener('change', () => {
    const k = Number(choice.value);
    const hit = D.indicators[k][2].find((y) => String(y[0]) === yearChoice.value);
    if (hit) showMap(hit[1]);
  });

  // Pointing: the area's code, name and what the map shows of it.
  const tip = $('tip');
  function fieldsOf(i) {
    const names = [];
    D.profiles[i].fields.forEach((f, k) => {
      if (f[0]) names.push(D.frame.fields[k][0].slice(2));
    });
    return names.length ? names.join(' · ') : T.noField;
  }
  map.addEventListener('pointermove', (e) => {
    if (drag) return;
    const p = e.target.closest && e.target.closest('#flaechen path');
    if (!p) {
      tip.hidden = true;
      return;
    }
    const i = Number(p.dataset.i);
    const a = D.areas[i];
    const m = D.maps[shown];
    tip.replaceChildren(make('b', null, (a[0] + ' ' + a[1]).trim()),
      make('span', null, m.value ? m.value[i] : fieldsOf(i)));
    const r = $('rahmen').getBoundingClientRect();
    tip.style.left = Math.min(e.clientX - r.left + 14, r.width - 330) + 'px';
    tip.style.top = (e.clientY - r.top + 14) + 'px';
    tip.hidden = false;
  });
  map.addEventListener('pointerleave', () => { tip.hidden = true; });

  // The profile: the same content as the printed page.
  const members = new Map();
  D.profiles.forEach((p, i) => {
    const k = p.m === null ? -1 - i : p.m;
    if (!members.has(k)) members.set(k, []);
    members.get(k).push(i);
  });
  function locator(i) {
    const P = D.profiles[i];
    const ids = (members.get(P.m === null ? -1 - i : P.m) || [i]).slice(0, 600);
    const s = make('svg', 'lage', null, true);
    let box = null;
    for (const j of ids) {
      const src = pathOf.get(j);
      if (!src) continue;
      const b = src.getBBox();
      box = box ? {
        x0: Math.min(box.x0, b.x), y0: Math.min(box.y0, b.y),
        x1: Math.max(box.x1, b.x + b.width), y1: Math.max(box.y1, b.y + b.height),
      } : { x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height };
      const p = make('path', j === i ? 'hier' : null, null, true);
      p.setAttribute('d', src.getAttribute('d'));
      s.appendChild(p);
    }
    if (box) {
      const pad = 0.04 * Math.max(box.x1 - box.x0, box.y1 - box.y0);
      s.setAttribute('viewBox', [box.x0 - pad, box.y0 - pad,
        box.x1 - box.x0 + 2 * pad, box.y1 - box.y0 + 2 * pad].join(' '));
    }
    return s;
  }
  function spine(row, frame) {
    const s = make('svg', null, null, true);
    s.setAttribute('viewBox', '0 0 130 14');
    const x = (f) => 6 + f * 118;
    const line = make('rect', null, null, true);
    for (const [k, v] of [['x', 6], ['y', 6.6], ['width', 118], ['height', 0.8], ['fill', '#b0b0b0']]) {
      line.setAttribute(k, v);
    }
    s.appendChild(line);
    const marker = (f, diamond) => {
      const p = make('path', null, null, true);
      const cx = x(f);
      p.setAttribute('d', diamond
        ? `M${cx} 3.6L${cx + 3.4} 7L${cx} 10.4L${cx - 3.4} 7Z`
        : `M${cx} 3.6L${cx + 3.4} 9.7L${cx - 3.4} 9.7Z`);
      p.setAttribute('fill', '#fff');
      p.setAttribute('stroke', '#202020');
      p.setAttribute('stroke-width', '0.8');
      s.appendChild(p);
    };
    if (frame[1] !== null) marker(frame[1], false);
    if (row[3] !== null) marker(row[3], true);
    if (row[2] !== null) {
      const c = make('circle', null, null, true);
      c.setAttribute('cx', x(row[2]));
      c.setAttribute('cy', 7);
      c.setAttribute('r', 3.2);
      c.setAttribute('fill', row[4] === 1 ? '#b32a0e' : row[4] === 0 ? '#1f5f9e' : '#202020');
      s.appendChild(c);
    }
    return s;
  }
  function table(head, rows) {
    const t = make('table');
    const tr = make('tr');
    for (const h of head) tr.appendChild(make('th', null, h));
    t.appendChild(tr);
    for (const r of rows) t.appendChild(r);
    return t;
  }
  function showProfile(i) {
    const P = D.profiles[i];
    const F = D.frame;
    const box = $('profil');
    box.replaceChildren();
    const buttons = make('div', 'knoepfe');
    const print = make('button', null, T.print);
    print.addEventListener('click', () => window.print());
    const close = make('button', null, T.close);
    close.addEventListener('click', () => select(-1));
    buttons.append(print, close);
    box.append(buttons, make('p', 'art', T.kind), make('h2', null, P.title));
    if (P.m !== null) box.appendChild(make('p', 'kommune', D.municipalities[P.m]));
    const head = make('div', 'kopf');
    const facts = make('div', 'fakten');
    for (const f of P.facts) facts.appendChild(make('div', null, f));
    head.append(facts, locator(i));
    box.appendChild(head);
    box.appendChild(make('h3', null, T.fields));
    P.fields.forEach((f, k) => {
      const line = make('div', 'hf');
      const mark = make('span', 'feld');
      mark.style.background = f[0] ? F.fields[k][2] : '#d0d0d0';
      const text = make('div', null, F.fields[k][f[0] ? 0 : 1]);
      if (f[1].length) {
        const reasons = make('ul');
        for (const r of f[1]) reasons.appendChild(make('li', null, r));
        text.appendChild(reasons);
      }
      line.append(mark, text);
      box.appendChild(line);
    });
    box.appendChild(make('h3', null, T.spine));
    const rows = P.rows.map((r, k) => {
      const tr = make('tr');
      const chart = make('td');
      chart.appendChild(spine(r, F.rows[k]));
      tr.append(make('td', null, F.rows[k][0]), chart, make('td', 'w', r[0]), make('td', 'r', r[1]));
      return tr;
    });
    const spineTable = table(['', '', T.value, T.rank], rows);
    spineTable.classList.add('rueckgrat');
    box.append(spineTable, make('p', 'legende-klein', T.spineLegend));
    if (F.series && P.series) {
      const y = F.series.years;
      box.appendChild(make('h3', null,
        T.series.replace('{from}', y[0]).replace('{to}', y[y.length - 1])));
      const series = P.series.map((cells, k) => {
        const tr = make('tr');
        tr.appendChild(make('td', null, F.series.labels[k]));
        for (const c of cells) tr.appendChild(make('td', null, c));
        return tr;
      });
      const t = table([''].concat(y.map(String)), series);
      t.classList.add('reihe');
      box.appendChild(t);
      if (F.series.estimates) box.appendChild(make('p', 'legende-klein', '* ' + T.estimated));
    }
    if (P.measures !== null) {
      box.appendChild(make('h3', null, T.measures));
      if (!P.measures.length) box.appendChild(make('p', 'legende-klein', T.noMeasures));
      for (const m of P.measures) box.appendChild(make('p', null, m));
    }
    box.appendChild(make('p', 'quelle', D.source));
    box.hidden = false;
    $('hinweis').hidden = true;
    $('seite').scrollTop = 0;
  }
  function select(i, zoom) {
    selected = i;
    const p = pathOf.get(i);
    $('auswahl').setAttribute('d', p ? p.getAttribute('d') : '');
    if (i < 0) {
      $('profil').hidden = true;
      $('hinweis').hidden = false;
      history.replaceState(null, '', location.pathname + location.search);
      return;
    }
    showProfile(i);
    history.replaceState(null, '', '#' + encodeURIComponent(D.areas[i][0]));
    if (zoom && p) {
      const b = p.getBBox();
      const side = Math.max(b.width, b.height * full.w / full.h) * 3;
      setView({ x: b.x + b.width / 2 - side / 2, w: side,
        y: b.y + b.height / 2 - side * full.h / full.w / 2, h: side * full.h / full.w });
    }
  }

  // Search by code or name, accents and case ignored.
  const norm = (s) => s.toLowerCase().replace(/ß/g, 'ss').normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]/g, '');
  const keys = D.areas.map((a) => [norm(a[0]), norm(a[1])]);
  const search = $('suche');
  const hits = $('treffer');
  let found = [];
  let active = 0;
  function showHits() {
    hits.replaceChildren();
    if (!found.length) {
      hits.appendChild(make('li', 'leer', T.noHits));
    }
    found.forEach((i, k) => {
      const li = make('li', null, (D.areas[i][0] + ' ' + D.areas[i][1]).trim() + ' ');
      const m = D.profiles[i].m;
      if (m !== null) li.appendChild(make('small', null, D.municipalities[m]));
      li.setAttribute('aria-selected', String(k === active));
      li.addEventListener('mousedown', (e) => { e.preventDefault(); pick(i); });
      hits.appendChild(li);
    });
    hits.hidden = false;
  }
  function pick(i) {
    hits.hidden = true;
    search.value = (D.areas[i][0] + ' ' + D.areas[i][1]).trim();
    select(i, true);
  }
  search.addEventListener('input', () => {
    const q = norm(search.value);
    if (!q) {
      hits.hidden = true;
      return;
    }
    const exact = [];
    const start = [];
    const inside = [];
    keys.forEach(([c, n], i) => {
      if (c === q) exact.push(i);
      else if (c.startsWith(q) || n.startsWith(q)) start.push(i);
      else if (c.includes(q) || n.includes(q)) inside.push(i);
    });
    found = exact.concat(start, inside).slice(0, 12);
    active = 0;
    showHits();
  });
  search.addEventListener('keydown', (e) => {
    if (hits.hidden || !found.length) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      active = (active + (e.key === 'ArrowDown' ? 1 : found.length - 1)) % found.length;
      showHits();
      e.preventDefault();
    } else if (e.key === 'Enter') {
      pick(found[active]);
    } else if (e.key === 'Escape') {
      hits.hidden = true;
    }
  });
  search.addEventListener('blur', () => { hits.hidden = true; });

  // Zoom and pan by changing the viewBox; stripes, hatches, lines and codes keep their size
  // on screen.
  function pxPerUnit() {
    const r = map.getBoundingClientRect();
    return Math.min(r.width / view.w, r.height / view.h) || 1;
  }
  function setView(v) {
    const w = Math.min(full.w, Math.max(full.w / D.maxZoom, v.w));
    const h = w * full.h / full.w;
    const cx = Math.min(full.w, Math.max(0, v.x + v.w / 2));
    const cy = Math.min(full.h, Math.max(0, v.y + v.h / 2));
    view = { x: cx - w / 2, y: cy - h / 2, w, h };
    map.setAttribute('viewBox', [view.x, view.y, view.w, view.h].join(' '));
    const s = pxPerUnit();
    for (const p of patterns) p.setAttribute('patternTransform', 'scale(' + (1 / s) + ')');
    const size = 11 / s;
    for (const t of labels) {
      const fits = Number(t.dataset.w) * s > t.textContent.length * 7 + 4;
      t.style.display = fits ? '' : 'none';
      t.setAttribute('font-size', size);
    }
  }
  function zoomAt(factor, cx, cy) {
    const w = view.w / factor;
    const h = view.h / factor;
    setView({ x: cx - (cx - view.x) / factor, y: cy - (cy - view.y) / factor, w, h });
  }
  function unitsAt(e) {
    const pt = map.createSVGPoint();
    pt.x = e.clientX;
    pt.y = e.clientY;
    return pt.matrixTransform(map.getScreenCTM().inverse());
  }
  map.addEventListener('wheel', (e) => {
    e.preventDefault();
    const p = unitsAt(e);
    zoomAt(e.deltaY < 0 ? 1.25 : 0.8, p.x, p.y);
  }, { passive: false });
  let drag = null;
  map.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY, view: Object.assign({}, view), moved: false };
  });
  window.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 5) return;
    drag.moved = true;
    map.classList.add('zieht');
    tip.hidden = true;
    const s = pxPerUnit();
    setView({ x: drag.view.x - dx / s, y: drag.view.y - dy / s, w: drag.view.w, h: drag.view.h });
  });
  window.addEventListener('pointerup', (e) => {
    const was = drag;
    drag = null;
    map.classList.remove('zieht');
    if (!was || was.moved) return;
    const p = e.target.closest && e.target.closest('#flaechen path');
    if (p) select(Number(p.dataset.i));
  });
  $('plus').addEventListener('click', () => zoomAt(1.5, view.x + view.w / 2, view.y + view.h / 2));
  $('minus').addEventListener('click', () => zoomAt(1 / 1.5, view.x + view.w / 2, view.y + view.h / 2));
  $('alles').addEventListener('click', () => setView(full));
  window.addEventListener('resize', () => setView(view));

  if (D.start > 0) {
    const k = D.indicators.findIndex((ind) => ind[2].some((y) => y[1] === D.start));
    if (k >= 0) choice.value = String(k);
  }
  showMap(chosen());
  setView(full);
  // "atlas.html#AC%203" opens that area's profile (also when the link changes).
  function fromHash() {
    const wanted = decodeURIComponent(location.hash.slice(1));
    const i = D.areas.findIndex((a) => a[0] === wanted);
    if (i >= 0 && i !== selected) select(i, true);
  }
  window.addEventListener('hashchange', fromHash);
  fromHash();
  // Milliseconds from the start of loading: the script done, then the first frame drawn.
  document.body.dataset.bereit = String(Math.round(performance.now()));
  requestAnimationFrame(() => requestAnimationFrame(() => {
    document.body.dataset.gezeichnet = String(Math.round(performance.now()));
  }));
})();
