// Scenarios: build one from the live fleet with a form, run it, follow it live (server-sent events), see its results
// as charts, compare two or three side by side, and commit one.
import { api, authorization, offeredTypes, el, table, field, select, heading, time, age, number, link } from './shared.js';
import { chart } from './charts.js';

const FINAL = ['done', 'failed', 'cancelled'];

export async function scenariosPage() {
    const [scenarios, hosts, policies] = await Promise.all([api('/api/v1/scenarios'), api('/api/v1/hosts'), api('/api/v1/policies')]);
    const checked = new Set();
    const compare = el('button', { type: 'button', id: 'compare', disabled: true, onclick: () => { location.hash = `#/scenarios/compare?ids=${[...checked].join(',')}`; } }, 'Compare selected');
    const rows = scenarios.slice().reverse().map(s => [
        el('input', { type: 'checkbox', 'aria-label': `compare scenario ${s.id}`, onchange: e => {
            e.target.checked ? checked.add(s.id) : checked.delete(s.id);
            compare.disabled = checked.size < 2 || checked.size > 3;
        } }),
        link(`#/scenarios/${s.id}`, `#${s.id}`), s.name || '–', s.state, s.base === 'live' ? 'live' : 'embedded',
        time(s.createdAt), s.elapsedMillis !== undefined && s.elapsedMillis !== null ? `${number(s.elapsedMillis)} ms` : '–',
        s.commit ? s.commit.mode : '–']);
    return [
        heading('Scenarios'),
        el('p', { class: 'note' }, 'What if workloads or hosts are added, removed or drained, or another policy plans? A scenario starts from the live fleet, is solved in the background, and its plan can be committed.'),
        scenarioForm(hosts, policies),
        el('h2', {}, 'Scenarios run'),
        table(`${scenarios.length} scenarios, newest first; pick two or three to compare`, ['compare', 'id', 'name', 'state', 'base', 'created', 'solve time', 'committed'], rows, { id: 'scenario-list' }),
        compare,
    ];
}

function scenarioForm(hosts, policies) {
    const types = offeredTypes(hosts);
    const hostNames = hosts.map(h => h.name);
    const input = (name, attrs = {}) => el('input', { name, id: `scenario-${name}`, ...attrs });
    const multi = name => el('select', { name, id: `scenario-${name}`, multiple: true, size: 5 }, hostNames.map(h => el('option', { value: h }, h)));
    const form = el('form', { id: 'scenario-form', 'aria-label': 'New scenario' },
        el('fieldset', {}, el('legend', {}, 'Scenario'),
            field('Name', input('name', { value: `what-if-${new Date().toISOString().slice(0, 16)}`, required: true })),
            field('Policy', select('policy', [['', 'the default policy'], ...policies.map(p => p.name)])),
            field('Mode', select('mode', [['place', 'place: today\'s devices stay'], ['replan', 'replan: devices may move']])),
            field('Time limit (s)', input('timeLimit', { type: 'number', min: 1, max: 600, value: 5 }))),
        el('fieldset', {}, el('legend', {}, 'Add workloads of a profile'),
            field('Count', input('addCount', { type: 'number', min: 0, value: 50 }), '0: none'),
            field('Type', select('addType', types, types.includes('nvidia-46') ? 'nvidia-46' : types[0])),
            field('Instances', input('addInstances', { type: 'number', min: 1, value: 1 })),
            field('Host selector', input('addSelector', { placeholder: 'zone=a' }), 'labels, e.g. zone=a')),
        el('fieldset', {}, el('legend', {}, 'Hosts'),
            field('Remove', multi('removeHosts'), 'Ctrl/Shift to pick several'),
            field('Drain', multi('drainHosts')),
            field('Add copies', input('addHostsCount', { type: 'number', min: 0, value: 0 }), '0: none'),
            field('of model host', select('addHostsModel', hostNames))),
        el('fieldset', {}, el('legend', {}, 'Growth and headroom'),
            field('Growth type', select('growthType', [['', 'no growth'], ...types], types.includes('nvidia-46') ? 'nvidia-46' : '')),
            field('Per month', input('growthPerMonth', { type: 'number', min: 0, value: 10 })),
            field('Count headroom for', el('select', { name: 'headroom', id: 'scenario-headroom', multiple: true, size: 5 },
                types.map(t => el('option', { value: t, selected: ['nvidia-46', 'mtty-2', 'i915-GVTg_V5_4'].includes(t) }, t))))),
        el('button', { type: 'submit' }, 'Run scenario'));
    form.addEventListener('submit', event => {
        event.preventDefault();
        submitScenario(form).catch(() => {});
    });
    return form;
}

function selector(text) {
    return Object.fromEntries(text.split(',').map(s => s.trim()).filter(Boolean).map(s => s.split('=').map(x => x.trim())));
}

async function submitScenario(form) {
    const value = name => form.elements[name].value;
    const picked = name => [...form.elements[name].selectedOptions].map(o => o.value);
    const changes = [];
    if (Number(value('addHostsCount')) > 0) changes.push({ op: 'addHosts', count: Number(value('addHostsCount')), model: value('addHostsModel') });
    if (picked('removeHosts').length) changes.push({ op: 'removeHosts', hosts: picked('removeHosts') });
    if (picked('drainHosts').length) changes.push({ op: 'drainHosts', hosts: picked('drainHosts') });
    if (Number(value('addCount')) > 0) {
        changes.push({ op: 'addWorkloads', count: Number(value('addCount')),
            profile: { type: value('addType'), instances: Number(value('addInstances')), hostSelector: selector(value('addSelector')) } });
    }
    const scenario = { name: value('name'), mode: value('mode'), changes,
        growth: value('growthType') ? [{ profile: { type: value('growthType') }, perMonth: Number(value('growthPerMonth')) }] : [],
        headroomProfiles: picked('headroom').map(type => ({ type })) };
    if (value('policy')) scenario.policy = value('policy');
    const queued = await api(`/api/v1/scenarios?timeLimit=${encodeURIComponent(value('timeLimit'))}s`, { json: scenario });
    location.hash = `#/scenarios/${queued.id}`;
}

export async function scenarioPage({ args: [id], signal }) {
    const scenario = await api(`/api/v1/scenarios/${encodeURIComponent(id)}`);
    const status = el('dl', { class: 'kv', id: 'scenario-status' });
    const progress = el('ol', { class: 'progress', id: 'scenario-progress', 'aria-label': 'Progress events' });
    const results = el('section', { id: 'scenario-results', 'aria-label': 'Results' });
    const cancel = el('button', { type: 'button', class: 'secondary', onclick: () => api(`/api/v1/scenarios/${id}`, { method: 'DELETE' }).catch(() => {}) }, 'Cancel run');
    const showStatus = s => {
        status.replaceChildren(...[['state', s.state], ['base', s.base === 'live' ? 'live fleet' : 'embedded fleet'], ['time limit', `${number(s.timeLimitMillis)} ms`],
            ['solve time', s.elapsedMillis !== undefined && s.elapsedMillis !== null ? `${number(s.elapsedMillis)} ms` : '–'], ['best score', s.bestScore || '–'],
            ['created', time(s.createdAt)], ['error', s.error || '–']].flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
        cancel.hidden = FINAL.includes(s.state);
    };
    showStatus(scenario);
    const showResults = async s => {
        if (s.state === 'done' && s.result) results.replaceChildren(...await resultView(s));
        else if (s.state !== 'done') results.replaceChildren(el('p', { class: 'muted' }, FINAL.includes(s.state) ? `No result: the scenario is ${s.state}.` : 'Results appear here when the run is done.'));
    };
    await showResults(scenario);
    if (FINAL.includes(scenario.state)) {
        // over before the page opened: its stored last progress and final state stand for the stream
        if (scenario.progress) progress.append(el('li', {}, progressLine(scenario.progress)));
        progress.append(el('li', {}, stateLine(scenario)));
    } else follow(id, signal, progress, async () => {
        const now = await api(`/api/v1/scenarios/${encodeURIComponent(id)}`);
        showStatus(now);
        await showResults(now);
    }, showStatus, scenario);
    return [heading(`Scenario #${scenario.id}: ${scenario.name || ''}`), status, cancel,
        el('h2', {}, 'Progress'), progress, results];
}

/**
 * Follows the scenario's server-sent events until its final state (or until the page is left). Read with fetch, not
 * EventSource, which cannot send the Authorization header.
 */
function follow(id, signal, progress, onFinal, showStatus, scenario) {
    const line = text => progress.append(el('li', {}, text));
    const handle = (type, data) => {
        if (type === 'progress') line(progressLine(JSON.parse(data)));
        if (type !== 'state') return false;
        const s = JSON.parse(data);
        line(stateLine(s));
        showStatus({ ...scenario, ...s });
        return FINAL.includes(s.state);
    };
    streamEvents(`/api/v1/scenarios/${encodeURIComponent(id)}/events`, signal, handle)
        .then(final => final ? onFinal() : line('event stream closed'))
        .catch(e => { if (!signal.aborted) line(`event stream failed: ${e.message}`); });
}

/** Reads a text/event-stream; calls handle(type, data) per event until it answers true or the stream ends. */
async function streamEvents(path, signal, handle) {
    const response = await fetch(path, { headers: { Accept: 'text/event-stream', ...authorization() }, signal });
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
        const { value, done } = await reader.read();
        if (done) return false;
        buffer += value.replace(/\r\n?/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let type = 'message';
            const data = [];
            for (const field of block.split('\n')) {
                if (field.startsWith('event:')) type = field.slice(6).trim();
                else if (field.startsWith('data:')) data.push(field.slice(5).replace(/^ /, ''));
            }
            if (data.length && handle(type, data.join('\n'))) {
                reader.cancel().catch(() => {});
                return true;
            }
        }
    }
}

const progressLine = p => `${p.phase} at ${number(p.elapsedMillis)} ms` + (p.bestScore ? `, best score ${p.bestScore}` : '')
    + (p.unplaced !== undefined ? `, ${p.unplaced} unplaced` : '') + (p.month ? `, month ${p.month}` : '');
const stateLine = s => `state ${s.state}` + (s.elapsedMillis !== undefined && s.elapsedMillis !== null ? ` after ${number(s.elapsedMillis)} ms` : '');

async function resultView(scenario) {
    const r = scenario.result;
    const hosts = await api('/api/v1/hosts');
    const before = poolUse(hosts);
    const pools = r.metrics.pools.map(p => p.pool);
    const profileName = p => `${p.type} x${p.instances}` + (p.hostSelector && Object.keys(p.hostSelector).length ? ` ${Object.entries(p.hostSelector).map(([k, v]) => `${k}=${v}`).join(',')}` : '');
    const charts = [
        chart({ id: 'chart-pools', title: 'Use per pool: live fleet (before) and scenario (after)', x: 'pool', y: 'used, % of capacity', categories: pools, yMax: 100,
            series: [
                { name: 'before (live fleet now)', type: 'bar', data: pools.map(pool => before[pool] ? round(100 * before[pool].used / before[pool].capacity) : 0) },
                { name: 'after (scenario plan)', type: 'bar', data: r.metrics.pools.map(p => round(100 * p.usedShare)) }] }),
        chart({ id: 'chart-unplaced', title: 'Workloads per profile: placed and unplaced', x: 'profile (type x instances)', y: 'workloads', categories: r.profiles.map(profileName),
            series: [
                { name: 'placed', type: 'bar', stack: 'w', data: r.profiles.map(p => p.placed) },
                { name: 'unplaced', type: 'bar', stack: 'w', data: r.profiles.map(p => p.unplaced), itemStyle: { color: '#cf222e' } }] }),
        r.headroom.length ? chart({ id: 'chart-headroom', title: 'Headroom per profile: how many more fit after the scenario', x: 'profile (type x instances)', y: 'more workloads that fit',
            categories: r.headroom.map(profileName), series: [{ name: 'more that fit', type: 'bar', data: r.headroom.map(h => h.total) }] })
            : el('p', { class: 'muted' }, 'No headroom profiles were asked for.'),
        exhaustionChart(r.exhaustion),
    ];
    return [
        el('h2', {}, 'Results'),
        el('dl', { class: 'kv', id: 'scenario-figures' }, ...[['policy', r.policy], ['workloads', number(r.workloads)], ['placed', number(r.placed)], ['unplaced', number(r.unplaced.length)],
            ['plan against today', `${number(r.plan.creates)} creates, ${number(r.plan.moves)} moves, ${number(r.plan.removes)} removes, ${number(r.plan.keeps)} keeps, ${number(r.plan.unmovable)} unmovable`],
            ['time to exhaustion', r.exhaustion.month ? `month ${r.exhaustion.month}` : `none within ${r.exhaustion.horizonMonths} months`],
            ['why', r.exhaustion.reason]].flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
        el('div', { class: 'charts' }, charts),
        table('Changes', ['change', 'what it did'], r.changes.map(c => [c.op, c.summary])),
        table(`Unplaced workloads (${r.unplaced.length}${r.unplaced.length > 50 ? ', first 50' : ''}), with the planner's reason`, ['workload', 'type', 'instances', 'why nothing fitted'],
            r.unplaced.slice(0, 50).map(u => [u.workload, u.type, number(u.instances), u.reason]), { id: 'scenario-unplaced' }),
        el('details', {}, el('summary', {}, `Plan actions against today (${r.plan.actions.length}${r.plan.actions.length > 200 ? ', first 200' : ''})`),
            table('Plan actions', ['action', 'workload', 'type', 'from', 'to', 'why'],
                r.plan.actions.slice(0, 200).map(a => [a.action, a.workload, `${a.type} x${a.instances}`, a.from || '–', a.to || '–', a.reason || '–']))),
        commitForm(scenario),
    ];
}

function exhaustionChart(exhaustion) {
    if (!exhaustion.growth || !exhaustion.growth.length) return el('p', { class: 'muted', id: 'chart-exhaustion' }, `Time to exhaustion: ${exhaustion.reason}.`);
    const months = Array.from({ length: exhaustion.horizonMonths + 1 }, (_, m) => m);
    const series = exhaustion.growth.flatMap(g => [
        { name: `${g.profile.type} arriving (cumulative)`, type: 'line', data: months.map(m => m * g.perMonth), showSymbol: false,
            markLine: exhaustion.month ? { symbol: 'none', label: { formatter: `exhausted: month ${exhaustion.month}` }, data: [{ xAxis: String(exhaustion.month) }] } : undefined },
        { name: `${g.profile.type} headroom after the scenario`, type: 'line', data: months.map(() => g.headroom), showSymbol: false, lineStyle: { type: 'dashed' } }]);
    return chart({ id: 'chart-exhaustion', title: `Time to exhaustion: ${exhaustion.month ? `month ${exhaustion.month}` : `none in ${exhaustion.horizonMonths} months`}`,
        x: 'month of growth', y: 'workloads', categories: months.map(String), series });
}

function commitForm(scenario) {
    const answer = el('div', { id: 'commit-answer', 'aria-live': 'polite' });
    if (scenario.commit) {
        return el('section', {}, el('h2', {}, 'Committed'), el('p', {}, `${scenario.commit.mode} ${age(scenario.commit.committedAt)}, ${number(scenario.commit.placements)} placements` + (scenario.commit.expiresAt ? `, reservations until ${scenario.commit.expiresAt}` : '')));
    }
    if (scenario.base !== 'live') return el('p', { class: 'muted' }, 'A scenario on an embedded fleet cannot be committed.');
    const mode = select('mode', [['reserve', 'reserve: hold the capacity, create nothing'], ['dispatch', 'dispatch: make the placements and host actions']]);
    const ttl = el('input', { name: 'ttlSeconds', type: 'number', min: 1, value: 3600 });
    const form = el('form', { 'aria-label': 'Commit the scenario' }, el('fieldset', {}, el('legend', {}, 'Commit this plan to the live fleet'),
        field('Mode', mode), field('Reservation time (s)', ttl, 'reserve only'), el('button', { type: 'submit' }, 'Commit')), answer);
    form.addEventListener('submit', async event => {
        event.preventDefault();
        const body = { mode: mode.value, ...(mode.value === 'reserve' ? { ttlSeconds: Number(ttl.value) } : {}) };
        const done = await api(`/api/v1/scenarios/${scenario.id}/commit`, { json: body }).catch(() => null);
        if (done) answer.replaceChildren(el('p', { class: 'fits' }, `Committed (${done.mode}): ${done.placed.length} placements ${done.mode === 'reserve' ? 'reserved' : 'made'}, ${done.released.length} released, ${done.cordoned.length} hosts cordoned` + (done.skipped.length ? `, ${done.skipped.length} steps skipped` : '') + '.'));
    });
    return form;
}

const round = n => Math.round(n * 10) / 10;

/** Per pool name, what the live fleet uses of what it has, summed over every parent. */
function poolUse(hosts) {
    const use = {};
    hosts.forEach(h => h.parents.forEach(p => p.pools.forEach(pool => {
        use[pool.name] = use[pool.name] || { used: 0, capacity: 0 };
        use[pool.name].used += pool.used;
        use[pool.name].capacity += pool.capacity;
    })));
    return use;
}

export async function comparePage({ query }) {
    const ids = (query.get('ids') || '').split(',').filter(Boolean);
    const comparison = await api(`/api/v1/scenarios/compare?ids=${ids.map(encodeURIComponent).join(',')}`);
    const columns = comparison.scenarios;
    const figure = (name, of) => [name, ...columns.map(s => of(s))];
    const rows = [
        figure('state', s => s.state), figure('policy', s => s.policy || '–'), figure('workloads', s => number(s.workloads)),
        figure('placed', s => number(s.placed)), figure('unplaced', s => number(s.unplaced)),
        figure('creates / moves / removes', s => s.plan ? `${number(s.plan.creates)} / ${number(s.plan.moves)} / ${number(s.plan.removes)}` : '–'),
        figure('time to exhaustion', s => s.exhaustion ? (s.exhaustion.month ? `month ${s.exhaustion.month}` : `none in ${s.exhaustion.horizonMonths} months`) : '–'),
        ...comparison.headroom.map(h => figure(`headroom ${h.type} x${h.instances}`, s => number(h.total[s.id]))),
    ];
    const names = columns.map(s => `#${s.id} ${s.name || ''}`);
    return [
        heading('Scenarios side by side'),
        table('Key figures', ['figure', ...columns.map((s, i) => link(`#/scenarios/${s.id}`, names[i]))], rows, { id: 'compare-table' }),
        el('div', { class: 'charts' },
            chart({ id: 'chart-compare-headroom', title: 'Headroom per profile, by scenario', x: 'profile (type x instances)', y: 'more workloads that fit',
                categories: comparison.headroom.map(h => `${h.type} x${h.instances}`),
                series: columns.map((s, i) => ({ name: names[i], type: 'bar', data: comparison.headroom.map(h => h.total[s.id] ?? 0) })) }),
            chart({ id: 'chart-compare-placed', title: 'Workloads placed and unplaced, by scenario', x: 'scenario', y: 'workloads', categories: names,
                series: [{ name: 'placed', type: 'bar', stack: 'w', data: columns.map(s => s.placed ?? 0) },
                    { name: 'unplaced', type: 'bar', stack: 'w', data: columns.map(s => s.unplaced ?? 0), itemStyle: { color: '#cf222e' } }] })),
        el('p', {}, link('#/scenarios', 'Back to the scenarios')),
    ];
}
