# One image for every service: the repo with its dependencies. Node runs the TypeScript sources
# directly (type stripping), so there is no build step; each compose service picks its entry
# point with `command: node services/<name>/src/main.ts`.
FROM node:24-slim

WORKDIR /app
# The whole tree first (.dockerignore keeps node_modules, .data, .turbo and .git out): npm ci
# needs every workspace's package.json, and listing them one by one would go stale.
COPY . .
RUN npm ci --no-audit --no-fund && npm cache clean --force

USER node
# The services log JSON lines to stdout and stop cleanly on SIGTERM.
CMD ["node", "services/api/src/main.ts"]
