// What every page shares: API calls whose problem+json errors reach the user, element building, formatting.

const errorBox = () => document.getElementById('error');

/** A problem+json answer (or a network failure) as an Error with its detail and every problem item. */
export class ApiError extends Error {
    constructor(status, problem) {
        super(problem.detail || problem.title || `HTTP ${status}`);
        this.status = status;
        this.problem = problem;
    }
}

// The bearer token the user signed in with (docs/security.md): kept in this tab's session storage only, so it goes
// when the tab closes, and sent with every API call.
const TOKEN_KEY = 'mdevplan.token';

export const token = () => sessionStorage.getItem(TOKEN_KEY);
export const signIn = value => sessionStorage.setItem(TOKEN_KEY, value.trim());
export const signOut = () => sessionStorage.removeItem(TOKEN_KEY);

/** The Authorization header for the API, when signed in. */
export function authorization() {
    return token() ? { Authorization: `Bearer ${token()}` } : {};
}

/** Fetches JSON from the API; errors are thrown as ApiError and shown in the page's alert box. */
export async function api(path, options = {}) {
    const init = { ...options, headers: { Accept: 'application/json', ...authorization(), ...(options.headers || {}) } };
    if (options.json !== undefined) {
        init.method = init.method || 'POST';
        init.body = JSON.stringify(options.json);
        init.headers['Content-Type'] = 'application/json';
    }
    let response;
    try {
        response = await fetch(path, init);
    } catch (e) {
        throw showError(new ApiError(0, { detail: `The service did not answer ${path}: ${e.message}. Maybe it stopped; reload once it runs.` }));
    }
    const text = await response.text();
    let body = null;
    try {
        body = text ? JSON.parse(text) : null;
    } catch (e) {
        body = { detail: `${path} answered ${response.status} with something other than JSON: ${text.slice(0, 200)}` };
    }
    if (response.status === 401) {
        // not signed in, or the token was revoked: the router shows the sign-in form instead of the page
        throw new ApiError(401, body || {});
    }
    if (!response.ok) {
        throw showError(new ApiError(response.status, body || {}));
    }
    return body;
}

/** Shows an error above the page, with each problem's path and message; returns it for throwing. */
export function showError(error) {
    const box = errorBox();
    box.replaceChildren(el('strong', {}, error.message));
    const items = (error.problem && error.problem.problems) || [];
    if (items.length) {
        box.append(el('ul', {}, items.map(p => el('li', {}, `${p.path}: ${p.message}` + (p.value ? ` (value: ${p.value})` : '')))));
    }
    box.append(el('button', { type: 'button', onclick: clearError }, 'Dismiss'));
    box.hidden = false;
    return error;
}

export function clearError() {
    errorBox().hidden = true;
    errorBox().replaceChildren();
}

/** Builds an element: attributes (on* as listeners), then children (strings, nodes, arrays, null skipped). */
export function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
        if (value === null || value === undefined || value === false) continue;
        if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
        else if (key === 'dataset') Object.assign(node.dataset, value);
        else node.setAttribute(key, value === true ? '' : value);
    }
    append(node, children);
    return node;
}

function append(node, children) {
    for (const child of children) {
        if (child === null || child === undefined || child === false) continue;
        if (Array.isArray(child)) append(node, child);
        else node.append(child instanceof Node ? child : String(child));
    }
}

/** A table with a caption, column headers and rows of cells. */
export function table(caption, headers, rows, attrs = {}) {
    return el('table', attrs,
        el('caption', {}, caption),
        el('thead', {}, el('tr', {}, headers.map(h => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, rows.length ? rows.map(cells => el('tr', {}, cells.map(c => el('td', {}, c))))
            : el('tr', {}, el('td', { colspan: headers.length, class: 'empty' }, 'none'))));
}

/** A labelled form field: the label wraps its control, so it is named for screen readers and clicks. */
export function field(label, control, hint) {
    return el('label', { class: 'field' }, el('span', {}, label), control, hint ? el('small', {}, hint) : null);
}

export function select(name, options, value) {
    return el('select', { name }, options.map(o => {
        const [v, text] = Array.isArray(o) ? o : [o, o];
        return el('option', { value: v, selected: v === value }, text);
    }));
}

export const link = (href, text) => el('a', { href }, text);
export const hostLink = host => link(`#/fleet/${encodeURIComponent(host)}`, host);
export const parentLink = (host, parent) => link(`#/fleet/${encodeURIComponent(host)}/${encodeURIComponent(parent)}`, parent);
export const placementLink = workload => link(`#/placements/${encodeURIComponent(workload)}`, workload);

/** The device's workload, a link when a placement owns the device (a device no placement owns has no page). */
export const deviceWorkload = device => !device.workload ? '–'
    : device.drift === UNPLACED ? device.workload : placementLink(device.workload);

/** The drift of a device that no placement owns (docs/api.md, the inventory PUT). */
export const UNPLACED = 'unplaced by mdevplan';

export const percent = share => `${(share * 100).toFixed(1)} %`;
export const number = n => n === null || n === undefined ? '–' : Number(n).toLocaleString('en');

/** How long ago an ISO instant was, in the largest whole unit. */
export function age(iso) {
    if (!iso) return 'never';
    const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (seconds < 120) return `${seconds} s ago`;
    if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
    if (seconds < 172800) return `${Math.round(seconds / 3600)} h ago`;
    return `${Math.round(seconds / 86400)} d ago`;
}

export const time = iso => iso ? el('time', { datetime: iso, title: iso }, age(iso)) : 'never';

/** The share of its pool a parent's fullest pool uses: the heatmap's colour and the parent's headline. */
export function fullestShare(parent) {
    return parent.pools.reduce((max, pool) => Math.max(max, pool.capacity ? pool.used / pool.capacity : 0), 0);
}

/** A colour from green (empty) to red (full) for a share 0..1. */
export function shareColour(share) {
    const hue = Math.round(120 * (1 - Math.min(1, Math.max(0, share))));
    return `hsl(${hue} 70% 42%)`;
}

/** Every type some parent of the hosts offers, sorted. */
export const offeredTypes = hosts => [...new Set(hosts.flatMap(h => h.parents.flatMap(p => p.types.map(t => t.id))))].sort();

export function labels(map) {
    return Object.entries(map || {}).map(([k, v]) => `${k}=${v}`).join(', ') || '–';
}

export function heading(text, ...rest) {
    return el('h1', {}, text, ...rest);
}
