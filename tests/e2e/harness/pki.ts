import { mkdir } from 'node:fs/promises';
import path from 'node:path';

import { LabTools } from './preflight';
import { run } from './run';

export interface CertificateFiles {
  readonly certPath: string;
  readonly keyPath: string;
}

/**
 * A throwaway PKI like a small real deployment: one CA, a server certificate (serverAuth), client
 * certificates named by common name (clientAuth) and a tls-crypt key. EC P-256 keeps it fast.
 */
export interface Pki {
  readonly directory: string;
  readonly caCertPath: string;
  readonly server: CertificateFiles;
  readonly tlsCryptKeyPath: string;
  /** Made on first use; asking again for the same name returns the same files (for duplicate-cn). */
  clientCertificate(commonName: string): Promise<CertificateFiles>;
  /** A client certificate signed by another CA, which the server must reject (VERIFY ERROR). */
  foreignClientCertificate(commonName: string): Promise<CertificateFiles>;
}

type Purpose = 'ca' | 'server' | 'client';

const EXTENSIONS: Record<Purpose, string[]> = {
  ca: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'],
  server: ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth'],
  client: ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth'],
};

// common names become file names and appear in logs; keep them to what OpenVPN prints verbatim
const COMMON_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export async function createPki(tools: LabTools, directory: string): Promise<Pki> {
  // clients live in their own directories so no common name can overwrite a CA or server file
  const clientDirectory = path.join(directory, 'clients');
  const foreignDirectory = path.join(directory, 'foreign');
  const foreignClientDirectory = path.join(foreignDirectory, 'clients');
  const issue = (request: CertificateRequest) => issueCertificate(tools, request);

  const ca = await issue({ directory, commonName: 'lab-ca', purpose: 'ca' });
  const tlsCryptKeyPath = path.join(directory, 'tls-crypt.key');
  const [server] = await Promise.all([
    issue({ directory, commonName: 'server', purpose: 'server', signer: ca }),
    run(tools.openvpn, ['--genkey', 'tls-crypt', tlsCryptKeyPath]),
  ]);

  const clients = new Map<string, Promise<CertificateFiles>>();
  let foreignCa: Promise<CertificateFiles> | undefined;
  const memoised = (key: string, make: () => Promise<CertificateFiles>) => {
    const existing = clients.get(key);
    if (existing) {
      return existing;
    }
    const made = make();
    clients.set(key, made);
    return made;
  };

  return {
    directory,
    caCertPath: ca.certPath,
    server,
    tlsCryptKeyPath,
    clientCertificate: (commonName) =>
      memoised(commonName, () =>
        issue({ directory: clientDirectory, commonName: requireCommonName(commonName), purpose: 'client', signer: ca })
      ),
    foreignClientCertificate: (commonName) =>
      memoised(`foreign/${commonName}`, async () => {
        foreignCa ??= issue({ directory: foreignDirectory, commonName: 'foreign-ca', purpose: 'ca' });
        const signer = await foreignCa;
        const request = { directory: foreignClientDirectory, commonName: requireCommonName(commonName) };
        return issue({ ...request, purpose: 'client', signer });
      }),
  };
}

interface CertificateRequest {
  readonly directory: string;
  readonly commonName: string;
  readonly purpose: Purpose;
  /** Absent for a self-signed CA. */
  readonly signer?: CertificateFiles;
}

/** One `openssl req -x509` per certificate: it makes the key and signs in one step (`-CA`, OpenSSL 3). */
async function issueCertificate(tools: LabTools, request: CertificateRequest): Promise<CertificateFiles> {
  const { directory, commonName, purpose, signer } = request;
  await mkdir(directory, { recursive: true });
  const files = {
    certPath: path.join(directory, `${commonName}.crt`),
    keyPath: path.join(directory, `${commonName}.key`),
  };
  const args = [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '7',
    '-subj',
    `/CN=${commonName}`,
    '-keyout',
    files.keyPath,
    '-out',
    files.certPath,
    ...EXTENSIONS[purpose].flatMap((extension) => ['-addext', extension]),
    ...(signer ? ['-CA', signer.certPath, '-CAkey', signer.keyPath] : []),
  ];
  await run(tools.openssl, args);
  return files;
}

function requireCommonName(commonName: string): string {
  if (!COMMON_NAME.test(commonName)) {
    throw new Error(`Lab common names must match ${COMMON_NAME}: got ${JSON.stringify(commonName)}`);
  }
  return commonName;
}
