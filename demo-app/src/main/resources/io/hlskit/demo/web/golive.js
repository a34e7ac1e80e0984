// "Go live" for signed-in users whom the server lets publish (role publisher or admin): the
// camera and microphone the user picks, a preview, a title, start and end, the elapsed time, the
// viewers and the chat of their own channel. The stream is the browser's MediaRecorder (WebM in
// Chromium and Firefox, MP4 in Safari), sent in chunks over a WebSocket; the server encodes it
// into the channel's ladder, so every player plays it. The token travels in the first frame,
// never in a URL.

import { authHeaders, claims, token } from './auth.js';
import { Chat } from './chat.js';
import { el } from './dom.js';

/** How often the recorder hands over a chunk: a few hundred ms keeps the delay low. */
const CHUNK_MS = 250;
/** The ladder a channel made from the page gets: two cores keep up with it. */
const PHONE_LADDER = '480p:1200k,240p:400k';
/** Above this much unsent, the connection cannot carry the stream: say so. */
const SLOW_BYTES = 4 * 1024 * 1024;

/** Whether the signed-in user may try to go live (the server decides; this only shows). */
export function mayGoLive() {
  if (!token()) return false;
  const c = claims();
  if (!c.sub && !c.name) return true; // the admin token is no JWT
  const roles = Array.isArray(c.roles) ? c.roles : String(c.roles || c.role || '').split(/[ ,]/);
  return roles.includes('publisher') || roles.includes('admin');
}

/** The user's own channel id: the same on every visit, so a reload continues it. */
function channelId() {
  const c = claims();
  const who = String(c.sub || c.name || 'studio').toLowerCase().replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '').slice(0, 56);
  return `live-${who || 'studio'}`;
}

/** The recorder's type: H.264 where the browser records it (cheapest to decode), else VP8. */
function recorderType() {
  for (const type of ['video/webm;codecs=h264,opus', 'video/webm;codecs=vp8,opus',
    'video/webm', 'video/mp4;codecs=avc1,mp4a', 'video/mp4']) {
    if (window.MediaRecorder && MediaRecorder.isTypeSupported(type)) return type;
  }
  return '';
}

function elapsed(ms) {
  const s = Math.floor(ms / 1000);
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor(s / 60) % 60).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** The "Go live" button and its panel, added to {@code parent}. */
export function goLiveControl(parent) {
  const open = el('button', { type: 'button', className: 'go-live', textContent: 'Go live' });
  const camera = el('select', { className: 'camera' });
  camera.setAttribute('aria-label', 'Camera');
  const microphone = el('select', { className: 'microphone' });
  microphone.setAttribute('aria-label', 'Microphone');
  const preview = el('video', { className: 'preview', muted: true, autoplay: true,
    playsInline: true });
  preview.setAttribute('playsinline', '');
  const title = el('input', { type: 'text', className: 'live-title', maxLength: 120,
    placeholder: 'Title of your broadcast', value: claims().name ? `${claims().name} live` : '' });
  title.setAttribute('aria-label', 'Title');
  title.addEventListener('keydown', (e) => e.stopPropagation());
  const start = el('button', { type: 'button', className: 'start', textContent: 'Start' });
  const end = el('button', { type: 'button', className: 'end', textContent: 'End',
    disabled: true });
  const close = el('button', { type: 'button', className: 'close', textContent: 'Close' });
  const clock = el('span', { className: 'elapsed', textContent: '' });
  const viewers = el('span', { className: 'live-viewers', textContent: '' });
  const state = el('p', { className: 'live-state', textContent: '' });
  state.setAttribute('role', 'status');
  const chatRoot = el('div', { className: 'live-chat' });
  const panel = el('section', { className: 'go-live-panel', hidden: true }, [
    el('h2', { textContent: 'Go live' }),
    preview,
    el('label', {}, [el('span', { textContent: 'Camera' }), camera]),
    el('label', {}, [el('span', { textContent: 'Microphone' }), microphone]),
    title,
    el('div', { className: 'live-buttons' }, [start, end, close]),
    el('p', { className: 'live-meters' }, [clock, viewers]),
    state,
    chatRoot,
  ]);
  panel.setAttribute('aria-label', 'Go live');
  parent.append(open);
  document.body.append(panel);

  let stream = null;
  let recorder = null;
  let ws = null;
  let startedAt = 0;
  let ticker = null;
  let chat = null;
  const id = channelId();

  function say(text) {
    state.textContent = text;
  }

  async function listDevices() {
    const devices = await navigator.mediaDevices.enumerateDevices();
    const fill = (select, kind) => {
      const chosen = select.value;
      select.replaceChildren(...devices.filter((d) => d.kind === kind).map((d, i) => el(
        'option', { value: d.deviceId, textContent: d.label || `${kind} ${i + 1}` })));
      if (chosen) select.value = chosen;
    };
    fill(camera, 'videoinput');
    fill(microphone, 'audioinput');
  }

  async function showPreview() {
    if (stream) stream.getTracks().forEach((t) => t.stop());
    // upright on a phone held upright: the camera's picture comes as the screen is held
    const portrait = window.matchMedia('(orientation: portrait)').matches;
    stream = await navigator.mediaDevices.getUserMedia({
      video: {
        deviceId: camera.value ? { exact: camera.value } : undefined,
        width: { ideal: portrait ? 720 : 1280 },
        height: { ideal: portrait ? 1280 : 720 },
      },
      audio: microphone.value ? { deviceId: { exact: microphone.value } } : true,
    });
    preview.srcObject = stream;
  }

  async function openPanel() {
    panel.hidden = false;
    open.hidden = true;
    if (!window.isSecureContext || !navigator.mediaDevices) {
      say('Browsers give the camera only to pages served over HTTPS (or from localhost): open'
        + ' this page over https (serve --tls-cert).');
      return;
    }
    try {
      await showPreview();
      await listDevices(); // labels come once the user has let the page use the camera
    } catch (e) {
      say(`The camera cannot be used: ${e.message}`);
    }
  }

  function stopped(text) {
    clearInterval(ticker);
    ticker = null;
    if (recorder && recorder.state !== 'inactive') recorder.stop();
    recorder = null;
    start.disabled = false;
    end.disabled = true;
    camera.disabled = false;
    microphone.disabled = false;
    panel.classList.remove('is-live');
    if (text) say(text);
  }

  async function tick() {
    clock.textContent = elapsed(Date.now() - startedAt);
    if (ws && ws.bufferedAmount > SLOW_BYTES) {
      say('Your connection is slower than the stream: lower the quality or move closer to the'
        + ' network.');
    }
    if (Math.floor((Date.now() - startedAt) / 1000) % 5 === 0) {
      const r = await fetch(`/api/channels/${encodeURIComponent(id)}`, { headers: authHeaders() });
      if (r.ok) {
        const c = await r.json();
        const n = Number(c.viewers || 0);
        viewers.textContent = `${n} ${n === 1 ? 'viewer' : 'viewers'}`;
      }
    }
  }

  async function goLive() {
    const type = recorderType();
    if (!type) {
      say('This browser cannot record its camera (no MediaRecorder).');
      return;
    }
    if (!stream) {
      try {
        await showPreview();
      } catch (e) {
        say(`The camera cannot be used: ${e.message}`);
        return;
      }
    }
    start.disabled = true;
    say('Starting…');
    // the channel: made the first time, its title brought up to date after
    const made = await fetch('/api/live', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...authHeaders() },
      body: JSON.stringify({ id, title: title.value.trim() || id, profile: PHONE_LADDER }),
    });
    if (!made.ok) {
      const body = await made.json().catch(() => ({}));
      stopped(`The channel cannot be made: ${body.message || made.status}`);
      return;
    }
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const container = type.startsWith('video/mp4') ? 'mp4' : 'webm';
    ws = new WebSocket(`${scheme}://${location.host}/ws/publish?channel=${encodeURIComponent(id)}`
      + `&container=${container}`);
    ws.binaryType = 'arraybuffer';
    const socket = ws;
    let told = false; // whether the server said why it stopped the broadcast
    ws.onopen = () => socket.send(JSON.stringify({ token: token() }));
    ws.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      if (frame.type === 'live') {
        recorder = new MediaRecorder(stream, { mimeType: type, videoBitsPerSecond: 1_500_000,
          audioBitsPerSecond: 96_000 });
        recorder.ondataavailable = (e) => {
          if (e.data.size > 0 && socket.readyState === WebSocket.OPEN) socket.send(e.data);
        };
        recorder.start(CHUNK_MS);
        startedAt = Date.now();
        // when media time 0 left the camera, by this machine's clock: what a measurement of
        // the delay to a viewer's screen reads
        panel.dataset.startedAt = String(startedAt);
        ticker = setInterval(tick, 1000);
        end.disabled = false;
        camera.disabled = true;
        microphone.disabled = true;
        panel.classList.add('is-live');
        say('You are live.');
        if (!chat) {
          chat = new Chat(chatRoot);
        }
        chat.switchTo(id);
      } else if (frame.type === 'error') {
        told = true;
        stopped(`The broadcast stopped: ${frame.message}`);
      }
    };
    ws.onclose = () => {
      if (ws !== socket) return;
      if (recorder) {
        stopped('The connection to the server closed.');
      } else if (!told) {
        // refused before any answer: the upgrade itself was turned down
        stopped('The server did not take the stream: live ingest may be off'
          + ' (serve --rtmp-port 1935).');
      }
    };
  }

  function endBroadcast() {
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify({ type: 'end' }));
    }
    const socket = ws;
    ws = null;
    stopped('The broadcast has ended.');
    if (socket) setTimeout(() => socket.close(1000), 500);
  }

  open.addEventListener('click', openPanel);
  camera.addEventListener('change', () => showPreview().catch((e) => say(e.message)));
  microphone.addEventListener('change', () => showPreview().catch((e) => say(e.message)));
  start.addEventListener('click', goLive);
  end.addEventListener('click', endBroadcast);
  close.addEventListener('click', () => {
    if (recorder) endBroadcast();
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    panel.hidden = true;
    open.hidden = false;
  });
}
