# syntax=docker/dockerfile:1
# pushport's local server in a container: docker build -t pushport . (docs/deploy.md shows how to run it).

# Build: compile the TypeScript, then keep only the runtime dependencies.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.base.json tsconfig.node.json tsconfig.build.json ./
COPY src src
COPY emulator emulator
COPY bin bin
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=1234 \
    TEXT_PORT=5678 \
    PUSHPORT_RUN_DIR=/var/lib/pushport
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY deploy/docker-entrypoint.sh /usr/local/bin/pushport-entrypoint
# The run dir holds the pid file, the control socket and the store of queued pushes: a volume keeps the store.
RUN mkdir -p /var/lib/pushport && chown node:node /var/lib/pushport
VOLUME /var/lib/pushport
# The official image's unprivileged user.
USER node
EXPOSE 1234 5678
# `status` asks the master for every process's counters: it fails when the server does not answer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["node", "dist/bin/pushport.js", "status"]
ENTRYPOINT ["pushport-entrypoint"]
