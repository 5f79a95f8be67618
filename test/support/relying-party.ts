import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The relying party's own web server on the loopback: where the browser lands after the provider. */
export async function startRelyingPartySite(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="it"><head><title>Servizio di prova</title></head><body><main><h1>Servizio di prova</h1><p>${req.url?.startsWith('/out') ? 'uscito' : 'ritorno'}</p></main></body></html>`,
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}
