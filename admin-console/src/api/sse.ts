import { API_BASE } from './client';

/** One Server-Sent Event as the WHATWG rules assemble it. */
export interface ServerSentEvent {
  id?: string;
  event: string;
  data: string;
}

/**
 * Reads a gateway event stream with the bearer token. The browser's EventSource cannot send an Authorization
 * header, so the stream is read with fetch and parsed here by the WHATWG event-stream rules (comment lines such as
 * the gateway's keep-alives are ignored). Resolves when the stream ends; rejects on a refusal or a network failure.
 */
export async function readEventStream(path: string, token: string, onEvent: (event: ServerSentEvent) => void,
                                      signal: AbortSignal, lastEventId?: string): Promise<void> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' };
  if (lastEventId) {
    headers['Last-Event-ID'] = lastEventId;
  }
  const response = await fetch(API_BASE + path, { headers, signal });
  if (!response.ok || !response.body) {
    throw new Error(`the event stream was refused (HTTP ${response.status})`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new EventStreamParser(onEvent);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      parser.end();
      return;
    }
    parser.push(value);
  }
}

/** The line-oriented part of the event-stream format: fields accumulate until a blank line dispatches them. */
export class EventStreamParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;

  constructor(private readonly onEvent: (event: ServerSentEvent) => void) {}

  push(chunk: string): void {
    this.buffer += chunk;
    const lines = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = lines.pop() ?? '';
    for (const line of lines) {
      this.line(line);
    }
  }

  end(): void {
    if (this.buffer) {
      this.line(this.buffer);
      this.buffer = '';
    }
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) {
        this.onEvent({ id: this.id, event: this.event || 'message', data: this.data.join('\n') });
      }
      this.data = [];
      this.event = '';
      return;
    }
    if (line.startsWith(':')) {
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (field === 'data') {
      this.data.push(value);
    } else if (field === 'event') {
      this.event = value;
    } else if (field === 'id' && !value.includes('\0')) {
      this.id = value;
    }
  }
}
