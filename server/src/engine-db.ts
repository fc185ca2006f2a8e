/**
 * The engine's database-side modules (branches, connections, deploy requests),
 * loaded on first use. Editing features never wait for mysql2 and the
 * migration engine to load, and a problem in those modules turns into a clear
 * error on the request that needs them instead of a server that cannot start.
 * The require() paths are literals, so esbuild still bundles them.
 */
type BranchModule = typeof import('../../engine/src/branch/index.js');
type ConnectionModule = typeof import('../../engine/src/db/connection.js');
type DeployModule = typeof import('../../engine/src/deploy/index.js');
type IntrospectModule = typeof import('../../engine/src/db/introspect.js');

let branch: BranchModule | undefined;
let connection: ConnectionModule | undefined;
let deploy: DeployModule | undefined;
let introspect: IntrospectModule | undefined;

export function branchModule(): BranchModule {
  return (branch ??= require('../../engine/src/branch/index.js') as BranchModule);
}

export function connectionModule(): ConnectionModule {
  return (connection ??= require('../../engine/src/db/connection.js') as ConnectionModule);
}

export function deployModule(): DeployModule {
  return (deploy ??= require('../../engine/src/deploy/index.js') as DeployModule);
}

export function introspectModule(): IntrospectModule {
  return (introspect ??= require('../../engine/src/db/introspect.js') as IntrospectModule);
}
