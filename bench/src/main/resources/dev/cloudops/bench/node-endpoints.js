'use strict';
// The probe benchmark's endpoints served by Node's TLS (OpenSSL), as most real sites are: the same
// N answering and M silent loopback endpoints as LoopbackEndpoints.java, started by NodeEndpoints.java.
// Arguments: answering silent key.pem chain.pem ca-base64. Prints the CA and the ports, then READY,
// and serves until its standard input closes.
const tls = require('node:tls');
const net = require('node:net');
const fs = require('node:fs');

const [answering, silent] = process.argv.slice(2, 4).map(Number);
const key = fs.readFileSync(process.argv[4]);
const cert = fs.readFileSync(process.argv[5]);
const ca = process.argv[6];
const response = Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 7\r\n'
    + 'Connection: close\r\n\r\nWelcome', 'latin1');

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', backlog: 1024 }, () => resolve(server.address().port));
  });
}

function answer(socket) {
  let head = '';
  socket.on('data', (chunk) => {
    head += chunk.toString('latin1');
    if (head.includes('\r\n\r\n')) {
      socket.end(response);
    }
  });
  socket.on('error', () => socket.destroy());
}

// Silent endpoints keep what they accept until the prober gives up and closes it.
const held = new Set();
async function main() {
  const up = [];
  for (let i = 0; i < answering; i++) {
    const server = tls.createServer({ key, cert, sessionTimeout: 1 }, answer);
    server.on('tlsClientError', () => {});
    up.push(await listen(server));
  }
  const quiet = [];
  for (let i = 0; i < silent; i++) {
    const server = net.createServer((socket) => {
      held.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => held.delete(socket));
    });
    quiet.push(await listen(server));
  }
  process.stdout.write(`CA ${ca}\nANSWERING ${up.join(',')}\nSILENT ${quiet.join(',')}\nREADY\n`);
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}
main().catch((e) => { console.error(e); process.exit(1); });
