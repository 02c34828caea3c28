import { describe, expect, it } from 'vitest';
import { cspDirectives, mediaServerSources, serializeCsp, withMediaServer } from '../../csp.js';

describe('the Content-Security-Policy', () => {
  it('lets pages connect to this origin only, until the media server is added', () => {
    expect(cspDirectives['connect-src']).toEqual(['self']);
  });

  it('runs scripts and WebAssembly from this origin only, never eval', () => {
    const policy = serializeCsp(cspDirectives);
    expect(policy).toMatch(/script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    expect(policy).not.toMatch(/'unsafe-eval'/);
  });

  it('adds exactly the configured media server, over its socket and its HTTP checks', () => {
    expect(mediaServerSources('wss://media.example.org:7443')).toEqual([
      'wss://media.example.org:7443',
      'https://media.example.org:7443',
    ]);
    expect(mediaServerSources('ws://127.0.0.1:7880/')).toEqual([
      'ws://127.0.0.1:7880',
      'http://127.0.0.1:7880',
    ]);
    expect(() => mediaServerSources('https://media.example.org')).toThrow(/ws:\/\/ or wss:\/\//);
  });

  it('keeps the rest of the policy (a page nonce included) as it is', () => {
    const policy = `script-src 'self' 'nonce-abc'; connect-src 'self'; frame-ancestors 'none'`;
    const sources = mediaServerSources('wss://media.example.org');
    expect(withMediaServer(policy, sources)).toBe(
      `script-src 'self' 'nonce-abc'; connect-src 'self' wss://media.example.org https://media.example.org; frame-ancestors 'none'`,
    );
    expect(withMediaServer(withMediaServer(policy, sources), sources)).toBe(
      withMediaServer(policy, sources),
    );
    expect(withMediaServer(policy, [])).toBe(policy);
    expect(serializeCsp(cspDirectives)).not.toMatch(/connect-src[^;]*\b(ws|http)s?:(?!\/)/);
  });
});
