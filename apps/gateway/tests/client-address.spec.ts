import { clientAddress } from '../src/client-address';

const socket = (address: string, forwarded?: string) => ({
  handshake: { address, headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded } },
}) as unknown as Parameters<typeof clientAddress>[0];

describe('clientAddress', () => {
  it('uses the connection address unless proxies are trusted', () => {
    expect(clientAddress(socket('10.0.0.9', '203.0.113.7'), 0)).toBe('10.0.0.9');
  });

  it('takes the address the outermost trusted proxy saw, so a client cannot forge one in front of it', () => {
    expect(clientAddress(socket('10.0.0.9', '203.0.113.7'), 1)).toBe('203.0.113.7');
    expect(clientAddress(socket('10.0.0.9', '1.2.3.4, 203.0.113.7'), 1)).toBe('203.0.113.7');
    expect(clientAddress(socket('10.0.0.9', '1.2.3.4, 203.0.113.7, 10.0.0.2'), 2)).toBe('203.0.113.7');
  });

  it('falls back to the connection address when the header is missing or too short', () => {
    expect(clientAddress(socket('10.0.0.9'), 1)).toBe('10.0.0.9');
    expect(clientAddress(socket('10.0.0.9', '203.0.113.7'), 3)).toBe('10.0.0.9');
  });
});
