// Chat moderation on the admin page: the chat of one channel with a Delete and a Mute button on
// each message, slow mode, and who is muted. Every call carries the admin token of the upload
// form; the server checks it. Names and messages are set with textContent: data, never markup.

import { signIn } from './auth.js';
import { el } from './dom.js';

const channel = document.getElementById('mod-channel');
const slow = document.getElementById('mod-slow');
const list = document.getElementById('mod-messages');
const muted = document.getElementById('mod-muted');
const status = document.getElementById('mod-status');
const tokenInput = document.querySelector('#upload [name=token]');
const MUTE_SECONDS = 600;

function token() {
  const t = tokenInput.value.trim();
  signIn(t);
  return t;
}

async function call(method, path, body) {
  const response = await fetch(`/api/channels/${encodeURIComponent(channel.value)}/chat${path}`, {
    method,
    cache: 'no-cache',
    headers: {
      Authorization: `Bearer ${token()}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (response.status === 204) return {};
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(json.message || `the server answered ${response.status}`);
  return json;
}

function say(text, isError = false) {
  status.textContent = text;
  status.classList.toggle('error', isError);
}

function showRules(rules) {
  slow.value = String(rules.slowModeSeconds);
  if (slow.value === '') slow.append(el('option', { value: rules.slowModeSeconds,
    textContent: `${rules.slowModeSeconds} s`, selected: true }));
  muted.replaceChildren(...Object.entries(rules.mutedNames).map(([name, until]) => el('li', {}, [
    el('bdi', { textContent: name }),
    el('span', { textContent: ` until ${new Date(until).toLocaleTimeString()} ` }),
    el('button', { type: 'button', className: 'unmute', textContent: 'Unmute',
      onclick: () => act(() => call('POST', '/mutes', { name, seconds: 0 }), `${name} unmuted`) }),
  ])));
}

async function load() {
  if (!channel.value) return;
  const { messages, rules } = await call('GET', '');
  list.replaceChildren(...messages.map((m) => {
    const item = el('li', {}, [
      el('strong', {}, [el('bdi', { textContent: m.username })]),
      el('span', { className: 'text', textContent: ` ${m.text} ` }),
      el('button', { type: 'button', className: 'delete', textContent: 'Delete',
        onclick: () => act(() => call('DELETE', `/messages/${encodeURIComponent(m.id)}`),
          'message deleted') }),
      el('button', { type: 'button', className: 'mute', textContent: 'Mute 10 min',
        onclick: () => act(() => call('POST', '/mutes', { name: m.username,
          seconds: MUTE_SECONDS }), `${m.username} muted for 10 minutes`) }),
    ]);
    item.dataset.id = m.id;
    return item;
  }));
  showRules(rules);
}

async function act(action, done) {
  try {
    await action();
    await load();
    say(done);
  } catch (err) {
    say(err.message, true);
  }
}

async function channels() {
  const response = await fetch('/api/channels', { cache: 'no-cache' });
  const all = await response.json();
  channel.replaceChildren(...all.map((c) => el('option', { value: c.id, textContent: c.id })));
}

document.getElementById('mod-load').addEventListener('click', () => act(load, 'loaded'));
slow.addEventListener('change', () => act(() => call('PUT', '/slow-mode',
  { seconds: Number(slow.value) }), `slow mode: ${slow.selectedOptions[0].textContent}`));
channels().catch((err) => say(err.message, true));
