import { LabNetwork } from './lab-network';
import { OpenVpnProcess } from './openvpn-process';
import { Pki } from './pki';
import { LabTools } from './preflight';

/** What a lab hands to the servers and clients it starts. */
export interface LabContext {
  readonly tools: LabTools;
  readonly network: LabNetwork;
  readonly pki: Pki;
  /** The lab's temporary directory: configs, logs, status files, sockets. */
  readonly directory: string;
  /** Every process goes through here, so the lab can kill it on stop() or when the test process exits. */
  track(process: OpenVpnProcess): OpenVpnProcess;
}
