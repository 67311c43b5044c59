import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as http from 'http';
import * as net from 'net';

/** What a missing emulator prints: the machine image has it; CI fails without it rather than skipping. */
export const EMULATOR_INSTALL_HINT = 'the AWS emulator moto is missing for `python3`: install it with `pip install cfn-lint \'moto[server]\'`';

/** A running moto server on loopback. */
export interface Emulator {
  readonly endpoint: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function ready(endpoint: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(`${endpoint}/moto-api/`, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode < 500);
    });
    request.on('error', () => resolve(false));
    request.setTimeout(1_000, () => request.destroy());
  });
}

/**
 * Starts `python3 -m moto.server` on a free loopback port and waits until it answers. Throws with the
 * install hint when moto is not installed: the suite fails instead of skipping the emulator tests.
 */
export async function startEmulator(timeoutMs = 30_000): Promise<Emulator> {
  const probe = spawnSync('python3', ['-c', 'import moto.server'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(`${EMULATOR_INSTALL_HINT}\n${probe.stderr ?? probe.error?.message ?? ''}`);
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const started = Date.now();
  while (!(await ready(endpoint))) {
    if (child.exitCode !== null || Date.now() - started > timeoutMs) {
      child.kill();
      throw new Error(`moto did not start on ${endpoint} within ${timeoutMs} ms (exit code ${child.exitCode})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    endpoint,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) {
        resolve();
        return;
      }
      child.once('exit', () => resolve());
      child.kill();
    }),
  };
}

/** Environment variables for SDK clients talking to the emulator (restored by the returned function). */
export function useEmulatorEnvironment(endpoint: string): () => void {
  const values: Record<string, string> = {
    CDK_REFERENCE_PATTERNS_ENDPOINT: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
  };
  const saved = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  Object.assign(process.env, values);
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) {
        delete process.env[key];
      } else {
        process.env[key] = value;
      }
    }
  };
}

/** A local HTTP server standing for CloudFormation's response URL: records every PUT body. */
export interface ResponseServer {
  readonly url: string;
  readonly responses: any[];
  close(): Promise<void>;
}

export function startResponseServer(): Promise<ResponseServer> {
  const responses: any[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      responses.push({ method: req.method, ...JSON.parse(body) });
      res.writeHead(200);
      res.end();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}/response?signature=x`,
        responses,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
