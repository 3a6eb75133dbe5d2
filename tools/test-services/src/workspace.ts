import { join } from 'node:path';

/** The repository's root folder (this file is tools/test-services/src/workspace.ts). */
export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..');

/** The HAProxy configuration the project ships, which `startHaproxy` runs by default. */
export const DEPLOY_HAPROXY_CONFIG = join(WORKSPACE_ROOT, 'deploy', 'haproxy', 'haproxy.cfg');

/** The nginx configuration the project ships, which `startNginx` runs by default. */
export const DEPLOY_NGINX_CONFIG = join(WORKSPACE_ROOT, 'deploy', 'nginx', 'nginx.conf');
