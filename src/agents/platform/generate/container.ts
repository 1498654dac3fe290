import { stringify } from 'yaml';
import { type WorkspaceFacts } from '../facts/workspaceFacts';
import { type GeneratedFile } from './types';

/**
 * A Dockerfile for a stack that has none (non-root, pinned base, a health check, no caches left
 * in layers) and a docker-compose.yml for local runs with the databases the code uses. Both pass
 * every hardening rule; an existing Dockerfile or compose file is never replaced.
 */

/** A health check the image can run with what it has (no curl in slim images). */
export function healthCommand(facts: WorkspaceFacts): string[] {
  const url = `http://127.0.0.1:${facts.port}${facts.healthPath}`;
  return facts.stack === 'python'
    ? ['python', '-c', `import urllib.request, sys; sys.exit(0 if urllib.request.urlopen('${url}', timeout=3).status < 400 else 1)`]
    : ['node', '-e', `require('http').get('${url}', (r) => process.exit(r.statusCode < 400 ? 0 : 1)).on('error', () => process.exit(1))`];
}

function pythonCommand(facts: WorkspaceFacts): string[] {
  const entry = facts.entry?.replace(/\.py$/, '').replace(/\//g, '.');
  if (facts.frameworks.includes('django')) {
    const project = facts.entry?.split('/')[0] ?? facts.name.replace(/-/g, '_');
    return ['gunicorn', '--bind', `0.0.0.0:${facts.port}`, `${project}.wsgi:application`];
  }
  if (facts.frameworks.includes('fastapi')) return ['uvicorn', `${entry ?? 'app.main'}:app`, '--host', '0.0.0.0', '--port', String(facts.port)];
  if (facts.frameworks.includes('flask')) return ['gunicorn', '--bind', `0.0.0.0:${facts.port}`, `${entry ?? 'app'}:app`];
  return ['python', facts.entry ?? 'main.py'];
}

export function dockerfile(facts: WorkspaceFacts): GeneratedFile | undefined {
  if (facts.stack === 'other') return undefined;
  const health = JSON.stringify(healthCommand(facts));
  if (facts.stack === 'python') {
    return {
      path: 'Dockerfile',
      content: [
        '# syntax=docker/dockerfile:1',
        'FROM python:3.12-slim',
        'ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1',
        'WORKDIR /app',
        'COPY requirements.txt ./',
        'RUN pip install --no-cache-dir -r requirements.txt',
        'COPY . .',
        `EXPOSE ${facts.port}`,
        'USER 10001',
        `HEALTHCHECK --interval=30s --timeout=5s --start-period=10s CMD ${health}`,
        `CMD ${JSON.stringify(pythonCommand(facts))}`,
        '',
      ].join('\n'),
    };
  }
  return {
    path: 'Dockerfile',
    content: [
      '# syntax=docker/dockerfile:1',
      'FROM node:22-bookworm-slim',
      'ENV NODE_ENV=production',
      'WORKDIR /app',
      'COPY package*.json ./',
      'RUN npm ci --omit=dev && npm cache clean --force',
      'COPY . .',
      `ENV PORT=${facts.port}`,
      `EXPOSE ${facts.port}`,
      'USER node',
      `HEALTHCHECK --interval=30s --timeout=5s --start-period=10s CMD ${health}`,
      `CMD ${JSON.stringify(['node', facts.entry ?? 'index.js'])}`,
      '',
    ].join('\n'),
  };
}

const DATABASE_SERVICES: Readonly<Record<string, { image: string; env: Record<string, string>; port: number; health: string[] }>> = {
  PostgreSQL: { image: 'postgres:16-alpine', env: { POSTGRES_DB: '{db}', POSTGRES_USER: '{db}', POSTGRES_PASSWORD: '${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}' }, port: 5432, health: ['CMD-SHELL', 'pg_isready -U {db}'] },
  MySQL: { image: 'mysql:8.4', env: { MYSQL_DATABASE: '{db}', MYSQL_USER: '{db}', MYSQL_PASSWORD: '${MYSQL_PASSWORD:?set MYSQL_PASSWORD in .env}', MYSQL_RANDOM_ROOT_PASSWORD: 'yes' }, port: 3306, health: ['CMD', 'mysqladmin', 'ping', '-h', '127.0.0.1'] },
  MongoDB: { image: 'mongo:7.0', env: {}, port: 27017, health: ['CMD', 'mongosh', '--quiet', '--eval', 'db.adminCommand("ping")'] },
  Redis: { image: 'redis:7.4-alpine', env: {}, port: 6379, health: ['CMD', 'redis-cli', 'ping'] },
};

export function composeFile(facts: WorkspaceFacts): GeneratedFile {
  const db = facts.name.replace(/-/g, '_');
  const services: Record<string, unknown> = {};
  const dependsOn: Record<string, { condition: string }> = {};
  const environment: Record<string, string> = { PORT: String(facts.port) };
  for (const name of facts.databases) {
    const spec = DATABASE_SERVICES[name];
    if (!spec) continue;
    const service = name === 'Redis' ? 'cache' : 'db';
    if (services[service]) continue;
    services[service] = {
      image: spec.image,
      ...(Object.keys(spec.env).length ? { environment: Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, v.replace(/\{db\}/g, db)])) } : {}),
      healthcheck: { test: spec.health.map((h) => h.replace(/\{db\}/g, db)), interval: '10s', timeout: '5s', retries: 5 },
    };
    dependsOn[service] = { condition: 'service_healthy' };
  }
  const secrets = facts.envVars.filter((e) => e.secret).map((e) => e.name);
  for (const e of facts.envVars.filter((v) => !v.secret)) environment[e.name] = `\${${e.name}:-}`;
  for (const s of secrets) environment[s] = `\${${s}:?set ${s} in .env}`;
  const app = {
    build: '.',
    ports: [`${facts.port}:${facts.port}`],
    environment,
    healthcheck: { test: ['CMD', ...healthCommand(facts)], interval: '30s', timeout: '5s', retries: 3 },
    ...(Object.keys(dependsOn).length ? { depends_on: dependsOn } : {}),
    read_only: true,
    tmpfs: ['/tmp'],
    security_opt: ['no-new-privileges:true'],
  };
  const header = [
    `# Local run of ${facts.name}: docker compose up --build`,
    ...(secrets.length ? [`# Secrets come from .env next to this file (never committed): ${secrets.join(', ')}.`] : []),
    ...(facts.databases.length ? [`# ${facts.databases.join(', ')} run beside it; the connection settings point at them.`] : []),
  ];
  return { path: 'docker-compose.yml', content: `${header.join('\n')}\n${stringify({ services: { app, ...services } }, { lineWidth: 0 })}` };
}
