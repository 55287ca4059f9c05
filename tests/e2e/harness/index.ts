// The OpenVPN e2e lab: real servers and clients in network namespaces. See README.md.
export { Lab } from './lab';
export type { LabNetwork } from './lab-network';
export { labNamespaces } from './lab-network';
export { OpenVpnServer } from './openvpn-server';
export type { ManagementEndpoint, ServerOptions, StatusVersion, Topology } from './openvpn-server';
export { OpenVpnClient } from './openvpn-client';
export type { ClientOptions, TunnelAddresses } from './openvpn-client';
export type { CertificateFiles, Pki } from './pki';
export { waitFor } from './wait';
export type { WaitOptions } from './wait';
export type { LogWaitOptions } from './openvpn-process';
