// The original platform's chat server, as its technical report (section 4.2) shows it: users in
// a Map, the last 100 messages in memory, every message sent to every socket with io.emit.
const http = require('http');
const { Server } = require('socket.io');

const port = Number(process.argv[2]);
const server = http.createServer();
const io = new Server(server);
const users = new Map();
const messageHistory = [];

io.on('connection', (socket) => {
  socket.on('join', (username) => {
    users.set(socket.id, { username, id: socket.id });
    socket.emit('history', messageHistory);
    io.emit('user_count', users.size);
  });
  socket.on('chat_message', (data) => {
    const user = users.get(socket.id);
    const message = { username: user ? user.username : 'anon', text: data.text,
      timestamp: Date.now() };
    messageHistory.push(message);
    if (messageHistory.length > 100) messageHistory.shift();
    io.emit('chat_message', message);
  });
  socket.on('disconnect', () => {
    users.delete(socket.id);
    io.emit('user_count', users.size);
  });
});

server.listen(port, '127.0.0.1', () => console.log(`socket.io on ${port}`));
