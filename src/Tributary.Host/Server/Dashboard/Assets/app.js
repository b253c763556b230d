'use strict';
// The Tributary dashboard: plain JavaScript over the JSON API under /api. Every value from the API is inserted as text,
// never as markup.
(function () {
  const state = { lane: 'quarantined', destination: '', rows: [], planned: null };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  async function api(path, body) {
    const options = { credentials: 'same-origin', headers: { 'Accept': 'application/json' } };
    if (body !== undefined) {
      options.method = 'POST';
      options.headers['Content-Type'] = 'application/json';
      options.headers['X-Tributary-Dashboard'] = '1';
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || data.detail || ('HTTP ' + response.status));
    return data;
  }

  const fmtNumber = n => n === null || n === undefined ? '–' : Number(n).toLocaleString(undefined, { maximumFractionDigits: 1 });
  const fmtTime = t => t ? new Date(t).toLocaleString() : '–';
  function fmtLag(seconds) {
    if (seconds === null || seconds === undefined) return 'unknown';
    if (seconds < 1) return 'caught up';
    if (seconds < 120) return Math.round(seconds) + ' s';
    if (seconds < 7200) return Math.round(seconds / 60) + ' min';
    return (seconds / 3600).toFixed(1) + ' h';
  }
  function fill(tbody, rows) { tbody.replaceChildren(...rows); }
  function fields(map) {
    const entries = Object.entries(map || {});
    if (entries.length === 0) return el('span', { class: 'muted' }, 'none');
    return el('dl', {}, entries.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v === null ? '(no value)' : v)]));
  }

  // ---- tabs
  function show(view) {
    for (const tab of document.querySelectorAll('.tab')) tab.classList.toggle('active', tab.dataset.view === view);
    for (const section of document.querySelectorAll('.view')) section.classList.toggle('hidden', section.id !== 'view-' + view);
    if (view === 'overview') loadOverview();
    if (view === 'lanes') loadLane();
  }
  for (const tab of document.querySelectorAll('.tab')) tab.addEventListener('click', () => show(tab.dataset.view));

  // ---- overview
  async function loadOverview() {
    try {
      const [o, series] = await Promise.all([api('/api/overview'), api('/api/series')]);
      document.getElementById('pipeline').textContent = o.pipeline + ' · ' + o.source;
      document.getElementById('sampled').textContent = 'sampled ' + fmtTime(o.sampledAt);
      const card = (label, value) => el('div', { class: 'card' }, el('b', {}, value), label);
      document.getElementById('totals').replaceChildren(
        card('sent / min', fmtNumber(o.sentPerMinute)), card('read / min', fmtNumber(o.readPerMinute)),
        card('sent since start', fmtNumber(o.totals.sent)), card('read since start', fmtNumber(o.totals.read)),
        card('quarantined since start', fmtNumber(o.totals.quarantined)), card('dead since start', fmtNumber(o.totals.dead)),
        card('destination calls', fmtNumber(o.totals.calls)));
      fill(document.querySelector('#overview-table tbody'), o.rows.map(r => el('tr', { 'data-entity': r.entity },
        el('td', {}, r.destination), el('td', {}, r.entity),
        el('td', { class: r.freshnessLagSeconds > 900 ? 'bad' : '' }, fmtLag(r.freshnessLagSeconds)), el('td', {}, fmtTime(r.sourceSeenUntil)),
        el('td', { class: 'num' }, fmtNumber(r.pending)), el('td', { class: 'num' }, fmtNumber(r.parked)),
        el('td', { class: 'num' + (r.quarantined ? ' bad' : '') }, fmtNumber(r.quarantined)),
        el('td', { class: 'num' + (r.dead ? ' bad' : '') }, fmtNumber(r.dead)))));
      fill(document.querySelector('#budget-table tbody'), o.budgets.map(b => el('tr', {},
        el('td', {}, b.destination), el('td', { class: 'num' }, b.requestsPerMinute ? fmtNumber(b.requestsPerMinute) : 'no limit'),
        el('td', { class: 'num' }, b.usePercent === null || b.usePercent === undefined ? '–' : fmtNumber(b.usePercent) + ' %'),
        el('td', { class: 'num' }, fmtNumber(b.granted)), el('td', { class: 'num' }, fmtNumber(b.throttled)))));
      fill(document.querySelector('#latency-table tbody'), o.latency.length === 0
        ? [el('tr', {}, el('td', { colspan: 7, class: 'muted' }, 'no pass finished yet'))]
        : o.latency.map(l => el('tr', {}, el('td', {}, l.summary.kind), el('td', {}, l.window), el('td', { class: 'num' }, l.summary.count),
          ['p50', 'p90', 'p99', 'max'].map(p => el('td', { class: 'num' }, fmtNumber(l.summary[p]))))));
      fill(document.querySelector('#reason-table tbody'), o.reasons.length === 0
        ? [el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'every lane is empty'))]
        : o.reasons.map(r => el('tr', { class: 'clickable', onclick: () => { state.lane = r.lane; document.getElementById('lane-select').value = r.lane; show('lanes'); } },
          el('td', {}, r.lane), el('td', {}, r.destination), el('td', {}, r.entity), el('td', {}, r.reason), el('td', { class: 'num' }, r.count))));
      renderBalance(o.balance);
      renderConsent(await api('/api/consent'));
      renderCharts(series, o.budgets.map(b => b.destination));
    } catch (e) {
      document.getElementById('sampled').textContent = 'could not load: ' + e.message;
    }
  }

  function renderConsent(c) {
    const rows = c.parties.map(p => el('tr', { 'data-party': p.party, 'data-channel': p.channel },
      el('td', {}, p.party), el('td', {}, p.channel),
      el('td', { class: 'num' }, [p.sourceSubscribed, p.writtenSubscribed, p.reportedSubscribed].map(fmtNumber).join(' / ')),
      el('td', { class: 'num' }, [p.sourceUnsubscribed, p.writtenUnsubscribed, p.reportedUnsubscribed].map(fmtNumber).join(' / ')),
      el('td', { class: 'num consent-conflicts' + (p.conflicts ? ' bad' : '') }, fmtNumber(p.conflicts))));
    fill(document.querySelector('#consent-table tbody'), rows.length === 0
      ? [el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'no consent answer recorded yet'))]
      : rows);
    fill(document.querySelector('#consent-conflicts tbody'), c.conflicts.length === 0
      ? [el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'no conflicts'))]
      : c.conflicts.map(x => el('tr', { class: 'conflict' }, el('td', {}, x.destination), el('td', {}, x.contact), el('td', {}, x.channel),
        el('td', {}, fmtTime(x.optedOutAt)), el('td', {}, x.sourceOrigin || ''))));
  }

  // The same balance `sync` prints: the latest pass that read or delivered anything (since start when none has yet).
  function renderBalance(balance) {
    const shown = balance.latest || balance.sinceStart;
    document.getElementById('balance-title').textContent = balance.latest
      ? 'Balance of the latest pass (' + balance.latest.kind + ', ' + fmtTime(balance.latest.at) + ')'
      : 'Balance since start';
    const num = (v, bad) => el('td', { class: 'num' + (bad && v ? ' bad' : '') }, fmtNumber(v));
    fill(document.querySelector('#balance-sources tbody'), shown.sources.length === 0
      ? [el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'no pass read anything yet'))]
      : shown.sources.map(s => el('tr', { 'data-entity': s.entity }, el('td', {}, s.entity), num(s.read), num(s.unchanged), num(s.changed),
        num(s.skipped), num(s.rejected, true))));
    fill(document.querySelector('#balance-rows tbody'), shown.rows.length === 0
      ? [el('tr', {}, el('td', { colspan: 10, class: 'muted' }, 'no row staged or delivered yet'))]
      : shown.rows.map(r => el('tr', { 'data-kind': r.kind }, el('td', {}, r.destination), el('td', {}, r.kind), num(r.staged), num(r.carried),
        num(r.sent), num(r.parked), num(r.quarantined, true), num(r.dead, true), num(r.pending), num(r.retried))));
  }

  function chart(title, points, value, unit) {
    const w = 420, h = 140, pad = 28;
    const data = points.map(p => ({ t: new Date(p.at).getTime(), v: value(p) })).filter(p => p.v !== null && p.v !== undefined);
    const svgNs = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(svgNs, 'svg');
    svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', title);
    const add = (tag, attrs, text) => {
      const n = document.createElementNS(svgNs, tag);
      for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
      if (text !== undefined) n.textContent = text;
      svg.append(n);
      return n;
    };
    add('line', { class: 'axis', x1: pad, y1: h - pad, x2: w - 4, y2: h - pad });
    add('line', { class: 'axis', x1: pad, y1: 4, x2: pad, y2: h - pad });
    if (data.length === 0) {
      add('text', { x: w / 2, y: h / 2, 'text-anchor': 'middle' }, 'no samples yet');
    } else {
      const now = Date.now(), from = now - 24 * 3600 * 1000;
      const max = Math.max(1, ...data.map(p => p.v));
      const x = t => pad + (w - pad - 4) * Math.max(0, (t - from) / (now - from));
      const y = v => (h - pad) - (h - pad - 6) * (v / max);
      add('polyline', { class: 'line', points: data.map(p => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ') });
      if (data.length === 1) add('circle', { cx: x(data[0].t), cy: y(data[0].v), r: 2.5, fill: 'currentColor' });
      add('text', { x: pad - 3, y: 12, 'text-anchor': 'end' }, fmtNumber(max));
      add('text', { x: pad - 3, y: h - pad, 'text-anchor': 'end' }, '0');
      add('text', { x: pad, y: h - 8 }, '24 h ago');
      add('text', { x: w - 4, y: h - 8, 'text-anchor': 'end' }, 'now');
    }
    return el('div', { class: 'chart' }, el('h3', {}, title + (unit ? ' (' + unit + ')' : '')), svg);
  }

  function renderCharts(series, destinations) {
    const charts = [
      chart('Records sent', series, p => p.sentPerMinute, 'per min'),
      chart('Records read', series, p => p.readPerMinute, 'per min'),
      chart('Backlog', series, p => p.backlog, 'records'),
      chart('Quarantined and dead', series, p => p.failed, 'records'),
      chart('Freshness lag', series, p => p.freshnessLagSeconds, 's'),
    ];
    for (const d of destinations) charts.push(chart('Budget use ' + d, series, p => (p.budgetUsePercent || {})[d], '%'));
    document.getElementById('charts').replaceChildren(...charts);
  }

  // ---- lanes
  async function loadLane() {
    state.lane = document.getElementById('lane-select').value;
    state.destination = document.getElementById('lane-destination').value.trim();
    const query = state.destination ? '?destination=' + encodeURIComponent(state.destination) : '';
    try {
      state.rows = await api('/api/lanes/' + state.lane + query);
    } catch (e) {
      document.getElementById('replay-result').textContent = 'could not load: ' + e.message;
      return;
    }
    const tbody = document.querySelector('#lane-table tbody');
    fill(tbody, state.rows.length === 0
      ? [el('tr', {}, el('td', { colspan: 8, class: 'muted' }, 'the ' + state.lane + ' lane is empty'))]
      : state.rows.map((r, i) => el('tr', { class: 'clickable', 'data-key': r.key, 'data-destination': r.destination, onclick: e => { if (e.target.tagName !== 'INPUT') detail(i); } },
        el('td', {}, el('input', { type: 'checkbox', class: 'row-select', 'data-key': r.key })),
        el('td', {}, r.destination), el('td', {}, r.entity), el('td', {}, r.key), el('td', {}, r.reason || r.waitingOn || ''),
        el('td', {}, r.statusCode ?? ''), el('td', { class: 'num' }, r.attempts), el('td', {}, fmtTime(r.enqueuedAt)))));
    document.getElementById('lane-detail').replaceChildren();
  }

  async function detail(index) {
    const r = state.rows[index];
    const box = document.getElementById('lane-detail');
    box.replaceChildren(el('h3', {}, `${r.entity} ${r.key} → ${r.destination}`),
      el('dl', {}, el('dt', {}, 'lane'), el('dd', {}, r.status), el('dt', {}, 'reason'), el('dd', { class: 'bad' }, r.reason || r.waitingOn || '–'),
        el('dt', {}, 'last response'), el('dd', {}, (r.statusCode ?? 'no HTTP status') + (r.errorKind ? ' · ' + r.errorKind : '')),
        el('dt', {}, 'attempts'), el('dd', {}, r.attempts), el('dt', {}, 'source changed'), el('dd', {}, fmtTime(r.sourceModifiedAt))),
      el('h4', {}, 'Payload to send (personal data masked)'), fields(r.changes),
      el('h4', {}, 'Attempts'), el('div', { id: 'detail-attempts', class: 'muted' }, 'loading…'));
    try {
      const trace = await api('/api/trace?q=' + encodeURIComponent(r.key));
      const record = trace.records.find(t => t.entity === r.entity);
      const side = record && record.destinations.find(d => d.destination === r.destination);
      document.getElementById('detail-attempts').replaceChildren(attemptsTable(side ? side.attempts : []));
    } catch (e) {
      document.getElementById('detail-attempts').textContent = 'could not load: ' + e.message;
    }
  }

  function attemptsTable(attempts) {
    if (!attempts.length) return el('span', { class: 'muted' }, 'no attempts recorded');
    return el('table', { class: 'attempts' }, el('thead', {}, el('tr', {}, ['Time', 'Outcome', 'Code', 'Message', 'Request', 'Trace'].map(h => el('th', {}, h)))),
      el('tbody', {}, attempts.map(a => el('tr', {}, el('td', {}, fmtTime(a.at)), el('td', {}, a.outcome + (a.errorKind ? ' · ' + a.errorKind : '')),
        el('td', {}, a.statusCode ?? ''), el('td', {}, a.message || ''), el('td', {}, a.request || ''),
        el('td', { class: 'trace-id' }, a.trace || '')))));
  }

  function selection(kind) {
    const request = { lane: state.lane, destination: state.destination || null };
    if (kind === 'selected') {
      request.keys = [...document.querySelectorAll('.row-select:checked')].map(c => c.dataset.key);
      if (request.keys.length === 0) return null;
    } else {
      const from = document.getElementById('range-from').value, to = document.getElementById('range-to').value;
      if (!from && !to) return null;
      if (from) request.from = new Date(from).toISOString();
      if (to) request.to = new Date(to).toISOString();
    }
    return request;
  }

  async function dryRun(kind) {
    const out = document.getElementById('replay-result');
    const request = selection(kind);
    document.getElementById('replay-selected').disabled = true;
    document.getElementById('replay-range').disabled = true;
    if (!request) { out.textContent = kind === 'selected' ? 'Tick the records to replay first.' : 'Give a date range first.'; return; }
    out.textContent = 'Re-reading from the source…';
    try {
      const plan = await api('/api/replay', Object.assign({}, request, { dryRun: true }));
      state.planned = { kind, request };
      out.replaceChildren(el('h3', {}, `Dry run: ${plan.selected} record(s) selected — nothing was sent`),
        el('table', { id: 'plan-table' }, el('thead', {}, el('tr', {}, ['Destination', 'Entity', 'Key', 'Outcome', 'Reason', 'Now at the destination', 'Would send'].map(h => el('th', {}, h)))),
          el('tbody', {}, plan.items.map(p => el('tr', { 'data-key': p.key },
            el('td', {}, p.destination), el('td', {}, p.entity), el('td', {}, p.key), el('td', { class: 'outcome outcome-' + p.outcome.replace(/\s/g, '-') }, p.outcome),
            el('td', {}, p.reason || ''), el('td', {}, fields(p.before)), el('td', {}, fields(p.after)))))));
      document.getElementById(kind === 'selected' ? 'replay-selected' : 'replay-range').disabled = plan.selected === 0;
    } catch (e) {
      out.textContent = 'Dry run failed: ' + e.message;
    }
  }

  async function replay(kind) {
    const out = document.getElementById('replay-result');
    if (!state.planned || state.planned.kind !== kind) { out.textContent = 'Run the dry run first.'; return; }
    out.textContent = 'Replaying…';
    document.getElementById('replay-selected').disabled = true;
    document.getElementById('replay-range').disabled = true;
    try {
      const done = await api('/api/replay', Object.assign({}, state.planned.request, { dryRun: false }));
      state.planned = null;
      out.replaceChildren(el('p', { id: 'replay-done', class: done.sent > 0 ? 'ok' : 'warn' },
        `Replayed: ${done.requeued} record(s) taken from the lane, ${done.sent} sent, ${done.quarantined} quarantined again, ${done.dead} dead, ${done.parked} parked.`),
        done.missingAtSource.length ? el('p', { class: 'bad' }, 'No longer at the source (left in the lane): ' + done.missingAtSource.join(', ')) : null);
      await loadLane();
    } catch (e) {
      out.textContent = 'Replay failed: ' + e.message;
    }
  }

  document.getElementById('lane-form').addEventListener('submit', e => { e.preventDefault(); loadLane(); });
  document.getElementById('select-all').addEventListener('change', e => { for (const c of document.querySelectorAll('.row-select')) c.checked = e.target.checked; });
  document.getElementById('dry-run-selected').addEventListener('click', () => dryRun('selected'));
  document.getElementById('replay-selected').addEventListener('click', () => replay('selected'));
  document.getElementById('dry-run-range').addEventListener('click', () => dryRun('range'));
  document.getElementById('replay-range').addEventListener('click', () => replay('range'));

  // ---- trace
  document.getElementById('trace-form').addEventListener('submit', async e => {
    e.preventDefault();
    const out = document.getElementById('trace-result');
    const q = document.getElementById('trace-query').value.trim();
    if (!q) return;
    out.textContent = 'Searching…';
    try {
      const result = await api('/api/trace?q=' + encodeURIComponent(q));
      out.replaceChildren(...(result.records.length === 0
        ? [el('p', { id: 'trace-none', class: 'muted' }, 'Nothing found for ' + q)]
        : result.records.map(r => el('div', { class: 'record', 'data-entity': r.entity, 'data-key': r.key },
          el('h3', {}, `${r.entity} ${r.key}`),
          el('h4', {}, 'At the source now'), r.source ? el('pre', {}, JSON.stringify(r.source, null, 2)) : el('p', { class: 'muted' }, r.sourceNote || 'not read from the source'),
          r.consent && r.consent.length ? el('div', { class: 'consent' }, el('h4', {}, 'Consent ledger'),
            el('table', { class: 'consent-ledger' }, el('thead', {}, el('tr', {}, ['Channel', 'Party', 'Side', 'Status', 'Where from', 'Given at', 'Recorded at'].map(h => el('th', {}, h)))),
              el('tbody', {}, r.consent.map(c => el('tr', {}, el('td', {}, c.channel), el('td', {}, c.party), el('td', {}, c.side), el('td', {}, c.status),
                el('td', {}, c.origin || ''), el('td', {}, c.at ? fmtTime(c.at) : '–'), el('td', {}, fmtTime(c.recordedAt))))))) : null,
          r.destinations.map(d => el('div', { class: 'destination' },
            el('h4', {}, 'Delivered to ' + d.destination + (d.deliveredAt ? ' at ' + fmtTime(d.deliveredAt) : ' — never accepted')),
            d.delivered ? fields(d.delivered) : null,
            d.outbox ? el('p', { class: 'bad' }, `Waiting in ${d.outbox.status}: ${d.outbox.reason || d.outbox.waitingOn || ''}`) : null,
            attemptsTable(d.attempts)))))));
    } catch (err) {
      out.textContent = 'Search failed: ' + err.message;
    }
  });

  loadOverview();
  setInterval(() => { if (!document.getElementById('view-overview').classList.contains('hidden')) loadOverview(); }, 30000);
})();
