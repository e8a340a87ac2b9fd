import type { FastifyReply } from 'fastify';

const HEARTBEAT_MS = 15_000;

export interface EventStream {
  send(event: string, data: unknown, eventId?: number): void;
  /** Stops the heartbeat and ends the response. */
  end(): void;
}

/**
 * Takes the response over as a server-sent-events stream: headers a proxy passes on unbuffered, a
 * reconnect delay for the browser, and a comment every 15 s so idle connections are not cut.
 */
export function openEventStream(reply: FastifyReply): EventStream {
  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // Proxies (NGINX) must pass events on as they come.
    'x-accel-buffering': 'no',
  });
  // A HEAD asks for the headers alone: Node sends none until a body it drops for HEAD, so end.
  if (reply.request.method === 'HEAD') {
    out.end();
    return { send: () => undefined, end: () => undefined };
  }
  out.write('retry: 2000\n\n');
  const heartbeat = setInterval(() => out.write(': keep-alive\n\n'), HEARTBEAT_MS);
  out.once('close', () => clearInterval(heartbeat));
  return {
    send: (event, data, eventId) =>
      out.write(`${eventId === undefined ? '' : `id: ${eventId}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
    end: () => {
      clearInterval(heartbeat);
      out.end();
    },
  };
}
