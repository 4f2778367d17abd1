// Fleet: a heatmap of hosts x parents coloured by the fullest pool of each parent, and each parent's own page.
import { api, offeredTypes, el, table, field, select, fullestShare, shareColour, percent, number, labels, heading, hostLink, parentLink, placementLink, deviceWorkload, time } from './shared.js';

export async function fleetPage({ args }) {
    const hosts = await api('/api/v1/hosts');
    if (args[0]) return hostPage(hosts, args[0]);
    const drivers = [...new Set(hosts.flatMap(h => h.parents.map(p => p.driver)))].sort();
    const types = offeredTypes(hosts);
    const labelPairs = [...new Set(hosts.flatMap(h => Object.entries(h.labels).map(([k, v]) => `${k}=${v}`)))].sort();
    const parents = hosts.reduce((n, h) => n + h.parents.length, 0);

    const driver = select('driver', [['', 'every driver'], ...drivers]);
    const type = select('type', [['', 'every type'], ...types]);
    const label = select('label', [['', 'every label'], ...labelPairs]);
    const minFree = el('input', { name: 'minFree', type: 'number', min: 0, max: 100, step: 5, value: 0 });
    const count = el('p', { class: 'muted', id: 'heatmap-count' });
    const grid = el('div', { id: 'heatmap' });
    const tooltip = el('div', { class: 'tooltip', role: 'tooltip', id: 'parent-tooltip', hidden: true });

    const redraw = () => {
        const shown = hosts
            .filter(h => !label.value || labels(h.labels).split(', ').includes(label.value))
            .map(h => ({ host: h, parents: h.parents.filter(p => (!driver.value || p.driver === driver.value)
                && (!type.value || p.types.some(t => t.id === type.value))
                && (1 - fullestShare(p)) * 100 >= Number(minFree.value || 0)) }))
            .filter(row => row.parents.length);
        const cells = shown.reduce((n, row) => n + row.parents.length, 0);
        count.textContent = `Showing ${cells} of ${parents} parents on ${shown.length} of ${hosts.length} hosts.`;
        grid.replaceChildren(heatmap(shown, tooltip, type.value));
    };
    [driver, type, label, minFree].forEach(control => ['input', 'change'].forEach(event => control.addEventListener(event, redraw)));
    redraw();

    return [
        heading('Fleet'),
        el('p', { class: 'note' }, 'Each cell is one parent (a device split into mdev types), coloured by its fullest pool: the share of that pool its devices and reservations use. Hover or focus a cell for its pools, types and devices (arrow keys move between cells); press Enter or click to open it.'),
        el('div', { class: 'filters', role: 'search', 'aria-label': 'Filter parents' },
            field('Driver family', driver), field('Offers type', type), field('Host label', label),
            field('Fullest pool at least % free', minFree)),
        el('div', { class: 'legend' }, 'pool use of the fullest pool: 0 %', el('span', { class: 'bar', 'aria-hidden': 'true' }), '100 %'),
        count, grid, tooltip,
    ];
}

function heatmap(rows, tooltip, type) {
    const widest = Math.max(0, ...rows.map(row => row.parents.length));
    // one tab stop for the whole map (the first cell, then the last one focused); arrow keys move inside it
    let first = true;
    const tabStop = button => { button.tabIndex = first ? 0 : -1; first = false; return button; };
    return el('table', { class: 'heatmap', onkeydown: moveFocus },
        el('caption', {}, 'Hosts (rows) by parents (columns), cell text: the fullest pool\'s use in %'),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'host'),
            Array.from({ length: widest }, (_, i) => el('th', { scope: 'col' }, `parent ${i + 1}`)))),
        el('tbody', {}, rows.map(({ host, parents }) => el('tr', {},
            el('th', { scope: 'row' }, hostLink(host.name), host.schedulable ? '' : ' (cordoned)'),
            parents.map(parent => el('td', {}, tabStop(cell(host, parent, tooltip, type))))))));
}

const STEPS = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };

/** Arrow keys move between cells (to the nearest cell of a shorter row), so the map need not be tabbed through. */
function moveFocus(event) {
    const step = STEPS[event.key];
    const current = event.target.closest('td');
    if (!step || !current) return;
    const rows = [...event.currentTarget.tBodies[0].rows];
    const row = rows.indexOf(current.parentElement) + step[0];
    if (row < 0 || row >= rows.length) return;
    const cells = rows[row].querySelectorAll('button.cell');
    const column = Math.min(current.cellIndex - 1 + step[1], cells.length - 1);
    if (column < 0) return;
    event.preventDefault();
    current.querySelector('button.cell').tabIndex = -1;
    cells[column].tabIndex = 0;
    cells[column].focus();
}

function cell(host, parent, tooltip, type) {
    const share = fullestShare(parent);
    const open = () => { location.hash = `#/fleet/${encodeURIComponent(host.name)}/${encodeURIComponent(parent.address)}`; };
    const available = type ? parent.types.find(t => t.id === type)?.available : null;
    const show = event => {
        tooltip.replaceChildren(...parentSummary(host, parent));
        tooltip.hidden = false;
        const box = event.currentTarget.getBoundingClientRect();
        const left = Math.min(box.right + 8, window.innerWidth - 470);
        tooltip.style.left = `${Math.max(4, left)}px`;
        tooltip.style.top = `${Math.max(4, Math.min(box.top, window.innerHeight - tooltip.offsetHeight - 8))}px`;
    };
    const hide = () => { tooltip.hidden = true; };
    return el('button', {
        type: 'button', class: 'cell', style: `background:${shareColour(share)}`,
        'aria-label': `${host.name} ${parent.address} (${parent.driver}): fullest pool ${percent(share)} used`
            + (available !== null && available !== undefined ? `, ${available} more ${type}` : ''),
        'aria-describedby': 'parent-tooltip',
        dataset: { host: host.name, parent: parent.address },
        onclick: open, onmouseenter: show, onfocus: show, onmouseleave: hide, onblur: hide,
    }, available !== null && available !== undefined ? `${available}` : `${Math.round(share * 100)}`);
}

/** The tooltip's lines: the parent's pools, its types with their predicted available instances, its devices. */
function parentSummary(host, parent) {
    return [
        el('strong', {}, `${host.name} / ${parent.address}`), ` ${parent.driver}`,
        table('Pools', ['pool', 'used', 'capacity', 'use'], parent.pools.map(p => [p.name, number(p.used), number(p.capacity), p.capacity ? percent(p.used / p.capacity) : '–'])),
        table('Types: instances available now', ['type', 'available'], parent.types.map(t => [t.id, number(t.available)])),
        el('div', {}, `Devices: ${parent.devices.length}` + (parent.devices.length ? ` (${summariseDevices(parent.devices)})` : '')),
    ];
}

function summariseDevices(devices) {
    const byType = {};
    devices.forEach(d => { byType[d.type] = (byType[d.type] || 0) + d.instances; });
    return Object.entries(byType).map(([type, instances]) => `${type} x${instances}`).join(', ');
}

function hostPage(hosts, name) {
    const host = hosts.find(h => h.name === name);
    if (!host) throw new Error(`No host is named ${name}. Maybe pick one on the fleet page.`);
    return [
        heading(`Host ${host.name}`),
        el('dl', { class: 'kv' },
            el('dt', {}, 'labels'), el('dd', {}, labels(host.labels)),
            el('dt', {}, 'schedulable'), el('dd', {}, host.schedulable ? 'yes' : 'no (cordoned)'),
            el('dt', {}, 'last heartbeat'), el('dd', {}, time(host.lastHeartbeatAt))),
        table('Parents', ['parent', 'driver', 'fullest pool', 'devices', 'reserved'], host.parents.map(p =>
            [parentLink(host.name, p.address), p.driver, percent(fullestShare(p)), number(p.devices.length), number(p.reserved.length)])),
    ];
}

export async function parentPage({ args: [hostName, address] }) {
    const host = await api(`/api/v1/hosts/${encodeURIComponent(hostName)}`);
    const parent = host.parents.find(p => p.address === address);
    if (!parent) throw new Error(`Host ${hostName} has no parent ${address}. Maybe it reported another inventory since; see the host.`);
    return [
        heading(`Parent ${address}`, el('span', { class: 'muted' }, ' on ', hostLink(host.name))),
        el('dl', { class: 'kv' },
            el('dt', {}, 'driver'), el('dd', {}, parent.driver),
            el('dt', {}, 'mixed types'), el('dd', {}, parent.mixedTypes ? 'allowed' : 'one type per parent'),
            el('dt', {}, 'fullest pool'), el('dd', {}, percent(fullestShare(parent)))),
        table('Pools', ['pool', 'capacity', 'used', 'free'], parent.pools.map(p => [p.name, number(p.capacity), number(p.used), number(p.free)])),
        table('Types: how many more of each would fit (one instance per device)', ['type', 'name', 'cost per instance', 'aggregation', 'more would fit'],
            parent.types.map(t => [t.id, t.name || '–', labels(t.cost), t.aggregation === 'none' ? 'none' : `${t.aggregation}, up to ${t.maxAggregation}`, number(t.available)]),
            { id: 'parent-types' }),
        table('Devices', ['uuid', 'type', 'instances', 'workload', 'state', 'drift'], parent.devices.map(d =>
            [el('code', {}, d.uuid), d.type, number(d.instances), deviceWorkload(d), d.state, d.drift || '–']),
            { id: 'parent-devices' }),
        table('Reserved: placements without a reported device, and scenario reservations', ['workload', 'type', 'instances', 'state', 'drift'],
            parent.reserved.map(r => [r.workload ? placementLink(r.workload) : '–', r.type, number(r.instances), r.state, r.drift || '–'])),
    ];
}
