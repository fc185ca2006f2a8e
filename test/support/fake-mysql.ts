/**
 * A fake MySQL server on a loopback port, playing an attacker's host: it
 * greets like a real server (handshake v10, mysql_native_password, a known
 * salt), records every byte a client sends, refuses the login and hangs up.
 * Tests ask it whether a password, or its scramble for this salt, arrived.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';

const SALT = Buffer.from('0123456789abcdefghij', 'latin1'); // 20 bytes, as the protocol wants

// CLIENT_LONG_PASSWORD | CONNECT_WITH_DB | PROTOCOL_41 | TRANSACTIONS | SECURE_CONNECTION | PLUGIN_AUTH; no SSL.
const CAPABILITIES = 0x1 | 0x8 | 0x200 | 0x2000 | 0x8000 | 0x80000;

function packet(seq: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUIntLE(payload.length, 0, 3);
  head[3] = seq;
  return Buffer.concat([head, payload]);
}

function greeting(): Buffer {
  const caps = Buffer.alloc(4);
  caps.writeUInt32LE(CAPABILITIES);
  return packet(
    0,
    Buffer.concat([
      Buffer.from([10]),
      Buffer.from('5.7.99-fake\0', 'latin1'),
      Buffer.from([1, 0, 0, 0]), // connection id
      SALT.subarray(0, 8),
      Buffer.from([0]),
      caps.subarray(0, 2),
      Buffer.from([45]), // utf8mb4_general_ci
      Buffer.from([2, 0]), // status: autocommit
      caps.subarray(2, 4),
      Buffer.from([21]),
      Buffer.alloc(10),
      SALT.subarray(8),
      Buffer.from([0]),
      Buffer.from('mysql_native_password\0', 'latin1'),
    ]),
  );
}

function accessDenied(): Buffer {
  const message = Buffer.from("#28000Access denied for user (fake server)", 'latin1');
  return packet(2, Buffer.concat([Buffer.from([0xff, 0x15, 0x04]), message])); // 1045
}

const sha1 = (b: Buffer): Buffer => createHash('sha1').update(b).digest();

/** What mysql_native_password sends for `password` to a server with this fake's salt. */
export function nativeScramble(password: string): Buffer {
  const p1 = sha1(Buffer.from(password, 'utf8'));
  const p2 = sha1(Buffer.concat([SALT, sha1(p1)]));
  return Buffer.from(p1.map((b, i) => b ^ p2[i]));
}

export interface FakeMysql {
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  /** Everything clients sent, all connections together. */
  received(): Buffer;
  /** True when `password` or its scramble for this server's salt reached it. */
  sawPassword(password: string): boolean;
  close(): Promise<void>;
}

export async function startFakeMysql(): Promise<FakeMysql> {
  const chunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.write(greeting());
    socket.on('data', (d) => {
      chunks.push(d);
      // One answer to the login packet, whatever it holds: refused, then hang up.
      socket.end(accessDenied());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the fake server has no port');
  const received = (): Buffer => Buffer.concat(chunks);
  return {
    port: address.port,
    connections: () => accepted,
    received,
    sawPassword: (password) => {
      const all = received();
      return all.includes(Buffer.from(password, 'utf8')) || all.includes(nativeScramble(password));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
