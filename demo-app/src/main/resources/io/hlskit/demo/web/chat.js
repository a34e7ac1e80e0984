// The chat overlay for the channel on screen: one WebSocket at a time, a username asked once
// and remembered, history on join, counts, and reconnection with backoff. Every text from the
// network is set with textContent: a message is data, never markup.

import { claims, token } from './auth.js';
import { el } from './dom.js';

const NAME_KEY = 'hlskit.username';
/** Error codes that mean: choose another name. */
const NAME_REFUSED = new Set(['bad_username', 'reserved_username', 'username_taken']);
const MAX_SHOWN = 100;

export class Chat {
  constructor(root) {
    this.root = root;
    this.room = null;
    this.ws = null;
    this.retry = 0;
    this.timer = null;
    // a token with a name: the server chats under that name whatever a join frame says
    this.fixedName = claims().name || '';
    this.username = this.fixedName || localStorage.getItem(NAME_KEY) || '';

    this.counts = el('span', { className: 'counts', textContent: '' });
    this.toggle = el('button', { className: 'chat-toggle', type: 'button', textContent: 'Chat' });
    this.list = el('ol', { className: 'messages' });
    this.input = el('input', { type: 'text', maxLength: 500, placeholder: 'Say something…',
      autocomplete: 'off' });
    this.input.setAttribute('aria-label', 'Message');
    this.form = el('form', { className: 'say' }, [this.input,
      el('button', { type: 'submit', textContent: 'Send' })]);
    this.nameInput = el('input', { type: 'text', maxLength: 32, placeholder: 'Your name',
      autocomplete: 'nickname' });
    this.nameInput.setAttribute('aria-label', 'Your name');
    this.nameForm = el('form', { className: 'name' }, [this.nameInput,
      el('button', { type: 'submit', textContent: 'Join chat' })]);
    this.panel = el('div', { className: 'chat-panel', hidden: true }, [
      this.list, this.nameForm, this.form]);
    root.append(el('div', { className: 'chat-bar' }, [this.toggle, this.counts]), this.panel);

    this.toggle.addEventListener('click', () => {
      this.panel.hidden = !this.panel.hidden;
      this.toggle.setAttribute('aria-expanded', String(!this.panel.hidden));
    });
    this.nameForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const name = this.nameInput.value.trim();
      if (!name) return;
      this.username = name;
      localStorage.setItem(NAME_KEY, name);
      this.automatic = false;
      this.join();
      this.showForms();
    });
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      const text = this.input.value.trim();
      if (!text || !this.ws || this.ws.readyState !== WebSocket.OPEN) return;
      this.ws.send(JSON.stringify({ type: 'chat_message', text }));
      this.input.value = '';
    });
    // keys typed into the chat must not move the feed
    for (const input of [this.input, this.nameInput]) {
      input.addEventListener('keydown', (e) => e.stopPropagation());
    }
    this.showForms();
  }

  showForms() {
    this.nameForm.hidden = Boolean(this.username);
    this.form.hidden = !this.username;
  }

  switchTo(room) {
    if (room === this.room) return;
    this.room = room;
    this.retry = 0;
    this.ended = false;
    this.showForms();
    this.list.replaceChildren();
    this.counts.textContent = '';
    this.connect();
  }

  connect() {
    clearTimeout(this.timer);
    if (this.ws) {
      this.ws.onclose = null;
      this.ws.close();
    }
    if (!this.room) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    // browsers cannot set headers on a WebSocket: the token goes in the query, over the same
    // origin, and is not shown anywhere
    const t = token();
    const auth = t ? `&token=${encodeURIComponent(t)}` : '';
    const ws = new WebSocket(`${scheme}://${location.host}/ws/chat?channel=${encodeURIComponent(this.room)}${auth}`);
    this.ws = ws;
    ws.onopen = () => {
      this.retry = 0;
      this.automatic = true; // the stored name, joined again without asking
      this.join();
    };
    ws.onmessage = (event) => this.receive(JSON.parse(event.data));
    ws.onclose = () => {
      if (this.ws !== ws || this.ended) return;
      this.system('Chat disconnected, reconnecting…');
      const delay = Math.min(10000, 1000 * 2 ** this.retry++);
      this.timer = setTimeout(() => this.connect(), delay);
    };
  }

  join() {
    if (this.username && this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify({ type: 'join', username: this.username }));
    }
  }

  receive(frame) {
    switch (frame.type) {
      case 'history':
        this.automatic = false;
        this.heldTries = 0;
        this.list.replaceChildren();
        frame.messages.forEach((m) => this.show(m));
        break;
      case 'chat_message':
        this.show(frame);
        break;
      case 'user_count':
        this.counts.textContent = `${frame.watching} watching · ${frame.online} online`;
        break;
      case 'error':
        if (frame.code === 'username_taken' && this.automatic && (this.heldTries || 0) < 12) {
          // after a dropped connection the server may hold our name a while longer
          this.heldTries = (this.heldTries || 0) + 1;
          this.system('Your name is still held by your last connection; trying again…');
          clearTimeout(this.rejoinTimer);
          this.rejoinTimer = setTimeout(() => this.join(), 5000);
          break;
        }
        this.system(frame.reason);
        if (NAME_REFUSED.has(frame.code)) {
          this.username = '';
          localStorage.removeItem(NAME_KEY);
          this.showForms();
        }
        break;
      case 'message_deleted':
        // a moderator took it down: it goes from this screen too
        for (const item of this.list.querySelectorAll('li[data-id]')) {
          if (item.dataset.id === frame.id) item.remove();
        }
        break;
      case 'channel_deleted':
        // the server closes the chat; there is nothing to reconnect to
        this.ended = true;
        this.system('This channel was deleted; its chat is closed.');
        this.form.hidden = true;
        this.nameForm.hidden = true;
        break;
      default:
        break;
    }
  }

  show(message) {
    const item = el('li', {}, [
      // <bdi>: a name written right to left cannot turn the text after it around
      el('strong', {}, [el('bdi', { textContent: message.username })]),
      el('span', { textContent: ` ${message.text}` }),
    ]);
    item.dataset.id = message.id;
    this.append(item);
  }

  system(text) {
    this.append(el('li', { className: 'system', textContent: text }));
  }

  append(item) {
    this.list.append(item);
    while (this.list.children.length > MAX_SHOWN) this.list.firstChild.remove();
    this.list.scrollTop = this.list.scrollHeight;
  }
}
