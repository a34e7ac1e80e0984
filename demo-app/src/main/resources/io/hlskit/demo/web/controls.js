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

/**
 * A progress bar for a video on demand, draggable (mouse, touch, arrow keys): the video seeks
 * as it moves, and the bar follows the video when left alone.
 */
export function progressBar(video, durationSeconds) {
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
  bar.addEventListener('input', () => {
    video.currentTime = Number(bar.value);
    show(Number(bar.value));
  });
  bar.addEventListener('change', () => { dragging = false; });
  show(0);
  return bar;
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
