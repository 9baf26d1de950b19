import { describe, expect, it } from 'vitest';
import { EventStreamParser, type ServerSentEvent } from './sse';

describe('The event-stream parser', () => {
  it('assembles events split across chunks and ignores keep-alive comments', () => {
    const seen: ServerSentEvent[] = [];
    const parser = new EventStreamParser((e) => seen.push(e));

    parser.push('event: Job');
    parser.push('Changed\nid: 7:tx:j\ndata: {"a":');
    parser.push('1}\n\n: keep-alive\n\ndata: line1\r\ndata: line2\n\n');

    expect(seen).toEqual([
      { event: 'JobChanged', id: '7:tx:j', data: '{"a":1}' },
      { event: 'message', id: '7:tx:j', data: 'line1\nline2' },
    ]);
  });
});
