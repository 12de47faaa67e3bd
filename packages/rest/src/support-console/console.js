// The support console: plain DOM code over the support API (API.md, "Escalations"), no build step.
// Everything a customer wrote is put on the page with textContent, never as HTML: a message is
// attacker-controlled text, and the page's Content-Security-Policy allows no inline script either.

const STORAGE = { key: 'agentops.support.key', agentName: 'agentops.support.agentName' };
const POLL_MS = 3000;
const ROLE_LABELS = { user: 'Customer', assistant: 'Assistant', agent: 'Support', notice: 'Notice' };

const state = { selectedId: null, selected: null, pollTimer: null, replyAttempt: null };
const $ = (id) => document.getElementById(id);

class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

function credentials() {
  return {
    key: sessionStorage.getItem(STORAGE.key) ?? '',
    agentName: sessionStorage.getItem(STORAGE.agentName) ?? '',
  };
}

async function api(method, path, body, headers = {}) {
  const init = {
    method,
    headers: { accept: 'application/json', authorization: `Bearer ${credentials().key}`, ...headers },
  };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new ApiError(response.status, data?.detail ?? `HTTP ${response.status}`);
  return data;
}

/** An element with text content only: the one way this page shows data. */
function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

const money = (usd) => `$${usd.toFixed(4)}`;
const time = (iso) => new Date(iso).toLocaleString();

// --- Sign in and out -----------------------------------------------------------------------------

async function signIn(event) {
  event.preventDefault();
  const key = $('api-key').value.trim();
  const agentName = $('agent-name').value.trim();
  if (!key || !agentName) return;
  sessionStorage.setItem(STORAGE.key, key);
  sessionStorage.setItem(STORAGE.agentName, agentName);
  $('sign-in-error').textContent = '';
  try {
    await api('GET', '/v1/escalations?status=waiting&limit=1');
  } catch (error) {
    signOut();
    $('sign-in-error').textContent =
      error.status === 401
        ? 'This key is not known.'
        : error.status === 403
          ? 'This key may not use the support desk (it needs the support or ops role).'
          : `Could not sign in: ${error.message}`;
    return;
  }
  $('api-key').value = '';
  showDesk();
}

function signOut() {
  sessionStorage.removeItem(STORAGE.key);
  sessionStorage.removeItem(STORAGE.agentName);
  clearInterval(state.pollTimer);
  state.pollTimer = null;
  state.selectedId = null;
  state.selected = null;
  $('desk').hidden = true;
  $('who').hidden = true;
  $('detail').hidden = true;
  $('sign-in').hidden = false;
}

function showDesk() {
  $('sign-in').hidden = true;
  $('desk').hidden = false;
  $('who').hidden = false;
  $('who-name').textContent = credentials().agentName;
  refresh();
  state.pollTimer = setInterval(refresh, POLL_MS);
}

/** A key that stops working (revoked, or the server restarted with other keys) signs the tab out. */
function handleFailure(error, target) {
  if (error.status === 401) {
    signOut();
    $('sign-in-error').textContent = 'Your key is no longer accepted; sign in again.';
    return;
  }
  $(target).textContent = error.message;
}

// --- Lists ---------------------------------------------------------------------------------------

async function refresh() {
  try {
    const [waiting, claimed] = await Promise.all([
      api('GET', '/v1/escalations?status=waiting'),
      api('GET', '/v1/escalations?status=claimed'),
    ]);
    const mine = claimed.escalations.filter((e) => e.claimedBy === credentials().agentName);
    renderList('waiting', waiting.escalations, 'Open');
    renderList('mine', mine, 'Open');
    $('waiting-count').textContent = `(${waiting.escalations.length})`;
    $('list-error').textContent = '';
    if (state.selectedId) await loadDetail(state.selectedId);
  } catch (error) {
    handleFailure(error, 'list-error');
  }
}

function renderList(tableId, escalations, actionLabel) {
  const body = $(tableId).querySelector('tbody');
  const rows = escalations.map((escalation) => {
    const row = document.createElement('tr');
    row.dataset.escalationId = escalation.escalationId;
    if (escalation.escalationId === state.selectedId) row.className = 'selected';
    for (const text of [
      time(escalation.createdAt),
      escalation.reason,
      escalation.detail,
      escalation.userId,
      money(escalation.costUsd),
    ]) {
      row.append(element('td', text));
    }
    const cell = document.createElement('td');
    const open = element('button', actionLabel);
    open.type = 'button';
    open.addEventListener('click', () => select(escalation.escalationId));
    cell.append(open);
    row.append(cell);
    return row;
  });
  body.replaceChildren(...rows);
  $(`${tableId}-empty`).hidden = escalations.length > 0;
}

// --- One escalation ------------------------------------------------------------------------------

async function select(escalationId) {
  state.selectedId = escalationId;
  $('detail-error').textContent = '';
  for (const row of document.querySelectorAll('tr[data-escalation-id]')) {
    row.className = row.dataset.escalationId === escalationId ? 'selected' : '';
  }
  try {
    await loadDetail(escalationId);
  } catch (error) {
    handleFailure(error, 'detail-error');
  }
}

async function loadDetail(escalationId) {
  const escalation = await api('GET', `/v1/escalations/${encodeURIComponent(escalationId)}`);
  if (state.selectedId !== escalationId) return;
  state.selected = escalation;
  renderDetail(escalation);
}

function renderDetail(escalation) {
  const { agentName } = credentials();
  $('detail').hidden = false;
  $('detail-title').textContent = `Escalation ${escalation.escalationId}`;
  const facts = [
    ['Reason', escalation.reason],
    ['Detail', escalation.detail],
    ['User', escalation.userId],
    ['Session', `${escalation.sessionId} (${escalation.sessionStatus ?? 'expired'})`],
    ['Opened', time(escalation.createdAt)],
    ['Cost so far', money(escalation.costUsd)],
  ];
  $('detail-facts').replaceChildren(
    ...facts.flatMap(([term, value]) => [element('dt', term), element('dd', value)]),
  );

  const mine = escalation.status === 'claimed' && escalation.claimedBy === agentName;
  $('detail-status').textContent =
    escalation.status === 'waiting'
      ? 'Waiting for an agent.'
      : escalation.status === 'claimed'
        ? mine
          ? 'You hold this escalation.'
          : `Claimed by ${escalation.claimedBy}.`
        : `Resolved (${escalation.resolution}) by ${escalation.resolvedBy ?? 'someone'}.`;
  $('claim').hidden = escalation.status !== 'waiting';
  $('reply-form').hidden = !mine;
  $('resolve-form').hidden = !mine;

  const list = $('conversation');
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
  list.replaceChildren(
    ...(escalation.messages ?? []).map((message) => {
      const item = element('li', undefined, message.role);
      item.append(
        element('span', `${ROLE_LABELS[message.role] ?? message.role} · ${time(message.at)}`, 'role'),
      );
      item.append(document.createTextNode(message.content));
      return item;
    }),
  );
  if (atBottom) list.scrollTop = list.scrollHeight;
}

async function claim() {
  if (!state.selectedId) return;
  $('detail-error').textContent = '';
  try {
    await api('POST', `/v1/escalations/${encodeURIComponent(state.selectedId)}/claim`, {
      agentName: credentials().agentName,
    });
    await refresh();
  } catch (error) {
    handleFailure(error, 'detail-error');
    await refresh();
  }
}

async function reply(event) {
  event.preventDefault();
  const text = $('reply-text').value;
  if (!state.selectedId || text.trim() === '') return;
  // A resend of the same text after a lost answer reuses its Idempotency-Key: the customer gets it once.
  if (state.replyAttempt?.text !== text) state.replyAttempt = { text, key: crypto.randomUUID() };
  $('detail-error').textContent = '';
  try {
    await api(
      'POST',
      `/v1/escalations/${encodeURIComponent(state.selectedId)}/reply`,
      { message: text, agentName: credentials().agentName },
      { 'idempotency-key': state.replyAttempt.key },
    );
    state.replyAttempt = null;
    $('reply-text').value = '';
    await loadDetail(state.selectedId);
  } catch (error) {
    handleFailure(error, 'detail-error');
  }
}

async function resolve(event) {
  event.preventDefault();
  const action = event.submitter?.dataset.action;
  if (!state.selectedId || !action) return;
  const note = $('resolve-note').value.trim();
  $('detail-error').textContent = '';
  try {
    await api('POST', `/v1/escalations/${encodeURIComponent(state.selectedId)}/resolve`, {
      action,
      agentName: credentials().agentName,
      ...(note ? { note } : {}),
    });
    $('resolve-note').value = '';
    await refresh();
  } catch (error) {
    handleFailure(error, 'detail-error');
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('sign-in-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', signOut);
  $('claim').addEventListener('click', claim);
  $('reply-form').addEventListener('submit', reply);
  $('resolve-form').addEventListener('submit', resolve);
  if (credentials().key && credentials().agentName) showDesk();
});
