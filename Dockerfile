# One image for every service. Node runs the TypeScript sources directly (type stripping), so
# there is no compile step; a service is chosen by its command, `node services/<name>/src/main.ts`
# (docker-compose.yml, deploy/k8s). Build: `docker build -t agentops .`

# --- manifests: only the package.json files, so that the dependency layer below is rebuilt when
# dependencies change and not on every source edit (npm ci needs every workspace's package.json;
# listing them one by one would go stale).
FROM node:24-slim AS manifests
WORKDIR /src
COPY . .
RUN find . -type f ! -name package.json -delete \
  && find . -mindepth 1 -type d -empty -delete

# --- deps: production dependencies only (no vitest, biome, typescript or turbo in the image).
FROM node:24-slim AS deps
WORKDIR /app
COPY --from=manifests /src/ ./
COPY package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime: the sources over the dependencies, owned by root, so the app cannot change them.
FROM node:24-slim AS runtime
ENV NODE_ENV=production \
  HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/ ./
COPY . .
# The base image's unprivileged user (uid 1000). The services write nothing to disk.
USER node
# api 8080, demo backend 8081, the workers' probe endpoint (HEALTH_PORT) 8090.
EXPOSE 8080 8081 8090
# /healthz on HEALTH_PORT (workers) or PORT (api, demo backend); docker-compose.yml and the
# Kubernetes manifests set a probe per service.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "deploy/healthcheck.ts"]
# The services log JSON lines to stdout and stop cleanly on SIGTERM.
CMD ["node", "services/api/src/main.ts"]
