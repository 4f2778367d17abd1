// Placements: a searchable list, a dry run for any request (why it fits where, or why nothing fits), and each
// placement's page with the reasoning behind its parent.
import { api, offeredTypes, el, table, field, select, heading, hostLink, parentLink, placementLink, time, number, percent, labels, link } from './shared.js';

const STATES = ['live', 'pending', 'applying', 'active', 'failed', 'released', 'reserved'];

export async function placementsPage({ query }) {
    const state = query.get('state') || 'live';
    const [placements, hosts] = await Promise.all([
        api('/api/v1/placements' + (state === 'live' ? '' : `?state=${encodeURIComponent(state)}`)),
        api('/api/v1/hosts'),
    ]);
    const search = el('input', { type: 'search', name: 'q', placeholder: 'workload, host, parent or type', value: query.get('q') || '' });
    const stateSelect = select('state', STATES.map(s => [s, s === 'live' ? 'live (pending, applying, active)' : s]), state);
    stateSelect.addEventListener('change', () => { location.hash = `#/placements?state=${stateSelect.value}`; });
    const body = el('div', { id: 'placement-list' });
    const redraw = () => {
        const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
        const shown = placements.filter(p => words.every(w => [p.workload, p.host, p.parent, p.type, p.state].some(v => v && v.toLowerCase().includes(w))));
        body.replaceChildren(table(`${shown.length} of ${placements.length} ${state} placements`,
            ['workload', 'host', 'parent', 'type', 'instances', 'state', 'age'],
            shown.map(p => [placementLink(p.workload), p.host ? hostLink(p.host) : '–', p.host ? parentLink(p.host, p.parent) : '–', p.type, number(p.instances),
                p.state + (p.drift ? ' (drift)' : ''), time(p.createdAt)])));
    };
    search.addEventListener('input', redraw);
    redraw();
    return [
        heading('Placements'),
        el('div', { class: 'filters', role: 'search', 'aria-label': 'Search placements' }, field('Search', search), field('State', stateSelect)),
        dryRunForm(hosts),
        body,
    ];
}

/** Asks where a request would go now, without placing it: the planner's decision, or its reason for refusing. */
function dryRunForm(hosts) {
    const types = offeredTypes(hosts);
    const policies = el('select', { name: 'policy' }, el('option', { value: '' }, 'the default policy'));
    api('/api/v1/policies').then(list => list.forEach(p => policies.append(el('option', { value: p.name }, p.name))), () => {});
    const workload = el('input', { name: 'workload', required: true, value: 'vm-check-1', pattern: '[A-Za-z0-9._:\\-]+' });
    const type = select('type', types);
    const instances = el('input', { name: 'instances', type: 'number', min: 1, value: 1 });
    const selector = el('input', { name: 'hostSelector', placeholder: 'zone=a', pattern: '([^=,]+=[^=,]+)?(,[^=,]+=[^=,]+)*' });
    const answer = el('div', { id: 'dry-run-answer', 'aria-live': 'polite' });
    const submit = async event => {
        event.preventDefault();
        const hostSelector = Object.fromEntries(selector.value.split(',').map(s => s.trim()).filter(Boolean).map(s => s.split('=').map(x => x.trim())));
        const request = { workload: workload.value, type: type.value, instances: Number(instances.value), hostSelector };
        if (policies.value) request.policy = policies.value;
        answer.replaceChildren();
        const decision = await api('/api/v1/placements:explain', { json: request });
        answer.replaceChildren(explanation(decision));
    };
    return el('form', { onsubmit: e => submit(e).catch(() => {}), 'aria-label': 'Check a request' },
        el('fieldset', {}, el('legend', {}, 'Check a request: where would it go now? (nothing is placed)'),
            field('Workload', workload), field('Type', type), field('Instances', instances),
            field('Host selector', selector, 'labels, e.g. zone=a,rack=r1'), field('Policy', policies),
            el('button', { type: 'submit' }, 'Check')),
        answer);
}

function explanation(decision) {
    if (decision.outcome === 'refused') {
        return el('div', { class: 'reason', id: 'refusal-reason' }, el('strong', {}, 'Refused. '), decision.reason,
            el('div', { class: 'muted' }, `Policy ${decision.policy}; ${decision.acceptingParents} parents accept it by the hard rules.`));
    }
    return el('div', { class: 'fits' }, el('strong', {}, 'Fits: '), `the ${decision.policy} policy chooses `,
        hostLink(decision.host), ' / ', parentLink(decision.host, decision.parent),
        ` among ${decision.acceptingParents} parents the hard rules accept now.`);
}

export async function placementPage({ args: [workload] }) {
    const placement = await api(`/api/v1/placements/${encodeURIComponent(workload)}`);
    const parts = [
        heading(`Placement of ${placement.workload}`),
        el('dl', { class: 'kv' },
            ...[['state', placement.state], ['host', placement.host ? hostLink(placement.host) : '–'],
                ['parent', placement.host ? parentLink(placement.host, placement.parent) : '–'],
                ['type', `${placement.type} x${placement.instances}`], ['device uuid', placement.uuid ? el('code', {}, placement.uuid) : '–'],
                ['priority', number(placement.priority)], ['anti-affinity group', placement.antiAffinityGroup || '–'],
                ['host selector', labels(placement.hostSelector)], ['policy', placement.policy || 'none: it came with a fleet import'],
                ['created', time(placement.createdAt)], ['updated', time(placement.updatedAt)]]
                .flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    ];
    if (placement.reason) parts.push(el('h2', {}, 'Why it failed'), el('p', { class: 'reason', id: 'placement-reason' }, placement.reason));
    if (placement.drift) parts.push(el('h2', {}, 'Drift'), el('p', { class: 'reason' }, placement.drift));
    if (placement.host && placement.parent) parts.push(...await whyThere(placement));
    else parts.push(el('p', { class: 'muted' }, 'Not placed by mdevplan (a device imported as a fact, or its parent is gone).'));
    return parts;
}

/**
 * Why it went there: the parent's pools with and without this device (the cost of its type times its instances,
 * as the host view gives them), the policy's weights, and where the same request would go now.
 */
async function whyThere(placement) {
    const [host, policy, now] = await Promise.all([
        api(`/api/v1/hosts/${encodeURIComponent(placement.host)}`),
        placement.policy ? api(`/api/v1/policies/${encodeURIComponent(placement.policy)}`) : Promise.resolve(null),
        api('/api/v1/placements:explain', { json: { workload: placement.workload, type: placement.type, instances: placement.instances,
            priority: placement.priority, antiAffinityGroup: placement.antiAffinityGroup, hostSelector: placement.hostSelector,
            ...(placement.policy ? { policy: placement.policy } : {}) } }).catch(() => null),
    ]);
    const parent = host.parents.find(p => p.address === placement.parent);
    const cost = parent?.types.find(t => t.id === placement.type)?.cost || {};
    const counted = ['pending', 'applying', 'active', 'reserved'].includes(placement.state);
    const rows = (parent?.pools || []).map(pool => {
        const mine = (cost[pool.name] || 0) * placement.instances;
        const without = counted ? pool.used - mine : pool.used;
        return [pool.name, number(pool.capacity), number(without), number(without + mine), pool.capacity ? percent((without + mine) / pool.capacity) : '–'];
    });
    return [
        el('h2', {}, 'Why it went there'),
        el('p', { class: 'note' }, `The hard rules (type offered, aggregation, pool capacity, mixing, schedulable host, host selector, anti-affinity) admit a parent; the policy's soft rules pick among those. Pools of ${placement.host} / ${placement.parent} without and with this device (${labels(cost)} per instance x ${placement.instances}):`),
        table(counted ? 'Pool use without and with this device' : `Pool use now, and with this device (${placement.state}: it holds nothing now)`,
            ['pool', 'capacity', 'used without it', 'used with it', 'use with it'], rows, { id: 'why-pools' }),
        policy ? [el('p', {}, `Policy ${policy.name}: ${policy.description}`),
            table(`The weights of ${policy.name}`, ['soft rule', 'weight'], Object.entries(policy.weights).map(([rule, w]) => [rule, number(w)]))]
            : el('p', {}, 'No policy chose this parent: the placement came with a fleet import, where its device already was.'),
        now ? el('p', { id: 'same-request-now' }, 'The same request now: ', now.outcome === 'fits'
            ? [`the ${now.policy} policy would choose `, parentLink(now.host, now.parent), ` on ${now.host}, among ${now.acceptingParents} parents the hard rules accept.`]
            : el('span', { class: 'reason' }, now.reason)) : null,
        el('p', {}, link(`#/placements?q=${encodeURIComponent(placement.host)}`, `Other placements on ${placement.host}`)),
    ];
}
