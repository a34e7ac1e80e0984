// Who is watching: each channel's viewers and chat sessions, from /api/channels (as this server
// instance counts them), refreshed every five seconds. Text is set with textContent.

import { authHeaders } from './auth.js';

const body = document.getElementById('audience-rows');
const REFRESH_MS = 5000;

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

async function refresh() {
  try {
    const response = await fetch('/api/channels', { cache: 'no-cache', headers: authHeaders() });
    if (!response.ok) return;
    const channels = await response.json();
    channels.sort((a, b) => (b.viewers || 0) - (a.viewers || 0) || a.id.localeCompare(b.id));
    body.replaceChildren(...channels.map((c) => {
      const row = document.createElement('tr');
      row.dataset.id = c.id;
      row.append(cell(c.visibility === 'private' ? `🔒 ${c.title}` : c.title),
        cell(String(c.viewers ?? '–')), cell(String(c.chatSessions ?? '–')));
      return row;
    }));
  } catch (e) {
    // offline for a moment: the next refresh tries again
  }
}

refresh();
setInterval(refresh, REFRESH_MS);
