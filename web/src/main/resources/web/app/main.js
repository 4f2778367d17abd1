// The dashboard's router: one page module per hash route (#/fleet, #/placements/vm-1, ...), rendered into <main>.
import './style.css';
import { clearError, el, signIn, signOut, token } from './shared.js';
import { fleetPage, parentPage } from './fleet.js';
import { placementsPage, placementPage } from './placements.js';
import { scenariosPage, scenarioPage, comparePage } from './scenarios.js';
import { executorsPage } from './executors.js';
import { policiesPage } from './policies.js';

const routes = [
    [/^fleet\/([^/]+)\/([^/]+)$/, parentPage, 'fleet'],
    [/^fleet\/([^/]+)$/, fleetPage, 'fleet'],
    [/^fleet$/, fleetPage, 'fleet'],
    [/^placements\/([^/]+)$/, placementPage, 'placements'],
    [/^placements$/, placementsPage, 'placements'],
    [/^scenarios\/compare$/, comparePage, 'scenarios'],
    [/^scenarios\/([^/]+)$/, scenarioPage, 'scenarios'],
    [/^scenarios$/, scenariosPage, 'scenarios'],
    [/^executors$/, executorsPage, 'executors'],
    [/^policies$/, policiesPage, 'policies'],
];

// each render gets a signal that aborts when the route changes, so live streams and timers of the page left stop
let leaving = null;

async function render() {
    const [path, query = ''] = (location.hash.replace(/^#\/?/, '') || 'fleet').split('?');
    const main = document.getElementById('main');
    const route = routes.find(([pattern]) => pattern.test(path));
    leaving?.abort();
    leaving = new AbortController();
    clearError();
    document.querySelectorAll('nav a').forEach(a => a.toggleAttribute('aria-current', route && a.dataset.page === route[2]));
    if (!route) {
        main.replaceChildren(el('h1', {}, 'No such page'), el('p', {}, `Nothing is at #/${path}. Maybe start at `, el('a', { href: '#/fleet' }, 'the fleet'), '.'));
        return;
    }
    const args = path.match(route[0]).slice(1).map(decodeURIComponent);
    main.replaceChildren(el('p', { class: 'loading' }, 'Loading…'));
    main.setAttribute('aria-busy', 'true');
    delete main.dataset.loaded;
    try {
        const content = await route[1]({ args, query: new URLSearchParams(query), signal: leaving.signal });
        main.replaceChildren(...[content].flat(Infinity).filter(part => part !== null && part !== undefined && part !== false));
        main.dataset.page = route[2];
        main.dataset.loaded = decodeURIComponent(path);
    } catch (e) {
        if (e.status === 401) {
            main.replaceChildren(...signInForm(e));
            main.dataset.loaded = 'sign-in';
        } else {
            main.replaceChildren(el('h1', {}, 'This page could not load'), el('p', {}, e.message));
            main.dataset.loaded = 'error';
        }
    } finally {
        main.removeAttribute('aria-busy');
    }
}

/** The sign-in form, shown in place of a page the API refused for want of a valid token. */
function signInForm(refusal) {
    const input = el('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true,
        size: 52, placeholder: 'mdp_…' });
    const form = el('form', {
        id: 'sign-in', onsubmit: event => {
            event.preventDefault();
            signIn(input.value);
            showSession();
            render();
        },
    }, el('label', { for: 'token' }, 'Token'), ' ', input, ' ', el('button', { type: 'submit' }, 'Sign in'));
    return [el('h1', {}, 'Sign in'),
        el('p', {}, token() ? `The service refused the token: ${refusal.message}` : 'The API needs a bearer token.'),
        el('p', {}, 'Paste a token: the admin token the service logged at its first start, or one an admin made'
            + ' (POST /api/v1/tokens). A planner token shows every page; changing policies and committing scenarios'
            + ' needs an admin token. The token stays in this browser tab only.'),
        form];
}

/** The header's sign-out button while a token is kept. */
function showSession() {
    const session = document.getElementById('session');
    session.replaceChildren(token() ? el('button', {
        type: 'button', onclick: () => {
            signOut();
            showSession();
            render();
        },
    }, 'Sign out') : '');
}

window.addEventListener('hashchange', render);
showSession();
render();
