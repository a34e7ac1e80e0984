// The admin page's live channels: create or change one (POST /api/live), show where to publish
// and the stream key with copy buttons, and follow its state every two seconds.

import { token } from './auth.js';

const form = document.getElementById('live-form');
const details = document.getElementById('live-details');
const rtmp = document.getElementById('live-rtmp');
const key = document.getElementById('live-key');
const srt = document.getElementById('live-srt');
const srtLine = document.getElementById('live-srt-line');
const state = document.getElementById('live-state');
const status = document.getElementById('live-status');
const newKey = document.getElementById('live-new-key');
let following = null;
let timer = null;

function adminToken() {
  return document.querySelector('#upload input[name=token]').value || token();
}

function say(text, isError = false) {
  status.textContent = text;
  status.classList.toggle('error', isError);
}

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { Authorization: `Bearer ${adminToken()}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let json = {};
  try { json = await response.json(); } catch (e) { /* not JSON */ }
  if (!response.ok) throw new Error(json.message || `the server answered ${response.status}`);
  return json;
}

/** The state in words: waiting, live (with how it goes), or ended. */
function describe(channel) {
  if (channel.state === 'live') {
    const i = channel.ingest;
    if (!i) return 'Live (within a dropped publisher\'s grace, or sent to another instance)';
    const mbps = (i.bitrate / 1e6).toFixed(1);
    return `Live since ${new Date(i.since).toLocaleTimeString()} from ${i.publisher}: `
      + `${mbps} Mb/s, ${i.frameRate.toFixed(0)} fps, encoding at ${i.speed.toFixed(2)}x`
      + (i.lagSeconds > 5 ? `, ${i.lagSeconds.toFixed(0)} s behind` : '');
  }
  if (channel.state === 'waiting') return 'Waiting for the broadcast';
  return `The broadcast ended at ${new Date(channel.since).toLocaleTimeString()}`;
}

function show(channel) {
  details.hidden = false;
  rtmp.textContent = channel.rtmp || 'this server takes no RTMP (start it with --rtmp-port)';
  key.textContent = channel.streamKey;
  srtLine.hidden = !channel.srt;
  srt.textContent = channel.srt || '';
  state.textContent = describe(channel);
  state.dataset.state = channel.state;
}

async function poll() {
  if (!following) return;
  try {
    show(await call('GET', `/api/live/${encodeURIComponent(following)}`));
  } catch (err) {
    say(err.message, true);
  }
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const body = {
    id: form.id.value.trim(),
    profile: form.profile.value,
    dvr: form.dvr.value,
    record: form.record.value,
  };
  if (form.title.value.trim()) body.title = form.title.value.trim();
  if (form.srtPort.value !== '') body.srtPort = Number(form.srtPort.value);
  try {
    const channel = await call('POST', '/api/live', body);
    following = channel.id;
    show(channel);
    say(`Live channel ${channel.id} is ready: publish with the key below.`);
    clearInterval(timer);
    timer = setInterval(poll, 2000);
  } catch (err) {
    say(err.message, true);
  }
});

newKey.addEventListener('click', async () => {
  try {
    show(await call('POST', `/api/live/${encodeURIComponent(following)}/key`));
    say('A new stream key: the old one is refused from now on.');
  } catch (err) {
    say(err.message, true);
  }
});

for (const button of document.querySelectorAll('#live button.copy')) {
  button.addEventListener('click', async () => {
    const text = document.getElementById(button.dataset.copy).textContent;
    try {
      await navigator.clipboard.writeText(text);
      say('Copied.');
    } catch (err) {
      say('Copy it by hand: the browser refused the clipboard.', true);
    }
  });
}
