# syntax=docker/dockerfile:1
# Keyward for production (KEYWARD_MODE=azure): build on Node.js 22, run the standalone server as a
# non-root user with nothing but .next/standalone in the image. See "Running against Azure" in
# README.md for the settings; compose.yaml is an example with PostgreSQL.

FROM node:22-slim AS build
WORKDIR /src
# better-sqlite3 (the local mode's database) compiles when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
ENV NEXT_TELEMETRY_DISABLED=1
COPY . .
RUN npm ci --no-audit --no-fund && npm run build

FROM node:22-slim AS runtime
WORKDIR /app
# tini is PID 1: Node as PID 1 would ignore SIGTERM once the portal's own handler has written the
# last audit checkpoint and passed the signal on, and the container would wait for SIGKILL.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    NEXT_MANUAL_SIG_HANDLE=1 \
    HOSTNAME=0.0.0.0 \
    PORT=3000 \
    KEYWARD_MODE=azure \
    KEYWARD_DATA_DIR=/data
COPY --from=build --chown=root:root /src/.next/standalone ./
RUN mkdir -p /data /app/.next/cache && chown node:node /data /app/.next/cache
USER node
VOLUME ["/data"]
EXPOSE 3000
# node:22-slim has no curl: Node's own fetch asks the liveness route.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# On SIGTERM the portal writes its last audit checkpoint (at most 5 s), then exits.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "server.js"]
