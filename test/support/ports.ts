// Free loopback ports for tests that need one (a server of their own, or a port where nothing listens).
import net from 'node:net';

/** A port nobody listens on at this moment (the OS picks it; it is free until someone binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
