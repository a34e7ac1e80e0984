// The Reels-style feed: one channel per screen; the one on screen plays (muted until the viewer
// unmutes, as browsers require for autoplay), the next one is preloaded, the others hold no
// player. Text from the server is always set as text, never parsed as markup.

import { Chat } from './chat.js';
import { authHeaders, claims, signIn, signOut, token } from './auth.js';
import { icon } from './icons.js';
import { dvrBar, liveBadge, nowAndNext, progressBar, shareButton } from './controls.js';
import { el } from './dom.js';
import { goLiveControl, mayGoLive } from './golive.js';

const feed = document.getElementById('feed');
const chat = new Chat(document.getElementById('chat'));
const statusBox = document.getElementById('status');
const account = document.getElementById('account');
const REFRESH_MS = 5000;

/** id -> { channel, section, video, hls } */
const entries = new Map();
let current = null;
let muted = true;

function formatDuration(seconds) {
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return m >= 60
    ? `${Math.floor(m / 60)} h ${m % 60} min`
    : `${m}:${String(s % 60).padStart(2, '0')}`;
}

function showStatus(text) {
  statusBox.textContent = text;
  statusBox.hidden = !text;
}

function renderEmpty() {
  if (entries.size > 0) return;
  feed.replaceChildren(el('div', { className: 'empty' }, [
    el('h1', { textContent: 'No channels yet' }),
    el('p', { textContent: 'Copy an HLS folder (a playlist.m3u8 and its segments) into the '
      + 'streams folder; it appears here within seconds.' }),
  ]));
}

function createEntry(channel) {
  const video = el('video', { muted: true, playsInline: true, loop: !channel.live,
    preload: 'none' });
  video.setAttribute('playsinline', '');
  const sound = el('button', { className: 'sound', type: 'button' });
  // the quality: "Auto" lets hls.js pick by bandwidth; a height pins one rendition
  const quality = el('select', { className: 'quality', title: 'Quality' });
  quality.setAttribute('aria-label', 'Quality');
  quality.append(el('option', { value: '-1', textContent: 'Auto' }));
  quality.hidden = true;
  const paused = el('div', { className: 'paused', hidden: true }, [icon('pause')]);
  const title = el('h2', { textContent: channel.title });
  if (channel.visibility === 'private') {
    title.prepend(el('span', { className: 'private', title: 'Private' }, [icon('lock'),
      el('span', { className: 'visually-hidden', textContent: 'Private: ' })]));
  }
  if (channel.live) title.prepend(liveBadge());
  const meta = el('p', { className: 'meta', textContent: describe(channel) });
  // shown when the server refuses to play it: signed out, or a token that ran out
  const locked = el('div', { className: 'locked', hidden: true }, [
    el('p', {}, [icon('lock'), ' Private channel']),
    el('p', { className: 'hint', textContent: 'Sign in to watch it.' }),
  ]);
  // a live channel between broadcasts: nothing to play until a publisher goes live
  const waiting = el('div', { className: 'waiting', hidden: channel.state !== 'waiting' }, [
    el('p', { textContent: 'Waiting for the broadcast' }),
    el('p', { className: 'hint', textContent: 'It plays here as soon as it starts.' }),
  ]);
  const section = el('section', { className: 'channel' }, [
    video,
    paused,
    locked,
    waiting,
    sound,
    quality,
    shareButton(channel, showNotice),
    el('div', { className: 'info' }, [title, meta]),
  ]);
  // on demand, a bar along the bottom to move through the video; live is joined at its edge
  // with thumbnails for public channels (a private one's pictures would need the token in
  // their URL, which the page never writes)
  if (!channel.live) {
    section.append(progressBar(video, channel.durationSeconds,
      channel.visibility === 'private' ? null : channel.thumbnails));
  }
  // a live channel's DVR window can be sought back in; a linear one is a schedule, joined live
  if (channel.state) {
    section.append(dvrBar(video, () => {
      const hls = entries.get(channel.id)?.hls;
      if (hls && hls.liveSyncPosition) return hls.liveSyncPosition;
      const s = video.seekable;
      return s.length > 0 ? s.end(s.length - 1) : video.currentTime;
    }, () => {
      // hls.js's estimate of the distance to the newest part or segment the server has
      // listed: the viewer's own clock plays no part in it
      const hls = entries.get(channel.id)?.hls;
      return hls && hls.latency > 0 && !video.paused ? hls.latency : null;
    }));
  }
  section.dataset.id = channel.id;
  section.setAttribute('aria-label', channel.title);
  if (channel.poster) section.style.backgroundImage = `url("${encodeURI(channel.poster)}")`;
  // a channel made from a sound file: no pictures; the cover art, or a note, fills the screen
  if (channel.renditions.length > 0 && channel.renditions.every((r) => !r.width)) {
    section.classList.add('audio-only');
    if (!channel.poster) section.classList.add('no-poster');
  }

  const entry = { channel, section, video, hls: null, sound, paused, quality, locked, meta,
    waiting };
  quality.addEventListener('click', (e) => e.stopPropagation());
  quality.addEventListener('change', () => {
    if (entry.hls) entry.hls.currentLevel = Number(quality.value); // -1: automatic again
    updateQuality(entry);
  });
  video.addEventListener('click', () => togglePause(entry));
  video.addEventListener('pause', () => { paused.hidden = entry !== current; });
  video.addEventListener('play', () => { paused.hidden = true; });
  sound.addEventListener('click', (e) => {
    e.stopPropagation();
    setMuted(!muted);
  });
  updateSoundButton(entry);
  observer.observe(section);
  return entry;
}

/** The line under a channel's title: length and renditions, or what a linear one plays. */
function describe(channel) {
  if (channel.state === 'live') {
    return ['Live now', ...channel.renditions.map((r) => r.name)].join(' · ');
  }
  if (channel.state === 'waiting') return 'Live channel: waiting for the broadcast';
  if (channel.state === 'ended') return 'The broadcast has ended';
  if (channel.live) return nowAndNext(channel);
  const meta = [formatDuration(channel.durationSeconds)];
  if (channel.renditions.length > 0) {
    meta.push(channel.renditions.map((r) => r.name).join(' · '));
  }
  return meta.join(' — ');
}

let noticeTimer = null;
/** A short notice in the status line ("Link copied"). */
function showNotice(text) {
  showStatus(text);
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => showStatus(''), 3000);
}

function updateSoundButton(entry) {
  entry.sound.replaceChildren(icon(muted ? 'sound-off' : 'sound-on'),
    el('span', { textContent: muted ? 'Tap for sound' : 'Sound on' }));
  entry.sound.setAttribute('aria-pressed', String(!muted));
}

/** Lists the renditions once known, and shows which one plays ("Auto · 720p"). */
function updateQuality(entry) {
  const { hls, quality } = entry;
  if (!hls || hls.levels.length < 2) {
    quality.hidden = true;
    return;
  }
  if (quality.options.length !== hls.levels.length + 1) {
    quality.replaceChildren(el('option', { value: '-1', textContent: 'Auto' }));
    hls.levels.forEach((level, i) => {
      quality.append(el('option', { value: String(i), textContent: `${level.height}p` }));
    });
  }
  const playing = hls.levels[hls.currentLevel];
  const auto = hls.autoLevelEnabled;
  quality.options[0].textContent = auto && playing ? `Auto · ${playing.height}p` : 'Auto';
  quality.value = auto ? '-1' : String(hls.currentLevel);
  quality.dataset.playing = playing ? String(playing.height) : '';
  quality.hidden = false;
}

function setMuted(value) {
  muted = value;
  for (const e of entries.values()) {
    e.video.muted = muted;
    updateSoundButton(e);
  }
  if (current) play(current);
}

function attach(entry) {
  if (entry.hls || entry.video.src) return;
  if (entry.channel.state === 'waiting') return; // no playlist until a broadcast starts
  const url = entry.channel.playlist;
  if (window.Hls && window.Hls.isSupported()) {
    const session = playerId();
    const hls = new window.Hls({
      capLevelToPlayerSize: true,
      // live channels are Low-Latency HLS: parts and blocking reloads; after joining or a
      // stall the player plays up to 1.5x until it is back at the target latency
      lowLatencyMode: true,
      maxLiveSyncPlaybackRate: 1.5,
      xhrSetup: (xhr, requested) => {
        // each request names this player, so that the server counts viewers, not requests
        const sep = requested.includes('?') ? '&' : '?';
        xhr.open('GET', `${requested}${sep}session=${session}`, true);
        // playlists, segments and keys: the token goes in a header, never in the URL
        const t = token();
        if (t) xhr.setRequestHeader('Authorization', `Bearer ${t}`);
      },
    });
    hls.on(window.Hls.Events.ERROR, (_, data) => {
      const code = data.response && data.response.code;
      if (code === 401 || code === 403) {
        entry.locked.hidden = false;
        entry.section.classList.add('is-locked');
        detach(entry);
      } else if (data.fatal) {
        showStatus(`${entry.channel.title}: cannot play (${data.details})`);
        detach(entry);
      }
    });
    hls.on(window.Hls.Events.MANIFEST_PARSED, () => updateQuality(entry));
    hls.on(window.Hls.Events.LEVEL_SWITCHED, () => updateQuality(entry));
    hls.loadSource(url);
    hls.attachMedia(entry.video);
    entry.hls = hls;
  } else if (entry.video.canPlayType('application/vnd.apple.mpegurl')) {
    // Safari plays HLS natively and cannot set headers: the server carries a query token
    // into every URI of the playlist
    const t = token();
    entry.video.src = t ? `${url}?token=${encodeURIComponent(t)}` : url;
  } else {
    showStatus('This browser cannot play HLS.');
  }
}

/** A random id for one player's requests (not a secret: it only tells players apart). */
function playerId() {
  return Math.random().toString(36).slice(2, 12) + Date.now().toString(36);
}

function detach(entry) {
  entry.video.pause();
  if (entry.hls) {
    entry.hls.destroy();
    entry.hls = null;
    updateQuality(entry);
  }
  if (entry.video.src) {
    entry.video.removeAttribute('src');
    entry.video.load();
  }
}

function play(entry) {
  entry.video.muted = muted;
  const hls = entry.hls;
  if (entry.channel.live && hls && hls.liveSyncPosition
      && entry.video.currentTime < hls.liveSyncPosition - 10) {
    entry.video.currentTime = hls.liveSyncPosition; // back from a pause: to the live edge
  }
  const attempt = entry.video.play();
  if (attempt) {
    attempt.catch(() => {
      // sound was refused: fall back to muted autoplay rather than a frozen screen
      if (!entry.video.muted) {
        setMuted(true);
      }
    });
  }
}

function togglePause(entry) {
  if (entry.video.paused) play(entry);
  else entry.video.pause();
}

function ordered() {
  return [...feed.querySelectorAll('section.channel')].map((s) => entries.get(s.dataset.id));
}

function makeCurrent(entry) {
  if (current === entry) return;
  current = entry;
  const list = ordered();
  const index = list.indexOf(entry);
  list.forEach((e, i) => {
    if (i === index || i === index + 1) {
      attach(e); // the one on screen and the next one
    } else {
      detach(e);
    }
  });
  for (const e of list) {
    if (e !== entry) e.video.pause();
  }
  play(entry);
  chat.switchTo(entry.channel.id);
}

const observer = new IntersectionObserver((items) => {
  for (const item of items) {
    if (item.isIntersecting && item.intersectionRatio >= 0.6) {
      makeCurrent(entries.get(item.target.dataset.id));
    }
  }
}, { root: feed, threshold: [0.6] });

function scrollByScreens(delta) {
  const list = ordered();
  const index = Math.max(0, list.indexOf(current));
  const target = list[Math.min(list.length - 1, Math.max(0, index + delta))];
  if (target) target.section.scrollIntoView({ behavior: 'smooth' });
}

document.addEventListener('keydown', (e) => {
  if (e.key === 'ArrowDown' || e.key === 'PageDown') {
    e.preventDefault();
    scrollByScreens(1);
  } else if (e.key === 'ArrowUp' || e.key === 'PageUp') {
    e.preventDefault();
    scrollByScreens(-1);
  } else if (e.key === ' ' && current) {
    e.preventDefault();
    togglePause(current);
  } else if (e.key === 'm') {
    setMuted(!muted);
  }
});

async function refresh() {
  let channels;
  try {
    const response = await fetch('/api/channels', { cache: 'no-cache', headers: authHeaders() });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    channels = await response.json();
    showStatus('');
  } catch (err) {
    showStatus('Offline: cannot reach the server, retrying…');
    return;
  }
  const ids = new Set(channels.map((c) => c.id));
  for (const [id, entry] of entries) {
    if (!ids.has(id)) {
      observer.unobserve(entry.section);
      detach(entry);
      entry.section.remove();
      entries.delete(id);
      if (current === entry) current = null;
    }
  }
  if (channels.length > 0) feed.querySelector('.empty')?.remove();
  for (const channel of channels) {
    const known = entries.get(channel.id);
    if (!known) {
      const entry = createEntry(channel);
      entries.set(channel.id, entry);
      feed.append(entry.section);
    } else if (channel.live) {
      const was = known.channel.state;
      known.channel = channel; // now and next move on; a broadcast starts or ends
      known.meta.textContent = describe(channel);
      known.waiting.hidden = channel.state !== 'waiting';
      if (was === 'waiting' && channel.state === 'live' && known === current) {
        attach(known);
        play(known);
      }
    }
  }
  renderEmpty();
  revealLinkedChannel();
}

// /#canal1 (the admin page links there) brings that channel on screen once it is listed
let linked = decodeURIComponent(location.hash.slice(1));
function revealLinkedChannel() {
  if (linked && entries.has(linked)) {
    entries.get(linked).section.scrollIntoView();
    linked = '';
  }
}

/** The sign-in corner: paste a token, or sign out; the feed then shows what the token may see. */
function renderAccount() {
  if (token()) {
    const who = claims().name || claims().sub || 'signed in';
    const out = el('button', { type: 'button', textContent: 'Sign out' });
    out.addEventListener('click', () => {
      signOut();
      location.reload();
    });
    account.replaceChildren(el('span', { className: 'who', textContent: who }), out);
    if (mayGoLive()) goLiveControl(account);
    return;
  }
  const input = el('input', { type: 'password', placeholder: 'Paste a token',
    autocomplete: 'off' });
  input.setAttribute('aria-label', 'Token');
  input.addEventListener('keydown', (e) => e.stopPropagation());
  const form = el('form', { className: 'sign-in', hidden: true }, [input,
    el('button', { type: 'submit', textContent: 'Sign in' })]);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    signIn(input.value);
    location.reload();
  });
  const open = el('button', { type: 'button', textContent: 'Sign in' });
  open.addEventListener('click', () => {
    form.hidden = !form.hidden;
    open.hidden = !form.hidden;
    if (!form.hidden) input.focus();
  });
  account.replaceChildren(open, form);
}

renderAccount();
await refresh();
feed.focus();
setInterval(refresh, REFRESH_MS);
