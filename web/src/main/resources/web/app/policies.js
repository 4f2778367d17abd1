// Policies: the named policies with their weights; each can be edited (PUT), or a new one made.
import { api, el, table, field, select, heading, number } from './shared.js';

const RULES = ['parents-in-use', 'hosts-in-use', 'pool-balance', 'headroom', 'type-mixing', 'moves'];

export async function policiesPage() {
    const policies = await api('/api/v1/policies');
    return [
        heading('Policies'),
        el('p', { class: 'note' }, 'A policy weighs the planner\'s soft rules; the hard rules always hold. Placements that name no policy use the default. Changing a policy needs an admin token; with another the service refuses and says why.'),
        table('Policies and their weights', ['policy', 'default', 'on failure', ...RULES, 'description'], policies.map(p =>
            [el('a', { href: `#/policies`, onclick: e => { e.preventDefault(); document.getElementById(`edit-${p.name}`).scrollIntoView(); document.getElementById(`edit-${p.name}`).querySelector('input').focus(); } }, p.name),
                p.default ? 'yes' : '–', p.onFailure, ...RULES.map(r => number(p.weights[r])), p.description]), { id: 'policy-table' }),
        el('h2', {}, 'Edit'),
        ...policies.map(p => editor(p)),
        editor({ name: '', description: '', weights: {}, default: false, onFailure: 'release' }),
    ];
}

function editor(policy) {
    const isNew = !policy.name;
    const name = el('input', { name: 'name', value: policy.name, required: true, readonly: !isNew, pattern: '[A-Za-z0-9._:\\-]+' });
    const description = el('input', { name: 'description', value: policy.description || '', size: 60 });
    const weights = RULES.map(rule => [rule, el('input', { name: rule, type: 'number', min: 0, step: 1, value: policy.weights[rule] ?? 0, style: 'width:7em' })]);
    const isDefault = el('input', { type: 'checkbox', name: 'default', checked: policy.default, disabled: policy.default });
    const onFailure = select('onFailure', ['release', 'replace'], policy.onFailure);
    const answer = el('span', { 'aria-live': 'polite', class: 'muted' });
    const form = el('form', { id: `edit-${policy.name || 'new'}`, 'aria-label': isNew ? 'New policy' : `Edit policy ${policy.name}` },
        el('fieldset', {}, el('legend', {}, isNew ? 'New policy' : policy.name),
            field('Name', name), field('Description', description),
            ...weights.map(([rule, input]) => field(rule, input)),
            field('On failure', onFailure), field(policy.default ? 'Default (make another the default to change)' : 'Make default', isDefault),
            el('button', { type: 'submit' }, isNew ? 'Create' : 'Save'), answer));
    form.addEventListener('submit', async event => {
        event.preventDefault();
        const body = { description: description.value, weights: Object.fromEntries(weights.map(([rule, input]) => [rule, Number(input.value)])), onFailure: onFailure.value };
        if (isDefault.checked && !policy.default) body.default = true;
        const saved = await api(`/api/v1/policies/${encodeURIComponent(name.value)}`, { method: 'PUT', json: body }).catch(() => null);
        if (saved) {
            answer.textContent = `Saved ${saved.name}.`;
            if (isNew || body.default) window.dispatchEvent(new HashChangeEvent('hashchange'));
        }
    });
    return form;
}
