import type { ObservedSession, StatusClient } from '../../model';

/**
 * A status row as the tracker's session. Identity is client id + connected-since when the
 * report has client ids (2.4+); v1 and 2.3 have none, so common name + real address +
 * connected-since stands in. Never the common name alone: duplicate-cn is legal.
 */
export function observedSession(client: StatusClient): ObservedSession {
  const key =
    client.clientId !== undefined
      ? `cid:${client.clientId}:${client.connectedSince}`
      : `cn:${client.commonName}|${client.realAddress}|${client.connectedSince}`;
  return {
    key,
    user: client.username ?? client.commonName,
    commonName: client.commonName,
    realAddress: client.realAddress,
    virtualIpv4: client.virtualIpv4,
    virtualIpv6: client.virtualIpv6,
    clientId: client.clientId,
    connectedSince: client.connectedSince,
    bytesIn: client.bytesReceived,
    bytesOut: client.bytesSent,
    cipher: client.cipher,
  };
}
