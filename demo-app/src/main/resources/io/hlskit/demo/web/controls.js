// The controls on a channel's screen besides sound and quality: the progress bar of a video on
// demand, the share button, and what a linear channel plays now and next.

import { icon } from './icons.js';
import { el } from './dom.js';

function clock(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function formatTime(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

/** A WebVTT time, hh:mm:ss.ttt or mm:ss.ttt, in seconds. */
function vttSeconds(text) {
  return text.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

/**
 * The cues of a WebVTT thumbnails track: each a time span and a region of a tile sheet
 * ({@code tiles-00000.jpg#xywh=x,y,w,h}), its URL resolved against the track's.
 */
export function thumbnailCues(text, trackUrl) {
  const cues = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length - 1; i++) {
    const timing = lines[i].match(/^([\d:.]+)\s+-->\s+([\d:.]+)/);
    const target = timing && lines[i + 1].match(/^(.*)#xywh=(\d+),(\d+),(\d+),(\d+)$/);
    if (!target) continue;
    cues.push({ start: vttSeconds(timing[1]), end: vttSeconds(timing[2]),
      src: new URL(target[1], new URL(trackUrl, location.href)).href,
      x: Number(target[2]), y: Number(target[3]), w: Number(target[4]), h: Number(target[5]) });
  }
  return cues;
}

/**
 * The thumbnail over the bar while it is dragged: the region of a tile sheet that the track
 * names for that time. The track is fetched on first use.
 */
function scrubPreview(trackUrl) {
  const box = el('div', { className: 'scrub-preview', hidden: true });
  box.setAttribute('aria-hidden', 'true');
  let cues = null;
  let loading = null;
  const load = () => {
    loading ??= fetch(trackUrl).then((r) => (r.ok ? r.text() : ''))
      .then((text) => { cues = thumbnailCues(text, trackUrl); })
      .catch(() => { cues = []; });
    return loading;
  };
  const show = (bar, seconds) => {
    if (!cues) {
      load().then(() => show(bar, seconds));
      return;
    }
    const cue = cues.find((c) => seconds >= c.start && seconds < c.end) ?? cues[cues.length - 1];
    if (!cue) return;
    const fraction = Number(bar.max) > 0 ? seconds / Number(bar.max) : 0;
    const width = bar.offsetWidth;
    const left = Math.min(Math.max(bar.offsetLeft + fraction * width - cue.w / 2, 0),
      bar.offsetLeft + width - cue.w);
    Object.assign(box.style, { width: `${cue.w}px`, height: `${cue.h}px`, left: `${left}px`,
      backgroundImage: `url("${cue.src}")`, backgroundPosition: `-${cue.x}px -${cue.y}px` });
    box.hidden = false;
  };
  return { box, show, hide: () => { box.hidden = true; } };
}

/**
 * A progress bar for a video on demand, draggable (mouse, touch, arrow keys): the video seeks
 * as it moves, and the bar follows the video when left alone. With a thumbnails track (a WebVTT
 * URL), the picture at the bar's position shows above it while it moves. Returns the bar, in a
 * box with the preview when there is one.
 */
export function progressBar(video, durationSeconds, thumbnailsUrl) {
  const bar = el('input', { type: 'range', className: 'progress', min: '0', step: '0.1',
    max: String(durationSeconds || 0), value: '0' });
  bar.setAttribute('aria-label', 'Seek');
  let dragging = false;
  const show = (t) => {
    bar.value = String(t);
    bar.setAttribute('aria-valuetext', `${formatTime(t)} of ${formatTime(Number(bar.max))}`);
  };
  video.addEventListener('loadedmetadata', () => {
    if (Number.isFinite(video.duration)) bar.max = String(video.duration);
  });
  video.addEventListener('timeupdate', () => { if (!dragging) show(video.currentTime); });
  bar.addEventListener('pointerdown', (e) => { dragging = true; e.stopPropagation(); });
  bar.addEventListener('pointerup', () => { dragging = false; });
  bar.addEventListener('click', (e) => e.stopPropagation());
  // arrow keys move the bar, not the feed
  bar.addEventListener('keydown', (e) => e.stopPropagation());
  const preview = thumbnailsUrl ? scrubPreview(thumbnailsUrl) : null;
  let hideLater = 0;
  bar.addEventListener('input', () => {
    video.currentTime = Number(bar.value);
    show(Number(bar.value));
    if (preview) {
      preview.show(bar, Number(bar.value));
      clearTimeout(hideLater);
      // a drag ends with 'change'; arrow keys send no end: the preview goes after a pause
      if (!dragging) hideLater = setTimeout(preview.hide, 1500);
    }
  });
  bar.addEventListener('change', () => {
    dragging = false;
    if (preview) preview.hide();
  });
  bar.addEventListener('blur', () => { if (preview) preview.hide(); });
  show(0);
  return preview ? el('div', { className: 'scrub' }, [preview.box, bar]) : bar;
}

/**
 * The seek bar of a live channel's DVR window: it spans what the player can seek to (the
 * playlists' window, minutes long), follows the video, seeks when moved, and a button takes the
 * viewer back to the live edge ({@code liveEdge()} says where that is now), and a line says
 * how far behind the broadcast the picture is ({@code behindLive()}, in seconds, null while the
 * player cannot tell). Returns a box with them; the button is shown only while the viewer is
 * behind.
 */
export function dvrBar(video, liveEdge, behindLive = () => null) {
  const bar = el('input', { type: 'range', className: 'progress dvr', min: '0', step: '0.1',
    max: '0', value: '0' });
  bar.setAttribute('aria-label', 'Seek back in the live broadcast');
  const back = el('button', { type: 'button', className: 'to-live', textContent: 'Back to live',
    hidden: true });
  const delay = el('span', { className: 'behind-live', hidden: true });
  let dragging = false;
  const range = () => {
    const s = video.seekable;
    return s.length > 0 ? [s.start(0), s.end(s.length - 1)] : [0, 0];
  };
  const update = () => {
    const [start, end] = range();
    bar.min = String(start);
    bar.max = String(end);
    if (!dragging) bar.value = String(video.currentTime);
    const behind = liveEdge() - video.currentTime;
    bar.setAttribute('aria-valuetext', `${formatTime(Math.max(0, end - video.currentTime))}`
      + ' behind live');
    back.hidden = !(behind > 10);
    const late = behindLive();
    delay.hidden = !(late >= 0);
    if (late >= 0) {
      delay.textContent = late < 60 ? `${late.toFixed(1)} s behind live`
        : `${formatTime(late)} behind live`;
    }
  };
  video.addEventListener('timeupdate', update);
  video.addEventListener('progress', update);
  bar.addEventListener('pointerdown', (e) => { dragging = true; e.stopPropagation(); });
  bar.addEventListener('pointerup', () => { dragging = false; });
  bar.addEventListener('click', (e) => e.stopPropagation());
  bar.addEventListener('keydown', (e) => e.stopPropagation());
  bar.addEventListener('input', () => { video.currentTime = Number(bar.value); });
  bar.addEventListener('change', () => { dragging = false; });
  back.addEventListener('click', (e) => {
    e.stopPropagation();
    video.currentTime = liveEdge();
    if (video.paused) video.play();
  });
  return el('div', { className: 'dvr-controls' }, [bar, delay, back]);
}

/** A button that copies the channel's deep link ({@code /#id}), then says so with {@code say}. */
export function shareButton(channel, say) {
  const button = el('button', { type: 'button', className: 'share' }, [icon('share')]);
  button.setAttribute('aria-label', `Share ${channel.title}`);
  button.title = 'Copy a link to this channel';
  button.addEventListener('click', async (e) => {
    e.stopPropagation();
    const link = `${location.origin}${location.pathname}#${encodeURIComponent(channel.id)}`;
    try {
      await navigator.clipboard.writeText(link);
      say('Link copied');
    } catch (err) {
      // no clipboard (a page over plain HTTP from another host): show the link to copy by hand
      say(`Link: ${link}`);
    }
  });
  return button;
}

/** The LIVE badge of a linear channel. */
export function liveBadge() {
  return el('span', { className: 'live-badge', textContent: 'LIVE' });
}

/** "Now: A · Next: B at 20:30" for a linear channel; empty when the API says nothing. */
export function nowAndNext(channel) {
  const parts = [];
  if (channel.nowPlaying) parts.push(`Now: ${channel.nowPlaying.title}`);
  if (channel.next) parts.push(`Next: ${channel.next.title} at ${clock(channel.next.start)}`);
  if (!channel.nowPlaying && channel.next) parts[0] = `Starts at ${clock(channel.next.start)}`
    + ` with ${channel.next.title}`;
  return parts.join(' · ');
}
