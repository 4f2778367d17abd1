// Executors: each host's agent: its last heartbeat, the actions waiting for it and those that failed with their
// errors, and the drift between what it reports and what was placed. Read from the host views and the placements,
// never from the actions endpoint, whose polls hand actions out.
import { api, el, table, heading, hostLink, parentLink, placementLink, deviceWorkload, time, number } from './shared.js';

export async function executorsPage() {
    const [hosts, pending, applying, failed] = await Promise.all([
        api('/api/v1/hosts'), api('/api/v1/placements?state=pending'), api('/api/v1/placements?state=applying'), api('/api/v1/placements?state=failed'),
    ]);
    const drift = hosts.flatMap(h => h.parents.flatMap(p => [
        ...p.devices.filter(d => d.drift).map(d => [hostLink(h.name), parentLink(h.name, p.address), 'device', el('code', {}, d.uuid), deviceWorkload(d), d.drift]),
        ...p.reserved.filter(r => r.drift).map(r => [hostLink(h.name), parentLink(h.name, p.address), 'placement', el('code', {}, r.deviceUuid || '–'), r.workload ? placementLink(r.workload) : '–', r.drift]),
    ]));
    const driftByHost = {};
    hosts.forEach(h => { driftByHost[h.name] = h.parents.reduce((n, p) => n + p.devices.filter(d => d.drift).length + p.reserved.filter(r => r.drift).length, 0); });
    const reporting = hosts.filter(h => h.lastHeartbeatAt).length;
    return [
        heading('Executors'),
        el('p', { class: 'note' }, `${reporting} of ${hosts.length} hosts have reported through an executor (a heartbeat or an inventory). Hosts that came with a fleet import and never ran the agent show "never".`),
        table('Hosts and their executors', ['host', 'last heartbeat', 'executor', 'started', 'last inventory', 'pending actions', 'failed actions', 'drift'],
            hosts.map(h => [hostLink(h.name), time(h.lastHeartbeatAt), h.executorVersion || '–', time(h.executorStartedAt), time(h.lastInventoryAt),
                number(h.pendingActions), number(h.failedActions), number(driftByHost[h.name])]), { id: 'executor-hosts' }),
        table('Waiting for their host: pending and applying creates', ['workload', 'host', 'parent', 'type', 'state', 'since'],
            [...pending, ...applying].map(p => [placementLink(p.workload), hostLink(p.host), parentLink(p.host, p.parent), `${p.type} x${p.instances}`, p.state, time(p.createdAt)])),
        table('Failed creates, with the error the executor reported', ['workload', 'host', 'parent', 'type', 'error', 'when'],
            failed.map(p => [placementLink(p.workload), p.host ? hostLink(p.host) : '–', p.host ? parentLink(p.host, p.parent) : '–', `${p.type} x${p.instances}`, p.reason || '–', time(p.updatedAt)])),
        table(`Drift: ${drift.length} differences between what hosts report and what was placed`, ['host', 'parent', 'source', 'uuid', 'workload', 'drift'], drift, { id: 'executor-drift' }),
    ];
}
