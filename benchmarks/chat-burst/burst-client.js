// One chat burst against a server, from this one process: RECEIVERS clients join one room,
// then SENDERS of them send MESSAGES between them as fast as they can; every client records
// how long each message took to reach it. Prints one JSON line: deliveries per second (from
// the first send to the last delivery), p50 and p99 delay in ms, and how many arrived.
//   node burst-client.js <hlskit|socketio> <port> <receivers> <senders> <messages>
// Both clients are raw WebSockets (the ws package) that parse each frame with JSON.parse, so the
// client's cost per message is alike and the servers are what differs; the Socket.IO one
// speaks Engine.IO 4 / Socket.IO 5 framing by hand, as socket.io-client would on its
// websocket transport.
const WebSocket = require('ws');

const [kind, port, receivers, senders, messages] = [process.argv[2], Number(process.argv[3]),
  Number(process.argv[4]), Number(process.argv[5]), Number(process.argv[6])];
const expected = receivers * messages;
const delays = new Float64Array(expected);
let received = 0;
let lastAt = 0n;
const now = () => process.hrtime.bigint();
let lastFrameAt = Date.now(); // any frame: the joins' count updates must be over first

function onMessage(text) {
  if (!text.startsWith('t=')) return;
  const at = now();
  if (received < expected) delays[received] = Number(at - BigInt(text.slice(2))) / 1e6;
  received++;
  lastAt = at;
}

// a client that joins and resolves once its history came; send(text) posts a chat message
function hlskitClient(i) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/chat?channel=canal1`);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'join', username: `u${i}` })));
    ws.on('error', reject);
    ws.on('message', (data) => {
      lastFrameAt = Date.now();
      const f = JSON.parse(data);
      if (f.type === 'history') resolve({ send: (text) => ws.send(JSON.stringify({ type: 'chat_message', text })), close: () => ws.terminate() });
      else if (f.type === 'chat_message') onMessage(f.text);
      else if (f.type === 'error') console.error(`client ${i}: ${f.code} ${f.message}`);
    });
  });
}

function socketioClient(i) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
    const emit = (event, data) => ws.send('42' + JSON.stringify([event, data]));
    ws.on('error', reject);
    ws.on('message', (data) => {
      lastFrameAt = Date.now();
      const text = data.toString();
      if (text === '2') {
        ws.send('3'); // Engine.IO ping, pong
      } else if (text.startsWith('0{')) {
        ws.send('40'); // Engine.IO open: connect to the main namespace
      } else if (text.startsWith('40')) {
        emit('join', `u${i}`);
      } else if (text.startsWith('42')) {
        const [event, payload] = JSON.parse(text.slice(2));
        if (event === 'history') {
          resolve({ send: (t) => emit('chat_message', { text: t }), close: () => ws.terminate() });
        } else if (event === 'chat_message') {
          onMessage(payload.text);
        }
      }
    });
  });
}

async function main() {
  const make = kind === 'hlskit' ? hlskitClient : socketioClient;
  const clients = [];
  for (let i = 0; i < receivers; i++) {
    clients.push(await make(i));
  }
  // the joins' count announcements are over: nothing arrived for half a second (at most 20 s)
  const settleBy = Date.now() + 20000;
  while (Date.now() - lastFrameAt < 500 && Date.now() < settleBy) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const perSender = Math.ceil(messages / senders);
  const cpu0 = process.cpuUsage();
  const t0 = now();
  let sent = 0;
  for (let s = 0; s < senders && sent < messages; s++) {
    for (let k = 0; k < perSender && sent < messages; k++, sent++) {
      clients[s].send(`t=${now()}`);
    }
  }
  const deadline = Date.now() + 30000;
  while (received < expected && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5));
  }
  const n = Math.min(received, expected);
  const sorted = Array.from(delays.subarray(0, n)).sort((a, b) => a - b);
  const seconds = Number(lastAt - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const busy = (cpu.user + cpu.system) / 1e6 / (Number(now() - t0) / 1e9);
  console.log(JSON.stringify({
    kind, receivers, senders, messages, delivered: received, expected,
    deliveriesPerSecond: Math.round(n / seconds),
    p50: sorted[Math.floor(n * 0.5)], p99: sorted[Math.min(n - 1, Math.floor(n * 0.99))],
    clientBusy: Number(busy.toFixed(2)),
  }));
  clients.forEach((c) => c.close());
  process.exit(0);
}

main().catch((e) => { console.error(e); process.exit(1); });
